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
import io.tributary.target.TargetRecord;
import io.tributary.time.VirtualTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A reconciling writer tells its observer each change it needed not write, the target already
 * holding it: what the lag metric needs to forget a change nobody will acknowledge.
 */
class AlreadyHeldTest {
  private static final VirtualTime TIME = new VirtualTime(Instant.parse("2026-12-01T00:00:00Z"));
  private static final ActorSystem<Void> SYSTEM =
      ActorSystem.create(Behaviors.empty(), "already-held-test", TIME.bootstrap(ConfigFactory.load()));
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

  @Test
  void aChangeTheTargetAlreadyHoldsIsReportedNotWritten() {
    var client = new FakeTargetClient(64);
    DnsRecordSet held = rec("a.example.com", "192.0.2.1");
    client.owned.put(held.key(), held); // a restart: the zone holds what the stream is about to want
    Map<String, TargetRecord> alreadyHeld = new ConcurrentHashMap<>();
    List<String> written = new CopyOnWriteArrayList<>();
    WriteObserver observer = new WriteObserver() {
      @Override
      public void written(Instant at, Target target, Change change) {
        written.add(change.key());
      }

      @Override
      public void alreadyHeld(Target target, String key, TargetRecord value) {
        alreadyHeld.put(key, value);
      }
    };
    var writer = SYSTEM.systemActorOf(
        ReconcilingWriter.create(Target.DNS, WritePolicy.RECORDS_PER_CLUSTER, client, SETTINGS, observer, TIME.clock()),
        "writer", Props.empty());
    TIME.settle();

    DnsRecordSet fresh = rec("b.example.com", "192.0.2.2");
    TestProbe<WriterProtocol.Ack> acks = TestProbe.create(SYSTEM);
    writer.tell(new WriterProtocol.Apply(new ChangeSet(Target.DNS, List.of(
        new Change(Op.CREATE, held.key(), held, null), new Change(Op.CREATE, fresh.key(), fresh, null))), "s", 1, acks.getRef()));
    TIME.settle();
    acks.expectMessageClass(WriterProtocol.Ack.class);
    TIME.advanceBy(Duration.ofSeconds(1));

    assertThat(written).containsExactly(fresh.key());
    assertThat(alreadyHeld).containsExactly(Map.entry(held.key(), held));
  }
}
