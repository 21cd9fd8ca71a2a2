package io.tributary.service;

import static io.tributary.watch.MockCluster.ingress;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.tributary.plan.PipelineListener;
import io.tributary.replay.TranscriptWriter;
import io.tributary.settings.TributarySettings;
import io.tributary.testkit.BindServer;
import io.tributary.testkit.BindServerExtension;
import io.tributary.testkit.ConsulDouble;
import io.tributary.watch.MockCluster;
import io.tributary.writer.WriteObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Item 14.4, live: {@code run --dry-run} against the Consul double and a real BIND 9 reads both and
 * writes neither, while its transcript (and log) holds every change a real run would make — the
 * real difference against what the targets hold, not a fresh start's "create everything".
 */
class DryRunServiceTest {
  @RegisterExtension static final BindServerExtension BIND = new BindServerExtension("example.com");

  private static final ActorTestKit KIT = ActorTestKit.create();
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private final ConsulDouble consul = ConsulDouble.start();
  private final Map<String, MockCluster> clusters = new TreeMap<>();

  DryRunServiceTest() {
    for (String name : List.of("eu-1", "eu-2")) {
      clusters.put(name, new MockCluster(MockCluster.Mode.TRAEFIK));
    }
  }

  @AfterAll
  static void stopKit() {
    KIT.shutdownTestKit();
  }

  @AfterEach
  void stopAll() {
    clusters.values().forEach(MockCluster::close);
    consul.close();
  }

  private static BindServer bind() {
    return BIND.server();
  }

  private TributarySettings settings() {
    return TributarySettings.from(ConfigFactory.parseString("""
        tributary {
          debounce { quiet = 50ms, max-delay = 500ms }
          writer { ask-timeout = 1s, anti-entropy-interval = 1s }
          consul.http.address = "%s"
          dns.zones = [{ name = example.com, server = "%s", tsig { name = %s, secret-file = "%s" } }]
          watch { min-backoff = 200ms, max-backoff = 2s, removal-grace = 500ms }
          clusters {
            eu-1.endpoints { addresses = ["192.0.2.11"], port = 8080 }
            eu-2.endpoints { addresses = ["192.0.2.21"], port = 8080 }
          }
        }
        """.formatted(consul.address(), bind().address(), BindServer.KEY, bind().secretFile()))
        .withFallback(ConfigFactory.load()).resolve());
  }

  /** The transcript's lines as {@code target op key}, each checked to be a dry run's. */
  private static List<String> changes(Path transcript) throws Exception {
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(transcript)) {
      JsonNode n = JSON.readTree(line);
      assertThat(n.path("dryRun").asBoolean()).as(line).isTrue();
      assertThat(n.path("at").asText()).as(line).isNotEmpty();
      out.add(n.path("target").asText() + " " + n.path("op").asText() + " " + n.path("key").asText());
    }
    return out;
  }

  @Test
  void aDryRunReadsBothTargetsWritesNeitherAndItsTranscriptHoldsEveryChange() throws Exception {
    clusters.get("eu-1").apply(ingress("shop", "web", "www.example.com", "/", "10"));
    clusters.get("eu-2").apply(ingress("shop", "web", "www.example.com", "/", "10"));
    clusters.get("eu-2").apply(ingress("shop", "old", "old.example.com", "/", "10"));
    // a real run writes both targets
    var real = LiveServices.start(KIT, settings(), clusters);
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(bind().query("www.example.com", "A")).containsExactly("192.0.2.11", "192.0.2.21");
      assertThat(bind().query("old.example.com", "A")).containsExactly("192.0.2.21");
      assertThat(consul.instanceCount()).isEqualTo(3);
    });
    LiveServices.stop(KIT, real);

    // while it is down: one route goes, one comes; then the dry run
    clusters.get("eu-2").delete("networking.k8s.io/v1", "Ingress", "shop", "old");
    clusters.get("eu-1").apply(ingress("shop", "new", "new.example.com", "/", "10"));
    consul.clearRequests();
    long serial = bind().serial("example.com");
    Path transcript = dir.resolve("dry-run.jsonl");
    var dryRun = List.of(
        "consul create tributary-eu-1/new-example-com-eu-1-192-0-2-11-8080",
        "consul delete tributary-eu-2/old-example-com-eu-2-192-0-2-21-8080",
        "dns create new.example.com/A",
        "dns delete old.example.com/A");
    try (var t = new TranscriptWriter(transcript, true)) {
      WriteObserver writes = new LoggingWriteObserver().andThen(t);
      var service = LiveServices.start(KIT, settings().inDryRun(), clusters, writes, PipelineListener.NONE);
      await().atMost(WAIT).untilAsserted(() -> assertThat(changes(transcript)).containsExactlyInAnyOrderElementsOf(dryRun));

      // a change while it runs is computed and logged too; anti-entropy passes (every second) report nothing again
      clusters.get("eu-2").apply(ingress("shop", "live", "live.example.com", "/", "10"));
      await().atMost(WAIT).until(() -> changes(transcript).size() == dryRun.size() + 2);
      await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
          .until(() -> changes(transcript).size() == dryRun.size() + 2);
      assertThat(changes(transcript)).contains(
          "consul create tributary-eu-2/live-example-com-eu-2-192-0-2-21-8080", "dns create live.example.com/A");
      assertThat(consul.count("GET", "/v1/catalog/nodes")).as("the targets are read").isGreaterThanOrEqualTo(2);
      LiveServices.stop(KIT, service);
    }

    // neither target was touched
    assertThat(consul.writes()).isZero();
    assertThat(bind().serial("example.com")).isEqualTo(serial);
    assertThat(bind().query("old.example.com", "A")).containsExactly("192.0.2.21");
    assertThat(bind().query("new.example.com", "A")).isEmpty();
    assertThat(bind().query("live.example.com", "A")).isEmpty();
    assertThat(consul.instanceCount()).isEqualTo(3);
  }
}
