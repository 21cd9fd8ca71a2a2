package io.tributary.writer;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.tributary.dns.DnsRecordSet;
import io.tributary.settings.BackoffSettings;
import io.tributary.settings.WriterSettings;
import io.tributary.target.Change;
import io.tributary.target.ChangeSet;
import io.tributary.target.Op;
import io.tributary.target.Target;
import io.tributary.time.VirtualTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * An in-memory target taken down by {@link TargetOutages}: batches are still accepted, nothing is
 * written while it is down, the reconciling writer's backoff paces the attempts, and everything
 * lands once it is up — in virtual time, so the attempts are exact.
 */
class InMemoryOutageTest {
  private static final Instant T0 = Instant.parse("2026-11-22T00:00:00Z");
  private static final VirtualTime TIME = new VirtualTime(T0);
  private static final ActorSystem<Void> SYSTEM =
      ActorSystem.create(Behaviors.empty(), "in-memory-outage-test", TIME.bootstrap(ConfigFactory.load()));
  private static final AtomicLong NAMES = new AtomicLong();
  private static final WriterSettings SETTINGS =
      new WriterSettings(64, Duration.ofSeconds(30), Duration.ofMillis(50), 100_000,
          Duration.ofMillis(200), Duration.ofSeconds(3), 0.0, Duration.ofSeconds(5), Duration.ofSeconds(60),
          Duration.ofMinutes(5), new BackoffSettings(Duration.ofMillis(200), Duration.ofSeconds(30), 0.2));

  static {
    TIME.attach(SYSTEM.classicSystem().scheduler());
  }

  @AfterAll
  static void stop() {
    SYSTEM.terminate();
    TIME.settle();
    TIME.shutdown();
  }

  private static DnsRecordSet rec(String name, String ip) {
    return new DnsRecordSet(name, "A", 60, List.of(ip), "o", List.of());
  }

  private final TestProbe<WriterProtocol.Ack> acks = TestProbe.create(SYSTEM);

  private ActorRef<WriterProtocol.Command> spawn(TargetOutages outages, RecordingObserver observer) {
    var writer = SYSTEM.systemActorOf(InMemoryTargetWriter.create(Target.DNS, TIME.clock(), observer, outages, SETTINGS,
        WritePolicy.RECORDS_PER_CLUSTER), "writer-" + NAMES.incrementAndGet(), Props.empty());
    TIME.settle();
    return writer;
  }

  private void apply(ActorRef<WriterProtocol.Command> writer, long seq, boolean complete, Change... changes) {
    writer.tell(new WriterProtocol.Apply(new ChangeSet(Target.DNS, List.of(changes), complete), "s", seq, acks.getRef()));
    TIME.settle();
    assertThat(acks.receiveMessage().changes()).isEqualTo(changes.length); // accepted, down or not
  }

  private List<String> state(ActorRef<WriterProtocol.Command> writer) {
    TestProbe<WriterProtocol.State> probe = TestProbe.create(SYSTEM);
    writer.tell(new WriterProtocol.GetState(probe.getRef()));
    TIME.settle();
    return probe.receiveMessage().records().values().stream().map(r -> ((DnsRecordSet) r).name() + " " + r).toList();
  }

  @Test
  void aTargetDownAcceptsWritesNothingRetriesWithBackoffAndWritesTheLatestStateOnceUp() {
    var outages = new TargetOutages();
    var observer = new RecordingObserver();
    var writer = spawn(outages, observer);
    var a = rec("a.example.com", "192.0.2.1");
    var b = rec("b.example.com", "192.0.2.2");
    apply(writer, 0, true, new Change(Op.CREATE, a.key(), a, null), new Change(Op.CREATE, b.key(), b, null));
    assertThat(observer.written).hasSize(2); // up: written at once, as without outages

    outages.down(Target.DNS);
    var a2 = rec("a.example.com", "192.0.2.11");
    var a3 = rec("a.example.com", "192.0.2.12");
    var c = rec("c.example.com", "192.0.2.3");
    apply(writer, 1, false, new Change(Op.UPDATE, a.key(), a2, a), new Change(Op.CREATE, c.key(), c, null));
    apply(writer, 2, false, new Change(Op.UPDATE, a.key(), a3, a2), new Change(Op.DELETE, b.key(), null, b));
    TIME.advanceBy(Duration.ofSeconds(30));
    assertThat(observer.written).hasSize(2);
    // at 0, 0.2, 0.6, 1.4 and 3 s (backoff 200 ms doubling), then every 3 s up to 30 s: 14, not a busy loop
    assertThat(observer.outageFailures.get()).isEqualTo(14);
    assertThat(observer.failureReasons.get(0)).contains("in-memory dns is down");

    outages.up(Target.DNS);
    TIME.advanceBy(Duration.ofSeconds(3).plusMillis(50));
    // the latest state of each record, once: a's two updates are one
    assertThat(observer.written.subList(2, observer.written.size())).extracting(ch -> ch.op() + " " + ch.key())
        .containsExactlyInAnyOrder("UPDATE a.example.com/A", "CREATE c.example.com/A", "DELETE b.example.com/A");
    assertThat(observer.recovered.get()).isEqualTo(1);
    assertThat(state(writer)).containsExactly("a.example.com " + a3, "c.example.com " + c);

    // it stays with the reconciling writer: a later change is written after its linger
    var d = rec("d.example.com", "192.0.2.4");
    apply(writer, 3, false, new Change(Op.CREATE, d.key(), d, null));
    TIME.advanceBy(Duration.ofMillis(50));
    assertThat(state(writer)).hasSize(3);
  }

  @Test
  void aTargetDownWhileNothingIsWrittenIsNeverNoticed() {
    var outages = new TargetOutages();
    var observer = new RecordingObserver();
    var writer = spawn(outages, observer);
    outages.down(Target.DNS);
    TIME.advanceBy(Duration.ofSeconds(10));
    outages.up(Target.DNS);
    var a = rec("a.example.com", "192.0.2.1");
    apply(writer, 0, false, new Change(Op.CREATE, a.key(), a, null));
    assertThat(observer.written).hasSize(1); // written at once: no hand-over, no linger
    assertThat(observer.outageFailures.get()).isZero();
  }
}
