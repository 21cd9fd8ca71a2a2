package io.tributary.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tributary.testkit.BindServer;
import io.tributary.testkit.ConsulDouble;
import io.tributary.watch.MockCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault test of {@code tributary.last-accepted}: the real service ({@code tributary run}, a child
 * JVM) over a mock API server, the Consul double and a real BIND. An Ingress is accepted and
 * written, then edited to a version that is rejected (its routes stay), and the service is killed
 * with SIGKILL. Restarted with the file, the records of the still rejected Ingress are still there
 * once every cluster has synced and the targets have reconciled; restarted without it (the old
 * behaviour), they are withdrawn.
 */
class LastAcceptedKillRestartTest {
  private static final Duration START = Duration.ofSeconds(120); // a JVM starting on a loaded machine, then the sync
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;

  private final ConsulDouble consul = ConsulDouble.start();
  private final BindServer bind = BindServer.start(Faults.ZONE);
  private final MockCluster cluster = new MockCluster(MockCluster.Mode.TRAEFIK);
  private Process service;

  @AfterEach
  void stopAll() throws InterruptedException {
    if (service != null && service.isAlive()) {
      service.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    cluster.close();
    consul.close();
    bind.close();
  }

  /** A config file: the service's, with its admin port, and {@code extra} under {@code tributary}. */
  private Path configFile(String name, int adminPort, String extra) throws Exception {
    String text = Faults.text(consul, bind, Map.of("eu-1", "kubeconfig = \"" + cluster.kubeconfig(dir) + "\"\n"
        + Faults.endpoints("192.0.2.11")), "admin { bind = \"127.0.0.1\", port = " + adminPort + " }\n" + extra);
    return Files.writeString(dir.resolve(name),
        "kamon.prometheus.embedded-server { hostname = \"127.0.0.1\", port = " + Faults.freePort() + " }\n" + text);
  }

  private static Config parsed(Path file) {
    return ConfigFactory.parseFile(file.toFile()).withFallback(ConfigFactory.load()).resolve();
  }

  /** Waits until the admin endpoint says ready: every cluster synced, every target reconciled. */
  private static void awaitReady(int adminPort) {
    var ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/readyz")).build();
    await().atMost(START).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
        .until(() -> HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
  }

  private static JsonNode status(int adminPort) throws Exception {
    var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/status")).build();
    return JSON.readTree(HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body());
  }

  /** The same records for a few seconds: nothing more to write or withdraw. */
  private void awaitSettled(Faults.Expected expected) {
    Faults.awaitConverged(expected, consul, bind, Duration.ofSeconds(30));
    long serial = bind.serial(Faults.ZONE);
    long writes = consul.writes();
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(15))
        .until(() -> consul.writes() == writes && bind.serial(Faults.ZONE) == serial);
    Faults.awaitConverged(expected, consul, bind, Duration.ofSeconds(5));
  }

  @Test
  void aRejectedObjectKeepsItsRecordsAcrossAKillAndRestartWithTheFileAndLosesThemWithout() throws Exception {
    int adminPort = Faults.freePort();
    Path keepFile = dir.resolve("state").resolve("last-accepted.json");
    Path withFile = configFile("with.conf", adminPort,
        "last-accepted { path = \"" + keepFile + "\", write-interval = 200ms }\n");
    Path withoutFile = configFile("without.conf", adminPort, "");
    Path log = dir.resolve("service.log");
    cluster.apply(MockCluster.ingress("shop", "good", "good.example.com", "/", "10"));
    cluster.apply(MockCluster.ingress("shop", "web", "web.example.com", "/", "10"));
    try {
      // accepted and written, and the file with it
      service = Faults.run(withFile, log);
      var both = Faults.expected(parsed(withFile), Map.of("eu-1", cluster));
      assertThat(both.dns().keySet()).anyMatch(k -> k.contains("web.example.com"));
      Faults.awaitConverged(both, consul, bind, START);
      await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(keepFile) && Files.readString(keepFile).contains("web.example.com"));

      // edited to a rejected version (a rule without host): its records stay
      cluster.apply(MockCluster.ingress("shop", "web", "web.example.com", "/", "10").replace("\"host\":\"web.example.com\",", ""));
      await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(log).contains("eu-1/Ingress/shop/web rejected"));
      awaitSettled(both);

      // kill -9, restart: once every cluster has synced and the targets reconciled, its records are still there
      Faults.kill(service);
      service = Faults.run(withFile, log);
      awaitReady(adminPort);
      awaitSettled(both);
      assertThat(Files.readString(log)).contains("last accepted routes of 2 objects loaded from " + keepFile)
          .contains("eu-1/Ingress/shop/web: 1 of its last accepted routes from before the restart stay in force");
      JsonNode status = status(adminPort);
      assertThat(status.path("keptFromBeforeRestartTotal").asInt()).as(status.toString()).isEqualTo(1);
      assertThat(status.at("/rejected/0/object").asText()).isEqualTo("eu-1/Ingress/shop/web");
      assertThat(status.at("/rejected/0/keptFromBeforeRestart").asBoolean()).isTrue();
      System.out.printf("[fault last-accepted] killed and restarted: %d Consul registrations, %d DNS records kept%n",
          both.consul().size(), both.dns().size());

      // the old behaviour, without the file: withdrawn once every cluster has synced
      Faults.kill(service);
      service = Faults.run(withoutFile, log);
      awaitReady(adminPort);
      var goodOnly = Faults.expected(parsed(withoutFile), Map.of("eu-1", cluster));
      assertThat(goodOnly.dns().keySet()).noneMatch(k -> k.contains("web.example.com"));
      awaitSettled(goodOnly);
      service.destroy(); // SIGTERM: drains and exits
      service.waitFor(60, TimeUnit.SECONDS);
    } catch (Throwable t) {
      throw new AssertionError(t.getMessage() + "\n--- the service's log, last lines:\n" + Faults.tail(log), t);
    }
  }
}
