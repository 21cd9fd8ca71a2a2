package io.tributary.service;

import static io.tributary.watch.MockCluster.ingress;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
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
 * Traefik's own mirroring manifest (the pipeline's test data, {@code manifests/traefik/}) through
 * the live service: the fabric8 mock API server watched as a cluster, the Consul double as Consul.
 * The route waits for its TraefikServices, is registered once they are there, and is withdrawn when
 * a nested one goes.
 */
class TraefikServiceManifestsTest {
  private static final ActorTestKit KIT = ActorTestKit.create();
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final Path MANIFESTS = Path.of("..", "pipeline", "src", "test", "resources", "manifests", "traefik");

  @AfterAll
  static void stopKit() {
    io.tributary.consul.HttpTestKits.shutdown(KIT);
  }

  /** The manifest's objects of kinds a cluster watch sees, as JSON. */
  private static List<JsonNode> manifest(String file) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode doc : YAML.readerFor(JsonNode.class).<JsonNode>readValues(Files.readString(MANIFESTS.resolve(file))).readAll()) {
      if (List.of("IngressRoute", "TraefikService", "Service").contains(doc.path("kind").asText())) {
        out.add(doc);
      }
    }
    return out;
  }

  @Test
  void aMirroredRouteIsRegisteredOnceItsTraefikServicesExistAndWithdrawnWhenANestedOneGoes() throws Exception {
    List<JsonNode> objects = manifest("with_mirroring2.yml");
    try (var consul = ConsulDouble.start(); var cluster = new MockCluster(MockCluster.Mode.TRAEFIK)) {
      var settings = TributarySettings.from(ConfigFactory.parseString("""
          tributary {
            debounce { quiet = 50ms, max-delay = 500ms }
            writer.ask-timeout = 1s
            consul.http.address = "%s"
            watch { min-backoff = 200ms, max-backoff = 2s, removal-grace = 500ms }
            clusters.eu-1.endpoints { addresses = ["192.0.2.11"], port = 8080 }
          }
          """.formatted(consul.address())).withFallback(ConfigFactory.load()).resolve());
      objects.stream().filter(o -> !o.path("kind").asText().equals("TraefikService")).forEach(o -> cluster.apply(o.toString()));
      cluster.apply(ingress("shop", "web", "www.example.com", "/", "1")); // shows the cluster has been planned
      var service = LiveServices.start(KIT, settings, Map.of("eu-1", cluster));
      try {
        await().atMost(WAIT).until(() -> consul.catalogService("www-example-com").size() == 1);
        assertThat(consul.catalogService("foo-com-foo")).isEmpty(); // its TraefikService mirror1 does not exist yet

        objects.stream().filter(o -> o.path("kind").asText().equals("TraefikService")).forEach(o -> cluster.apply(o.toString()));
        await().atMost(WAIT).until(() -> consul.catalogService("foo-com-foo").size() == 1);
        assertThat(consul.catalogService("foo-com-foo").get(0).path("ServiceTags").toString())
            .contains("traefik.http.routers.foo-com-foo.rule=Host(`foo.com`) && PathPrefix(`/foo`)")
            .doesNotContain("mirror"); // the mirroring happens in the cluster, behind its ingress

        cluster.delete("traefik.io/v1alpha1", "TraefikService", "default", "wrr2"); // mirror1's mirror
        await().atMost(WAIT).until(() -> consul.catalogService("foo-com-foo").isEmpty());
        assertThat(consul.catalogService("www-example-com")).hasSize(1);
      } finally {
        LiveServices.stop(KIT, service);
      }
    }
  }
}
