package io.tributary.target;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pure diff: minimal, ordered, nothing for no-ops. */
class DiffTest {
  record Rec(String key, String data) implements TargetRecord {
    @Override
    public Target target() {
      return Target.CONSUL;
    }
  }

  private static final Map<String, Rec> KNOWN =
      Map.of("a", new Rec("a", "1"), "b", new Rec("b", "1"), "c", new Rec("c", "1"));
  private static final Map<String, Rec> DESIRED =
      Map.of("a", new Rec("a", "1"), "b", new Rec("b", "2"), "d", new Rec("d", "1"), "e", new Rec("e", "1"));

  private static List<String> ops(List<Change> changes) {
    return changes.stream().map(c -> c.op().id() + ":" + c.key()).toList();
  }

  @Test
  void makeBeforeBreakCreatesThenUpdatesThenDeletesEachSortedByKey() {
    var changes = Diff.full(KNOWN, DESIRED, Diff.Order.MAKE_BEFORE_BREAK);
    assertThat(ops(changes)).containsExactly("create:d", "create:e", "update:b", "delete:c");
  }

  @Test
  void breakBeforeMakeDeletesFirst() {
    var changes = Diff.full(KNOWN, DESIRED, Diff.Order.BREAK_BEFORE_MAKE);
    assertThat(ops(changes)).containsExactly("delete:c", "create:d", "create:e", "update:b");
  }

  @Test
  void equalRecordsYieldNothing() {
    assertThat(Diff.full(KNOWN, KNOWN, Diff.Order.MAKE_BEFORE_BREAK)).isEmpty();
    assertThat(Diff.full(Map.of(), Map.of(), Diff.Order.BREAK_BEFORE_MAKE)).isEmpty();
  }

  @Test
  void onlyTheGivenKeysAreCompared() {
    assertThat(ops(Diff.between(Set.of("b", "zzz"), KNOWN, DESIRED, Diff.Order.MAKE_BEFORE_BREAK)))
        .containsExactly("update:b");
  }

  @Test
  void changesCarryTheNewValueAndTheExpectedPreviousOne() {
    var changes = Diff.full(KNOWN, DESIRED, Diff.Order.MAKE_BEFORE_BREAK);
    Change update = changes.get(2);
    assertThat(update.value()).isEqualTo(new Rec("b", "2"));
    assertThat(update.previous()).isEqualTo(new Rec("b", "1"));
    Change delete = changes.get(3);
    assertThat(delete.value()).isNull();
    assertThat(delete.previous()).isEqualTo(new Rec("c", "1"));
    assertThat(changes.get(0).previous()).isNull();
  }

  @Test
  void dnsIsWrittenBreakBeforeMakeAndTheOthersMakeBeforeBreak() {
    assertThat(Diff.orderFor(Target.DNS)).isEqualTo(Diff.Order.BREAK_BEFORE_MAKE);
    assertThat(Diff.orderFor(Target.CONSUL)).isEqualTo(Diff.Order.MAKE_BEFORE_BREAK);
    assertThat(Diff.orderFor(Target.TRAEFIK)).isEqualTo(Diff.Order.MAKE_BEFORE_BREAK);
  }

  private static io.tributary.dns.DnsRecordSet rs(String name, String type) {
    return new io.tributary.dns.DnsRecordSet(name, type, 60, List.of("x"), "o", List.of());
  }

  @Test
  void batchesNeverSplitAGroupAndKeepTheChangesOrder() {
    // a DNS name's CNAME leaves and its A set comes: one group, whatever the batch size
    var changes = new java.util.ArrayList<Change>();
    changes.add(new Change(Op.DELETE, "b.example.com/CNAME", null, rs("b.example.com", "CNAME")));
    changes.add(new Change(Op.CREATE, "a.example.com/A", rs("a.example.com", "A"), null));
    changes.add(new Change(Op.CREATE, "b.example.com/A", rs("b.example.com", "A"), null));
    changes.add(new Change(Op.CREATE, "b.example.com/AAAA", rs("b.example.com", "AAAA"), null));
    changes.add(new Change(Op.CREATE, "c.example.com/A", rs("c.example.com", "A"), null));
    assertThat(Diff.batches(changes, 3)).extracting(DiffTest::ops).containsExactly(
        List.of("delete:b.example.com/CNAME", "create:b.example.com/A", "create:b.example.com/AAAA"),
        List.of("create:a.example.com/A", "create:c.example.com/A"));
    // only a group larger than a batch is cut, into batches of its own
    assertThat(Diff.batches(changes, 2)).extracting(DiffTest::ops).containsExactly(
        List.of("delete:b.example.com/CNAME", "create:b.example.com/A"), List.of("create:b.example.com/AAAA"),
        List.of("create:a.example.com/A", "create:c.example.com/A"));
    assertThat(Diff.batches(changes, 4)).extracting(DiffTest::ops).containsExactly(
        List.of("delete:b.example.com/CNAME", "create:a.example.com/A", "create:b.example.com/A", "create:b.example.com/AAAA"),
        List.of("create:c.example.com/A"));
    assertThat(Diff.batches(changes, 5)).containsExactly(changes);
    assertThat(Diff.batches(List.of(), 5)).isEmpty();
  }

  @Test
  void recordsOfTheirOwnGroupAreCutInOrder() {
    var changes = Diff.full(Map.of(), DESIRED, Diff.Order.MAKE_BEFORE_BREAK);
    assertThat(Diff.batches(changes, 2)).extracting(DiffTest::ops).containsExactly(
        List.of("create:a", "create:b"), List.of("create:d", "create:e"));
  }
}
