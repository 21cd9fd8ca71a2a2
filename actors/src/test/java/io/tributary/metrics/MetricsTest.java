package io.tributary.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import io.tributary.service.LiveServices;
import io.tributary.settings.ClusterEndpoints;
import io.tributary.settings.ClusterSettings;
import io.tributary.settings.TributarySettings;
import io.tributary.settings.WatchSettings;
import io.tributary.testkit.BindServer;
import io.tributary.testkit.ConsulDouble;
import io.tributary.plan.PipelineListener;
import io.tributary.writer.WriteObserver;
import io.tributary.watch.KubernetesClients;
import io.tributary.watch.MockCluster;
import io.tributary.watch.WatchBuffer;
import io.tributary.watch.WatcherSupervisor;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import kamon.Kamon;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A cluster refusing credentials and one without Traefik CRDs show up on the Prometheus endpoint. */
class MetricsTest {
  private static final ActorTestKit KIT = ActorTestKit.create();
  private static int port;

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
  static void stop() throws Exception {
    io.tributary.consul.HttpTestKits.shutdown(KIT);
    scala.jdk.javaapi.FutureConverters.asJava(Kamon.stop()).toCompletableFuture().get();
  }

  private static String scrape() throws Exception {
    var response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    return response.body();
  }

  @Test
  void refusedCredentialsMissingCrdsAndBufferDepthAreScrapable() throws Exception {
    try (var locked = new MockCluster(MockCluster.Mode.FORBIDDEN); var plain = new MockCluster(MockCluster.Mode.NO_TRAEFIK_CRDS)) {
      Map<String, MockCluster> byName = Map.of("locked", locked, "plain", plain);
      KubernetesClients clients = s -> byName.get(s.name()).server.createClient();
      var metrics = new KamonMetrics();
      var buffer = new WatchBuffer(metrics);
      KIT.spawn(WatcherSupervisor.create(
          List.of(ClusterSettings.of("locked", ClusterEndpoints.defaultFor("locked")), ClusterSettings.of("plain", ClusterEndpoints.defaultFor("plain"))),
          buffer, clients, metrics, new WatchSettings(Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ZERO)));
      metrics.bufferDepth(7);

      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(scrape())
          .contains("tributary_cluster_up{cluster=\"locked\"} 0.0")
          .contains("tributary_cluster_up{cluster=\"plain\"} 1.0")
          .containsPattern("tributary_kind_missing\\{(cluster=\"plain\",kind=\"IngressRoute\"|kind=\"IngressRoute\",cluster=\"plain\")\\} 1.0")
          .containsPattern("tributary_cluster_failures_total\\{cluster=\"locked\"\\} [1-9]")
          .contains("tributary_watch_buffer_depth 7.0"));
    }
  }

  @Test
  void everyWriterReportsItsWritesAndNothingPendingOnceCaughtUp() throws Exception {
    try (var bind = BindServer.start("example.com"); var consul = ConsulDouble.start();
        var eu1 = new MockCluster(MockCluster.Mode.TRAEFIK); var eu2 = new MockCluster(MockCluster.Mode.TRAEFIK)) {
      var settings = TributarySettings.from(ConfigFactory.parseString("""
          tributary {
            debounce { quiet = 50ms, max-delay = 500ms }
            consul.http.address = "%s"
            dns.zones = [{ name = example.com, server = "%s", tsig { name = %s, secret-file = "%s" } }]
            clusters {
              eu-1.endpoints { addresses = ["192.0.2.11"], port = 8080 }
              eu-2.endpoints { addresses = ["lb.eu-2.example.net"], port = 8080 }
            }
          }
          """.formatted(consul.address(), bind.address(), BindServer.KEY, bind.secretFile())).withFallback(ConfigFactory.load()).resolve());
      for (int i = 0; i < 5; i++) {
        eu1.apply(MockCluster.ingress("shop", "web-" + i, "www-" + i + ".example.com", "/", "10"));
        eu2.apply(MockCluster.ingress("shop", "web-" + i, "www-" + i + ".example.com", "/", "10"));
      }
      var clusters = Map.of("eu-1", eu1, "eu-2", eu2);
      var times = new ChangeTimes(java.time.Clock.systemUTC());
      double dnsLagBefore = Scrape.of(port).valueOr0("tributary_change_lag_seconds_count", Map.of("target", "dns"));
      double dnsWritesBefore = dnsWrites(Scrape.of(port));
      var service = LiveServices.start(KIT, settings, clusters, new KamonWriteMetrics(WriteObserver.NONE, times), new KamonMetrics(PipelineListener.NONE, times));
      try {
        await().atMost(Duration.ofSeconds(30)).until(() -> bind.query("www-4.example.com", "A").size() == 1);
        Map<String, String> dnsCreates = Map.of("target", "dns", "op", "create", "zone", "example.com");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
          Scrape now = Scrape.of(port);
          assertThat(now.valueOr0("tributary_target_writes_total", dnsCreates)).as("dns creates in zone example.com").isPositive();
          assertThat(now.valueOr0("tributary_target_writes_total", Map.of("target", "consul", "op", "create"))).isPositive();
          // every series of a writer exists, at 0 until it counts something; nothing refused
          assertThat(now.value("tributary_target_writes_total", Map.of("target", "consul", "op", "delete"))).isZero();
          assertThat(now.value("tributary_target_refused_total", Map.of("target", "dns", "zone", "example.com"))).isZero();
          assertThat(now.value("tributary_target_failures_total", Map.of("target", "dns", "zone", "example.com", "kind", "unavailable"))).isZero();
          assertThat(now.value("tributary_target_pending", Map.of("target", "dns"))).isZero();
          assertThat(now.value("tributary_target_pending", Map.of("target", "consul"))).isZero();
          // BIND acknowledged every record set: each one's write is a lag sample
          assertThat(now.valueOr0("tributary_change_lag_seconds_count", Map.of("target", "dns")) - dnsLagBefore)
              .isEqualTo(dnsWrites(now) - dnsWritesBefore);
          assertThat(now.valueOr0("tributary_change_lag_seconds_count", Map.of("target", "consul"))).isPositive();
        });
      } finally {
        LiveServices.stop(KIT, service);
      }

      // a restart over unchanged clusters: every change the writers are told needs no write, and
      // nothing is left pending
      long serial = bind.serial("example.com");
      double planned = planned("dns");
      var restarted = LiveServices.start(KIT, settings, clusters, new KamonWriteMetrics(WriteObserver.NONE), new KamonMetrics());
      try {
        await().atMost(Duration.ofSeconds(30)).until(() -> planned("dns") >= planned + 5);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(scrape())
            .contains("tributary_target_pending{target=\"dns\"} 0.0")
            .contains("tributary_target_pending{target=\"consul\"} 0.0"));
        assertThat(bind.serial("example.com")).isEqualTo(serial);
      } finally {
        LiveServices.stop(KIT, restarted);
      }
    }
  }

  /** Records written to the DNS zone example.com, every op. */
  private static double dnsWrites(Scrape scrape) {
    return java.util.Arrays.stream(io.tributary.target.Op.values())
        .mapToDouble(op -> scrape.valueOr0("tributary_target_writes_total", Map.of("target", "dns", "op", op.id(), "zone", "example.com")))
        .sum();
  }

  /** A series of {@code metric} with {@code target} and {@code op} tags, in either order, as a regex. */
  private static String series(String metric, String target, String op) {
    return metric + "\\{(target=\"" + target + "\",op=\"" + op + "\"|op=\"" + op + "\",target=\"" + target + "\")\\}";
  }

  /** Changes planned for {@code target} so far, as scraped. */
  private static double planned(String target) throws Exception {
    var m = java.util.regex.Pattern.compile("tributary_changes_planned_total\\{target=\"" + target + "\"\\} ([0-9.]+)").matcher(scrape());
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  @Test
  void aStalledWatchIsCountedPerClusterAndKind() throws Exception {
    try (var silent = new MockCluster(MockCluster.Mode.TRAEFIK)) {
      silent.apply(MockCluster.ingress("shop", "web", "a.example.com", "/", "1"));
      silent.watchesSilent = true;
      KubernetesClients clients = s -> silent.server.createClient();
      var metrics = new KamonMetrics();
      KIT.spawn(WatcherSupervisor.create(
          List.of(ClusterSettings.of("silent", ClusterEndpoints.defaultFor("silent"))), new WatchBuffer(metrics), clients, metrics,
          new WatchSettings(Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ofMillis(100))));
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(scrape()).contains("tributary_cluster_up{cluster=\"silent\"} 1.0"));

      silent.apply(MockCluster.ingress("shop", "web", "a.example.com", "/api", "1"));
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(scrape())
          .containsPattern("tributary_watch_stalls_total\\{(cluster=\"silent\",kind=\"Ingress\"|kind=\"Ingress\",cluster=\"silent\")\\} [1-9]"));
    }
  }

  @Test
  void withheldAndDryRunChangesAreCountedPerTargetAndOpAndNeverAsWrites() throws Exception {
    var reg = new io.tributary.traefik.TraefikEntry("traefik/http/routers/x/rule", "Host(`x.example.com`)", "tributary");
    var create = new io.tributary.target.Change(io.tributary.target.Op.CREATE, reg.key(), reg, null);
    var delete = new io.tributary.target.Change(io.tributary.target.Op.DELETE, reg.key(), null, reg);
    new KamonMetrics().withheld(io.tributary.target.Target.TRAEFIK, io.tributary.target.ChangePolicy.UPSERT_ONLY, List.of(delete, delete));
    var writes = new KamonWriteMetrics(WriteObserver.NONE);
    writes.withheld(io.tributary.target.Target.TRAEFIK, delete, io.tributary.target.ChangePolicy.UPSERT_ONLY);
    WriteObserver.inDryRun(writes).written(java.time.Instant.now(), io.tributary.target.Target.TRAEFIK, create);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(scrape())
        .containsPattern(series("tributary_changes_withheld_total", "traefik", "delete") + " 2.0")
        .containsPattern(series("tributary_target_withheld_total", "traefik", "delete") + " 1.0")
        .containsPattern(series("tributary_target_dry_run_total", "traefik", "create") + " 1.0")
        .doesNotContainPattern(series("tributary_target_writes_total", "traefik", "create") + " [1-9]"));
  }

  @Test
  void objectsKeptFromBeforeTheRestartAreCountedPerClusterAndHeardByTheLog() throws Exception {
    List<String> heard = new java.util.ArrayList<>();
    var metrics = new KamonMetrics(new io.tributary.plan.PipelineListener() {
      @Override
      public void keptFromBeforeRestart(io.tributary.watch.ObjectKey key, int routes) {
        heard.add(key + " " + routes);
      }
    }, new ChangeTimes(java.time.Clock.systemUTC()));
    metrics.keptFromBeforeRestart(new io.tributary.watch.ObjectKey("eu-9", "Ingress", "shop", "web"), 2);
    assertThat(heard).containsExactly("eu-9/Ingress/shop/web 2");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(scrape())
        .contains("tributary_objects_kept_from_before_restart_total{cluster=\"eu-9\"} 1.0"));
  }
}
