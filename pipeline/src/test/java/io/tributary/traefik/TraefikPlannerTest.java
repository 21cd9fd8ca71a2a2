package io.tributary.traefik;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import io.tributary.consul.ConsulPlanner;
import io.tributary.settings.TributarySettings;
import io.tributary.translate.Backend;
import io.tributary.translate.Middlewares;
import io.tributary.translate.PathMatch;
import io.tributary.translate.Route;
import io.tributary.watch.ObjectKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The strangler canary (VM backend and Kubernetes weighted, mirrored, or both) as Traefik dynamic configuration. */
class TraefikPlannerTest {
  private static final TributarySettings SETTINGS = TributarySettings.from(ConfigFactory.parseString("""
      tributary.translate.vm-backends { "shop.example.com" = "shop-vm" }
      tributary.consul.default-entrypoints = [web]
      """).withFallback(ConfigFactory.defaultReference()).resolve());
  private static final String CANARY = "o.shop-example-com-api-cart-canary";

  private static Route route(String host, Integer weight, boolean strip, String... middlewares) {
    var r = new Route(new ObjectKey("eu-1", "Ingress", "shop", "cart"), Instant.EPOCH, host, "/api/cart", PathMatch.PREFIX,
        new Backend("cart", 80, null), List.of(), List.of(middlewares), null, false, strip, false);
    return r.withOwnOptions(r.entrypoints(), strip, r.dnsHosts(), null, null, weight);
  }

  private static DynamicConfig plan(Route r, ConsulPlanner.MiddlewareLookup lookup, Map<String, String> mapped) {
    return TraefikPlanner.plan(r, SETTINGS.translate().vmBackends()::get, SETTINGS.consul(), "o", lookup, mapped);
  }

  private static List<String> entries(DynamicConfig c) {
    return c.entries("traefik", "o").stream().map(e -> e.key() + "=" + e.value()).toList();
  }

  private static ConsulPlanner.MiddlewareLookup known(Middlewares.Definition... defs) {
    return (cluster, name) -> cluster.equals("eu-1")
        ? Arrays.stream(defs).filter(d -> d.name().equals(name)).findFirst().orElse(null) : null;
  }

  private static Middlewares.Definition object(String name, String yamlishJson) {
    try {
      var o = (ObjectNode) new ObjectMapper().readTree(yamlishJson);
      var key = new ObjectKey("eu-1", "Middleware", "shop", name);
      return Middlewares.define(key, o);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aWeightedRouteOfAVmHostGetsAWeightedServiceAndARouterWithItsOwnStripPrefix() {
    assertThat(entries(plan(route("shop.example.com", 10, true), ConsulPlanner.MiddlewareLookup.NONE, Map.of()))).containsExactly(
        "traefik/http/middlewares/o.shop-example-com-api-cart-stripprefix/stripprefix/prefixes/0=/api/cart",
        "traefik/http/routers/" + CANARY + "/entrypoints/0=web",
        "traefik/http/routers/" + CANARY + "/middlewares/0=o.shop-example-com-api-cart-stripprefix",
        "traefik/http/routers/" + CANARY + "/priority=1051",
        "traefik/http/routers/" + CANARY + "/rule=Host(`shop.example.com`) && PathPrefix(`/api/cart`)",
        "traefik/http/routers/" + CANARY + "/service=" + CANARY,
        "traefik/http/services/" + CANARY + "/weighted/services/0/name=shop-vm@consulcatalog",
        "traefik/http/services/" + CANARY + "/weighted/services/0/weight=90",
        "traefik/http/services/" + CANARY + "/weighted/services/1/name=shop-example-com-api-cart@consulcatalog",
        "traefik/http/services/" + CANARY + "/weighted/services/1/weight=10");
  }

  @Test
  void noWeightOrNoVmBackendMeansNoCanary() {
    assertThat(plan(route("shop.example.com", null, false), ConsulPlanner.MiddlewareLookup.NONE, Map.of()).isEmpty()).isTrue();
    assertThat(plan(route("other.example.com", 50, false), ConsulPlanner.MiddlewareLookup.NONE, Map.of()).isEmpty()).isTrue();
  }

  @Test
  void weightZeroSendsEverythingToTheVmsAndHundredEverythingToKubernetes() {
    var none = (DynamicConfig.Weighted) plan(route("shop.example.com", 0, false), ConsulPlanner.MiddlewareLookup.NONE, Map.of())
        .services().get(CANARY);
    assertThat(none.services()).extracting(DynamicConfig.Member::weight).containsExactly(100, 0);
    var all = (DynamicConfig.Weighted) plan(route("shop.example.com", 100, false), ConsulPlanner.MiddlewareLookup.NONE, Map.of())
        .services().get(CANARY);
    assertThat(all.services()).extracting(DynamicConfig.Member::weight).containsExactly(0, 100);
  }

  @Test
  void aMirrorAloneCopiesTheVmsRequestsToKubernetes() {
    var config = plan(route("shop.example.com", null, false).withMirrorPercent(5), ConsulPlanner.MiddlewareLookup.NONE, Map.of());
    assertThat(config.services()).containsExactly(Map.entry(CANARY, new DynamicConfig.Mirroring("shop-vm@consulcatalog",
        List.of(new DynamicConfig.Mirror("shop-example-com-api-cart@consulcatalog", 5)))));
    assertThat(config.routers().get(CANARY).service()).isEqualTo(CANARY);
  }

  @Test
  void aMirrorWithAWeightMirrorsTheVmShareOnly() {
    var config = plan(route("shop.example.com", 20, false).withMirrorPercent(50), ConsulPlanner.MiddlewareLookup.NONE, Map.of());
    assertThat(config.services()).containsOnly(
        Map.entry(CANARY, new DynamicConfig.Weighted(List.of(new DynamicConfig.Member(CANARY + "-mirror", 80),
            new DynamicConfig.Member("shop-example-com-api-cart@consulcatalog", 20)))),
        Map.entry(CANARY + "-mirror", new DynamicConfig.Mirroring("shop-vm@consulcatalog",
            List.of(new DynamicConfig.Mirror("shop-example-com-api-cart@consulcatalog", 50)))));
  }

  @Test
  void carriedMiddlewaresAreDefinedInTheSameConfigurationWithEveryOptionAndTheirLists() {
    var allow = object("office", """
        {"spec": {"ipAllowList": {"sourceRange": ["10.0.0.0/8", "192.0.2.7"], "ipStrategy": {"depth": 2}}}}""");
    var headers = object("hdrs", """
        {"spec": {"headers": {"customRequestHeaders": {"X-Team": "shop"}, "stsSeconds": 300}}}""");
    var redirect = object("https", """
        {"spec": {"redirectScheme": {"scheme": "https", "permanent": true}}}""");
    var secure = object("secure", """
        {"spec": {"chain": {"middlewares": [{"name": "office"}, {"name": "hdrs"}]}}}""");
    var config = plan(route("shop.example.com", 10, false, "shop-https@kubernetescrd", "shop-secure@kubernetescrd", "ratelimit@file"),
        known(allow, headers, redirect, secure), Map.of());
    String p = "o.shop-example-com-api-cart-shop-";
    assertThat(config.routers().get(CANARY).middlewares()).containsExactly(p + "https", p + "secure", "ratelimit@file");
    assertThat(entries(config)).contains(
        "traefik/http/middlewares/" + p + "office/ipallowlist/sourcerange/0=10.0.0.0/8",
        "traefik/http/middlewares/" + p + "office/ipallowlist/sourcerange/1=192.0.2.7",
        "traefik/http/middlewares/" + p + "office/ipallowlist/ipstrategy/depth=2",
        "traefik/http/middlewares/" + p + "hdrs/headers/customrequestheaders/X-Team=shop",
        "traefik/http/middlewares/" + p + "hdrs/headers/stsseconds=300",
        "traefik/http/middlewares/" + p + "https/redirectscheme/scheme=https",
        "traefik/http/middlewares/" + p + "https/redirectscheme/permanent=true",
        "traefik/http/middlewares/" + p + "secure/chain/middlewares/0=" + p + "office",
        "traefik/http/middlewares/" + p + "secure/chain/middlewares/1=" + p + "hdrs");
  }

  @Test
  void aMappedMiddlewareIsNamedAsMappedAndAMissingOrUnusableOneLeavesNothingToWrite() {
    var basic = object("auth", """
        {"spec": {"basicAuth": {"secret": "users"}}}""");
    var mapped = plan(route("shop.example.com", 10, false, "shop-auth@kubernetescrd"), known(basic), Map.of("shop-auth", "auth@file"));
    assertThat(mapped.routers().get(CANARY).middlewares()).containsExactly("auth@file");
    assertThat(mapped.middlewares()).isEmpty();
    // the Consul plan holds such a group back and says why; the canary waits with it
    assertThat(plan(route("shop.example.com", 10, false, "shop-auth@kubernetescrd"), known(basic), Map.of()).isEmpty()).isTrue();
    assertThat(plan(route("shop.example.com", 10, false, "shop-gone@kubernetescrd"), known(basic), Map.of()).isEmpty()).isTrue();
    var loop = object("loop", """
        {"spec": {"chain": {"middlewares": [{"name": "loop"}]}}}""");
    assertThat(plan(route("shop.example.com", 10, false, "shop-loop@kubernetescrd"), known(loop), Map.of()).isEmpty()).isTrue();
  }
}
