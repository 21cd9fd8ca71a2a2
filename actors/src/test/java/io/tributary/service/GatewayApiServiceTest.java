package io.tributary.service;

import static io.tributary.watch.MockCluster.ingress;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.typesafe.config.ConfigFactory;
import io.tributary.settings.TributarySettings;
import io.tributary.testkit.ConsulDouble;
import io.tributary.watch.MockCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Gateway API manifests (the pipeline's test data, {@code manifests/gateway-api/}) through the live
 * service: the fabric8 mock API server (CRUD mode, with the Gateway API CRDs) watched as a cluster,
 * the Consul double as Consul. A weighted HTTPRoute waits for its Gateway, is registered once it is
 * there, and is withdrawn when its Gateway moves to another class.
 */
class GatewayApiServiceTest {
  private static final ActorTestKit KIT = ActorTestKit.create();
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final Path MANIFESTS = Path.of("..", "pipeline", "src", "test", "resources", "manifests", "gateway-api");

  @AfterAll
  static void stopKit() {
    io.tributary.consul.HttpTestKits.shutdown(KIT);
  }

  private static List<ObjectNode> manifest(String file) throws Exception {
    List<ObjectNode> out = new ArrayList<>();
    for (JsonNode doc : YAML.readerFor(JsonNode.class).<JsonNode>readValues(Files.readString(MANIFESTS.resolve(file))).readAll()) {
      if (doc instanceof ObjectNode o && !o.isEmpty()) {
        out.add(o);
      }
    }
    return out;
  }

  @Test
  void aWeightedHttpRouteIsRegisteredOnceItsGatewayExistsAndWithdrawnWhenTheGatewayChangesClass() throws Exception {
    List<ObjectNode> objects = manifest("traffic-splitting.yaml");
    ObjectNode gateway = objects.get(0);
    ObjectNode route = objects.get(1);
    try (var consul = ConsulDouble.start(); var cluster = new MockCluster(MockCluster.Mode.TRAEFIK)) {
      var settings = TributarySettings.from(ConfigFactory.parseString("""
          tributary {
            debounce { quiet = 50ms, max-delay = 500ms }
            writer.ask-timeout = 1s
            consul.http.address = "%s"
            translate.gateway-classes = [example]
            watch { min-backoff = 200ms, max-backoff = 2s, removal-grace = 500ms }
            clusters.eu-1.endpoints { addresses = ["192.0.2.11"], port = 8080 }
          }
          """.formatted(consul.address())).withFallback(ConfigFactory.load()).resolve());
      cluster.apply(route.toString());
      cluster.apply(ingress("shop", "web", "www.example.com", "/", "1")); // shows the cluster has been planned
      var service = LiveServices.start(KIT, settings, Map.of("eu-1", cluster));
      try {
        await().atMost(WAIT).until(() -> consul.catalogService("www-example-com").size() == 1);
        assertThat(consul.catalogService("foo-example-com")).isEmpty(); // its Gateway prod-web does not exist yet

        cluster.apply(gateway.toString());
        await().atMost(WAIT).until(() -> consul.catalogService("foo-example-com").size() == 1);
        assertThat(consul.catalogService("foo-example-com").get(0).path("ServiceTags").toString())
            .contains("traefik.http.routers.foo-example-com.rule=Host(`foo.example.com`)")
            .doesNotContain("weighted"); // the 90/10 split happens in the cluster, behind its Gateway

        ObjectNode other = gateway.deepCopy();
        ((ObjectNode) other.path("spec")).put("gatewayClassName", "istio");
        cluster.apply(other.toString());
        await().atMost(WAIT).until(() -> consul.catalogService("foo-example-com").isEmpty());
        assertThat(consul.catalogService("www-example-com")).hasSize(1);
      } finally {
        LiveServices.stop(KIT, service);
      }
    }
  }
}
