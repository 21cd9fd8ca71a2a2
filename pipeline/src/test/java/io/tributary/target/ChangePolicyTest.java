package io.tributary.target;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.dns.DnsRecordSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** What each change policy lets through, decided per record group. */
class ChangePolicyTest {
  private static final DnsRecordSet A = new DnsRecordSet("www.example.com", "A", 60, List.of("192.0.2.1"), "o", List.of());
  private static final DnsRecordSet A2 = new DnsRecordSet("www.example.com", "A", 60, List.of("192.0.2.2"), "o", List.of());
  private static final DnsRecordSet CNAME = new DnsRecordSet("www.example.com", "CNAME", 60, List.of("lb.example.net"), "o", List.of());

  private static final Change CREATE = new Change(Op.CREATE, CNAME.key(), CNAME, null);
  private static final Change UPDATE = new Change(Op.UPDATE, A.key(), A2, A);
  private static final Change DELETE = new Change(Op.DELETE, A.key(), null, A);

  private static Predicate<String> groups(String... groups) {
    return Set.of(groups)::contains;
  }

  private static final Predicate<String> NONE = g -> false;
  private static final Predicate<String> WWW = groups("www.example.com");

  @Test
  void syncLetsEveryChangeThroughWithoutAskingAboutGroups() {
    Predicate<String> never = g -> {
      throw new AssertionError("asked about " + g);
    };
    assertThat(List.of(CREATE, UPDATE, DELETE)).allMatch(c -> ChangePolicy.SYNC.admits(c, never, never));
  }

  @Test
  void upsertOnlyNeverRemovesAGroupButRewritesOne() {
    assertThat(ChangePolicy.UPSERT_ONLY.admits(CREATE, WWW, WWW)).isTrue();
    assertThat(ChangePolicy.UPSERT_ONLY.admits(UPDATE, WWW, WWW)).isTrue();
    assertThat(ChangePolicy.UPSERT_ONLY.admits(DELETE, WWW, NONE)).as("the name's last record set").isFalse();
    assertThat(ChangePolicy.UPSERT_ONLY.admits(DELETE, WWW, WWW)).as("addresses giving way to a CNAME").isTrue();
  }

  @Test
  void createOnlyWritesOnlyGroupsTheTargetDoesNotHold() {
    assertThat(ChangePolicy.CREATE_ONLY.admits(CREATE, NONE, WWW)).isTrue();
    assertThat(ChangePolicy.CREATE_ONLY.admits(CREATE, WWW, WWW)).as("a CNAME beside held addresses").isFalse();
    assertThat(ChangePolicy.CREATE_ONLY.admits(UPDATE, WWW, WWW)).isFalse();
    assertThat(ChangePolicy.CREATE_ONLY.admits(DELETE, WWW, WWW)).isFalse();
    assertThat(ChangePolicy.CREATE_ONLY.admits(DELETE, WWW, NONE)).isFalse();
  }

  @Test
  void policiesAreSpelledAsInTheConfig() {
    assertThat(ChangePolicy.ids()).isEqualTo("sync, upsert-only, create-only");
    assertThat(ChangePolicy.ofId("upsert-only")).isEqualTo(ChangePolicy.UPSERT_ONLY);
    assertThat(ChangePolicy.ofId("UPSERT_ONLY")).isNull();
  }
}
