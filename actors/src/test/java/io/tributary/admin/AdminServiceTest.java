package io.tributary.admin;

import static io.tributary.watch.MockCluster.ingress;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tributary.plan.PipelineListener;
import io.tributary.service.LiveServices;
import io.tributary.settings.TributarySettings;
import io.tributary.testkit.ConsulDouble;
import io.tributary.watch.MockCluster;
import io.tributary.writer.WriteObserver;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin endpoint over real HTTP against the live service (mock clusters, the Consul double):
 * readiness before and after the initial sync and while a cluster is down, a Consul outage and its
 * recovery on {@code /status}, liveness turning with the stream, and the answers to bad requests.
 */
class AdminServiceTest {
  private static final ActorTestKit KIT = ActorTestKit.create();
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "9f1c2e5a-admin-test-secret-token";

  // HTTP/1.1 as the kubelet and curl speak it (no h2c upgrade offered)
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
  private final ConsulDouble consul = ConsulDouble.start();
  private final Map<String, MockCluster> clusters = new TreeMap<>();
  @TempDir Path dir;
  private LiveServices.WithAdmin running;

  @AfterAll
  static void stopKit() {
    io.tributary.consul.HttpTestKits.shutdown(KIT);
  }

  @AfterEach
  void stopAll() throws Exception {
    if (running != null) {
      running.admin().stop().toCompletableFuture().get();
    }
    clusters.values().forEach(MockCluster::close);
    consul.close();
  }

  private record Answer(int status, String body, HttpResponse<String> response) {
    JsonNode json() throws Exception {
      return JSON.readTree(body);
    }
  }

  private Answer request(String method, String path) throws Exception {
    var response = http.send(
        HttpRequest.newBuilder(running.uri(path)).method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
    return new Answer(response.statusCode(), response.body(), response);
  }

  private Answer get(String path) throws Exception {
    return request("GET", path);
  }

  /** The live service over {@code names} clusters writing Consul, its admin endpoint on a free port. */
  private void start(String... names) throws Exception {
    Path tokenFile = Files.writeString(dir.resolve("consul-token"), TOKEN);
    consul.requireTokens(TOKEN);
    StringBuilder blocks = new StringBuilder();
    for (int i = 0; i < names.length; i++) {
      blocks.append(names[i]).append(".endpoints { addresses = [\"192.0.2.").append(11 + i).append("\"], port = 8080 }\n");
    }
    Path file = dir.resolve("tributary.conf");
    Files.writeString(file, """
        tributary {
          debounce { quiet = 50ms, max-delay = 500ms }
          writer { ask-timeout = 1s, linger = 20ms, retry { min-backoff = 50ms, max-backoff = 300ms } }
          consul.http { address = "%s", token-file = "%s" }
          watch { min-backoff = 200ms, max-backoff = 1s, removal-grace = 500ms }
          admin { bind = "127.0.0.1", port = 0, ready-grace = 1s }
          clusters { %s }
        }
        """.formatted(consul.address(), tokenFile, blocks));
    Config config = ConfigFactory.parseFile(file.toFile()).withFallback(ConfigFactory.load()).resolve();
    TributarySettings settings = TributarySettings.from(config);
    running = LiveServices.startWithAdmin(
        KIT, settings, ConfigVersion.of(config, file), clusters, WriteObserver.NONE, PipelineListener.NONE);
  }

  private MockCluster cluster(String name) {
    return clusters.computeIfAbsent(name, n -> new MockCluster(MockCluster.Mode.TRAEFIK));
  }

  @Test
  void readyOnlyOnceEveryClusterHasSyncedAndConsulIsReconciledThenUnreadyWhileAClusterIsDownPastTheGrace() throws Exception {
    cluster("eu-1").apply(ingress("shop", "web", "www.example.com", "/", "10"));
    cluster("eu-2").apply(ingress("shop", "web", "www.example.com", "/", "10"));
    cluster("eu-2").goAway(); // eu-2's API server is down when the service starts
    start("eu-1", "eu-2");

    assertThat(get("/healthz")).satisfies(a -> {
      assertThat(a.status()).isEqualTo(200);
      assertThat(a.json().path("alive").asBoolean()).isTrue();
    });
    await().atMost(WAIT).until(() -> consul.catalogService("www-example-com").size() == 1); // eu-1 flows meanwhile
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10)).until(() -> get("/readyz").status() == 503);
    Answer unready = get("/readyz");
    assertThat(unready.response().headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(unready.json().path("ready").asBoolean()).isFalse();
    assertThat(unready.json().path("notReady").toString())
        .contains("cluster eu-2 has not synced yet (")
        .contains("target consul has not reconciled yet (")
        .doesNotContain("eu-1");

    cluster("eu-2").comeBack();
    await().atMost(WAIT).until(() -> get("/readyz").status() == 200);
    assertThat(get("/readyz").json()).isEqualTo(JSON.readTree("{\"ready\":true}"));
    // ready means written: both clusters' instances are in Consul
    assertThat(consul.catalogService("www-example-com")).hasSize(2);

    // eu-2 goes away after the sync: ready for the grace, then not
    cluster("eu-2").goAway();
    await().atMost(WAIT).until(() -> get("/readyz").status() == 503);
    assertThat(get("/readyz").json().path("notReady").toString())
        .contains("cluster eu-2 has not been synced for")
        .contains("longer than admin.ready-grace 1s (disconnected: the ");
    assertThat(get("/status").json().at("/clusters/eu-2/state").asText()).isEqualTo("disconnected");
    assertThat(get("/healthz").status()).as("a cluster down is not the service dead").isEqualTo(200);
    cluster("eu-2").comeBack();
    await().atMost(WAIT).until(() -> get("/readyz").status() == 200);

    // SIGTERM's drain ends the stream: no longer alive, and the reason says so
    LiveServices.stop(KIT, running.service());
    Answer dead = get("/healthz");
    assertThat(dead.status()).isEqualTo(503);
    assertThat(dead.json().path("reason").asText()).isEqualTo("the routing pipeline has drained and stopped (the service is shutting down)");
    assertThat(get("/readyz").status()).isEqualTo(503);
  }

  @Test
  void statusShowsAConsulOutageWithPendingAndLastErrorThenItsRecoveryAndNeverTheToken() throws Exception {
    var eu1 = cluster("eu-1");
    eu1.apply(ingress("shop", "web", "www.example.com", "/", "10"));
    eu1.apply(ingress("shop", "bad", "bad.example.com", "/", "high")); // priority must be a number
    start("eu-1");
    await().atMost(WAIT).until(() -> get("/readyz").status() == 200);

    JsonNode status = get("/status").json();
    assertThat(status.at("/config/version").asText()).matches("[0-9a-f]{12}");
    assertThat(status.at("/config/file").asText()).isEqualTo(dir.resolve("tributary.conf").toAbsolutePath().toString());
    assertThat(status.path("ready").asBoolean()).isTrue();
    assertThat(status.at("/pipeline/state").asText()).isEqualTo("running");
    assertThat(status.at("/clusters/eu-1/state").asText()).isEqualTo("synced");
    assertThat(status.at("/clusters/eu-1/objects").asInt()).isEqualTo(2);
    assertThat(status.at("/clusters/eu-1/lastEventAge").isNumber()).isTrue();
    assertThat(status.at("/targets/consul/pending").asInt()).isZero();
    assertThat(status.at("/targets/consul/lastError").isNull()).isTrue();
    assertThat(status.at("/targets/consul/reconciled").asBoolean()).isTrue();
    for (String target : new String[] {"consul", "dns", "traefik"}) {
      assertThat(status.at("/targets/" + target + "/policy").asText()).isEqualTo("sync");
      assertThat(status.at("/targets/" + target + "/dryRun").asBoolean()).isFalse();
    }
    assertThat(status.path("rejected")).singleElement().satisfies(r -> {
      assertThat(r.path("object").asText()).isEqualTo("eu-1/Ingress/shop/bad");
      assertThat(r.path("reason").asText()).contains("router.priority");
    });
    assertThat(status.path("rejectedTotal").asInt()).isEqualTo(1);
    Instant lastWriteBefore = Instant.parse(status.at("/targets/consul/lastWrite").asText());

    consul.failAll(503);
    for (int i = 0; i < 3; i++) {
      eu1.apply(ingress("shop", "new-" + i, "new-" + i + ".example.com", "/", "10"));
    }
    await().atMost(WAIT).untilAsserted(() -> {
      JsonNode down = get("/status").json();
      assertThat(down.at("/targets/consul/pending").asInt()).isEqualTo(3);
      assertThat(down.at("/targets/consul/failing").asBoolean()).isTrue();
      assertThat(down.at("/targets/consul/lastError/kind").asText()).isEqualTo("unavailable");
      assertThat(down.at("/targets/consul/lastError/reason").asText()).contains("503");
    });
    assertThat(get("/readyz").status()).as("a target outage after the start is on /status, not readiness").isEqualTo(200);

    consul.heal();
    await().atMost(WAIT).untilAsserted(() -> {
      JsonNode up = get("/status").json();
      assertThat(up.at("/targets/consul/pending").asInt()).isZero();
      assertThat(up.at("/targets/consul/failing").asBoolean()).isFalse();
      Instant lastError = Instant.parse(up.at("/targets/consul/lastError/at").asText());
      Instant lastWrite = Instant.parse(up.at("/targets/consul/lastWrite").asText());
      assertThat(lastWrite).isAfter(lastError).isAfter(lastWriteBefore);
    });
    assertThat(consul.catalogService("new-2-example-com")).hasSize(1);

    // nothing on any endpoint prints the token (or the file's content in any form)
    for (String path : new String[] {"/status", "/readyz", "/healthz"}) {
      assertThat(get(path).body()).doesNotContain(TOKEN).doesNotContain("9f1c2e5a");
    }
    LiveServices.stop(KIT, running.service());
  }

  @Test
  void anUnknownPathIs404AndAnotherMethodIs405EachWithOneLine() throws Exception {
    cluster("eu-1");
    start("eu-1");
    Answer unknown = get("/metrics");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.body()).isEqualTo("/metrics is not an admin endpoint; there are /healthz, /readyz, /status, /reload\n");
    Answer post = request("POST", "/status");
    assertThat(post.status()).isEqualTo(405);
    assertThat(post.body()).isEqualTo("POST /status is not allowed; use GET\n");
    assertThat(post.response().headers().firstValue("Allow")).hasValue("GET");
    assertThat(request("DELETE", "/healthz").status()).isEqualTo(405);
    assertThat(get("/healthz?verbose=1").status()).isEqualTo(200);
    LiveServices.stop(KIT, running.service());
  }
}
