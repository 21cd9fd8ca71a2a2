package io.tributary.writer;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.tributary.target.Change;
import io.tributary.target.ChangePolicy;
import io.tributary.target.ChangeSet;
import io.tributary.target.Op;
import io.tributary.target.Target;
import io.tributary.target.TargetRecord;
import io.tributary.dns.DnsRecordSet;
import io.tributary.settings.WriterSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import io.tributary.time.VirtualTime;
import java.time.Instant;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The reconciling writer against a fake target, in the simulator's virtual time: every timer
 * (linger, backoff, anti-entropy) fires at its due instant and the system settles after each, so
 * attempt counts are exact.
 */
class ReconcilingWriterTest {
  private static final VirtualTime TIME = new VirtualTime(Instant.parse("2026-11-22T00:00:00Z"));
  private static final ActorSystem<Void> SYSTEM =
      ActorSystem.create(Behaviors.empty(), "reconciling-writer-test", TIME.bootstrap(ConfigFactory.load()));
  private static final AtomicLong NAMES = new AtomicLong();

  static {
    TIME.attach(SYSTEM.classicSystem().scheduler());
  }
  private static final WriterSettings SETTINGS =
      new WriterSettings(64, Duration.ofSeconds(30), Duration.ofMillis(50), 100_000,
          Duration.ofMillis(200), Duration.ofSeconds(3), 0.0, Duration.ofSeconds(5), Duration.ofSeconds(60),
          Duration.ofMinutes(5), new io.tributary.settings.BackoffSettings(Duration.ofMillis(200), Duration.ofSeconds(30), 0.2));
  private static final AtomicLong SEQ = new AtomicLong();

  @AfterAll
  static void stop() {
    SYSTEM.terminate();
    TIME.settle();
    TIME.shutdown();
  }

  private static DnsRecordSet rec(int i, String... ips) {
    return new DnsRecordSet("h" + i + ".example.com", "A", 60, List.of(ips), "o", List.of());
  }

  private static Change create(TargetRecord r) {
    return new Change(Op.CREATE, r.key(), r, null);
  }

  private static Change delete(TargetRecord r) {
    return new Change(Op.DELETE, r.key(), null, r);
  }

  private final TestProbe<WriterProtocol.Ack> acks = TestProbe.create(SYSTEM);

  private ActorRef<WriterProtocol.Command> start(FakeTargetClient client) {
    return start(client, SETTINGS);
  }

  private ActorRef<WriterProtocol.Command> start(FakeTargetClient client, WriterSettings settings) {
    var writer = spawn(client, settings);
    assertThat(client.reads).isEqualTo(1); // the first read happens at once
    return writer;
  }

  private static ActorRef<WriterProtocol.Command> spawn(FakeTargetClient client, WriterSettings settings) {
    return spawn(client, settings, false);
  }

  private static ActorRef<WriterProtocol.Command> spawn(FakeTargetClient client, WriterSettings settings, boolean holdUpdates) {
    return spawn(client, settings, holdUpdates, WriteObserver.NONE);
  }

  private static ActorRef<WriterProtocol.Command> spawn(
      FakeTargetClient client, WriterSettings settings, boolean holdUpdates, WriteObserver observer) {
    var writer = SYSTEM.systemActorOf(
        ReconcilingWriter.create(Target.DNS,
            holdUpdates ? WritePolicy.RECORDS_MERGE_CLUSTERS : WritePolicy.RECORDS_PER_CLUSTER,
            client, settings, observer, TIME.clock()),
        "writer-" + NAMES.incrementAndGet(), Props.empty());
    TIME.settle();
    return writer;
  }

  /** A DNS writer taking only what {@code policy} lets through, reporting to {@code observer}; its first read done. */
  private static ActorRef<WriterProtocol.Command> spawn(FakeTargetClient client, ChangePolicy policy, WriteObserver observer) {
    var writer = SYSTEM.systemActorOf(
        ReconcilingWriter.create(Target.DNS, WritePolicy.RECORDS_PER_CLUSTER, policy, client, SETTINGS, observer, TIME.clock()),
        "writer-" + NAMES.incrementAndGet(), Props.empty());
    TIME.settle();
    return writer;
  }

  /** What a writer reported besides its writes: withheld differences, dry-run changes, its pending count. */
  private static final class Reports implements WriteObserver {
    final List<String> withheld = new ArrayList<>();
    final List<String> dryRun = new ArrayList<>();
    int pending = -1;

    @Override
    public void written(Instant at, Target target, Change change) {}

    @Override
    public void withheld(Target target, Change change, ChangePolicy policy) {
      withheld.add(policy.id() + " " + change.op().id() + " " + change.key());
    }

    @Override
    public void dryRun(Instant at, Target target, Change change) {
      dryRun.add(change.op().id() + " " + change.key());
    }

    @Override
    public void pending(Target target, int changes) {
      pending = changes;
    }
  }

  private void send(ActorRef<WriterProtocol.Command> writer, List<Change> changes) {
    for (int i = 0; i < changes.size(); i += 64) {
      writer.tell(new WriterProtocol.Apply(
          new ChangeSet(Target.DNS, changes.subList(i, Math.min(changes.size(), i + 64))), "s", SEQ.incrementAndGet(), acks.getRef()));
      TIME.settle();
      acks.expectMessageClass(WriterProtocol.Ack.class);
    }
  }

  private void complete(ActorRef<WriterProtocol.Command> writer) {
    writer.tell(new WriterProtocol.Apply(ChangeSet.complete(Target.DNS), "s", SEQ.incrementAndGet(), acks.getRef()));
    TIME.settle();
    acks.expectMessageClass(WriterProtocol.Ack.class);
  }

  private static Map<String, TargetRecord> stateOf(List<? extends TargetRecord> records) {
    Map<String, TargetRecord> m = new TreeMap<>();
    records.forEach(r -> m.put(r.key(), r));
    return m;
  }

  @Test
  void aBurstOfChangesIsWrittenInFullBatches() {
    var client = new FakeTargetClient(64);
    var writer = start(client);
    List<DnsRecordSet> records = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      records.add(rec(i, "192.0.2.1"));
    }
    send(writer, records.stream().map(ReconcilingWriterTest::create).toList());
    TIME.advanceBy(Duration.ofMillis(60)); // the last, partial batch waits for the linger
    assertThat(client.changesWritten()).isEqualTo(1000);
    assertThat(client.writeCalls()).isEqualTo((1000 + 63) / 64);
    assertThat(client.ownedCopy()).isEqualTo(stateOf(records));
  }

  @Test
  void aLoneChangeGoesOutAfterTheLingerAndIdleMeansNoWrites() {
    var client = new FakeTargetClient(64);
    var writer = start(client);
    send(writer, List.of(create(rec(1, "192.0.2.1"))));
    assertThat(client.writeCalls()).isZero();
    TIME.advanceBy(Duration.ofMillis(50));
    assertThat(client.writeCalls()).isEqualTo(1);
    TIME.advanceBy(Duration.ofMinutes(4)); // idle: nothing to write, no anti-entropy read yet
    assertThat(client.writeCalls()).isEqualTo(1);
    assertThat(client.reads).isEqualTo(1);
  }

  @Test
  void aRestartOverUnchangedStateWritesNothingAndDeletesStaleOnlyAfterTheStreamIsComplete() {
    var client = new FakeTargetClient(64);
    var kept = rec(1, "192.0.2.1");
    var changed = rec(2, "192.0.2.1");
    var stale = rec(3, "192.0.2.1");
    client.owned.putAll(stateOf(List.of(kept, changed, stale)));
    var writer = start(client);

    var changedNow = rec(2, "192.0.2.9");
    send(writer, List.of(create(kept), create(changedNow)));
    TIME.advanceBy(Duration.ofMillis(50));
    assertThat(client.writeCalls()).isEqualTo(1);
    assertThat(client.writes.get(0)).extracting(Change::key).containsExactly(changed.key());
    assertThat(client.owned).containsKey(stale.key()); // not yet known to be stale

    complete(writer);
    TIME.advanceBy(Duration.ofMillis(50));
    assertThat(client.writeCalls()).isEqualTo(2);
    assertThat(client.writes.get(1)).containsExactly(delete(stale));
    assertThat(client.ownedCopy()).isEqualTo(stateOf(List.of(kept, changedNow)));
  }

  @Test
  void recordsThatMergeClustersAreUpdatedOnlyOnceTheDesiredStateIsComplete() {
    var client = new FakeTargetClient(64);
    var both = rec(1, "192.0.2.1", "192.0.2.2"); // served by two clusters before the restart
    client.owned.putAll(stateOf(List.of(both)));
    var writer = spawn(client, SETTINGS, true);

    // the first cluster lists: its view alone would shrink the record set; a new name is created at once
    var fresh = rec(2, "192.0.2.1");
    send(writer, List.of(create(rec(1, "192.0.2.1")), create(fresh)));
    TIME.advanceBy(Duration.ofMillis(50));
    assertThat(client.writes).hasSize(1);
    assertThat(client.writes.get(0)).extracting(Change::key).containsExactly(fresh.key());
    // the second cluster lists: back to what the target holds, so nothing to write even once complete
    send(writer, List.of(new Change(Op.UPDATE, both.key(), both, rec(1, "192.0.2.1"))));
    complete(writer);
    TIME.advanceBy(Duration.ofMillis(50));
    assertThat(client.writes).hasSize(1);

    // after that, updates flow as usual
    var moved = rec(1, "192.0.2.3");
    send(writer, List.of(new Change(Op.UPDATE, both.key(), moved, both)));
    TIME.advanceBy(Duration.ofMillis(50));
    assertThat(client.ownedCopy()).isEqualTo(stateOf(List.of(moved, fresh)));
  }

  @Test
  void aNameTheTargetHoldsIsNotChangedToAnotherTypeBeforeTheDesiredStateIsComplete() {
    var client = new FakeTargetClient(64);
    var a = rec(1, "192.0.2.1"); // the addresses cluster won before the restart
    client.owned.putAll(stateOf(List.of(a)));
    var writer = spawn(client, SETTINGS, true);

    // the hostname cluster lists first: a CNAME at a name the zone holds waits, as an update would
    var cname = new DnsRecordSet("h1.example.com", "CNAME", 60, List.of("lb.example.net"), "o", List.of());
    send(writer, List.of(create(cname)));
    TIME.advanceBy(Duration.ofMillis(50));
    assertThat(client.writes).isEmpty();
    // the addresses cluster lists, the pipeline withdraws the CNAME: nothing was ever wrong
    send(writer, List.of(create(a)));
    send(writer, List.of(delete(cname)));
    complete(writer);
    TIME.advanceBy(Duration.ofMillis(50));
    assertThat(client.writes).isEmpty();
    assertThat(client.ownedCopy()).isEqualTo(stateOf(List.of(a)));
  }

  @Test
  void aChangeOfTypeIsWrittenInOneBatchEvenWhenTheBatchIsFull() {
    var client = new FakeTargetClient(2);
    var writer = start(client, SETTINGS);
    complete(writer);
    var cname = new DnsRecordSet("h0.example.com", "CNAME", 60, List.of("lb.example.net"), "o", List.of());
    send(writer, List.of(create(cname)));
    TIME.advanceBy(Duration.ofMillis(50));
    client.writes.clear();

    var v4 = rec(0, "192.0.2.1");
    var others = List.of(create(rec(1, "192.0.2.1")), create(rec(2, "192.0.2.2")));
    var all = new ArrayList<Change>(others);
    all.add(delete(cname));
    all.add(create(v4));
    send(writer, all);
    TIME.advanceBy(Duration.ofMillis(50));
    assertThat(client.writes).anySatisfy(batch -> assertThat(batch).containsExactly(delete(cname), create(v4)));
    assertThat(client.ownedCopy()).containsOnlyKeys(v4.key(), rec(1).key(), rec(2).key());
  }

  @Test
  void anOutageDelaysWritesCoalescesThemAndConvergesSoonAfterRecovery() {
    var client = new FakeTargetClient(64);
    var writer = start(client);
    client.failWith(() -> new TargetUnavailableException("fake target answered 500"));
    // 2 000 changes to 500 records while the target is down: only the last state of each matters
    List<DnsRecordSet> last = new ArrayList<>();
    for (int round = 0; round < 4; round++) {
      List<Change> changes = new ArrayList<>();
      last.clear();
      for (int i = 0; i < 500; i++) {
        var r = rec(i, "192.0.2." + (round + 1));
        last.add(r);
        changes.add(round == 0 ? create(r) : new Change(Op.UPDATE, r.key(), r, rec(i, "192.0.2." + round)));
      }
      send(writer, changes); // every batch is accepted at once: the stream keeps flowing
      TIME.advanceBy(Duration.ofSeconds(15));
    }
    int attemptsDuringOutage = client.failedCalls;
    // 60 s of outage with backoff capped at 3 s: about 20 attempts, not a storm
    assertThat(attemptsDuringOutage).isBetween(10, 30);
    client.heal();
    TIME.advanceBy(Duration.ofSeconds(4)); // the next attempt is at most max-backoff away
    assertThat(client.changesWritten()).isEqualTo(500);
    assertThat(client.writeCalls()).isEqualTo((500 + 63) / 64);
    assertThat(client.ownedCopy()).isEqualTo(stateOf(last));
  }

  @Test
  void reconciledIsToldOnceTheCompleteDesiredStateIsWrittenAndAnOutageWithItsReasonAndItsEnd() {
    var client = new FakeTargetClient(64);
    client.owned.put(rec(9, "x").key(), rec(9, "192.0.2.9")); // stale: deleted once complete
    client.foreign.put(rec(2, "x").key(), "someone else"); // refused: never holds reconciliation back
    var observer = new RecordingObserver();
    var writer = spawn(client, SETTINGS, false, observer);
    send(writer, List.of(create(rec(1, "192.0.2.1")), create(rec(2, "192.0.2.1"))));
    TIME.advanceBy(Duration.ofMillis(50));
    assertThat(client.ownedCopy()).containsOnlyKeys(rec(1, "x").key(), rec(9, "x").key());
    assertThat(observer.reconciled).as("everything told is written, but the desired state is not complete").hasValue(0);
    complete(writer);
    assertThat(observer.reconciled).as("the stale record is still to go").hasValue(0);
    TIME.advanceBy(Duration.ofMillis(50));
    assertThat(client.ownedCopy()).containsOnlyKeys(rec(1, "x").key());
    assertThat(observer.reconciled).hasValue(1);

    client.failWith(() -> new TargetUnavailableException("fake target answered 500"));
    send(writer, List.of(create(rec(3, "192.0.2.3"))));
    TIME.advanceBy(Duration.ofSeconds(2));
    assertThat(observer.failureReasons).isNotEmpty().allSatisfy(r -> assertThat(r).contains("fake target answered 500"));
    assertThat(observer.recovered).hasValue(0);
    client.heal();
    TIME.advanceBy(Duration.ofSeconds(4));
    assertThat(client.ownedCopy()).containsKey(rec(3, "x").key());
    assertThat(observer.recovered).hasValue(1);
    assertThat(observer.reconciled).as("told once per writer").hasValue(1);
  }

  @Test
  void aConfigurationErrorIsRetriedSlowlyAndAFixAppliesWhatIsPending() {
    var client = new FakeTargetClient(64);
    var writer = start(client);
    client.failWith(() -> new TargetConfigurationException("fake target refused the token (403)"));
    send(writer, List.of(create(rec(1, "192.0.2.1"))));
    for (int s = 0; s < 300; s += 5) {
      TIME.advanceBy(Duration.ofSeconds(5));
    }
    // five minutes of refusals: 5 s, 10 s, 20 s, 40 s, then every 60 s
    assertThat(client.failedCalls).isBetween(5, 9);
    client.heal();
    TIME.advanceBy(Duration.ofSeconds(61));
    assertThat(client.changesWritten()).isEqualTo(1);
    assertThat(client.ownedCopy()).containsKey(rec(1, "x").key());
  }

  @Test
  void aForeignRecordIsReportedAndNeverWrittenWhileTheRestIs() {
    var client = new FakeTargetClient(64);
    client.foreign.put(rec(2, "x").key(), "someone else");
    var writer = start(client);
    send(writer, List.of(create(rec(1, "192.0.2.1")), create(rec(2, "192.0.2.1")), create(rec(3, "192.0.2.1"))));
    TIME.advanceBy(Duration.ofMillis(50));
    assertThat(client.writeCalls()).isEqualTo(1);
    assertThat(client.ownedCopy().keySet()).containsExactly(rec(1, "x").key(), rec(3, "x").key());
    TIME.advanceBy(Duration.ofMinutes(1));
    assertThat(client.writeCalls()).isEqualTo(1); // the conflict is not retried in a loop
  }

  @Test
  void antiEntropyRepairsARecordChangedBehindItsBack() {
    var client = new FakeTargetClient(64);
    var writer = start(client);
    var r1 = rec(1, "192.0.2.1");
    var r2 = rec(2, "192.0.2.1");
    send(writer, List.of(create(r1), create(r2)));
    TIME.advanceBy(Duration.ofMillis(50));
    assertThat(client.writeCalls()).isEqualTo(1);
    synchronized (client) {
      client.owned.remove(r1.key()); // deleted by hand
      client.owned.put(r2.key(), rec(2, "198.51.100.7")); // edited by hand
    }
    TIME.advanceBy(Duration.ofMinutes(5));
    assertThat(client.reads).isEqualTo(2);
    TIME.advanceBy(Duration.ofMillis(50));
    assertThat(client.writeCalls()).isEqualTo(2);
    assertThat(client.ownedCopy()).isEqualTo(stateOf(List.of(r1, r2)));
  }

  @Test
  void upsertOnlyNeverDeletesAStaleRecordThroughAntiEntropyAndReportsItOnce() {
    var client = new FakeTargetClient(64);
    var kept = rec(1, "192.0.2.1");
    var stale = rec(2, "192.0.2.1"); // a route deleted while the service was down
    client.owned.putAll(stateOf(List.of(kept, stale)));
    var reports = new Reports();
    var writer = spawn(client, ChangePolicy.UPSERT_ONLY, reports);
    send(writer, List.of(create(kept)));
    complete(writer);
    TIME.advanceBy(Duration.ofMillis(50));
    assertThat(reports.withheld).containsExactly("upsert-only delete " + stale.key());
    assertThat(reports.pending).as("a withheld difference is not pending").isZero();

    TIME.advanceBy(Duration.ofMinutes(5)); // an anti-entropy pass
    TIME.advanceBy(Duration.ofMillis(50));
    assertThat(client.reads).isEqualTo(2);
    assertThat(client.writeCalls()).isZero();
    assertThat(client.ownedCopy()).isEqualTo(stateOf(List.of(kept, stale)));
    assertThat(reports.withheld).hasSize(1);

    // a record deleted behind its back is created again: upsert-only still creates
    synchronized (client) {
      client.owned.remove(kept.key());
    }
    TIME.advanceBy(Duration.ofMinutes(5));
    TIME.advanceBy(Duration.ofMillis(50));
    assertThat(client.writes).containsExactly(List.of(create(kept)));
  }

  @Test
  void upsertOnlyRewritesANameWhoseTypeChangedWhileDownInOneBatch() {
    var client = new FakeTargetClient(64);
    var addresses = rec(1, "192.0.2.1");
    client.owned.putAll(stateOf(List.of(addresses)));
    var reports = new Reports();
    var writer = spawn(client, ChangePolicy.UPSERT_ONLY, reports);
    var cname = new DnsRecordSet("h1.example.com", "CNAME", 60, List.of("lb.example.net"), "o", List.of());
    send(writer, List.of(create(cname)));
    complete(writer);
    TIME.advanceBy(Duration.ofMillis(50));
    assertThat(client.writes).containsExactly(List.of(delete(addresses), create(cname)));
    assertThat(reports.withheld).isEmpty();
  }

  @Test
  void createOnlyNeitherChangesBackNorDeletesButCreatesWhatIsMissing() {
    var client = new FakeTargetClient(64);
    var held = rec(1, "192.0.2.1");
    var stale = rec(2, "192.0.2.1");
    client.owned.putAll(stateOf(List.of(held, stale)));
    var reports = new Reports();
    var writer = spawn(client, ChangePolicy.CREATE_ONLY, reports);
    var wanted = rec(1, "192.0.2.9"); // the zone holds the name already: an update, withheld
    var fresh = rec(3, "192.0.2.3");
    send(writer, List.of(create(wanted), create(fresh)));
    complete(writer);
    TIME.advanceBy(Duration.ofMillis(50));
    assertThat(client.writes).containsExactly(List.of(create(fresh)));
    assertThat(reports.withheld).containsExactlyInAnyOrder("create-only update " + held.key(), "create-only delete " + stale.key());
    assertThat(reports.pending).isZero();

    synchronized (client) {
      client.owned.put(fresh.key(), rec(3, "198.51.100.7")); // edited by hand: left so
      client.owned.remove(held.key()); // deleted by hand: created again, as wanted now
    }
    TIME.advanceBy(Duration.ofMinutes(5));
    TIME.advanceBy(Duration.ofMillis(50));
    assertThat(client.writes).hasSize(2);
    assertThat(client.writes.get(1)).containsExactly(create(wanted));
    assertThat(reports.withheld).hasSize(3).last().isEqualTo("create-only update " + fresh.key());
  }

  @Test
  void aDryRunReadsTheTargetWritesNothingAndReportsEachChangeOnce() {
    var client = new FakeTargetClient(64);
    var kept = rec(1, "192.0.2.1");
    var stale = rec(2, "192.0.2.1");
    client.owned.putAll(stateOf(List.of(kept, stale)));
    var reports = new Reports();
    var writer = SYSTEM.systemActorOf(
        ReconcilingWriter.create(Target.DNS, WritePolicy.RECORDS_PER_CLUSTER, ChangePolicy.SYNC, new DryRunClient(client),
            SETTINGS, WriteObserver.inDryRun(reports), TIME.clock()),
        "writer-" + NAMES.incrementAndGet(), Props.empty());
    TIME.settle();
    var moved = rec(1, "192.0.2.9");
    var fresh = rec(3, "192.0.2.3");
    send(writer, List.of(create(moved), create(fresh)));
    complete(writer);
    TIME.advanceBy(Duration.ofMillis(50));
    assertThat(reports.dryRun).containsExactlyInAnyOrder("update " + kept.key(), "create " + fresh.key(), "delete " + stale.key());
    assertThat(reports.pending).isZero();

    TIME.advanceBy(Duration.ofMinutes(5)); // the target is read again; the dry run's own changes are not found again
    TIME.advanceBy(Duration.ofMillis(50));
    assertThat(client.reads).isEqualTo(2);
    assertThat(reports.dryRun).hasSize(3);
    assertThat(client.writeCalls()).isZero();
    assertThat(client.ownedCopy()).isEqualTo(stateOf(List.of(kept, stale)));
  }

  @Test
  void aRepeatedBatchIsAckedAndNotAppliedTwice() {
    var client = new FakeTargetClient(64);
    var writer = start(client);
    var apply = new WriterProtocol.Apply(new ChangeSet(Target.DNS, List.of(create(rec(1, "192.0.2.1")))), "s", SEQ.incrementAndGet(), acks.getRef());
    writer.tell(apply);
    writer.tell(apply);
    TIME.settle();
    acks.expectMessageClass(WriterProtocol.Ack.class);
    acks.expectMessageClass(WriterProtocol.Ack.class);
    TIME.advanceBy(Duration.ofMillis(50));
    assertThat(client.writeCalls()).isEqualTo(1);
    TIME.advanceBy(Duration.ofSeconds(1));
    assertThat(client.changesWritten()).isEqualTo(1);
  }

  @Test
  void pendingBeyondTheLimitHoldsTheAckUntilWritten() {
    var client = new FakeTargetClient(64);
    var settings = new WriterSettings(64, Duration.ofSeconds(30), Duration.ofMillis(50), 64,
        Duration.ofMillis(200), Duration.ofSeconds(3), 0.0, Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofMinutes(5),
        new io.tributary.settings.BackoffSettings(Duration.ofMillis(200), Duration.ofSeconds(30), 0.2));
    client.failWith(() -> new TargetUnavailableException("down"));
    var writer = spawn(client, settings);
    List<Change> first = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      first.add(create(rec(i, "192.0.2.1")));
    }
    writer.tell(new WriterProtocol.Apply(new ChangeSet(Target.DNS, first), "s", SEQ.incrementAndGet(), acks.getRef()));
    TIME.advanceBy(Duration.ofSeconds(10));
    acks.expectNoMessage(Duration.ZERO);
    client.heal();
    TIME.advanceBy(Duration.ofSeconds(4));
    acks.expectMessageClass(WriterProtocol.Ack.class, Duration.ZERO);
    assertThat(client.changesWritten()).isEqualTo(64);
  }
}
