package io.tributary.writer;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.target.Change;
import io.tributary.target.ChangeSet;
import io.tributary.target.Op;
import io.tributary.target.Target;
import io.tributary.dns.DnsRecordSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The writer contract: apply in order, ack, report state; the stream waits for each ack. */
class WriterProtocolTest {
  private static final ActorTestKit KIT = ActorTestKit.create();
  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  private static DnsRecordSet a(String name, String ip) {
    return new DnsRecordSet(name, "A", 60, List.of(ip), "o", List.of());
  }

  private static ChangeSet batch(Change... changes) {
    return new ChangeSet(Target.DNS, List.of(changes));
  }

  @Test
  void appliesChangesInOrderAcksAndReportsItsState() {
    List<String> observed = Collections.synchronizedList(new ArrayList<>());
    ActorRef<WriterProtocol.Command> writer =
        KIT.spawn(InMemoryTargetWriter.create(Target.DNS, Clock.fixed(NOW, ZoneOffset.UTC),
            (at, target, c) -> observed.add(at + " " + target.id() + " " + c.op().id() + " " + c.key())));
    TestProbe<WriterProtocol.Ack> acks = KIT.createTestProbe();

    var www = a("www.example.com", "192.0.2.1");
    var www2 = a("www.example.com", "192.0.2.2");
    writer.tell(new WriterProtocol.Apply(batch(
        new Change(Op.CREATE, www.key(), www, null),
        new Change(Op.CREATE, "api.example.com/A", a("api.example.com", "192.0.2.3"), null)), "s", 0, acks.getRef()));
    assertThat(acks.receiveMessage()).isEqualTo(new WriterProtocol.Ack(Target.DNS, 2));
    writer.tell(new WriterProtocol.Apply(batch(
        new Change(Op.UPDATE, www.key(), www2, www),
        new Change(Op.DELETE, "api.example.com/A", null, a("api.example.com", "192.0.2.3"))), "s", 1, acks.getRef()));
    assertThat(acks.receiveMessage().changes()).isEqualTo(2);
    // a re-sent batch (its ack was late) is acknowledged again but not applied twice
    writer.tell(new WriterProtocol.Apply(batch(new Change(Op.CREATE, www.key(), www, null)), "s", 1, acks.getRef()));
    assertThat(acks.receiveMessage().changes()).isEqualTo(1);

    TestProbe<WriterProtocol.State> state = KIT.createTestProbe();
    writer.tell(new WriterProtocol.GetState(state.getRef()));
    assertThat(state.receiveMessage().records()).containsExactly(Map.entry(www.key(), www2));
    assertThat(observed).containsExactly(
        NOW + " dns create www.example.com/A",
        NOW + " dns create api.example.com/A",
        NOW + " dns update www.example.com/A",
        NOW + " dns delete api.example.com/A");
  }

  /** A writer that acks only when told to, to show the stream waiting. */
  private static Behavior<WriterProtocol.Command> gated(TestProbe<WriterProtocol.Apply> received) {
    return Behaviors.receive(WriterProtocol.Command.class)
        .onMessage(WriterProtocol.Apply.class, apply -> {
          received.getRef().tell(apply);
          return Behaviors.same();
        })
        .build();
  }

  @Test
  void aWriterThatAcksTooLateIsAskedAgainAndTheStreamLosesNothing() throws Exception {
    TestProbe<WriterProtocol.Apply> received = KIT.createTestProbe();
    var writer = KIT.spawn(gated(received));
    var www = a("www.example.com", "192.0.2.1");
    var done =
        Source.single(batch(new Change(Op.CREATE, "n1", www, null)))
            .via(WriterFlow.ask(Map.of(Target.DNS, writer), Duration.ofMillis(100), KIT.system().scheduler(), KIT.system().executionContext()))
            .runWith(Sink.seq(), KIT.system());
    var first = received.receiveMessage();
    var again = received.receiveMessage(); // no ack within 100 ms: the same batch again
    assertThat(again.sequence()).isEqualTo(first.sequence());
    assertThat(again.stream()).isEqualTo(first.stream());
    again.replyTo().tell(new WriterProtocol.Ack(Target.DNS, 1));
    assertThat(done.toCompletableFuture().get(5, TimeUnit.SECONDS)).hasSize(1);
  }

  @Test
  void theStreamHandsAWriterTheNextBatchOnlyAfterTheAck() throws Exception {
    TestProbe<WriterProtocol.Apply> received = KIT.createTestProbe();
    var writer = KIT.spawn(gated(received));
    var www = a("www.example.com", "192.0.2.1");
    var done =
        Source.range(1, 3)
            .map(i -> batch(new Change(Op.CREATE, "n" + i, www, null)))
            .via(WriterFlow.ask(Map.of(Target.DNS, writer), Duration.ofSeconds(30), KIT.system().scheduler(), KIT.system().executionContext()))
            .runWith(Sink.seq(), KIT.system());

    var first = received.receiveMessage();
    received.expectNoMessage(Duration.ofMillis(200)); // batch 2 waits for batch 1's ack
    first.replyTo().tell(new WriterProtocol.Ack(Target.DNS, 1));
    var second = received.receiveMessage();
    second.replyTo().tell(new WriterProtocol.Ack(Target.DNS, 1));
    received.receiveMessage().replyTo().tell(new WriterProtocol.Ack(Target.DNS, 1));
    assertThat(done.toCompletableFuture().get(5, TimeUnit.SECONDS)).hasSize(3);
    assertThat(second.batch().changes().get(0).key()).isEqualTo("n2");
  }
}
