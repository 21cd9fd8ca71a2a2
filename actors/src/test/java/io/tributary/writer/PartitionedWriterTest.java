package io.tributary.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.target.Change;
import io.tributary.target.ChangeSet;
import io.tributary.target.Op;
import io.tributary.target.Target;
import io.tributary.dns.DnsRecordSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The writer in front of per-partition writers: splitting, acknowledging, the completion marker. */
class PartitionedWriterTest {
  private static final ActorTestKit KIT = ActorTestKit.create();

  /** Partition writers are probes: the test sees their parts and acknowledges them itself. */
  private final Map<String, TestProbe<WriterProtocol.Command>> partitions = new ConcurrentHashMap<>();
  private final Map<String, WriteObserver> observers = new ConcurrentHashMap<>();
  private final TestProbe<WriterProtocol.Ack> acks = KIT.createTestProbe();
  private final Map<Target, Integer> pending = new ConcurrentHashMap<>();
  private final RecordingObserver told = new RecordingObserver();

  @AfterAll
  static void stopKit() {
    KIT.shutdownTestKit();
  }

  private ActorRef<WriterProtocol.Command> writer(List<String> eager) {
    WriteObserver observer = new WriteObserver() {
      @Override
      public void written(Instant at, Target target, Change change) {}

      @Override
      public void pending(Target target, int changes) {
        pending.put(target, changes);
      }

      @Override
      public void failed(Target target, boolean configuration, String reason) {
        told.failed(target, configuration, reason);
      }

      @Override
      public void recovered(Target target) {
        told.recovered(target);
      }

      @Override
      public void reconciled(Target target) {
        told.reconciled(target);
      }
    };
    return KIT.spawn(PartitionedWriter.create(
        Target.DNS,
        c -> c.key().startsWith("x.") ? null : c.key().substring(c.key().indexOf('.') + 1, c.key().indexOf('/')),
        (partition, partitionObserver) -> partition.equals("nowhere") ? null : probeBehavior(partition, partitionObserver),
        eager,
        observer,
        Duration.ofSeconds(30),
        new io.tributary.settings.BackoffSettings(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2)));
  }

  private Behavior<WriterProtocol.Command> probeBehavior(String partition, WriteObserver observer) {
    TestProbe<WriterProtocol.Command> probe = partitions.computeIfAbsent(partition, p -> KIT.createTestProbe());
    observers.put(partition, observer);
    return Behaviors.receiveMessage(m -> {
      probe.getRef().tell(m);
      return Behaviors.same();
    });
  }

  private static Change create(String name) {
    var r = new DnsRecordSet(name, "A", 60, List.of("192.0.2.1"), "o", List.of());
    return new Change(Op.CREATE, r.key(), r, null);
  }

  private void apply(ActorRef<WriterProtocol.Command> w, long seq, ChangeSet batch) {
    w.tell(new WriterProtocol.Apply(batch, "s", seq, acks.getRef()));
  }

  /** The next part a partition's writer got (its writer is spawned by the actor, asynchronously). */
  private WriterProtocol.Apply part(String partition) {
    await().atMost(Duration.ofSeconds(3)).until(() -> partitions.containsKey(partition));
    return partitions.get(partition).expectMessageClass(WriterProtocol.Apply.class);
  }

  @Test
  void aBatchIsSplitByPartitionAndAcknowledgedWhenEveryPartHasBeen() {
    var w = writer(List.of("a.test", "b.test"));
    apply(w, 1, new ChangeSet(Target.DNS, List.of(create("1.a.test"), create("2.b.test"), create("3.a.test"))));
    var a = part("a.test");
    var b = part("b.test");
    assertThat(a.batch().changes()).extracting(Change::key).containsExactly("1.a.test/A", "3.a.test/A");
    assertThat(b.batch().changes()).extracting(Change::key).containsExactly("2.b.test/A");
    a.replyTo().tell(new WriterProtocol.Ack(Target.DNS, 2));
    acks.expectNoMessage(Duration.ofMillis(100));
    b.replyTo().tell(new WriterProtocol.Ack(Target.DNS, 1));
    assertThat(acks.receiveMessage().changes()).isEqualTo(3);
  }

  @Test
  void theCompletionMarkerReachesEveryPartitionAlsoOnesStartedLater() {
    var w = writer(List.of("a.test"));
    apply(w, 1, ChangeSet.complete(Target.DNS));
    var marker = part("a.test");
    assertThat(marker.batch().complete()).isTrue();
    marker.replyTo().tell(new WriterProtocol.Ack(Target.DNS, 0));
    acks.expectMessageClass(WriterProtocol.Ack.class);

    apply(w, 2, new ChangeSet(Target.DNS, List.of(create("1.c.test"))));
    var late = part("c.test");
    assertThat(late.batch().complete()).isTrue(); // told first, unasked
    var change = part("c.test");
    assertThat(change.batch().changes()).hasSize(1);
    assertThat(change.sequence()).isGreaterThan(late.sequence());
    change.replyTo().tell(new WriterProtocol.Ack(Target.DNS, 1));
    acks.expectMessageClass(WriterProtocol.Ack.class);
  }

  @Test
  void changesNoPartitionTakesAreDroppedAndTheBatchIsStillAcknowledged() {
    var w = writer(List.of());
    apply(w, 1, new ChangeSet(Target.DNS, List.of(create("x.outside"), create("1.nowhere"))));
    assertThat(acks.receiveMessage().changes()).isEqualTo(2);
  }

  @Test
  void aRepeatedBatchWhileItsPartsAreOutIsAnsweredOnceTheyAreIn() {
    var w = writer(List.of("a.test"));
    apply(w, 1, new ChangeSet(Target.DNS, List.of(create("1.a.test"))));
    var a = part("a.test");
    apply(w, 1, new ChangeSet(Target.DNS, List.of(create("1.a.test")))); // the stream's ask timed out
    partitions.get("a.test").expectNoMessage(Duration.ofMillis(100));
    a.replyTo().tell(new WriterProtocol.Ack(Target.DNS, 1));
    acks.expectMessageClass(WriterProtocol.Ack.class);
    acks.expectMessageClass(WriterProtocol.Ack.class);
    apply(w, 1, new ChangeSet(Target.DNS, List.of(create("1.a.test")))); // and once more, after
    acks.expectMessageClass(WriterProtocol.Ack.class);
  }

  @Test
  void pendingIsReportedSummedOverPartitions() {
    writer(List.of("a.test", "b.test"));
    await().atMost(Duration.ofSeconds(3)).until(() -> observers.size() == 2);
    var a = observers.get("a.test");
    var b = observers.get("b.test");
    a.pending(Target.DNS, 5);
    b.pending(Target.DNS, 7);
    a.pending(Target.DNS, 1);
    assertThat(pending.get(Target.DNS)).isEqualTo(8);
  }

  @Test
  void theTargetRecoversWithItsLastFailingPartitionAndReconcilesWithTheLastPartition() {
    writer(List.of("a.test", "b.test"));
    await().atMost(Duration.ofSeconds(3)).until(() -> observers.size() == 2);
    var a = observers.get("a.test");
    var b = observers.get("b.test");
    a.failed(Target.DNS, false, "a.test: server 192.0.2.53:53 timed out");
    b.failed(Target.DNS, true, "b.test: NOTAUTH(BADKEY)");
    assertThat(told.failureReasons).containsExactly("a.test: server 192.0.2.53:53 timed out", "b.test: NOTAUTH(BADKEY)");
    a.recovered(Target.DNS);
    assertThat(told.recovered).as("b.test is still failing").hasValue(0);
    b.recovered(Target.DNS);
    assertThat(told.recovered).hasValue(1);

    a.reconciled(Target.DNS);
    assertThat(told.reconciled).hasValue(0);
    b.reconciled(Target.DNS);
    b.reconciled(Target.DNS);
    assertThat(told.reconciled).as("once, when the last partition has").hasValue(1);
  }

  @Test
  void withNoPartitionToWriteTheCompleteMarkerReconcilesTheTarget() {
    var w = writer(List.of());
    apply(w, 1, ChangeSet.complete(Target.DNS));
    acks.expectMessageClass(WriterProtocol.Ack.class);
    assertThat(told.reconciled).hasValue(1);
  }
}
