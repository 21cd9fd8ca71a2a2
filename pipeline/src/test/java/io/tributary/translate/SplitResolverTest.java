package io.tributary.translate;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.translate.ServiceRef.Kind;
import io.tributary.watch.ObjectKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A route's services resolved in its cluster: the split noted, or what the cluster lacks to serve it. */
class SplitResolverTest {
  private static final ObjectKey IR = new ObjectKey("eu-1", "IngressRoute", "shop", "web");

  private static ServiceRef service(String name, int port, Integer weight) {
    return new ServiceRef(Kind.SERVICE, "shop", name, Integer.toString(port), weight);
  }

  private static ServiceRef traefikService(String name, Integer weight) {
    return new ServiceRef(Kind.TRAEFIK_SERVICE, "shop", name, "", weight);
  }

  private static Route route(ServiceRef... services) {
    return new Route(IR, Instant.EPOCH, "shop.example.com", "/", PathMatch.PREFIX, new Backend(services[0].name(), null, ""),
        List.of(), List.of(), null, false, false, false).withServices(List.of(services));
  }

  /** The TraefikServices of cluster eu-1 only. */
  private static SplitResolver.Lookup known(TraefikServices.Definition... definitions) {
    Map<String, TraefikServices.Definition> byName =
        Arrays.stream(definitions).collect(Collectors.toMap(TraefikServices.Definition::name, Function.identity()));
    return (cluster, name) -> cluster.equals("eu-1") ? byName.get(name) : null;
  }

  private static TraefikServices.Weighted weighted(String name, ServiceRef... services) {
    return new TraefikServices.Weighted(name, List.of(services));
  }

  @Test
  void aRouteToOneServiceOrToAnotherProvidersServiceHasNothingToResolve() {
    assertThat(SplitResolver.resolve(route(service("web", 80, null)), SplitResolver.Lookup.NONE)).isEqualTo(SplitResolver.Resolution.PLAIN);
    var internal = new ServiceRef(Kind.TRAEFIK_SERVICE, "shop", "api@internal", "", null);
    assertThat(SplitResolver.resolve(route(internal), SplitResolver.Lookup.NONE)).isEqualTo(SplitResolver.Resolution.PLAIN);
    // an Ingress route carries no services list: its backend is its one service
    var ingress = new Route(new ObjectKey("eu-1", "Ingress", "shop", "web"), Instant.EPOCH, "a.example.com", "/", PathMatch.PREFIX,
        new Backend("web", 80, null), List.of(), List.of(), null, false, false, false);
    assertThat(SplitResolver.resolve(ingress, SplitResolver.Lookup.NONE)).isEqualTo(SplitResolver.Resolution.PLAIN);
  }

  @Test
  void aTypeTraefikServesButTributaryDoesNotResolveIsNamedAndHoldsNothingBack() {
    var r = SplitResolver.resolve(route(traefikService("hrw", null)), known(new TraefikServices.Unresolved("shop-hrw", "highestRandomWeight")));
    assertThat(r.missing()).isNull();
    assertThat(r.split()).contains("highestRandomWeight");
  }

  @Test
  void severalServicesOfARouteAreSplitByTheirWeights() {
    var r = SplitResolver.resolve(route(service("shop-v1", 80, 3), service("shop-v2", 80, 1)), SplitResolver.Lookup.NONE);
    assertThat(r).isEqualTo(new SplitResolver.Resolution(null, "weighted shop-v1:80 75%, shop-v2:80 25%"));
    var thirds = SplitResolver.resolve(route(service("a", 80, null), service("b", 80, null), service("c", 80, null)),
        SplitResolver.Lookup.NONE);
    assertThat(thirds.split()).isEqualTo("weighted a:80 33.3%, b:80 33.3%, c:80 33.3%");
    var off = SplitResolver.resolve(route(service("a", 80, 0), service("b", 80, 0)), SplitResolver.Lookup.NONE);
    assertThat(off.split()).isEqualTo("weighted a:80 0%, b:80 0%");
    var other = new ServiceRef(Kind.SERVICE, "web", "a", "http", null);
    assertThat(SplitResolver.resolve(route(other, service("b", 80, null)), SplitResolver.Lookup.NONE).split())
        .isEqualTo("weighted web/a:http 50%, b:80 50%");
  }

  @Test
  void aTraefikServiceIsResolvedIntoItsTreeWithNestedMembersInBrackets() {
    var lookup = known(
        weighted("shop-canary", service("shop-v1", 80, 9), traefikService("next", 1)),
        weighted("shop-next", service("shop-v2", 80, null), new ServiceRef(Kind.TRAEFIK_SERVICE, "", "legacy@file", "", null)),
        new TraefikServices.Mirroring("shop-shadowed", service("shop-v1", 80, null),
            List.of(new TraefikServices.Mirror(service("shop-v2", 80, null), 10)), true, -1));
    assertThat(SplitResolver.resolve(route(traefikService("canary", null)), lookup)).isEqualTo(new SplitResolver.Resolution(null,
        "shop-canary = weighted shop-v1:80 90%, shop-next [weighted shop-v2:80 50%, legacy@file 50%] 10%"));
    assertThat(SplitResolver.resolve(route(traefikService("shadowed", null)), lookup).split())
        .isEqualTo("shop-shadowed = mirroring shop-v1:80, mirrors shop-v2:80 10%");
    assertThat(SplitResolver.resolve(route(traefikService("shadowed", 1), service("web", 80, 1)), lookup).split())
        .isEqualTo("weighted shop-shadowed [mirroring shop-v1:80, mirrors shop-v2:80 10%] 50%, web:80 50%");
  }

  @Test
  void aMissingOrUnusableTraefikServiceDirectlyOrNestedIsWhatTheClusterLacks() {
    assertThat(SplitResolver.resolve(route(traefikService("canary", null)), known()))
        .isEqualTo(new SplitResolver.Resolution("TraefikService shop-canary, which does not exist in cluster eu-1", null));
    var unusable = new TraefikServices.Unusable("shop-canary", "weighted.services[0].name is required");
    assertThat(SplitResolver.resolve(route(traefikService("canary", null)), known(unusable)).missing())
        .isEqualTo("TraefikService shop-canary of cluster eu-1, which cannot be used: weighted.services[0].name is required");
    var nested = known(weighted("shop-canary", service("shop-v1", 80, null), traefikService("gone", null)));
    assertThat(SplitResolver.resolve(route(traefikService("canary", null)), nested).missing()).isEqualTo(
        "TraefikService shop-canary of cluster eu-1, which cannot be used: its service TraefikService shop-gone,"
            + " which does not exist in cluster eu-1");
    // one missing among a route's several services is enough
    assertThat(SplitResolver.resolve(route(service("web", 80, null), traefikService("gone", null)), nested).missing())
        .isEqualTo("TraefikService shop-gone, which does not exist in cluster eu-1");
    // each cluster's objects are its own
    var elsewhere = new Route(new ObjectKey("eu-2", "IngressRoute", "shop", "web"), Instant.EPOCH, "shop.example.com", "/",
        PathMatch.PREFIX, new Backend("canary", null, ""), List.of(), List.of(), null, false, false, false)
        .withServices(List.of(traefikService("canary", null)));
    assertThat(SplitResolver.resolve(elsewhere, known(weighted("shop-canary", service("a", 80, null)))).missing())
        .isEqualTo("TraefikService shop-canary, which does not exist in cluster eu-2");
  }

  @Test
  void aTreeReachingItselfIsToldOnceWithTheCycle() {
    var cycle = known(weighted("shop-a", service("web", 80, null), traefikService("b", null)),
        new TraefikServices.Mirroring("shop-b", traefikService("a", null), List.of(), true, -1),
        weighted("shop-outer", traefikService("a", null)));
    assertThat(SplitResolver.resolve(route(traefikService("a", null)), cycle).missing())
        .isEqualTo("TraefikService shop-a of cluster eu-1, which cannot be used: it reaches itself through its services"
            + " (shop-a → shop-b → shop-a)");
    assertThat(SplitResolver.resolve(route(traefikService("outer", null)), cycle).missing())
        .isEqualTo("TraefikService shop-outer of cluster eu-1, which cannot be used: its service TraefikService shop-a of cluster eu-1,"
            + " which cannot be used: it reaches itself through its services (shop-a → shop-b → shop-a)");
    var self = known(weighted("shop-a", traefikService("a", null)));
    assertThat(SplitResolver.resolve(route(traefikService("a", null)), self).missing())
        .endsWith("it reaches itself through its services (shop-a → shop-a)");
    // the same TraefikService twice in one tree is no cycle
    var diamond = known(weighted("shop-top", traefikService("leaf", 1), traefikService("leaf", 1)), weighted("shop-leaf", service("web", 80, null)));
    assertThat(SplitResolver.resolve(route(traefikService("top", null)), diamond).split())
        .isEqualTo("shop-top = weighted shop-leaf [weighted web:80 100%] 50%, shop-leaf [weighted web:80 100%] 50%");
  }
}
