package io.tributary.traefik;

import static org.awaitility.Awaitility.await;

import io.tributary.settings.BackoffSettings;
import io.tributary.settings.SecretSource;
import io.tributary.settings.TraefikSettings;
import io.tributary.settings.WriterSettings;
import io.tributary.target.Change;
import io.tributary.target.ChangeSet;
import io.tributary.target.Op;
import io.tributary.target.Target;
import io.tributary.target.TargetRecord;
import io.tributary.writer.ReconcilingWriter;
import io.tributary.writer.RecordingObserver;
import io.tributary.writer.TargetClient;
import io.tributary.writer.WritePolicy;
import io.tributary.writer.WriterProtocol;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * What the tests of the etcd sink against a real etcd share: reconciling writers over
 * {@link EtcdKvClient} in one actor test kit per test class, and Traefik entries to write.
 */
abstract class EtcdWriterTestSupport {
  static final String OWNER = "tributary";
  /** Outages retried from 200 ms to 2 s, refusals every 1 to 2 s: the tests see several attempts in seconds. */
  static final WriterSettings WRITER = new WriterSettings(100, Duration.ofSeconds(30), Duration.ofMillis(50), 100_000,
      Duration.ofMillis(200), Duration.ofSeconds(2), 0.2, Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofMinutes(5),
      new BackoffSettings(Duration.ofMillis(200), Duration.ofSeconds(30), 0.2));
  private static final AtomicLong SEQ = new AtomicLong();
  static ActorTestKit KIT;

  final TestProbe<WriterProtocol.Ack> acks = KIT.createTestProbe();
  final RecordingObserver observer = new RecordingObserver();
  private final List<ActorRef<WriterProtocol.Command>> writers = new ArrayList<>();
  private final List<TargetClient> clients = new ArrayList<>();

  @BeforeAll
  static void startKit() {
    KIT = ActorTestKit.create();
  }

  @AfterAll
  static void stopKit() {
    KIT.shutdownTestKit();
  }

  @AfterEach
  void stopWriters() {
    writers.forEach(KIT::stop);
    clients.forEach(TargetClient::close);
  }

  /** The client, counting its write calls (one per batch) and the size of each. */
  static final class Counting implements TargetClient {
    final TargetClient inner;
    final List<Integer> batches = new CopyOnWriteArrayList<>();

    Counting(TargetClient inner) {
      this.inner = inner;
    }

    @Override
    public CompletionStage<Map<String, TargetRecord>> readOwned() {
      return inner.readOwned();
    }

    @Override
    public CompletionStage<WriteOutcome> write(List<Change> changes) {
      return inner.write(changes).thenApply(o -> {
        batches.add(changes.size());
        return o;
      });
    }

    @Override
    public int maxBatch() {
      return inner.maxBatch();
    }

    @Override
    public String describe() {
      return inner.describe();
    }

    @Override
    public void close() {
      inner.close();
    }
  }

  /** The etcd sink under {@code root}, with requests timing out after 2 s. */
  static TraefikSettings settings(String root, String endpoint, String username, SecretSource password, String caFile,
      String certFile, String keyFile) {
    return new TraefikSettings(TraefikSettings.Sink.ETCD, root, new TraefikSettings.FileSink(""),
        new TraefikSettings.EtcdSink(List.of(endpoint), username, password, caFile, certFile, keyFile, Duration.ofSeconds(2)));
  }

  /** A client closed after the test. */
  Counting client(TraefikSettings settings) {
    var c = new Counting(EtcdKvClient.create(settings, OWNER));
    clients.add(c);
    return c;
  }

  ActorRef<WriterProtocol.Command> writer(TargetClient client) {
    var w = KIT.spawn(ReconcilingWriter.create(Target.TRAEFIK, WritePolicy.RECORDS_PER_CLUSTER, client, WRITER, observer,
        Clock.systemUTC()));
    writers.add(w);
    return w;
  }

  void stop(ActorRef<WriterProtocol.Command> w) {
    var probe = KIT.createTestProbe();
    KIT.stop(w);
    probe.expectTerminated(w, Duration.ofSeconds(10));
    writers.remove(w);
  }

  void send(ActorRef<WriterProtocol.Command> writer, List<Change> changes) {
    for (int i = 0; i < changes.size(); i += 50) {
      writer.tell(new WriterProtocol.Apply(new ChangeSet(Target.TRAEFIK, changes.subList(i, Math.min(changes.size(), i + 50))),
          "s", SEQ.incrementAndGet(), acks.getRef()));
      acks.expectMessageClass(WriterProtocol.Ack.class, Duration.ofSeconds(10));
    }
  }

  void complete(ActorRef<WriterProtocol.Command> writer) {
    writer.tell(new WriterProtocol.Apply(ChangeSet.complete(Target.TRAEFIK), "s", SEQ.incrementAndGet(), acks.getRef()));
    acks.expectMessageClass(WriterProtocol.Ack.class, Duration.ofSeconds(10));
  }

  /** The records {@code writer} holds as written, once it has read the target. */
  Map<String, TargetRecord> records(ActorRef<WriterProtocol.Command> writer) {
    var probe = KIT.<WriterProtocol.State>createTestProbe();
    writer.tell(new WriterProtocol.GetState(probe.getRef()));
    return probe.receiveMessage(Duration.ofSeconds(5)).records();
  }

  static TraefikEntry e(String key, String value) {
    return new TraefikEntry(key, value, OWNER);
  }

  /** A weighted canary between the VM service and Kubernetes, as Traefik's KV layout spells it. */
  static List<TraefikEntry> canary(String root, String name, int vmWeight) {
    String router = root + "/http/routers/" + OWNER + "." + name;
    String service = root + "/http/services/" + OWNER + "." + name + "/weighted/services/";
    return List.of(
        e(router + "/rule", "Host(`shop.example.com`) && PathPrefix(`/checkout`)"),
        e(router + "/service", OWNER + "." + name),
        e(service + "0/name", "shop@consulcatalog"),
        e(service + "0/weight", String.valueOf(vmWeight)),
        e(service + "1/name", "shop-k8s@consulcatalog"),
        e(service + "1/weight", String.valueOf(100 - vmWeight)));
  }

  static List<Change> creates(List<TraefikEntry> entries) {
    return entries.stream().map(x -> new Change(Op.CREATE, x.key(), x, null)).toList();
  }

  static Map<String, String> asMap(List<TraefikEntry> entries) {
    Map<String, String> m = new TreeMap<>();
    entries.forEach(x -> m.put(x.key(), x.value()));
    return m;
  }

  static void eventually(Runnable assertion) {
    await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).untilAsserted(assertion::run);
  }
}
