package io.tributary.service;

import static io.tributary.watch.MockCluster.ingress;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import io.tributary.settings.TributarySettings;
import io.tributary.testkit.ConsulDouble;
import io.tributary.watch.MockCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The live service end to end against three mock clusters and the Consul double: Ingresses become
 * catalog registrations, and a restart rewrites nothing that is still wanted.
 */
class ConsulServiceTest {
  private static final ActorTestKit KIT = ActorTestKit.create();
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final ConsulDouble consul = ConsulDouble.start();
  private final Map<String, MockCluster> clusters = new TreeMap<>();
  private final TributarySettings settings = TributarySettings.from(ConfigFactory.parseString("""
          tributary {
            debounce { quiet = 50ms, max-delay = 500ms }
            writer.ask-timeout = 1s
            consul.http.address = "%s"
            watch { min-backoff = 200ms, max-backoff = 2s, removal-grace = 500ms }
            clusters {
              eu-1.endpoints { addresses = ["192.0.2.11"], port = 8080 }
              eu-2.endpoints { addresses = ["192.0.2.21"], port = 8080 }
              ap-1.endpoints { addresses = ["192.0.2.31"], port = 8080 }
            }
          }
          """.formatted(consul.address())).withFallback(ConfigFactory.load()).resolve());

  ConsulServiceTest() {
    for (String name : List.of("eu-1", "eu-2", "ap-1")) {
      clusters.put(name, new MockCluster(MockCluster.Mode.TRAEFIK));
    }
  }

  @AfterAll
  static void stopKit() {
    io.tributary.consul.HttpTestKits.shutdown(KIT);
  }

  @AfterEach
  void stopAll() {
    clusters.values().forEach(MockCluster::close);
    consul.close();
  }

  private ActorRef<ServiceGuardian.Command> startService() {
    return LiveServices.start(KIT, settings, clusters);
  }

  private void stopService(ActorRef<ServiceGuardian.Command> service) throws Exception {
    LiveServices.stop(KIT, service);
  }

  private List<String> nodesOf(String service) {
    List<String> nodes = new ArrayList<>();
    consul.catalogService(service).forEach((JsonNode n) -> nodes.add(n.path("Node").asText()));
    nodes.sort(null);
    return nodes;
  }

  @Test
  void ingressesInThreeClustersBecomeRegistrationsAndARestartRewritesNothing() throws Exception {
    clusters.get("eu-1").apply(ingress("shop", "web", "www.example.com", "/", "10"));
    clusters.get("eu-2").apply(ingress("shop", "web", "www.example.com", "/", "10"));
    clusters.get("ap-1").apply(ingress("api", "api", "api.example.com", "/", "10"));
    var service = startService();
    await().atMost(WAIT).until(() -> nodesOf("www-example-com").size() == 2 && nodesOf("api-example-com").size() == 1);
    assertThat(nodesOf("www-example-com")).containsExactly("tributary-eu-1", "tributary-eu-2");
    assertThat(consul.catalogService("www-example-com")).allSatisfy(n -> {
      assertThat(n.path("ServicePort").asInt()).isEqualTo(8080);
      assertThat(n.path("ServiceTags").toString()).contains("traefik.http.routers.www-example-com.rule=Host(`www.example.com`)");
    });
    stopService(service);

    // restart over unchanged clusters: every registration is read back and found equal
    consul.clearRequests();
    var restarted = startService();
    await().atMost(WAIT).until(() -> consul.count("GET", "/v1/catalog/nodes") >= 1);
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> consul.writes() == 0);
    stopService(restarted);

    // an Ingress deleted while Tributary was down: removed once every cluster has listed, nothing else written
    clusters.get("ap-1").delete("networking.k8s.io/v1", "Ingress", "api", "api");
    consul.clearRequests();
    var again = startService();
    await().atMost(WAIT).until(() -> nodesOf("api-example-com").isEmpty());
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> consul.writes() == 1);
    assertThat(nodesOf("www-example-com")).containsExactly("tributary-eu-1", "tributary-eu-2");
    stopService(again);
  }
}
