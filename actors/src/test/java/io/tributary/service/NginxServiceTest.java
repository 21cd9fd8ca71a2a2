package io.tributary.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import io.tributary.settings.TributarySettings;
import io.tributary.testkit.ConsulDouble;
import io.tributary.watch.MockCluster;
import java.time.Duration;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The live service end to end with ingress-nginx-class Ingresses in a mock cluster (real HTTP and
 * watches) and the Consul double: the allow list reaches the Catalog tags, a canary pair is one
 * service with its split in the meta, and the canary alone is withdrawn.
 */
class NginxServiceTest {
  private static final ActorTestKit KIT = ActorTestKit.create();
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String SERVICE = "shop-example-com-api";

  private final ConsulDouble consul = ConsulDouble.start();
  private final MockCluster cluster = new MockCluster(MockCluster.Mode.TRAEFIK);
  private final TributarySettings settings = TributarySettings.from(ConfigFactory.parseString("""
          tributary {
            debounce { quiet = 50ms, max-delay = 500ms }
            writer.ask-timeout = 1s
            consul.http.address = "%s"
            watch { min-backoff = 200ms, max-backoff = 2s, removal-grace = 500ms }
            clusters.eu-1.endpoints { addresses = ["192.0.2.11"], port = 8080 }
            translate { ingress-classes = ["traefik"], nginx-classes = ["nginx"] }
          }
          """.formatted(consul.address())).withFallback(ConfigFactory.load()).resolve());

  @AfterAll
  static void stopKit() {
    io.tributary.consul.HttpTestKits.shutdown(KIT);
  }

  @AfterEach
  void stopAll() {
    cluster.close();
    consul.close();
  }

  private static String ingress(String name, String service, String annotations) {
    return ("{'apiVersion':'networking.k8s.io/v1','kind':'Ingress','metadata':{'name':'" + name + "','namespace':'shop',"
        + "'annotations':{" + annotations + "}},'spec':{'ingressClassName':'nginx','rules':[{'host':'shop.example.com',"
        + "'http':{'paths':[{'path':'/api','pathType':'Prefix','backend':{'service':{'name':'" + service + "',"
        + "'port':{'number':80}}}}]}}]}}").replace('\'', '"');
  }

  @Test
  void anAllowListAndACanaryPairReachConsulAndTheCanaryAloneIsWithdrawn() throws Exception {
    cluster.apply(ingress("web-canary", "web-v2",
        "'nginx.ingress.kubernetes.io/canary':'true','nginx.ingress.kubernetes.io/canary-weight':'20'"));
    cluster.apply(ingress("web", "web", "'nginx.ingress.kubernetes.io/allowlist-source-range':'10.0.0.0/8'"));
    var service = LiveServices.start(KIT, settings, Map.of("eu-1", cluster));
    await().atMost(WAIT).until(() -> consul.catalogService(SERVICE).size() == 1);
    var instance = consul.catalogService(SERVICE).get(0);
    assertThat(instance.path("ServiceTags").toString())
        .contains("traefik.http.middlewares.eu-1-shop-web-nginx-allowlist.ipallowlist.sourcerange=10.0.0.0/8")
        .contains("traefik.http.routers.shop-example-com-api.middlewares=eu-1-shop-web-nginx-allowlist");
    assertThat(instance.path("ServiceMeta").path("nginx-canary").asText()).isEqualTo("weighted web:80 80%, web-v2:80 20%");
    assertThat(instance.path("ServiceMeta").path("name").asText()).isEqualTo("web");

    // the primary goes while the canary lives: the route is withdrawn, never handed to the canary
    cluster.delete("networking.k8s.io/v1", "Ingress", "shop", "web");
    await().atMost(WAIT).until(() -> consul.catalogService(SERVICE).isEmpty());
    LiveServices.stop(KIT, service);
  }
}
