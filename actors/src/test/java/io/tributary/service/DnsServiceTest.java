package io.tributary.service;

import static io.tributary.watch.MockCluster.ingress;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import io.tributary.settings.TributarySettings;
import io.tributary.testkit.BindServer;
import io.tributary.testkit.BindServerExtension;
import io.tributary.watch.MockCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * The live service end to end against two mock clusters and a real BIND 9: a hostname served by
 * both clusters is one A record set with both clusters' addresses, and a restart writes nothing.
 */
class DnsServiceTest {
  @RegisterExtension static final BindServerExtension BIND = new BindServerExtension("example.com");

  private static final ActorTestKit KIT = ActorTestKit.create();
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final Map<String, MockCluster> clusters = new TreeMap<>();
  private final TributarySettings settings = settings("""
      eu-1.endpoints { addresses = ["192.0.2.11"], port = 8080 }
      eu-2.endpoints { addresses = ["192.0.2.21", "2001:db8::21"], port = 8080 }
      """);

  /** The service's settings for the test zone on BIND, with these {@code clusters}. */
  private static TributarySettings settings(String clusters) {
    return TributarySettings.from(ConfigFactory.parseString("""
          tributary {
            debounce { quiet = 50ms, max-delay = 500ms }
            writer.ask-timeout = 1s
            dns.zones = [{ name = example.com, server = "%s", tsig { name = %s, secret-file = "%s" } }]
            watch { min-backoff = 200ms, max-backoff = 2s, removal-grace = 500ms }
            clusters { %s }
          }
          """.formatted(bind().address(), BindServer.KEY, bind().secretFile(), clusters)).withFallback(ConfigFactory.load()).resolve());
  }

  DnsServiceTest() {
    for (String name : List.of("eu-1", "eu-2")) {
      clusters.put(name, new MockCluster(MockCluster.Mode.TRAEFIK));
    }
  }

  private static BindServer bind() {
    return BIND.server();
  }

  @AfterAll
  static void stopKit() {
    KIT.shutdownTestKit();
  }

  @AfterEach
  void stopAll() {
    clusters.values().forEach(MockCluster::close);
  }

  private ActorRef<ServiceGuardian.Command> startService() {
    return LiveServices.start(KIT, settings, clusters);
  }

  private void stopService(ActorRef<ServiceGuardian.Command> service) throws Exception {
    LiveServices.stop(KIT, service);
  }

  /** The zone's serial: every applied UPDATE increments it. */
  private static long serial() {
    return bind().zone("example.com").stream().filter(r -> r.getType() == Type.SOA).map(r -> ((SOARecord) r).getSerial())
        .findFirst().orElseThrow();
  }

  @Test
  void aHostServedByTwoClustersIsOneRecordSetWithBothAndARestartWritesNothing() throws Exception {
    clusters.get("eu-1").apply(ingress("shop", "web", "www.example.com", "/", "10"));
    clusters.get("eu-2").apply(ingress("shop", "web", "www.example.com", "/", "10"));
    clusters.get("eu-2").apply(ingress("shop", "elsewhere", "www.example.net", "/", "10"));
    var service = startService();
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(bind().query("www.example.com", "A")).containsExactly("192.0.2.11", "192.0.2.21");
      assertThat(bind().query("www.example.com", "AAAA")).hasSize(1);
    });
    assertThat(bind().query("_tributary-a.www.example.com", "TXT").get(0))
        .contains("tributary/source=eu-1/Ingress/shop/web").contains("tributary/source=eu-2/Ingress/shop/web");
    stopService(service);

    // restart over unchanged clusters: the zone is read and found right
    long before = serial();
    var restarted = startService();
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> serial() == before);
    stopService(restarted);

    // the Ingress deleted in eu-2 while Tributary was down: its address leaves once every cluster has listed
    clusters.get("eu-2").delete("networking.k8s.io/v1", "Ingress", "shop", "web");
    var again = startService();
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(bind().query("www.example.com", "A")).containsExactly("192.0.2.11");
      assertThat(bind().query("www.example.com", "AAAA")).isEmpty();
    });
    assertThat(bind().query("_tributary-aaaa.www.example.com", "TXT")).isEmpty();
    stopService(again);
  }

  @Test
  void aNameServedByAddressesAndByAHostnameIsTheAddressesAndSurvivesRestartsAndALargeObject() throws Exception {
    var mixed = settings("""
        eu-1.endpoints { type = load-balancer, addresses = ["192.0.2.11", "192.0.2.12"], port = 80 }
        eu-2.endpoints { type = load-balancer, addresses = ["lb.eu-2.example.net"], port = 80 }
        """);
    clusters.get("eu-1").apply(ingress("shop", "shared", "shared.example.com", "/", "10"));
    clusters.get("eu-2").apply(ingress("shop", "shared", "shared.example.com", "/", "10"));
    clusters.get("eu-2").apply(ingress("shop", "lb", "lb-only.example.com", "/", "10"));
    var service = LiveServices.start(KIT, mixed, clusters);
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(bind().query("shared.example.com", "A")).containsExactly("192.0.2.11", "192.0.2.12");
      assertThat(bind().query("lb-only.example.com", "CNAME")).containsExactly("lb.eu-2.example.net.");
    });
    assertThat(bind().query("shared.example.com", "CNAME")).isEmpty();
    assertThat(bind().query("_tributary-cname.shared.example.com", "TXT")).isEmpty();
    stopService(service);

    // a restart over unchanged clusters sends no UPDATE, whichever cluster lists first
    long before = serial();
    var restarted = LiveServices.start(KIT, mixed, clusters);
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> serial() == before);

    // a 1 MiB Ingress in the middle of a burst of ordinary changes: every one of them lands
    for (int i = 0; i < 10; i++) {
      clusters.get("eu-1").apply(ingress("shop", "burst-" + i, "burst-" + i + ".example.com", "/", "10"));
      if (i == 4) {
        clusters.get("eu-1").apply(largeIngress("big.example.com", 1 << 20));
      }
    }
    clusters.get("eu-2").apply(ingress("shop", "after", "after.example.com", "/", "10"));
    await().atMost(WAIT).untilAsserted(() -> {
      for (int i = 0; i < 10; i++) {
        assertThat(bind().query("burst-" + i + ".example.com", "A")).as("burst-%d", i).hasSize(2);
      }
      assertThat(bind().query("big.example.com", "A")).hasSize(2);
      assertThat(bind().query("after.example.com", "CNAME")).containsExactly("lb.eu-2.example.net.");
    });
    stopService(restarted);
  }

  /** An Ingress for {@code host} carrying one annotation of {@code size} characters. */
  private static String largeIngress(String host, int size) {
    String json = ingress("shop", "big", host, "/", "10");
    return json.replace("\"annotations\":{", "\"annotations\":{\"example.com/blob\":\"" + "x".repeat(size) + "\",");
  }
}
