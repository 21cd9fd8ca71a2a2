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
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Gateway API manifests (the pipeline's test data, {@code manifests/gateway-api/}) through the live
 * service: the fabric8 mock API server (CRUD mode, with the Gateway API CRDs) watched as a cluster,
 * the Consul double as Consul. A weighted HTTPRoute waits for its Gateway, is registered once it is
 * there, and is withdrawn when its Gateway moves to another class. Two clusters started with their
 * Gateways and routes in place: no route is reported held back, and a hostname both clusters route
 * is one Consul service with instances in each, whatever other hostnames each route lists. The
 * Gateway API's shared Gateway admits the route of a namespace labelled for it, and withdraws it
 * when the label is removed.
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

  @Test
  void aSharedGatewayAdmitsTheRoutesOfLabelledNamespacesAndWithdrawsThemWhenTheLabelGoes() throws Exception {
    // what the pipeline says of each HTTPRoute, as the log and /status hear it
    var heard = new java.util.concurrent.ConcurrentLinkedQueue<String>();
    var listener = new io.tributary.plan.PipelineListener() {
      @Override
      public void accepted(io.tributary.watch.ObjectKey key, int routes, List<String> warnings) {
        heard.add(key + " accepted " + routes + " " + warnings);
      }
    };
    try (var consul = ConsulDouble.start(); var cluster = new MockCluster(MockCluster.Mode.TRAEFIK)) {
      var settings = TributarySettings.from(ConfigFactory.parseString("""
          tributary {
            debounce { quiet = 50ms, max-delay = 500ms }
            writer.ask-timeout = 1s
            consul.http.address = "%s"
            translate.gateway-classes = [shared-gateway-class]
            watch { min-backoff = 200ms, max-backoff = 2s, removal-grace = 500ms }
            clusters.eu-1.endpoints { addresses = ["192.0.2.11"], port = 8080 }
          }
          """.formatted(consul.address())).withFallback(ConfigFactory.load()).resolve());
      // as the Gateway API's guide: labelled namespaces, the shared Gateway in infra-ns, a route in
      // site-ns (labelled) and one in no-external-access (not); all there before the service starts
      for (ObjectNode o : manifest("shared-gateway.yaml")) {
        cluster.apply(o.toString());
      }
      var service = LiveServices.start(KIT, settings, Map.of("eu-1", cluster), io.tributary.writer.WriteObserver.NONE, listener);
      try {
        await().atMost(WAIT).until(() -> consul.catalogService("foo-example-com").size() == 1);
        assertThat(consul.catalogService("foo-example-com").get(0).path("ServiceMeta").path("namespace").asText()).isEqualTo("site-ns");
        assertThat(consul.instanceCount()).isEqualTo(1); // the route of no-external-access is not admitted
        // registered once at start: the informers' order (Namespaces after the routes, or before) never withdrew it
        assertThat(consul.transactions().toString()).doesNotContain("\"Verb\":\"delete\"");

        // the label removed: withdrawn
        cluster.apply(MockCluster.namespace("site-ns", "team", "site"));
        await().atMost(WAIT).until(() -> consul.catalogService("foo-example-com").isEmpty());
        // and labelled again: admitted again
        cluster.apply(MockCluster.namespace("site-ns", "team", "site", "shared-gateway-access", "true"));
        await().atMost(WAIT).until(() -> consul.catalogService("foo-example-com").size() == 1);
      } finally {
        LiveServices.stop(KIT, service);
      }
      assertThat(heard)
          .anyMatch(m -> m.contains("HTTPRoute/no-external-access/admin accepted 0") && m.contains("does not select namespace no-external-access"));
      // until it was admitted at start, the home route waited silently (never said not to be selected)
      List<String> home = heard.stream().filter(m -> m.startsWith("eu-1/HTTPRoute/site-ns/home ")).toList();
      int admitted = home.indexOf("eu-1/HTTPRoute/site-ns/home accepted 1 []");
      assertThat(admitted).isNotNegative();
      assertThat(home.subList(0, admitted)).allMatch(m -> m.endsWith("accepted 0 []"));
    }
  }

  private static String gatewayJson(String className) {
    return ("{'apiVersion':'gateway.networking.k8s.io/v1','kind':'Gateway','metadata':{'name':'gw-" + className + "','namespace':'infra'},"
        + "'spec':{'gatewayClassName':'" + className + "','listeners':[{'name':'http','port':80,'protocol':'HTTP',"
        + "'allowedRoutes':{'namespaces':{'from':'All'}}}]}}").replace('\'', '"');
  }

  private static String routeJson(String name, String className, String... hostnames) {
    return ("{'apiVersion':'gateway.networking.k8s.io/v1','kind':'HTTPRoute','metadata':{'name':'" + name + "','namespace':'store',"
        + "'creationTimestamp':'2026-01-01T00:00:00Z'},'spec':{'parentRefs':[{'name':'gw-" + className + "','namespace':'infra'}],"
        + "'hostnames':['" + String.join("','", hostnames) + "'],'rules':[{'matches':[{'path':{'type':'Exact','value':'/cart'}}],"
        + "'backendRefs':[{'name':'cart','port':8080}]}]}}").replace('\'', '"');
  }

  @Test
  void twoClustersStartWithoutHeldBackWarningsAndShareOneServicePerHostname() throws Exception {
    Logger log = (Logger) LoggerFactory.getLogger("io.tributary.pipeline");
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    log.addAppender(lines);
    try (var consul = ConsulDouble.start(); var alpha = new MockCluster(MockCluster.Mode.TRAEFIK);
        var beta = new MockCluster(MockCluster.Mode.TRAEFIK)) {
      var settings = TributarySettings.from(ConfigFactory.parseString("""
          tributary {
            debounce { quiet = 50ms, max-delay = 500ms }
            writer.ask-timeout = 1s
            consul.http.address = "%s"
            translate.gateway-classes = [example]
            watch { min-backoff = 200ms, max-backoff = 2s, removal-grace = 500ms }
            clusters.alpha.endpoints { addresses = ["192.0.2.11"], port = 8080 }
            clusters.beta.endpoints { addresses = ["192.0.2.21"], port = 8080 }
          }
          """.formatted(consul.address())).withFallback(ConfigFactory.load()).resolve());
      for (MockCluster c : List.of(alpha, beta)) {
        c.apply(gatewayJson("example"));
        c.apply(gatewayJson("istio"));
        c.apply(routeJson("elsewhere", "istio", "mesh.example.test")); // not ours: ignored, never held back
      }
      alpha.apply(routeJson("cart", "example", "store.example.test", "new.example.test"));
      beta.apply(routeJson("cart", "example", "store.example.test"));
      var service = LiveServices.start(KIT, settings, Map.of("alpha", alpha, "beta", beta));
      try {
        await().atMost(WAIT).until(() -> consul.catalogService("store-example-test-cart-exact").size() == 2
            && consul.catalogService("new-example-test-cart-exact").size() == 1);
        assertThat(consul.catalogService("store-example-test-cart-exact"))
            .extracting(n -> n.path("ServiceMeta").path("cluster").asText()).containsExactlyInAnyOrder("alpha", "beta");
        assertThat(consul.catalogService("new-example-test-cart-exact"))
            .extracting(n -> n.path("ServiceMeta").path("cluster").asText()).containsExactly("alpha");
        assertThat(consul.catalogService("mesh-example-test-cart-exact")).isEmpty();
      } finally {
        LiveServices.stop(KIT, service);
      }
      assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage).noneMatch(m -> m.contains("held back"));
    } finally {
      log.detachAppender(lines);
    }
  }
}
