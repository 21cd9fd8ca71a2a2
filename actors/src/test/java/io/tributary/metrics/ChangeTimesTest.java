package io.tributary.metrics;

import io.tributary.testkit.ManualClock;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.dns.DnsRecordSet;
import io.tributary.target.Change;
import io.tributary.target.ChangeSet;
import io.tributary.target.Op;
import io.tributary.target.Target;
import io.tributary.watch.EventType;
import io.tributary.watch.ObjectKey;
import io.tributary.watch.WatchEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When a change counts from, through coalescing in the pipeline and in a writer, on a clock the test moves. */
class ChangeTimesTest {
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private static final ObjectKey WEB = new ObjectKey("eu-1", "Ingress", "shop", "web");

  /** A clock that moves only when told. */
  private final ManualClock clock = new ManualClock(T0);
  private final ChangeTimes times = new ChangeTimes(clock);

  private static WatchEvent event(String resourceVersion) {
    return new WatchEvent(WEB, EventType.MODIFIED, resourceVersion, null);
  }

  private static DnsRecordSet a(String address) {
    return new DnsRecordSet("www.example.com", "A", 60, List.of(address), "o", List.of());
  }

  private static ChangeSet set(DnsRecordSet value) {
    return new ChangeSet(Target.DNS, List.of(new Change(Op.UPDATE, value.key(), value, null)));
  }

  private static Change write(DnsRecordSet value) {
    return new Change(Op.UPDATE, value.key(), value, null);
  }

  /** {@code event} through buffer, debounce ({@code debounceMillis}) and planning into {@code value}. */
  private Duration through(WatchEvent event, long debounceMillis, DnsRecordSet value) {
    times.taken(event);
    clock.advance(debounceMillis);
    Duration spent = times.debounced(event);
    times.planning(event);
    times.planned(set(value));
    return spent;
  }

  @Test
  void aWrittenChangeCountsFromItsReceipt() {
    times.offered(event("1"));
    clock.advance(40); // waited in the buffer
    assertThat(through(event("1"), 250, a("192.0.2.1"))).isEqualTo(Duration.ofMillis(250));
    clock.advance(10);

    assertThat(times.written(Target.DNS, write(a("192.0.2.1")))).isEqualTo(Duration.ofMillis(300));
    assertThat(times.written(Target.DNS, write(a("192.0.2.1")))).as("written again: nothing new in it").isNull();
  }

  @Test
  void eventsCoalescedInBufferAndDebounceCountFromTheFirst() {
    times.offered(event("1"));
    clock.advance(20);
    times.offered(event("2")); // replaces 1 in the buffer
    times.taken(event("2"));
    clock.advance(100);
    times.offered(event("3"));
    times.taken(event("3")); // joins 2 in debounce
    clock.advance(250);
    assertThat(times.debounced(event("3"))).as("from the first state debounce held").isEqualTo(Duration.ofMillis(350));
    times.planning(event("3"));
    times.planned(set(a("192.0.2.3")));

    assertThat(times.written(Target.DNS, write(a("192.0.2.3")))).isEqualTo(Duration.ofMillis(370));
  }

  @Test
  void changesCoalescedInTheWriterGiveOneSampleFromTheFirstUnwritten() {
    times.offered(event("1"));
    through(event("1"), 250, a("192.0.2.1")); // the target is down: not written
    clock.advance(1_000);
    times.offered(event("2"));
    through(event("2"), 250, a("192.0.2.2"));
    clock.advance(1_000);

    // the writer merged both and writes the latest state once
    assertThat(times.written(Target.DNS, write(a("192.0.2.2")))).isEqualTo(Duration.ofMillis(2_500));
    assertThat(times.written(Target.DNS, write(a("192.0.2.2")))).isNull();
  }

  @Test
  void aWriteOfAnEarlierStateLeavesTheLaterChangeWaiting() {
    times.offered(event("1"));
    through(event("1"), 250, a("192.0.2.1"));
    clock.advance(50);
    times.offered(event("2")); // planned while the first write is out
    through(event("2"), 250, a("192.0.2.2"));
    clock.advance(100);

    assertThat(times.written(Target.DNS, write(a("192.0.2.1")))).isEqualTo(Duration.ofMillis(650));
    clock.advance(100);
    assertThat(times.written(Target.DNS, write(a("192.0.2.2")))).as("from its own receipt").isEqualTo(Duration.ofMillis(450));
  }

  @Test
  void aChangeTheTargetAlreadyHoldsOrRefusesIsNoSampleAndNotCountedLater() {
    times.offered(event("1"));
    through(event("1"), 250, a("192.0.2.1"));
    times.alreadyHeld(Target.DNS, a("192.0.2.1").key(), a("192.0.2.1")); // a restart over an unchanged zone
    clock.advance(60_000);
    times.offered(event("2"));
    through(event("2"), 250, a("192.0.2.2"));
    assertThat(times.written(Target.DNS, write(a("192.0.2.2")))).as("not from the minute-old change").isEqualTo(Duration.ofMillis(250));

    times.offered(event("3"));
    through(event("3"), 250, a("192.0.2.3"));
    times.refused(Target.DNS, a("192.0.2.3").key());
    clock.advance(60_000);
    times.offered(event("4"));
    through(event("4"), 250, a("192.0.2.4"));
    assertThat(times.written(Target.DNS, write(a("192.0.2.4")))).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void aWriteNothingPlannedIsNoSample() {
    // an anti-entropy repair, a stale record deleted once the desired state is complete
    assertThat(times.written(Target.DNS, write(a("192.0.2.9")))).isNull();
  }

  @Test
  void aMarkerCountsFromItsOwnReceiptAndPassesDebounceUnmeasured() {
    WatchEvent synced = WatchEvent.synced("eu-1", "Ingress");
    times.offered(synced);
    clock.advance(5);
    times.taken(synced);
    clock.advance(5);
    times.planning(synced); // held deletes released by the marker go out with it
    DnsRecordSet gone = a("192.0.2.1");
    times.planned(new ChangeSet(Target.DNS, List.of(new Change(Op.DELETE, gone.key(), null, gone))));
    clock.advance(20);

    assertThat(times.written(Target.DNS, new Change(Op.DELETE, gone.key(), null, gone))).isEqualTo(Duration.ofMillis(30));
  }
}
