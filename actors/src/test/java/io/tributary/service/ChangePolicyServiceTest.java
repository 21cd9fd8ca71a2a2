package io.tributary.service;

import static io.tributary.watch.MockCluster.ingress;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import io.tributary.plan.PipelineListener;
import io.tributary.settings.TributarySettings;
import io.tributary.target.Change;
import io.tributary.target.ChangePolicy;
import io.tributary.target.Target;
import io.tributary.testkit.ConsulDouble;
import io.tributary.watch.MockCluster;
import io.tributary.writer.WriteObserver;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Item 14.4, live: an upsert-only Consul keeps a deleted route — one deleted while the service was
 * down (which the writer finds stale once every cluster has listed) and one deleted while it runs
 * (which the plan never hands on) — through anti-entropy passes, and still takes new routes.
 */
class ChangePolicyServiceTest {
  private static final ActorTestKit KIT = ActorTestKit.create();
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final ConsulDouble consul = ConsulDouble.start();
  private final Map<String, MockCluster> clusters = new TreeMap<>();

  ChangePolicyServiceTest() {
    clusters.put("eu-1", new MockCluster(MockCluster.Mode.TRAEFIK));
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

  private TributarySettings settings(String policy) {
    return TributarySettings.from(ConfigFactory.parseString("""
        tributary {
          debounce { quiet = 50ms, max-delay = 500ms }
          writer { ask-timeout = 1s, anti-entropy-interval = 1s }
          consul { http.address = "%s", policy = %s }
          watch { min-backoff = 200ms, max-backoff = 2s, removal-grace = 500ms }
          clusters.eu-1.endpoints { addresses = ["192.0.2.11"], port = 8080 }
        }
        """.formatted(consul.address(), policy)).withFallback(ConfigFactory.load()).resolve());
  }

  private int instancesOf(String service) {
    return consul.catalogService(service).size();
  }

  @Test
  void anUpsertOnlyConsulKeepsDeletedRoutesThroughAntiEntropyAndTakesNewOnes() throws Exception {
    clusters.get("eu-1").apply(ingress("shop", "web", "www.example.com", "/", "10"));
    clusters.get("eu-1").apply(ingress("api", "api", "api.example.com", "/", "10"));
    var first = LiveServices.start(KIT, settings("sync"), clusters);
    await().atMost(WAIT).until(() -> instancesOf("www-example-com") == 1 && instancesOf("api-example-com") == 1);
    LiveServices.stop(KIT, first);

    // api is deleted while Tributary is down: a sync Consul would lose it once the cluster has listed
    clusters.get("eu-1").delete("networking.k8s.io/v1", "Ingress", "api", "api");
    consul.clearRequests();
    List<String> withheld = new CopyOnWriteArrayList<>();
    WriteObserver writerReports = new WriteObserver() {
      @Override
      public void written(Instant at, Target target, Change change) {}

      @Override
      public void withheld(Target target, Change change, ChangePolicy policy) {
        withheld.add("writer " + policy.id() + " " + change.op().id() + " " + change.key());
      }
    };
    PipelineListener planReports = new PipelineListener() {
      @Override
      public void withheld(Target target, ChangePolicy policy, List<Change> changes) {
        changes.forEach(c -> withheld.add("plan " + policy.id() + " " + c.op().id() + " " + c.key()));
      }
    };
    var service = LiveServices.start(KIT, settings("upsert-only"), clusters, writerReports, planReports);
    await().atMost(WAIT).until(() -> withheld.contains("writer upsert-only delete tributary-eu-1/api-example-com-eu-1-192-0-2-11-8080"));
    await().atMost(WAIT).until(() -> consul.count("GET", "/v1/catalog/nodes") >= 3); // two anti-entropy passes
    assertThat(instancesOf("api-example-com")).isEqualTo(1);
    assertThat(consul.writes()).isZero();

    // www is deleted while it runs: the plan withholds the delete; the route stays through the next passes
    clusters.get("eu-1").delete("networking.k8s.io/v1", "Ingress", "shop", "web");
    await().atMost(WAIT).until(() -> withheld.contains("plan upsert-only delete tributary-eu-1/www-example-com-eu-1-192-0-2-11-8080"));
    long reads = consul.count("GET", "/v1/catalog/nodes");
    await().atMost(WAIT).until(() -> consul.count("GET", "/v1/catalog/nodes") >= reads + 2);
    assertThat(instancesOf("www-example-com")).isEqualTo(1);
    assertThat(instancesOf("api-example-com")).isEqualTo(1);
    assertThat(consul.writes()).isZero();
    assertThat(withheld).as("each withheld once, not at every pass").hasSize(2);

    // a new route is still registered
    clusters.get("eu-1").apply(ingress("shop", "cart", "cart.example.com", "/", "10"));
    await().atMost(WAIT).until(() -> instancesOf("cart-example-com") == 1);
    LiveServices.stop(KIT, service);
  }
}
