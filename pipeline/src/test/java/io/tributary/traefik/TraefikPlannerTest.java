package io.tributary.traefik;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.tributary.settings.TributarySettings;
import io.tributary.translate.Backend;
import io.tributary.translate.PathMatch;
import io.tributary.translate.Route;
import io.tributary.watch.ObjectKey;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The strangler canary (VM backend and Kubernetes weighted) in Traefik's KV layout. */
class TraefikPlannerTest {
  private static final TributarySettings SETTINGS = TributarySettings.from(ConfigFactory.parseString("""
      tributary.translate.vm-backends { "shop.example.com" = "shop-vm" }
      tributary.consul.default-entrypoints = [web]
      """).withFallback(ConfigFactory.defaultReference()).resolve());

  private static Route route(String host, Integer weight, boolean strip) {
    var r = new Route(new ObjectKey("eu-1", "Ingress", "shop", "cart"), Instant.EPOCH, host, "/api/cart", PathMatch.PREFIX,
        new Backend("cart", 80, null), List.of(), List.of(), null, false, strip, false);
    return r.withOwnOptions(r.entrypoints(), strip, r.dnsHosts(), null, null, weight);
  }

  @Test
  void aWeightedRouteOfAVmHostGetsAWeightedServiceAndARouter() {
    var entries = TraefikPlanner.plan(route("shop.example.com", 10, true), SETTINGS.translate(), SETTINGS.consul(), SETTINGS.traefik(), "o");
    assertThat(entries).extracting(e -> e.key() + "=" + e.value()).containsExactly(
        "traefik/http/routers/o.shop-example-com-api-cart-canary/entrypoints/0=web",
        "traefik/http/routers/o.shop-example-com-api-cart-canary/middlewares/0=shop-example-com-api-cart-stripprefix@consulcatalog",
        "traefik/http/routers/o.shop-example-com-api-cart-canary/priority=1051",
        "traefik/http/routers/o.shop-example-com-api-cart-canary/rule=Host(`shop.example.com`) && PathPrefix(`/api/cart`)",
        "traefik/http/routers/o.shop-example-com-api-cart-canary/service=o.shop-example-com-api-cart-canary",
        "traefik/http/services/o.shop-example-com-api-cart-canary/weighted/services/0/name=shop-vm@consulcatalog",
        "traefik/http/services/o.shop-example-com-api-cart-canary/weighted/services/0/weight=90",
        "traefik/http/services/o.shop-example-com-api-cart-canary/weighted/services/1/name=shop-example-com-api-cart@consulcatalog",
        "traefik/http/services/o.shop-example-com-api-cart-canary/weighted/services/1/weight=10");
  }

  @Test
  void noWeightOrNoVmBackendMeansNoCanary() {
    assertThat(TraefikPlanner.plan(route("shop.example.com", null, false), SETTINGS.translate(), SETTINGS.consul(), SETTINGS.traefik(), "o")).isEmpty();
    assertThat(TraefikPlanner.plan(route("other.example.com", 50, false), SETTINGS.translate(), SETTINGS.consul(), SETTINGS.traefik(), "o")).isEmpty();
  }

  @Test
  void weightZeroSendsEverythingToTheVmsAndHundredEverythingToKubernetes() {
    var none = TraefikPlanner.plan(route("shop.example.com", 0, false), SETTINGS.translate(), SETTINGS.consul(), SETTINGS.traefik(), "o");
    assertThat(none).filteredOn(e -> e.key().endsWith("0/weight")).extracting(TraefikEntry::value).containsExactly("100");
    var all = TraefikPlanner.plan(route("shop.example.com", 100, false), SETTINGS.translate(), SETTINGS.consul(), SETTINGS.traefik(), "o");
    assertThat(all).filteredOn(e -> e.key().endsWith("1/weight")).extracting(TraefikEntry::value).containsExactly("100");
  }

  @Test
  void theCanaryRouterNamesAMappedMiddlewareAsMappedAndACarriedOneInTheCatalog() {
    var plain = new Route(new ObjectKey("eu-1", "Ingress", "shop", "cart"), Instant.EPOCH, "shop.example.com", "/api/cart",
        PathMatch.PREFIX, new Backend("cart", 80, null), List.of(),
        List.of("shop-auth@kubernetescrd", "shop-office@kubernetescrd"), null, false, false, false);
    var r = plain.withOwnOptions(plain.entrypoints(), false, plain.dnsHosts(), null, null, 10);
    var entries = TraefikPlanner.plan(r, SETTINGS.translate(), SETTINGS.consul(), SETTINGS.traefik(), "o",
        java.util.Map.of("shop-auth@kubernetescrd", "auth@file", "shop-office@kubernetescrd", "eu-1-shop-office"));
    assertThat(entries).map(e -> e.key() + "=" + e.value()).contains(
        "traefik/http/routers/o.shop-example-com-api-cart-canary/middlewares/0=auth@file",
        "traefik/http/routers/o.shop-example-com-api-cart-canary/middlewares/1=eu-1-shop-office@consulcatalog");
  }
}
