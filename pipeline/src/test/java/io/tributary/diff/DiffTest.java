package io.tributary.diff;

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
}
