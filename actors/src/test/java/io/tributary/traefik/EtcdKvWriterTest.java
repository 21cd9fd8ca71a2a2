package io.tributary.traefik;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
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
import io.tributary.testkit.EtcdServer;
import io.tributary.testkit.EtcdServerExtension;
import io.tributary.writer.ReconcilingWriter;
import io.tributary.writer.TargetClient;
import io.tributary.writer.TargetConfigurationException;
import io.tributary.writer.RecordingObserver;
import io.tributary.writer.WritePolicy;
import io.tributary.writer.WriterProtocol;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Traefik writer's etcd sink (a reconciling writer over {@link EtcdKvClient}) against a real
 * etcd: what issue 13 asks of it. Real time, since the I/O is real. Every test but the one about
 * foreign keys under {@code traefik/} uses a root of its own, so a complete marker of one test
 * cannot remove another's keys and they share one server.
 */
class EtcdKvWriterTest {
  @RegisterExtension static final EtcdServerExtension ETCD = new EtcdServerExtension();

  private static final String OWNER = "tributary";
  private static final ActorTestKit KIT = ActorTestKit.create();
  private static final AtomicLong SEQ = new AtomicLong();
  private static final WriterSettings WRITER = new WriterSettings(100, Duration.ofSeconds(30), Duration.ofMillis(50), 100_000,
      Duration.ofMillis(200), Duration.ofSeconds(2), 0.2, Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofMinutes(5),
      new BackoffSettings(Duration.ofMillis(200), Duration.ofSeconds(30), 0.2));

  private final TestProbe<WriterProtocol.Ack> acks = KIT.createTestProbe();
  private final RecordingObserver observer = new RecordingObserver();
  private final List<ActorRef<WriterProtocol.Command>> writers = new ArrayList<>();
  private final List<TargetClient> clients = new ArrayList<>();

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

  private static EtcdServer etcd() {
    return ETCD.server();
  }

  private static TraefikSettings settings(String root) {
    return new TraefikSettings(TraefikSettings.Sink.ETCD, root, new TraefikSettings.FileSink(""),
        new TraefikSettings.EtcdSink(List.of(etcd().endpoint()), "", SecretSource.none(), "", "", "", Duration.ofSeconds(2)));
  }

  private Counting client(String root) {
    var c = new Counting(EtcdKvClient.create(settings(root), OWNER));
    clients.add(c);
    return c;
  }

  private ActorRef<WriterProtocol.Command> writer(TargetClient client) {
    var w = KIT.spawn(ReconcilingWriter.create(Target.TRAEFIK, WritePolicy.RECORDS_PER_CLUSTER, client, WRITER, observer,
        Clock.systemUTC()));
    writers.add(w);
    return w;
  }

  private void stop(ActorRef<WriterProtocol.Command> w) {
    var probe = KIT.createTestProbe();
    KIT.stop(w);
    probe.expectTerminated(w, Duration.ofSeconds(10));
    writers.remove(w);
  }

  private void send(ActorRef<WriterProtocol.Command> writer, List<Change> changes) {
    for (int i = 0; i < changes.size(); i += 50) {
      writer.tell(new WriterProtocol.Apply(new ChangeSet(Target.TRAEFIK, changes.subList(i, Math.min(changes.size(), i + 50))),
          "s", SEQ.incrementAndGet(), acks.getRef()));
      acks.expectMessageClass(WriterProtocol.Ack.class, Duration.ofSeconds(10));
    }
  }

  private void complete(ActorRef<WriterProtocol.Command> writer) {
    writer.tell(new WriterProtocol.Apply(ChangeSet.complete(Target.TRAEFIK), "s", SEQ.incrementAndGet(), acks.getRef()));
    acks.expectMessageClass(WriterProtocol.Ack.class, Duration.ofSeconds(10));
  }

  private static TraefikEntry e(String key, String value) {
    return new TraefikEntry(key, value, OWNER);
  }

  /** A weighted canary between the VM service and Kubernetes, as Traefik's KV layout spells it. */
  private static List<TraefikEntry> canary(String root, String name, int vmWeight) {
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

  private static List<Change> creates(List<TraefikEntry> entries) {
    return entries.stream().map(x -> new Change(Op.CREATE, x.key(), x, null)).toList();
  }

  private static Map<String, String> asMap(List<TraefikEntry> entries) {
    Map<String, String> m = new TreeMap<>();
    entries.forEach(x -> m.put(x.key(), x.value()));
    return m;
  }

  private static void eventually(Runnable assertion) {
    await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).untilAsserted(assertion::run);
  }

  @Test
  void createsUpdatesAndDeletesACanarysEntries() {
    String root = "crud";
    var w = writer(client(root));
    complete(w);
    var v1 = canary(root, "shop-checkout", 90);
    send(w, creates(v1));
    eventually(() -> assertThat(etcd().getPrefix(root + "/")).isEqualTo(asMap(v1)));

    var v2 = canary(root, "shop-checkout", 0);
    List<Change> updates = new ArrayList<>();
    for (int i = 0; i < v1.size(); i++) {
      if (!v1.get(i).equals(v2.get(i))) {
        updates.add(new Change(Op.UPDATE, v2.get(i).key(), v2.get(i), v1.get(i)));
      }
    }
    assertThat(updates).hasSize(2);
    send(w, updates);
    eventually(() -> assertThat(etcd().getPrefix(root + "/")).isEqualTo(asMap(v2)));

    send(w, v2.stream().map(x -> new Change(Op.DELETE, x.key(), null, x)).toList());
    eventually(() -> assertThat(etcd().getPrefix(root + "/")).isEmpty());
    assertThat(observer.refused).isEmpty();
  }

  @Test
  void aHandWrittenKeyAndAnotherOwnersRouterSurviveWritesTheCompleteMarkerAndARestart() {
    String root = "traefik";
    etcd().put("traefik/http/routers/handmade/rule", "Host(`handmade.example.com`)");
    etcd().put("traefik/http/routers/other.x/rule", "Host(`other.example.com`)");
    // left by an earlier run of this owner, no longer wanted: removed at the complete marker
    etcd().put("traefik/http/routers/" + OWNER + ".stale/rule", "Host(`stale.example.com`)");
    var entries = canary(root, "keep", 50);
    var first = writer(client(root));
    send(first, creates(entries));
    complete(first);
    Map<String, String> expected = new TreeMap<>(asMap(entries));
    expected.put("traefik/http/routers/handmade/rule", "Host(`handmade.example.com`)");
    expected.put("traefik/http/routers/other.x/rule", "Host(`other.example.com`)");
    eventually(() -> assertThat(etcd().getPrefix("traefik/")).isEqualTo(expected));

    stop(first);
    observer.written.clear();
    var second = writer(client(root));
    send(second, creates(entries));
    complete(second);
    var probe = KIT.<WriterProtocol.State>createTestProbe();
    eventually(() -> {
      second.tell(new WriterProtocol.GetState(probe.getRef()));
      assertThat(probe.receiveMessage(Duration.ofSeconds(5)).records()).containsOnlyKeys(asMap(entries).keySet());
    });
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(observer.written::isEmpty);
    assertThat(etcd().getPrefix("traefik/")).isEqualTo(expected);
    assertThat(observer.refused).isEmpty();
  }

  @Test
  void aRestartOverUnchangedEtcdWritesNothing() {
    String root = "restart";
    var entries = canary(root, "shop", 90);
    var first = writer(client(root));
    send(first, creates(entries));
    eventually(() -> assertThat(etcd().getPrefix(root + "/")).isEqualTo(asMap(entries)));
    stop(first);
    long revision = etcd().revision();

    var client = client(root);
    var second = writer(client);
    send(second, creates(entries));
    complete(second);
    var probe = KIT.<WriterProtocol.State>createTestProbe();
    eventually(() -> {
      second.tell(new WriterProtocol.GetState(probe.getRef()));
      assertThat(probe.receiveMessage(Duration.ofSeconds(5)).records()).containsOnlyKeys(asMap(entries).keySet());
    });
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> client.batches.isEmpty());
    assertThat(etcd().revision()).isEqualTo(revision);
  }

  @Test
  void eachBatchIsOneTransaction() {
    String root = "batches";
    var client = client(root);
    var w = writer(client);
    eventually(() -> assertThat(observer.outageFailures.get() + observer.configurationFailures.get()).isZero());
    List<TraefikEntry> entries = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      entries.addAll(canary(root, "svc-" + i, i * 4)); // 150 keys: at least 3 batches of at most 64
    }
    long before = etcd().revision();
    send(w, creates(entries));
    eventually(() -> assertThat(etcd().getPrefix(root + "/")).hasSize(150));
    eventually(() -> assertThat(client.batches.stream().mapToInt(Integer::intValue).sum()).isEqualTo(150));
    assertThat(client.batches).allMatch(n -> n <= EtcdKvClient.MAX_BATCH).hasSizeGreaterThanOrEqualTo(3);
    assertThat(etcd().revision() - before).isEqualTo(client.batches.size());
  }

  @Test
  void aKeyChangedBehindTributarysBackIsReportedNotOverwrittenAndTheRestOfTheBatchIsWritten() {
    String root = "conflict";
    var w = writer(client(root));
    complete(w);
    var v1 = canary(root, "shop", 90);
    send(w, creates(v1));
    eventually(() -> assertThat(etcd().getPrefix(root + "/")).isEqualTo(asMap(v1)));
    String weight = root + "/http/services/" + OWNER + ".shop/weighted/services/0/weight";
    etcd().put(weight, "75"); // an operator's hand edit
    // someone else created a key this writer now wants to create
    String taken = root + "/http/routers/" + OWNER + ".taken/rule";
    etcd().put(taken, "Host(`someone.example.com`)");

    var v2 = canary(root, "shop", 80);
    List<Change> batch = new ArrayList<>();
    for (int i = 0; i < v1.size(); i++) {
      if (!v1.get(i).equals(v2.get(i))) {
        batch.add(new Change(Op.UPDATE, v2.get(i).key(), v2.get(i), v1.get(i)));
      }
    }
    batch.add(new Change(Op.CREATE, taken, e(taken, "Host(`mine.example.com`)"), null));
    send(w, batch);
    eventually(() -> assertThat(observer.refused).containsKeys(weight, taken));
    assertThat(observer.refused.get(weight)).contains("changed in etcd at").contains("now '75'");
    assertThat(observer.refused.get(taken)).contains("already exists");
    assertThat(etcd().get(weight)).isEqualTo("75");
    assertThat(etcd().get(taken)).isEqualTo("Host(`someone.example.com`)");
    assertThat(etcd().get(root + "/http/services/" + OWNER + ".shop/weighted/services/1/weight")).isEqualTo("20");
  }

  @Test
  void etcdStoppedFor30SecondsWhileChangesArriveLosesNothingAndConvergesSoonAfter() {
    String root = "outage";
    var client = client(root);
    var w = writer(client);
    complete(w);
    Map<String, TraefikEntry> desired = new LinkedHashMap<>();
    List<Change> before = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      for (TraefikEntry x : canary(root, "svc-" + i, 90)) {
        before.add(new Change(Op.CREATE, x.key(), x, null));
        desired.put(x.key(), x);
      }
    }
    send(w, before);
    eventually(() -> assertThat(etcd().getPrefix(root + "/")).hasSize(desired.size()));

    etcd().stop();
    Instant down = Instant.now();
    int writtenBefore = observer.written.size();
    int failuresBefore = observer.outageFailures.get();
    List<Change> during = new ArrayList<>();
    for (int round = 0; round < 5; round++) {
      for (int i = 0; i < 40; i++) { // 20 existing canaries and 20 new ones, changed several times
        for (TraefikEntry x : canary(root, "svc-" + i, (round * 17 + i) % 101)) {
          var was = desired.get(x.key());
          if (round == 4 && i % 5 == 0) {
            if (was != null) {
              during.add(new Change(Op.DELETE, x.key(), null, was));
              desired.remove(x.key());
            }
            continue;
          }
          if (x.equals(was)) {
            continue;
          }
          during.add(was == null ? new Change(Op.CREATE, x.key(), x, null) : new Change(Op.UPDATE, x.key(), x, was));
          desired.put(x.key(), x);
        }
      }
    }
    send(w, during);
    // the rest of the 30 s outage: every change accepted, none written
    Duration rest = Duration.ofSeconds(30).minus(Duration.between(down, Instant.now()));
    await().during(rest).atMost(rest.plusSeconds(5)).until(() -> observer.written.size() == writtenBefore);
    int failures = observer.outageFailures.get() - failuresBefore;
    // backoff from 200 ms doubling to 2 s: about 20 attempts in 30 s, never a busy loop
    assertThat(failures).isPositive().isLessThan(40);
    assertThat(observer.configurationFailures.get()).isZero();

    etcd().startAgain();
    Instant back = Instant.now();
    Map<String, String> expected = new TreeMap<>();
    desired.values().forEach(x -> expected.put(x.key(), x.value()));
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
        .untilAsserted(() -> assertThat(etcd().getPrefix(root + "/")).isEqualTo(expected));
    assertThat(Duration.between(back, Instant.now())).isLessThan(Duration.ofSeconds(10));
    assertThat(observer.refused).isEmpty();
  }

  @Test
  void aWrongPasswordIsAConfigurationErrorThatNamesTheEndpointsNeverThePasswordAndFixingTheFileApplies(@TempDir Path tmp)
      throws Exception {
    try (EtcdServer secured = EtcdServer.start()) {
      secured.enableAuth("right-horse-battery");
      Path passwordFile = tmp.resolve("etcd.password");
      Files.writeString(passwordFile, "wrong-staple-7\n");
      var settings = new TraefikSettings(TraefikSettings.Sink.ETCD, "auth", new TraefikSettings.FileSink(""),
          new TraefikSettings.EtcdSink(List.of(secured.endpoint()), "root", new SecretSource(passwordFile.toString(), ""), "", "",
              "", Duration.ofSeconds(2)));
      var probe = EtcdKvClient.create(settings, OWNER);
      clients.add(probe);
      Throwable failure = catchThrowable(() -> probe.readOwned().toCompletableFuture().join());
      assertThat(failure).hasCauseInstanceOf(TargetConfigurationException.class);
      assertThat(failure.getCause().getMessage()).contains(secured.endpoint()).contains("authentication failed")
          .doesNotContain("wrong-staple-7").doesNotContain("right-horse-battery");

      var client = EtcdKvClient.create(settings, OWNER);
      clients.add(client);
      var w = writer(client);
      var entries = canary("auth", "shop", 90);
      send(w, creates(entries)); // accepted: wrong credentials delay writes, never drop them
      eventually(() -> assertThat(observer.configurationFailures.get()).isPositive());
      assertThat(observer.outageFailures.get()).isZero();
      assertThat(observer.written).isEmpty();

      Files.writeString(passwordFile, "right-horse-battery\n"); // reread: the client is rebuilt after the refusal
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
          .untilAsserted(() -> assertThat(observer.written).hasSize(entries.size()));
    }
  }
}
