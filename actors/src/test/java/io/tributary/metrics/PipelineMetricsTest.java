package io.tributary.metrics;

import io.tributary.testkit.ManualClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tributary.dns.DnsRecordSet;
import io.tributary.plan.PipelineListener;
import io.tributary.service.PipelineGuardian;
import io.tributary.service.TargetWriters;
import io.tributary.settings.ConfigVersions;
import io.tributary.settings.TributarySettings;
import io.tributary.target.Change;
import io.tributary.target.ChangeSet;
import io.tributary.target.Op;
import io.tributary.target.Target;
import io.tributary.target.TargetRecord;
import io.tributary.time.VirtualTime;
import io.tributary.watch.EventType;
import io.tributary.watch.MockCluster;
import io.tributary.watch.WatchBuffer;
import io.tributary.watch.WatchEvent;
import io.tributary.writer.TargetClient;
import io.tributary.writer.WriteObserver;
import io.tributary.writer.WriterProtocol;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import kamon.Kamon;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.SystemMaterializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The lag, debounce, zone and cluster-state metrics as Prometheus scrapes them: the production
 * pipeline in virtual time (so every duration is exact) into in-memory targets, DNS zone writers
 * over fake zones, and the watchers' reports. Kamon accumulates across tests: each compares with
 * a scrape taken before.
 */
class PipelineMetricsTest {
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ActorTestKit KIT = ActorTestKit.create();
  private static int port;

  private VirtualTime time;
  private ActorSystem<Void> system;
  private WatchBuffer buffer;

  @BeforeAll
  static void startKamon() throws Exception {
    try (var socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Kamon.init(ConfigFactory.parseString("""
        kamon.metric.tick-interval = 100ms
        kamon.prometheus.embedded-server { hostname = "127.0.0.1", port = %d }
        """.formatted(port)).withFallback(ConfigFactory.load()).resolve());
  }

  @AfterAll
  static void stopKamon() throws Exception {
    KIT.shutdownTestKit();
    scala.jdk.javaapi.FutureConverters.asJava(Kamon.stop()).toCompletableFuture().get();
  }

  @AfterEach
  void stopPipeline() throws Exception {
    if (system != null) {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
      time.shutdown();
    }
  }

  private static Config config() {
    return ConfigFactory.parseString("""
        tributary {
          debounce { quiet = 250ms, max-delay = 2s }
          dns.zones = [{ name = example.com }]
          clusters.eu-1.endpoints { addresses = ["192.0.2.11"], port = 8080 }
        }
        """).withFallback(ConfigFactory.load()).resolve();
  }

  /** The production pipeline on virtual time into in-memory targets, its metrics sharing one {@link ChangeTimes}. */
  private void startPipeline() {
    Config config = config();
    time = new VirtualTime(T0);
    system = ActorSystem.create(Behaviors.empty(), "metrics-test", time.bootstrap(config));
    time.attach(system.classicSystem().scheduler());
    SystemMaterializer.get(system).materializer();
    var times = new ChangeTimes(time.clock());
    var metrics = new KamonMetrics(PipelineListener.NONE, times);
    buffer = new WatchBuffer(metrics);
    var writers = TargetWriters.inMemory(time.clock(), new KamonWriteMetrics(WriteObserver.NONE, times));
    system.systemActorOf(PipelineGuardian.create(new ConfigVersions(TributarySettings.from(config)), buffer, writers,
        metrics, new CompletableFuture<Done>()), "pipeline", Props.empty());
    time.settle();
  }

  private void offer(EventType type, String name, String host, String priority) throws Exception {
    ObjectNode object = (ObjectNode) JSON.readTree(MockCluster.ingress("shop", name, host, "/", priority));
    buffer.offer(WatchEvent.of("eu-1", type, object));
    time.settle();
  }

  /** Samples and sum of a histogram, and the records written to a target, as scraped now. */
  private record Seen(double lagCount, double lagSum, double debounceCount, double debounceSum, double consulWrites,
      double dnsWrites, double coalescedInDebounce) {
    static Seen now() throws Exception {
      Scrape s = Scrape.of(port);
      return new Seen(
          s.valueOr0("tributary_change_lag_seconds_count", Map.of("target", "consul"))
              + s.valueOr0("tributary_change_lag_seconds_count", Map.of("target", "dns")),
          s.valueOr0("tributary_change_lag_seconds_sum", Map.of("target", "consul"))
              + s.valueOr0("tributary_change_lag_seconds_sum", Map.of("target", "dns")),
          s.valueOr0("tributary_debounce_delay_seconds_count", Map.of()),
          s.valueOr0("tributary_debounce_delay_seconds_sum", Map.of()),
          writes(s, "consul"),
          writes(s, "dns"),
          s.valueOr0("tributary_events_coalesced_total", Map.of("stage", "debounce")));
    }

    private static double writes(Scrape s, String target) {
      return Arrays.stream(Op.values())
          .mapToDouble(op -> s.valueOr0("tributary_target_writes_total", Map.of("target", target, "op", op.id())))
          .sum();
    }
  }

  @Test
  void aWrittenChangeIsOneLagSamplePerRecordFromItsReceipt() throws Exception {
    startPipeline();
    Seen before = Seen.now();
    offer(EventType.ADDED, "web", "www.example.com", "10");
    time.advanceBy(Duration.ofSeconds(1));

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      Seen after = Seen.now();
      double written = after.consulWrites() + after.dnsWrites() - before.consulWrites() - before.dnsWrites();
      assertThat(after.dnsWrites() - before.dnsWrites()).as("the A record").isEqualTo(1);
      assertThat(written).as("records written").isGreaterThanOrEqualTo(2);
      assertThat(after.lagCount() - before.lagCount()).as("one sample per record written").isEqualTo(written);
      // written the moment the quiet window closed: 250 ms after the watcher handed it over
      assertThat(after.lagSum() - before.lagSum()).isCloseTo(0.25 * written, within(0.001));
      assertThat(after.debounceCount() - before.debounceCount()).isEqualTo(1);
      assertThat(after.debounceSum() - before.debounceSum()).isCloseTo(0.25, within(0.001));
    });
  }

  @Test
  void aChangeCoalescedWithALaterOneIsOneSampleCountedFromTheFirst() throws Exception {
    startPipeline();
    Seen before = Seen.now();
    offer(EventType.ADDED, "api", "api.example.com", "10");
    time.advanceBy(Duration.ofMillis(100));
    offer(EventType.MODIFIED, "api", "api.example.com", "20"); // within the quiet window: absorbed
    time.advanceBy(Duration.ofSeconds(1));

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      Seen after = Seen.now();
      double written = after.consulWrites() + after.dnsWrites() - before.consulWrites() - before.dnsWrites();
      assertThat(after.coalescedInDebounce() - before.coalescedInDebounce()).isEqualTo(1);
      assertThat(written).as("each record written once, in its latest state").isGreaterThanOrEqualTo(2);
      assertThat(after.lagCount() - before.lagCount()).as("not one sample per event").isEqualTo(written);
      // the window closed 250 ms after the second event: 350 ms after the first, where the lag starts
      assertThat(after.lagSum() - before.lagSum()).isCloseTo(0.35 * written, within(0.001));
      assertThat(after.debounceCount() - before.debounceCount()).isEqualTo(1);
      assertThat(after.debounceSum() - before.debounceSum()).isCloseTo(0.35, within(0.001));
    });
  }

  @Test
  void aFlappingObjectIsCountedAsDampedWhileHeldAndItsHeldChangesAreCounted() throws Exception {
    startPipeline();
    Scrape before = Scrape.of(port);
    // a change every second: the 13th exceeds the default suppress threshold (10)
    for (int s = 0; s < 20; s++) {
      offer(s == 0 ? EventType.ADDED : EventType.MODIFIED, "flap", "flap.example.com", s % 2 == 0 ? "10" : "20");
      time.advanceBy(Duration.ofSeconds(1));
    }
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      Scrape now = Scrape.of(port);
      assertThat(now.value("tributary_debounce_damped_objects", Map.of())).isEqualTo(1.0);
      assertThat(now.valueOr0("tributary_debounce_damped_total", Map.of())
          - before.valueOr0("tributary_debounce_damped_total", Map.of())).isEqualTo(1);
      assertThat(now.valueOr0("tributary_debounce_damped_changes_total", Map.of())
          - before.valueOr0("tributary_debounce_damped_changes_total", Map.of())).isEqualTo(8); // changes 12 .. 19
    });
    time.advanceBy(Duration.ofMinutes(6)); // past max-hold: released
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(Scrape.of(port).value("tributary_debounce_damped_objects", Map.of())).isZero());
  }

  /** A zone whose server answers, or fails every call while {@code down}. */
  private static final class Zone implements TargetClient {
    final AtomicBoolean down = new AtomicBoolean();
    final Map<String, TargetRecord> owned = new TreeMap<>();

    Zone(boolean down) {
      this.down.set(down);
    }

    @Override
    public synchronized CompletionStage<Map<String, TargetRecord>> readOwned() {
      return down.get() ? CompletableFuture.failedFuture(new IllegalStateException("connection refused"))
          : CompletableFuture.completedFuture(new TreeMap<>(owned));
    }

    @Override
    public synchronized CompletionStage<WriteOutcome> write(List<Change> changes) {
      if (down.get()) {
        return CompletableFuture.failedFuture(new IllegalStateException("connection refused"));
      }
      changes.forEach(c -> owned.put(c.key(), c.value()));
      return CompletableFuture.completedFuture(WriteOutcome.ok());
    }

    @Override
    public int maxBatch() {
      return 100;
    }

    @Override
    public String describe() {
      return "a fake zone";
    }
  }

  @Test
  void aFailingZoneCountsItsFailuresAndItsLagApartFromTheOthers() throws Exception {
    var settings = TributarySettings.from(ConfigFactory.parseString("""
        tributary {
          dns.zones = [{ name = up.example }, { name = down.example }]
          writer.retry { min-backoff = 50ms, max-backoff = 200ms }
          clusters.eu-1.endpoints { addresses = ["192.0.2.11"], port = 8080 }
        }
        """).withFallback(ConfigFactory.load()).resolve());
    var up = new Zone(false);
    var down = new Zone(true);
    // the lag is read off a clock the test moves: the outage lasts exactly as long as it says
    var lagClock = new ManualClock(Instant.parse("2026-12-01T10:00:00Z"));
    var times = new ChangeTimes(lagClock);
    var metrics = new KamonMetrics(PipelineListener.NONE, times);
    var writer = KIT.spawn(TargetWriters.dnsZones(settings.dns(), z -> z.name().equals("up.example") ? up : down,
        settings.writer(), new KamonWriteMetrics(WriteObserver.NONE, times), Clock.systemUTC()));
    Map<String, String> upWrites = Map.of("target", "dns", "op", "create", "zone", "up.example");
    Map<String, String> downWrites = Map.of("target", "dns", "op", "create", "zone", "down.example");
    Map<String, String> upFailures = Map.of("target", "dns", "kind", "unavailable", "zone", "up.example");
    Map<String, String> downFailures = Map.of("target", "dns", "kind", "unavailable", "zone", "down.example");
    Map<String, String> lag = Map.of("target", "dns");
    // the series of both zones exist from their writers' start, at 0
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Scrape.of(port).value("tributary_target_writes_total", upWrites)).isNotNull());
    Scrape before = Scrape.of(port);
    assertThat(before.value("tributary_target_refused_total", Map.of("target", "dns", "zone", "down.example"))).isZero();

    // one object's change reaches both zones, through the listener's hooks as the pipeline calls them
    var event = new WatchEvent(new io.tributary.watch.ObjectKey("eu-1", "Ingress", "shop", "web"), EventType.ADDED, "1", null);
    metrics.offered(event);
    metrics.taken(event);
    metrics.debounced(event);
    metrics.planning(event);
    var changes = new ChangeSet(Target.DNS, List.of(create("www.up.example"), create("www.down.example")));
    metrics.planned(changes);
    var acks = KIT.<WriterProtocol.Ack>createTestProbe();
    writer.tell(new WriterProtocol.Apply(changes, "s", 1, acks.getRef()));
    acks.expectMessageClass(WriterProtocol.Ack.class);

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      Scrape now = Scrape.of(port);
      assertThat(now.value("tributary_target_writes_total", upWrites) - before.value("tributary_target_writes_total", upWrites)).isEqualTo(1);
      assertThat(now.value("tributary_target_failures_total", downFailures) - before.value("tributary_target_failures_total", downFailures))
          .isGreaterThanOrEqualTo(2);
      assertThat(now.value("tributary_target_failures_total", upFailures)).isEqualTo(before.value("tributary_target_failures_total", upFailures));
      assertThat(now.value("tributary_target_writes_total", downWrites)).isEqualTo(before.value("tributary_target_writes_total", downWrites));
      assertThat(now.value("tributary_target_pending", lag)).as("the down zone's record").isEqualTo(1);
      assertThat(now.valueOr0("tributary_change_lag_seconds_count", lag) - before.valueOr0("tributary_change_lag_seconds_count", lag))
          .as("only the written record").isEqualTo(1);
    });

    lagClock.advance(500);
    down.down.set(false);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      Scrape now = Scrape.of(port);
      assertThat(now.value("tributary_target_writes_total", downWrites) - before.value("tributary_target_writes_total", downWrites)).isEqualTo(1);
      assertThat(now.value("tributary_target_pending", lag)).isZero();
      assertThat(now.valueOr0("tributary_change_lag_seconds_count", lag) - before.valueOr0("tributary_change_lag_seconds_count", lag)).isEqualTo(2);
      // the recovered zone's record waited out the outage: its sample holds at least the half second
      assertThat(now.valueOr0("tributary_change_lag_seconds_sum", lag) - before.valueOr0("tributary_change_lag_seconds_sum", lag))
          .isGreaterThanOrEqualTo(0.5);
    });
  }

  private static Change create(String name) {
    var r = new DnsRecordSet(name, "A", 60, List.of("192.0.2.1"), "o", List.of());
    return new Change(Op.CREATE, r.key(), r, null);
  }

  @Test
  void eachClusterHasOneSeriesPerStateWithItsCurrentOneAt1() throws Exception {
    var metrics = new KamonMetrics();
    metrics.clusterState("eu-7", "starting", "");
    metrics.clusterState("eu-7", "failed", "access denied (403)");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      Scrape now = Scrape.of(port);
      assertThat(now.value("tributary_cluster_state", Map.of("cluster", "eu-7", "state", "failed"))).isEqualTo(1);
      for (String state : List.of("starting", "synced", "stalled", "removed")) {
        assertThat(now.value("tributary_cluster_state", Map.of("cluster", "eu-7", "state", state))).as(state).isZero();
      }
      assertThat(now.value("tributary_cluster_up", Map.of("cluster", "eu-7"))).isZero();
    });

    metrics.clusterState("eu-8", "starting", "");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      Scrape now = Scrape.of(port);
      // a cluster's counters exist from its first report, the pipeline's from the start: increase() sees their first event
      assertThat(now.value("tributary_cluster_failures_total", Map.of("cluster", "eu-8"))).isZero();
      assertThat(now.value("tributary_objects_rejected_total", Map.of("cluster", "eu-8"))).isZero();
      assertThat(now.value("tributary_objects_partly_accepted_total", Map.of("cluster", "eu-8"))).isZero();
      assertThat(now.value("tributary_parts_rejected_total", Map.of("cluster", "eu-8"))).isZero();
      assertThat(now.value("tributary_cluster_state", Map.of("cluster", "eu-8", "state", "starting"))).isEqualTo(1);
      assertThat(now.value("tributary_changes_planned_total", Map.of("target", "traefik"))).isNotNull();
      assertThat(now.value("tributary_changes_withheld_total", Map.of("target", "dns", "op", "delete"))).isNotNull();
    });

    // a partly accepted object counts once, and each of its rejected parts
    var part = new io.tributary.translate.Translation.RejectedPart("spec.rules[1]", "spec.rules[1]: no host");
    metrics.partlyAccepted(new io.tributary.watch.ObjectKey("eu-8", "Ingress", "shop", "web"), 2, List.of(), List.of(part, part), 0);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      Scrape now = Scrape.of(port);
      assertThat(now.value("tributary_objects_partly_accepted_total", Map.of("cluster", "eu-8"))).isEqualTo(1);
      assertThat(now.value("tributary_parts_rejected_total", Map.of("cluster", "eu-8"))).isEqualTo(2);
    });

    metrics.clusterState("eu-7", "synced", "");
    metrics.clusterState("eu-7", "disconnected", "a watch is reconnecting"); // a state not known in advance joins
    metrics.clusterState("eu-7", "synced", "");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      Scrape now = Scrape.of(port);
      assertThat(now.value("tributary_cluster_state", Map.of("cluster", "eu-7", "state", "synced"))).isEqualTo(1);
      assertThat(now.value("tributary_cluster_state", Map.of("cluster", "eu-7", "state", "disconnected"))).isZero();
      assertThat(now.value("tributary_cluster_state", Map.of("cluster", "eu-7", "state", "failed"))).isZero();
      assertThat(now.value("tributary_cluster_up", Map.of("cluster", "eu-7"))).isEqualTo(1);
    });

    metrics.clusterState("eu-7", "removed", "records withdrawn in PT1M");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      Scrape now = Scrape.of(port);
      assertThat(now.value("tributary_cluster_state", Map.of("cluster", "eu-7", "state", "removed"))).isEqualTo(1);
      assertThat(now.value("tributary_cluster_state", Map.of("cluster", "eu-7", "state", "synced"))).isZero();
    });
  }
}
