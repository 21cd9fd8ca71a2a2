package io.tributary.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import io.tributary.settings.ClusterEndpoints;
import io.tributary.settings.ClusterSettings;
import io.tributary.settings.WatchSettings;
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
    KIT.shutdownTestKit();
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
}
