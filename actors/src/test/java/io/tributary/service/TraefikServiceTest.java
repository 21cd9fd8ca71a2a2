package io.tributary.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.typesafe.config.ConfigFactory;
import io.tributary.settings.TributarySettings;
import io.tributary.testkit.ConsulDouble;
import io.tributary.testkit.EtcdServer;
import io.tributary.testkit.EtcdServerExtension;
import io.tributary.traefik.TraefikDocument;
import io.tributary.watch.MockCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The strangler canary end to end, through the live service into each of Traefik's providers: an
 * Ingress takes shop.example.com/checkout from the VM service {@code shop} with weight 10, then 100,
 * then goes; the file, etcd and Consul KV end each step with the same configuration.
 */
class TraefikServiceTest {
  @RegisterExtension static final EtcdServerExtension ETCD = new EtcdServerExtension();
  private static final ActorTestKit KIT = ActorTestKit.create();
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final String ROUTER = "traefik/http/routers/prod.shop-example-com-checkout-canary/";
  private static final String WEIGHTED = "traefik/http/services/prod.shop-example-com-checkout-canary/weighted/services/";

  @TempDir Path dir;

  @AfterAll
  static void stopKit() {
    io.tributary.consul.HttpTestKits.shutdown(KIT);
  }

  private static String canary(String weight) {
    return """
        {"apiVersion":"networking.k8s.io/v1","kind":"Ingress",
         "metadata":{"name":"checkout","namespace":"shop","creationTimestamp":"2026-01-01T00:00:00Z",
                     "annotations":{"tributary.io/weight":"%s","tributary.io/strip-prefix":"true"}},
         "spec":{"rules":[{"host":"shop.example.com","http":{"paths":[{"path":"/checkout","pathType":"Prefix",
                 "backend":{"service":{"name":"checkout","port":{"number":80}}}}]}}]}}
        """.formatted(weight);
  }

  private TributarySettings settings(ConsulDouble consul, String sink) {
    return TributarySettings.from(ConfigFactory.parseString("""
        tributary {
          owner-id = prod
          debounce { quiet = 50ms, max-delay = 500ms }
          writer.ask-timeout = 1s
          consul.http.address = "%s"
          translate.vm-backends { "shop.example.com" = shop }
          traefik { sink = %s, file.path = "%s", etcd.endpoints = ["%s"] }
          watch { min-backoff = 200ms, max-backoff = 2s, removal-grace = 500ms }
          clusters.eu-1.endpoints { addresses = ["192.0.2.11"], port = 8080 }
        }
        """.formatted(consul.address(), sink, dir.resolve("tributary.yml"), ETCD.server().endpoint()))
        .withFallback(ConfigFactory.load()).resolve());
  }

  /** This owner's entries in the file, as KV entries. */
  private Map<String, String> fileEntries() throws Exception {
    Path file = dir.resolve("tributary.yml");
    Map<String, String> out = new TreeMap<>();
    if (Files.exists(file)) {
      TraefikDocument.entries("traefik", YAML.readTree(file.toFile()), "prod").forEach(e -> out.put(e.key(), e.value()));
    }
    return out;
  }

  private static Map<String, String> ours(Map<String, String> all) {
    Map<String, String> out = new TreeMap<>();
    all.forEach((k, v) -> {
      if (k.startsWith("traefik/http/") && k.contains("/prod.")) {
        out.put(k, v);
      }
    });
    return out;
  }

  /** The three steps for one sink; answers what the sink held after each. */
  private Map<String, Map<String, String>> steps(String sink, ConsulDouble consul, Supplier<Map<String, String>> read)
      throws Exception {
    Map<String, Map<String, String>> seen = new LinkedHashMap<>();
    try (var cluster = new MockCluster(MockCluster.Mode.TRAEFIK)) {
      cluster.apply(canary("10"));
      var service = LiveServices.start(KIT, settings(consul, sink), Map.of("eu-1", cluster));
      try {
        await().atMost(WAIT).untilAsserted(() -> assertThat(read.get())
            .containsEntry(WEIGHTED + "0/name", "shop@consulcatalog").containsEntry(WEIGHTED + "0/weight", "90")
            .containsEntry(WEIGHTED + "1/weight", "10")
            .containsEntry(ROUTER + "rule", "Host(`shop.example.com`) && PathPrefix(`/checkout`)")
            .containsEntry(ROUTER + "middlewares/0", "prod.shop-example-com-checkout-stripprefix")
            .containsEntry("traefik/http/middlewares/prod.shop-example-com-checkout-stripprefix/stripprefix/prefixes/0", "/checkout"));
        seen.put("10", read.get());
        cluster.apply(canary("100"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(read.get())
            .containsEntry(WEIGHTED + "0/weight", "0").containsEntry(WEIGHTED + "1/weight", "100"));
        seen.put("100", read.get());
        cluster.delete("networking.k8s.io/v1", "Ingress", "shop", "checkout");
        await().atMost(WAIT).untilAsserted(() -> assertThat(read.get()).isEmpty());
      } finally {
        LiveServices.stop(KIT, service);
      }
    }
    return seen;
  }

  @Test
  void theCanaryReachesEveryProviderAndEachEndsEveryStepWithTheSameConfiguration() throws Exception {
    EtcdServer etcd = ETCD.server();
    etcd.put("traefik/http/routers/handmade/rule", "Host(`handmade.example.com`)"); // a person's own router
    Map<String, Map<String, Map<String, String>>> bySink = new LinkedHashMap<>();
    try (var consul = ConsulDouble.start()) {
      consul.putKv("traefik/http/routers/other.x/rule", "Host(`x.example.com`)"); // another owner's
      bySink.put("file", steps("file", consul, () -> {
        try {
          return fileEntries();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }));
      bySink.put("etcd", steps("etcd", consul, () -> ours(etcd.getPrefix("traefik/"))));
      bySink.put("consul-kv", steps("consul-kv", consul, () -> ours(consul.kv("traefik/"))));
      assertThat(consul.kv("traefik/")).containsKey("traefik/http/routers/other.x/rule");
    }
    assertThat(etcd.get("traefik/http/routers/handmade/rule")).isEqualTo("Host(`handmade.example.com`)");
    assertThat(bySink.get("etcd")).isEqualTo(bySink.get("file"));
    assertThat(bySink.get("consul-kv")).isEqualTo(bySink.get("file"));
  }
}
