package io.tributary.plan;

import static io.tributary.plan.PlanFixtures.key;
import static io.tributary.plan.PlanFixtures.route;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.dns.DnsRecordSet;
import io.tributary.settings.TributarySettings;
import io.tributary.target.Change;
import io.tributary.target.ChangePolicy;
import io.tributary.target.ChangeSet;
import io.tributary.target.Target;
import io.tributary.translate.Route;
import io.tributary.translate.TranslatedEvent;
import io.tributary.translate.Translation;
import io.tributary.translate.Translator;
import io.tributary.watch.EventType;
import io.tributary.watch.ObjectKey;
import io.tributary.watch.WatchEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Item 14.4: each target's change policy applied in the plan. An upsert-only target never receives
 * the removal of a record group, a create-only one only groups it does not hold; what is withheld
 * stays told (the target keeps it) and is reported, and the sync barrier still holds the deletes
 * that a policy lets through.
 */
class ChangePolicyPlanTest {
  private static final String CONSUL_EU1 = "tributary-eu-1/shop-example-com-eu-1-192-0-2-11-8080";

  private final List<String> withheld = new ArrayList<>();

  /** eu-1 is reached at addresses, eu-2 at a load balancer's hostname (its DNS is a CNAME). */
  private static TributarySettings settings(String policies) {
    return PlanFixtures.settings("""
        tributary {
          %s
          clusters {
            eu-1.endpoints { addresses = ["192.0.2.11"], port = 8080 }
            eu-2.endpoints { addresses = ["lb.eu-2.example.net"], port = 8080 }
          }
        }
        """.formatted(policies));
  }

  private RoutingState state(String policies) {
    return new RoutingState(settings(policies), new PipelineListener() {
      @Override
      public void withheld(Target target, ChangePolicy policy, List<Change> changes) {
        changes.forEach(c -> withheld.add(target.id() + " " + policy.id() + " " + c.op().id() + " " + c.key()));
      }
    });
  }

  private static TranslatedEvent accepted(ObjectKey key, Route... routes) {
    return new TranslatedEvent(new WatchEvent(key, EventType.MODIFIED, "1", null), new Translation.Accepted(List.of(routes), List.of()));
  }

  private static TranslatedEvent deleted(ObjectKey key) {
    return new TranslatedEvent(new WatchEvent(key, EventType.DELETED, "2", null), null);
  }

  private static List<String> ops(List<ChangeSet> sets) {
    List<String> out = new ArrayList<>();
    sets.forEach(s -> s.changes().forEach(c -> out.add(s.target().id() + " " + c.op().id() + " " + c.key())));
    return out;
  }

  private static List<ChangeSet> syncAll(RoutingState state) {
    List<ChangeSet> out = new ArrayList<>();
    for (String cluster : List.of("eu-1", "eu-2")) {
      for (String kind : Translator.KINDS) {
        out.addAll(state.apply(new TranslatedEvent(WatchEvent.synced(cluster, kind), null)));
      }
    }
    return out;
  }

  @Test
  void upsertOnlyKeepsADeletedRoutesRecordsAndReportsTheWithheldDeletes() {
    var state = state("consul.policy = upsert-only, dns.policy = upsert-only");
    syncAll(state);
    var a = key("eu-1", "a");
    assertThat(ops(state.apply(accepted(a, route(a, "shop.example.com", "/")))))
        .containsExactly("consul create " + CONSUL_EU1, "dns create shop.example.com/A");

    assertThat(state.apply(deleted(a))).isEmpty();
    assertThat(withheld).containsExactly(
        "consul upsert-only delete " + CONSUL_EU1, "dns upsert-only delete shop.example.com/A");
    // told stays what the target holds: the route coming back as it was writes nothing
    assertThat(state.told(Target.CONSUL)).containsOnlyKeys(CONSUL_EU1);
    assertThat(state.told(Target.DNS)).containsOnlyKeys("shop.example.com/A");
    assertThat(state.withheldChanges()).isEqualTo(2);
    assertThat(state.apply(accepted(a, route(a, "shop.example.com", "/")))).isEmpty();
    assertThat(state.withheldChanges()).isZero();
  }

  @Test
  void upsertOnlyStillUpdates() {
    var state = state("dns.policy = upsert-only");
    syncAll(state);
    var a = key("eu-1", "a");
    var b = key("eu-1", "b");
    state.apply(accepted(a, route(a, "shop.example.com", "/")));
    state.apply(accepted(b, route(b, "shop.example.com", "/cart")));
    // one of two routes of the host goes: its Consul instance (sync) goes, the name's record set is
    // updated (its ownership record names one object less)
    assertThat(ops(state.apply(deleted(b)))).containsExactly(
        "consul delete tributary-eu-1/shop-example-com-cart-eu-1-192-0-2-11-8080", "dns update shop.example.com/A");
    assertThat(withheld).isEmpty();
  }

  @Test
  void createOnlyWritesNewGroupsAndIgnoresUpdatesAndDeletes() {
    var state = state("consul.policy = create-only, dns.policy = create-only");
    syncAll(state);
    var a1 = key("eu-1", "a");
    var a2 = key("eu-2", "a");
    state.apply(accepted(a1, route(a1, "shop.example.com", "/")));
    var before = (DnsRecordSet) state.told(Target.DNS).get("shop.example.com/A");

    // a second cluster: its Consul instance is a new group and is written; the name's A set (eu-1's
    // addresses win over eu-2's CNAME) would name both objects — an update, withheld
    assertThat(ops(state.apply(accepted(a2, route(a2, "shop.example.com", "/")))))
        .containsExactly("consul create tributary-eu-2/shop-example-com-eu-2-lb-eu-2-example-net-8080");
    assertThat(withheld).containsExactly("dns create-only update shop.example.com/A");
    assertThat(state.told(Target.DNS).get("shop.example.com/A")).isEqualTo(before);

    // the group's entry points change: both instances would be updated, and are not (the name's
    // update still stands, and is not reported again)
    withheld.clear();
    var moved = route(a1, "shop.example.com", "/").withOwnOptions(List.of("websecure"), false, List.of("shop.example.com"), null, null, null);
    assertThat(state.apply(accepted(a1, moved))).isEmpty();
    assertThat(withheld).containsExactly(
        "consul create-only update " + CONSUL_EU1,
        "consul create-only update tributary-eu-2/shop-example-com-eu-2-lb-eu-2-example-net-8080");
    assertThat(state.withheldChanges()).isEqualTo(3);

    // eu-1 leaves: its instance stays, and the name keeps its addresses (becoming eu-2's CNAME would
    // rewrite a name the zone holds)
    withheld.clear();
    assertThat(state.apply(deleted(a1))).isEmpty();
    assertThat(withheld).containsExactly(
        "consul create-only delete " + CONSUL_EU1,
        "dns create-only delete shop.example.com/A",
        "dns create-only create shop.example.com/CNAME");
    assertThat(state.told(Target.DNS)).containsOnlyKeys("shop.example.com/A");
    assertThat(state.told(Target.DNS).get("shop.example.com/A")).isEqualTo(before);
    assertThat(state.told(Target.CONSUL)).hasSize(2);

    // eu-1 comes back as it was: what the targets hold is wanted again, but for the name's sources
    assertThat(state.apply(accepted(a1, route(a1, "shop.example.com", "/")))).isEmpty();
    assertThat(state.withheldChanges()).isEqualTo(1);
  }

  @Test
  void aReloadToSyncWritesTheUpdateCreateOnlyWithheldThoughTheDesiredRecordDidNotChange() {
    var state = state("dns.policy = create-only");
    syncAll(state);
    var a1 = key("eu-1", "a");
    var a2 = key("eu-2", "a");
    state.apply(accepted(a1, route(a1, "shop.example.com", "/")));
    state.apply(accepted(a2, route(a2, "shop.example.com", "/")));
    assertThat(withheld).containsExactly("dns create-only update shop.example.com/A");

    // the desired A set is the one withheld before: only diffing every key again after the reload
    // hands the update over
    assertThat(ops(state.reconfigure(settings(""), java.util.Set.of()))).containsExactly("dns update shop.example.com/A");
    assertThat(state.withheldChanges()).isZero();
  }

  @Test
  void upsertOnlyRewritesANameWhoseTypeChangesAndNeverLeavesBothTypes() {
    var state = state("dns.policy = upsert-only");
    syncAll(state);
    var a1 = key("eu-1", "a");
    var a2 = key("eu-2", "a");
    state.apply(accepted(a1, route(a1, "shop.example.com", "/")));
    state.apply(accepted(a2, route(a2, "shop.example.com", "/")));
    // eu-1 leaves: the name becomes eu-2's CNAME. The A set's delete is part of that rewrite and goes with it
    var sets = state.apply(deleted(a1));
    assertThat(ops(sets)).containsExactly(
        "consul delete " + CONSUL_EU1, "dns delete shop.example.com/A", "dns create shop.example.com/CNAME");
    assertThat(sets.stream().filter(s -> s.target() == Target.DNS)).hasSize(1); // one batch, one UPDATE
    assertThat(withheld).isEmpty();

    // eu-2 leaves too: the name's last record set stays
    assertThat(ops(state.apply(deleted(a2)))).containsExactly(
        "consul delete tributary-eu-2/shop-example-com-eu-2-lb-eu-2-example-net-8080");
    assertThat(withheld).containsExactly("dns upsert-only delete shop.example.com/CNAME");

    // eu-1 serves it again: its addresses replace the CNAME kept so far, in one rewrite of the name
    assertThat(ops(state.apply(accepted(a1, route(a1, "shop.example.com", "/"))))).containsExactly(
        "consul create " + CONSUL_EU1, "dns delete shop.example.com/CNAME", "dns create shop.example.com/A");
    assertThat(state.told(Target.DNS)).containsOnlyKeys("shop.example.com/A");
  }

  @Test
  void aDeleteAPolicyWithholdsIsNotHeldByTheBarrierWhileOtherTargetsDeletesAre() {
    var state = state("consul.policy = upsert-only");
    var a = key("eu-1", "a");
    state.apply(accepted(a, route(a, "shop.example.com", "/")));
    assertThat(state.apply(deleted(a))).isEmpty();
    assertThat(withheld).containsExactly("consul upsert-only delete " + CONSUL_EU1);
    assertThat(state.heldDeletes()).as("DNS's delete waits for the barrier; Consul's never comes").isEqualTo(1);

    assertThat(ops(syncAll(state))).containsExactly("dns delete shop.example.com/A");
    assertThat(state.heldDeletes()).isZero();
    assertThat(state.told(Target.CONSUL)).containsOnlyKeys(CONSUL_EU1);
    assertThat(state.told(Target.DNS)).isEmpty();
  }

  @Test
  void eachDnsZoneHasItsOwnPolicyAndZonesWithoutOneTakeDnss() {
    var state = state("""
        dns.policy = upsert-only
        dns.zones = [{ name = example.com }, { name = example.org, policy = sync }]
        """);
    syncAll(state);
    var a = key("eu-1", "a");
    state.apply(accepted(a, route(a, "shop.example.com", "/"), route(a, "shop.example.org", "/")));
    assertThat(ops(state.apply(deleted(a)))).contains("dns delete shop.example.org/A").doesNotContain("dns delete shop.example.com/A");
    assertThat(withheld).containsExactly("dns upsert-only delete shop.example.com/A");
  }

  @Test
  void withTheDefaultPolicyEveryChangeFlowsAndNothingIsWithheld() {
    var state = state("");
    syncAll(state);
    var a = key("eu-1", "a");
    state.apply(accepted(a, route(a, "shop.example.com", "/")));
    assertThat(ops(state.apply(deleted(a)))).containsExactly("consul delete " + CONSUL_EU1, "dns delete shop.example.com/A");
    assertThat(withheld).isEmpty();
  }
}
