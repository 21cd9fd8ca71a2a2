package io.tributary.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.dns.DnsRecordSet;
import io.tributary.target.ChangeSet;
import io.tributary.target.Op;
import io.tributary.target.Target;
import io.tributary.target.TargetRecord;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The record ledger: desired vs told per unit, batches, held deletes, key collisions. */
class RecordLedgerTest {
  private final RecordLedger ledger = new RecordLedger();

  private static DnsRecordSet rs(String name, String type, String value) {
    return new DnsRecordSet(name, type, 60, List.of(value), "o", List.of());
  }

  private List<ChangeSet> plan(String unit, boolean open, TargetRecord... records) {
    Map<Target, Set<String>> touched = new EnumMap<>(Target.class);
    ledger.replace(new UnitPlanner.UnitPlan(unit, Target.DNS, List.of(records), List.of()), touched);
    return ledger.diff(touched, open, 64);
  }

  private static List<String> ops(List<ChangeSet> sets) {
    return sets.stream().flatMap(s -> s.changes().stream()).map(c -> c.op().id() + ":" + c.key()).toList();
  }

  @Test
  void aUnitsRecordsAreDiffedAgainstWhatTheWritersWereTold() {
    assertThat(ops(plan("dns:a", true, rs("a.example.com", "A", "192.0.2.1")))).containsExactly("create:a.example.com/A");
    assertThat(ops(plan("dns:a", true, rs("a.example.com", "A", "192.0.2.1")))).isEmpty();
    assertThat(ops(plan("dns:a", true, rs("a.example.com", "A", "192.0.2.2")))).containsExactly("update:a.example.com/A");
    assertThat(ops(plan("dns:a", true))).containsExactly("delete:a.example.com/A");
    assertThat(ledger.told(Target.DNS)).isEmpty();
  }

  @Test
  void deletesWaitForTheBarrierUnlessTheirGroupKeepsARecord() {
    plan("dns:a", false, rs("a.example.com", "CNAME", "lb.example.net"));
    plan("dns:b", false, rs("b.example.com", "A", "192.0.2.1"));
    // a CNAME giving way to addresses is a replacement: it flows
    assertThat(ops(plan("dns:a", false, rs("a.example.com", "A", "192.0.2.9"))))
        .containsExactly("delete:a.example.com/CNAME", "create:a.example.com/A");
    // a name that goes away waits
    assertThat(ops(plan("dns:b", false))).isEmpty();
    assertThat(ledger.held()).isEqualTo(1);
    var released = ledger.releaseHeld();
    assertThat(ledger.held()).isZero();
    assertThat(ops(ledger.diff(released, true, 64))).containsExactly("delete:b.example.com/A");
  }

  @Test
  void aKeyAnotherUnitProducesStaysWithItAndIsNoted() {
    plan("dns:first", true, rs("x.example.com", "A", "192.0.2.1"));
    Map<Target, Set<String>> touched = new EnumMap<>(Target.class);
    List<String> notes = ledger.replace(
        new UnitPlanner.UnitPlan("dns:second", Target.DNS, List.of(rs("x.example.com", "A", "192.0.2.2")), List.of("n")), touched);
    assertThat(notes).containsExactly("n", "record x.example.com/A is already produced by dns:first; left to it");
    assertThat(ledger.diff(touched, true, 64)).isEmpty();
    assertThat(((DnsRecordSet) ledger.told(Target.DNS).get("x.example.com/A")).values()).containsExactly("192.0.2.1");
  }

  @Test
  void changesComeInBatchesOfTheWritersSize() {
    Map<Target, Set<String>> touched = new EnumMap<>(Target.class);
    for (int i = 0; i < 5; i++) {
      ledger.replace(new UnitPlanner.UnitPlan("dns:h" + i, Target.DNS, List.of(rs("h" + i + ".example.com", "A", "192.0.2.1")),
          List.of()), touched);
    }
    var sets = ledger.diff(touched, true, 2);
    assertThat(sets).extracting(ChangeSet::size).containsExactly(2, 2, 1);
    assertThat(sets.get(0).changes()).allMatch(c -> c.op() == Op.CREATE);
  }
}
