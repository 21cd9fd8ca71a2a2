package io.tributary.consul;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.settings.ClusterEndpoints;
import io.tributary.settings.ConsulSettings;
import io.tributary.settings.TagSyntax;
import io.tributary.translate.Backend;
import io.tributary.translate.Middlewares;
import io.tributary.translate.PathMatch;
import io.tributary.translate.Route;
import io.tributary.translate.ServiceRef;
import io.tributary.translate.SplitResolver;
import io.tributary.translate.TraefikServices;
import io.tributary.watch.ObjectKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Routes of one group → Consul registrations, service names and Traefik tags. */
class ConsulPlannerTest {
  private static final Instant OLD = Instant.parse("2025-01-01T00:00:00Z");
  private static final Instant NEW = Instant.parse("2026-01-01T00:00:00Z");
  private static final ConsulSettings V3 = ConsulSettings.defaults();
  private static final Map<String, ClusterEndpoints> ENDPOINTS =
      Map.of(
          "eu-1", new ClusterEndpoints("eu-1", List.of("192.0.2.11", "192.0.2.12"), 8080),
          "eu-2", new ClusterEndpoints("eu-2", List.of("192.0.2.21"), 8080),
          "us-1", new ClusterEndpoints("us-1", List.of("2001:db8::1"), 80));
  private static final Function<String, ClusterEndpoints> EP = ENDPOINTS::get;

  private static Route route(String cluster, String ns, String name, Instant created, String host, String path) {
    return new Route(new ObjectKey(cluster, "Ingress", ns, name), created, host, path, PathMatch.PREFIX,
        new Backend("web", 80, null), List.of(), List.of(), null, false, false, false);
  }

  private static Route with(Route r, List<String> eps, List<String> mws, Integer prio, boolean tls, boolean strip, boolean catchAll, PathMatch m) {
    return new Route(r.source(), r.created(), r.host(), r.path(), m, r.backend(), eps, mws, prio, tls, strip, catchAll);
  }

  private static ConsulSettings syntax(TagSyntax s, List<String> defaultEps) {
    return new ConsulSettings("dc1", "tributary-{cluster}", "{host}{path}", s, defaultEps);
  }

  @Test
  void oneClusterGivesOneInstancePerEndpointAddressWithOwnerMeta() {
    var plan = plan(List.of(route("eu-1", "shop", "cart", OLD, "shop.example.com", "/api/cart")), EP, V3, "tributary");
    assertThat(plan.registrations()).extracting(ConsulRegistration::key).containsExactly(
        "tributary-eu-1/shop-example-com-api-cart-eu-1-192-0-2-11-8080",
        "tributary-eu-1/shop-example-com-api-cart-eu-1-192-0-2-12-8080");
    var reg = plan.registrations().get(0);
    assertThat(reg.service()).isEqualTo("shop-example-com-api-cart");
    assertThat(reg.address()).isEqualTo("192.0.2.11");
    assertThat(reg.port()).isEqualTo(8080);
    assertThat(reg.meta()).containsEntry("owner", "tributary").containsEntry("cluster", "eu-1")
        .containsEntry("namespace", "shop").containsEntry("kind", "Ingress").containsEntry("name", "cart")
        .containsEntry("external-source", "tributary").containsEntry("host", "shop.example.com");
    assertThat(plan.notes()).isEmpty();
  }

  @Test
  void theSameHostAndPathInThreeClustersIsOneServiceWithIdenticalTagsOnEveryInstance() {
    var plan = plan(List.of(
        route("us-1", "shop", "web", NEW, "www.example.com", "/"),
        route("eu-1", "shop", "web", OLD, "www.example.com", "/"),
        route("eu-2", "shop", "web", OLD, "www.example.com", "/")), EP, V3, "o");
    assertThat(plan.registrations()).hasSize(4);
    assertThat(plan.registrations()).extracting(ConsulRegistration::service).containsOnly("www-example-com");
    assertThat(plan.registrations()).extracting(ConsulRegistration::node)
        .containsExactly("tributary-eu-1", "tributary-eu-1", "tributary-eu-2", "tributary-us-1");
    assertThat(plan.registrations()).extracting(ConsulRegistration::tags).allMatch(t -> t.equals(plan.registrations().get(0).tags()));
    assertThat(plan.registrations().get(3).serviceId()).isEqualTo("www-example-com-us-1-2001-db8-1-80");
  }

  @Test
  void anotherNamespaceClaimingTheSameHostAndPathLosesToTheOlderClaim() {
    var plan = plan(List.of(
        route("eu-1", "intruder", "web", NEW, "www.example.com", "/"),
        route("eu-2", "shop", "web", OLD, "www.example.com", "/")), EP, V3, "o");
    assertThat(plan.registrations()).extracting(ConsulRegistration::node).containsOnly("tributary-eu-2");
    assertThat(plan.notes()).singleElement().asString()
        .startsWith("conflict: Host(`www.example.com`) claimed by eu-2/Ingress/shop/web (older) and eu-1/Ingress/intruder/web");
  }

  @Test
  void equalAgesAreBrokenByClusterNamespaceAndName() {
    var plan = plan(List.of(
        route("eu-2", "aaa", "web", OLD, "www.example.com", "/"),
        route("eu-1", "zzz", "web", OLD, "www.example.com", "/")), EP, V3, "o");
    assertThat(plan.registrations()).extracting(r -> r.meta().get("namespace")).containsOnly("zzz");
  }

  @Test
  void differingRouterOptionsUseTheOlderDeclarationAndSaySo() {
    var older = route("eu-1", "shop", "web", OLD, "www.example.com", "/");
    var newer = with(route("eu-2", "shop", "web", NEW, "www.example.com", "/"), List.of("websecure"), List.of(), null, true, false, false, PathMatch.PREFIX);
    var plan = plan(List.of(newer, older), EP, V3, "o");
    assertThat(plan.registrations()).allSatisfy(r -> assertThat(r.tags()).noneMatch(t -> t.contains("tls")));
    assertThat(plan.notes()).singleElement().asString().contains("router options differ");
  }

  @Test
  void thePlanDoesNotDependOnTheOrderOfItsInput() {
    List<Route> routes = new ArrayList<>();
    for (String c : List.of("eu-1", "eu-2", "us-1")) {
      routes.add(route(c, "shop", "web", OLD, "www.example.com", "/"));
    }
    var expected = plan(routes, EP, V3, "o");
    for (int seed = 0; seed < 10; seed++) {
      var shuffled = new ArrayList<>(routes);
      Collections.shuffle(shuffled, new Random(seed));
      assertThat(plan(shuffled, EP, V3, "o")).isEqualTo(expected);
    }
  }

  static Stream<Arguments> v3Tags() {
    var base = route("eu-1", "shop", "web", OLD, "shop.example.com", "/api");
    var svc = "traefik.http.routers.shop-example-com-api.";
    return Stream.of(
        Arguments.of("prefix", base, List.of(svc + "rule=Host(`shop.example.com`) && PathPrefix(`/api`)")),
        Arguments.of("exact", with(base, List.of(), List.of(), null, false, false, false, PathMatch.EXACT),
            List.of("traefik.http.routers.shop-example-com-api-exact.rule=Host(`shop.example.com`) && Path(`/api`)")),
        Arguments.of("entrypoints", with(base, List.of("websecure", "web"), List.of(), null, false, false, false, PathMatch.PREFIX),
            List.of(svc + "entrypoints=websecure,web")),
        Arguments.of("priority", with(base, List.of(), List.of(), 42, false, false, false, PathMatch.PREFIX), List.of(svc + "priority=42")),
        Arguments.of("catch-all", with(base, List.of(), List.of(), null, false, false, true, PathMatch.PREFIX), List.of(svc + "priority=1")),
        Arguments.of("tls", with(base, List.of(), List.of(), null, true, false, false, PathMatch.PREFIX), List.of(svc + "tls=true")),
        Arguments.of("strip", with(base, List.of(), List.of(), null, false, true, false, PathMatch.PREFIX), List.of(
            "traefik.http.middlewares.shop-example-com-api-stripprefix.stripprefix.prefixes=/api",
            svc + "middlewares=shop-example-com-api-stripprefix")),
        Arguments.of("middlewares", with(base, List.of(), List.of("auth@file", "rl@file"), null, false, false, false, PathMatch.PREFIX),
            List.of(svc + "middlewares=auth@file,rl@file")),
        Arguments.of("strip then middlewares", with(base, List.of(), List.of("auth@file"), null, false, true, false, PathMatch.PREFIX),
            List.of(svc + "middlewares=shop-example-com-api-stripprefix,auth@file")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("v3Tags")
  void v3TagsCarryEveryRouterOption(String name, Route route, List<String> expected) {
    var tags = plan(List.of(route), EP, V3, "o").registrations().get(0).tags();
    assertThat(tags).contains("traefik.enable=true").containsAll(expected).isSorted();
    assertThat(tags).anyMatch(t -> t.matches("traefik\\.http\\.routers\\.[a-z0-9-]+\\.service=[a-z0-9-]+"));
  }

  @Test
  void theRootPathRoutesTheWholeHostAndDefaultEntrypointsApplyWhenTheRouteNamesNone() {
    var tags = TraefikTags.tags("www", route("eu-1", "s", "w", OLD, "www.example.com", "/"), syntax(TagSyntax.V3, List.of("web")));
    assertThat(tags).contains("traefik.http.routers.www.rule=Host(`www.example.com`)", "traefik.http.routers.www.entrypoints=web");
    var none = TraefikTags.tags("www", route("eu-1", "s", "w", OLD, "www.example.com", "/"), V3);
    assertThat(none).noneMatch(t -> t.contains("entrypoints"));
  }

  @Test
  void wildcardHostsUseEachVersionsRegexpSyntax() {
    var r = route("eu-1", "s", "w", OLD, "*.apps.example.com", "/");
    assertThat(TraefikTags.rule(r, TagSyntax.V3)).isEqualTo("HostRegexp(`^[a-z0-9-]+\\.apps\\.example\\.com$`)");
    assertThat(TraefikTags.rule(r, TagSyntax.V2)).isEqualTo("HostRegexp(`{subdomain:[a-z0-9-]+}.apps.example.com`)");
    assertThat(ServiceNames.serviceName(r, V3)).isEqualTo("wildcard-apps-example-com");
  }

  static Stream<Arguments> v1Rules() {
    var base = route("eu-1", "s", "w", OLD, "shop.example.com", "/api");
    return Stream.of(
        Arguments.of(route("eu-1", "s", "w", OLD, "shop.example.com", "/"), "Host:shop.example.com"),
        Arguments.of(base, "Host:shop.example.com;PathPrefix:/api"),
        Arguments.of(with(base, List.of(), List.of(), null, false, false, false, PathMatch.EXACT), "Host:shop.example.com;Path:/api"),
        Arguments.of(with(base, List.of(), List.of(), null, false, true, false, PathMatch.PREFIX), "Host:shop.example.com;PathPrefixStrip:/api"),
        Arguments.of(with(base, List.of(), List.of(), null, false, true, false, PathMatch.EXACT), "Host:shop.example.com;PathStrip:/api"),
        Arguments.of(route("eu-1", "s", "w", OLD, "*.example.com", "/"), "HostRegexp:{subdomain:[a-z0-9-]+}.example.com"));
  }

  @ParameterizedTest
  @MethodSource("v1Rules")
  void traefik1TagsUseTheFrontendRuleSyntax(Route route, String rule) {
    var tags = TraefikTags.tags("svc", route, syntax(TagSyntax.V1, List.of()));
    assertThat(tags).contains("traefik.enable=true", "traefik.frontend.rule=" + rule);
    assertThat(tags).noneMatch(t -> t.startsWith("traefik.http."));
  }

  @Test
  void traefik1CannotExpressMiddlewaresAndTheNoteSaysSo() {
    var r = with(route("eu-1", "s", "w", OLD, "shop.example.com", "/"), List.of("web"), List.of("auth@file"), 5, false, false, false, PathMatch.PREFIX);
    var plan = plan(List.of(r), EP, syntax(TagSyntax.V1, List.of()), "o");
    assertThat(plan.registrations().get(0).tags()).contains("traefik.frontend.entryPoints=web", "traefik.frontend.priority=5");
    assertThat(plan.notes()).singleElement().asString().contains("cannot be expressed in Traefik 1 tags");
  }

  private static Route backend(Route r, String service) {
    return new Route(r.source(), r.created(), r.host(), r.path(), r.pathMatch(), new Backend(service, 80, null),
        r.entrypoints(), r.middlewares(), r.priority(), r.tls(), r.stripPrefix(), r.catchAll());
  }

  @Test
  void theConflictNoteNamesBothClaimsAndTheLosersClusterGetsNoInstances() {
    var plan = plan(List.of(
        route("eu-2", "intruder", "web", NEW, "www.example.com", "/"),
        route("eu-1", "shop", "web", OLD, "www.example.com", "/")), EP, V3, "o");
    assertThat(plan.registrations()).extracting(ConsulRegistration::node).containsOnly("tributary-eu-1");
    assertThat(plan.notes()).containsExactly(
        "conflict: Host(`www.example.com`) claimed by eu-1/Ingress/shop/web (older) and eu-2/Ingress/intruder/web;"
            + " eu-2/Ingress/intruder/web left out");
    assertThat(plan.winner().source()).isEqualTo(new ObjectKey("eu-1", "Ingress", "shop", "web"));
  }

  @Test
  void anotherBackendServiceInTheSameNamespaceIsAnotherOwner() {
    var plan = plan(List.of(
        backend(route("eu-1", "shop", "new-web", NEW, "www.example.com", "/"), "new-web"),
        route("eu-1", "shop", "web", OLD, "www.example.com", "/")), EP, V3, "o");
    assertThat(plan.registrations()).extracting(r -> r.meta().get("name")).containsOnly("web");
    assertThat(plan.notes()).singleElement().asString().startsWith("conflict: ").endsWith("eu-1/Ingress/shop/new-web left out");
  }

  static Stream<Arguments> ties() {
    return Stream.of(
        Arguments.of("cluster", route("eu-2", "aaa", "web", OLD, "www.example.com", "/"),
            route("eu-1", "zzz", "web", OLD, "www.example.com", "/"), "zzz"),
        Arguments.of("namespace", route("eu-1", "zzz", "web", OLD, "www.example.com", "/"),
            route("eu-1", "aaa", "web", OLD, "www.example.com", "/"), "aaa"),
        Arguments.of("name", backend(route("eu-1", "shop", "b", OLD, "www.example.com", "/"), "b"),
            backend(route("eu-1", "shop", "a", OLD, "www.example.com", "/"), "a"), "a"));
  }

  @ParameterizedTest(name = "equal ages: {0} decides")
  @MethodSource("ties")
  void equalAgesAreBrokenByClusterThenNamespaceThenName(String by, Route loser, Route winner, String expectedNameOrNs) {
    for (var input : List.of(List.of(loser, winner), List.of(winner, loser))) {
      var plan = plan(input, EP, V3, "o");
      assertThat(plan.winner()).isEqualTo(winner);
      assertThat(plan.registrations()).allSatisfy(r -> assertThat(r.meta()).containsValue(expectedNameOrNs));
      assertThat(plan.notes()).singleElement().asString().endsWith(loser.source() + " left out");
    }
  }

  @Test
  void eachClustersMetaNamesItsOldestWinningObject() {
    var plan = plan(List.of(
        route("eu-1", "shop", "b", OLD, "www.example.com", "/"),
        route("eu-1", "shop", "a", OLD, "www.example.com", "/"),
        route("eu-2", "shop", "c", NEW, "www.example.com", "/"),
        route("eu-2", "shop", "z", OLD, "www.example.com", "/")), EP, V3, "o");
    assertThat(plan.registrations()).extracting(r -> r.meta().get("cluster") + ":" + r.meta().get("name"))
        .containsExactly("eu-1:a", "eu-1:a", "eu-2:z");
    assertThat(plan.notes()).isEmpty();
  }

  static Stream<Arguments> routerOptions() {
    var base = route("eu-2", "shop", "web", NEW, "www.example.com", "/");
    return Stream.of(
        Arguments.of("entrypoints", with(base, List.of("websecure"), List.of(), null, false, false, false, PathMatch.PREFIX)),
        Arguments.of("middlewares", with(base, List.of(), List.of("auth@file"), null, false, false, false, PathMatch.PREFIX)),
        Arguments.of("priority", with(base, List.of(), List.of(), 9, false, false, false, PathMatch.PREFIX)),
        Arguments.of("tls", with(base, List.of(), List.of(), null, true, false, false, PathMatch.PREFIX)),
        Arguments.of("strip", with(base, List.of(), List.of(), null, false, true, false, PathMatch.PREFIX)),
        Arguments.of("catch-all", with(base, List.of(), List.of(), null, false, false, true, PathMatch.PREFIX)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("routerOptions")
  void anyDifferingRouterOptionIsNotedAndEveryInstanceCarriesTheOlderOnesTags(String option, Route newer) {
    var older = route("eu-1", "shop", "web", OLD, "www.example.com", "/");
    var plan = plan(List.of(newer, older), EP, V3, "o");
    assertThat(plan.notes()).containsExactly(
        "eu-2/Ingress/shop/web: router options differ from eu-1/Ingress/shop/web; using the older declaration");
    var expected = TraefikTags.withServerPort(TraefikTags.tags("www-example-com", older, V3), "www-example-com", 8080, TagSyntax.V3);
    assertThat(plan.registrations()).hasSize(3).allSatisfy(r -> assertThat(r.tags()).isEqualTo(expected));
  }

  @Test
  void everyV3TagOfARichRouteInSortedOrder() {
    var r = with(route("eu-1", "shop", "web", OLD, "shop.example.com", "/api"), List.of("websecure"), List.of("auth@file"),
        10, true, true, false, PathMatch.PREFIX);
    var svc = "traefik.http.routers.shop-example-com-api.";
    assertThat(plan(List.of(r), EP, V3, "o").registrations().get(0).tags()).containsExactly(
        "traefik.enable=true",
        "traefik.http.middlewares.shop-example-com-api-stripprefix.stripprefix.prefixes=/api",
        svc + "entrypoints=websecure",
        svc + "middlewares=shop-example-com-api-stripprefix,auth@file",
        svc + "priority=10",
        svc + "rule=Host(`shop.example.com`) && PathPrefix(`/api`)",
        svc + "service=shop-example-com-api",
        svc + "tls=true",
        "traefik.http.services.shop-example-com-api.loadbalancer.server.port=8080");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "V2 | traefik.http.routers.wildcard-apps-example-com.rule=HostRegexp(`{subdomain:[a-z0-9-]+}.apps.example.com`)",
    "V3 | traefik.http.routers.wildcard-apps-example-com.rule=HostRegexp(`^[a-z0-9-]+\\.apps\\.example\\.com$`)"
  })
  void aWildcardHostGetsTheRegexpOfItsTraefikVersion(TagSyntax version, String ruleTag) {
    var r = route("eu-1", "s", "w", OLD, "*.apps.example.com", "/");
    assertThat(TraefikTags.tags("wildcard-apps-example-com", r, syntax(version, List.of("web")))).containsExactly(
        "traefik.enable=true",
        "traefik.http.routers.wildcard-apps-example-com.entrypoints=web",
        ruleTag,
        "traefik.http.routers.wildcard-apps-example-com.service=wildcard-apps-example-com");
  }

  @ParameterizedTest(name = "route {0}, default {1} → {2}")
  @CsvSource(delimiter = '|', value = {
    "a,b | web | a,b",
    "''  | web | web",
    "''  | ''  | ''"
  })
  void entrypointsComeFromTheRouteElseFromTheDefaultElseNoTag(String routeEps, String defaultEps, String expected) {
    var r = with(route("eu-1", "s", "w", OLD, "www.example.com", "/"), split(routeEps), List.of(), null, false, false, false,
        PathMatch.PREFIX);
    for (TagSyntax version : TagSyntax.values()) {
      var tags = TraefikTags.tags("www", r, syntax(version, split(defaultEps)));
      String key = version == TagSyntax.V1 ? "traefik.frontend.entryPoints=" : "traefik.http.routers.www.entrypoints=";
      if (expected.isEmpty()) {
        assertThat(tags).noneMatch(t -> t.toLowerCase().contains("entrypoints"));
      } else {
        assertThat(tags).contains(key + expected);
      }
    }
  }

  private static List<String> split(String csv) {
    return csv.isEmpty() ? List.of() : List.of(csv.split(","));
  }

  @Test
  void anExplicitPriorityBeatsTheCatchAllDefault() {
    var r = with(route("eu-1", "s", "w", OLD, "www.example.com", "/"), List.of(), List.of(), 7, false, false, true, PathMatch.PREFIX);
    assertThat(TraefikTags.tags("www", r, V3)).filteredOn(t -> t.contains("priority"))
        .containsExactly("traefik.http.routers.www.priority=7");
  }

  @Test
  void strippingTheRootPathIsANoOpAndWritesNoMiddleware() {
    var r = with(route("eu-1", "s", "w", OLD, "www.example.com", "/"), List.of(), List.of(), null, false, true, false, PathMatch.PREFIX);
    assertThat(TraefikTags.tags("www", r, V3)).noneMatch(t -> t.contains("middlewares"));
    assertThat(TraefikTags.tags("www", r, syntax(TagSyntax.V1, List.of()))).contains("traefik.frontend.rule=Host:www.example.com");
  }

  @Test
  void traefik1TagsOfARichRouteAndWhatTheyLeaveOut() {
    var r = with(route("eu-1", "s", "w", OLD, "shop.example.com", "/api"), List.of(), List.of("auth@file"), null, true, true, true,
        PathMatch.PREFIX);
    var plan = plan(List.of(r), EP, syntax(TagSyntax.V1, List.of("web")), "o");
    // tls has no Traefik 1 tag (the entry point decides), so it is neither tagged nor noted
    assertThat(plan.registrations().get(0).tags()).containsExactly(
        "traefik.enable=true",
        "traefik.frontend.entryPoints=web",
        "traefik.frontend.priority=1",
        "traefik.frontend.rule=Host:shop.example.com;PathPrefixStrip:/api",
        "traefik.port=8080");
    assertThat(plan.notes()).containsExactly(
        "eu-1/Ingress/s/w: middlewares [auth@file] cannot be expressed in Traefik 1 tags; left out");
  }

  @Test
  void instanceIdsOfIpv6EndpointsAreSluggedAndNeverCollide() {
    var endpoints = new ClusterEndpoints("v6", List.of("2001:db8::1", "2001:DB8:1::", "2001:db8::1", "2001:db8::2"), 443);
    var plan = plan(List.of(route("v6", "shop", "web", OLD, "www.example.com", "/")), c -> endpoints, V3, "o");
    assertThat(plan.registrations()).extracting(ConsulRegistration::address)
        .containsExactlyInAnyOrder("2001:db8::1", "2001:DB8:1::", "2001:db8::2");
    assertThat(plan.registrations()).extracting(ConsulRegistration::serviceId)
        .doesNotHaveDuplicates()
        .contains("www-example-com-v6-2001-db8-2-443")
        .allMatch(id -> id.matches("[a-z0-9-]+"))
        .filteredOn(id -> !id.equals("www-example-com-v6-2001-db8-2-443"))
        .allMatch(id -> id.matches("www-example-com-v6-2001-db8-1-[0-9a-f]{6}-443"));
    assertThat(plan.registrations()).extracting(ConsulRegistration::key).isSorted();
  }

  @Test
  void aClusterWithoutEndpointAddressesGetsNoInstancesAndANote() {
    var empty = new ClusterEndpoints("dark", List.of(), 80);
    var plan = plan(List.of(
        route("dark", "shop", "web", OLD, "www.example.com", "/"),
        route("eu-2", "shop", "web", OLD, "www.example.com", "/")), c -> c.equals("dark") ? empty : EP.apply(c), V3, "o");
    assertThat(plan.registrations()).extracting(ConsulRegistration::node).containsOnly("tributary-eu-2");
    assertThat(plan.notes()).containsExactly("dark has no ingress endpoint addresses; no instances of www-example-com there");
  }

  @Test
  void oneObjectDeclaringTheRouteTwiceGivesTheSamePlanInEitherOrder() {
    var a = route("eu-1", "shop", "web", OLD, "www.example.com", "/");
    var b = backend(a, "api");
    var expected = plan(List.of(a, b), EP, V3, "o");
    assertThat(plan(List.of(b, a), EP, V3, "o")).isEqualTo(expected);
    assertThat(expected.notes()).singleElement().asString().startsWith("conflict: ");
  }

  @Test
  void conflictsNotesAndInstancesDoNotDependOnTheOrderOfTheInput() {
    List<Route> routes = new ArrayList<>();
    for (String c : List.of("eu-1", "eu-2", "us-1")) {
      routes.add(route(c, "shop", "web", OLD, "www.example.com", "/"));
      routes.add(with(route(c, "shop", "web2", NEW, "www.example.com", "/"), List.of("websecure"), List.of(), 3, true, false,
          false, PathMatch.PREFIX));
      routes.add(route(c, "intruder", "web", NEW, "www.example.com", "/"));
      routes.add(backend(route(c, "shop", "other", OLD, "www.example.com", "/"), "other"));
    }
    var expected = plan(routes, EP, V3, "o");
    assertThat(expected.notes()).hasSize(10).contains(
        "clusters serve www-example-com on different ports [80, 8080]; no server-port tag, so Traefik uses each instance's own port");
    for (int seed = 0; seed < 20; seed++) {
      var shuffled = new ArrayList<>(routes);
      Collections.shuffle(shuffled, new Random(seed));
      assertThat(plan(shuffled, EP, V3, "o")).isEqualTo(expected);
    }
  }

  // ---- Middleware objects

  private static final Middlewares.Definition ALLOW = new Middlewares.Definition(
      "shop-office", "ipallowlist", Map.of("sourcerange", "10.0.0.0/8,192.0.2.7"), null);
  private static final Middlewares.Definition HEADERS = new Middlewares.Definition(
      "shop-hdrs", "headers", Map.of("customrequestheaders.X-Team", "shop"), null);

  private static ConsulPlanner.MiddlewareLookup known(Middlewares.Definition... defs) {
    return (cluster, name) -> cluster.equals("eu-1")
        ? java.util.Arrays.stream(defs).filter(d -> d.name().equals(name)).findFirst().orElse(null) : null;
  }

  /** The plan with IngressRoutes preferred, no canary and no Middleware objects. */
  private static ConsulPlan plan(
      List<Route> routes, Function<String, ClusterEndpoints> endpoints, ConsulSettings settings, String owner) {
    return ConsulPlanner.plan(routes, endpoints, settings, owner, "IngressRoute", w -> false, ConsulPlanner.MiddlewareLookup.NONE);
  }

  private static ConsulPlan planWith(Route r, ConsulSettings settings, ConsulPlanner.MiddlewareLookup lookup) {
    return ConsulPlanner.plan(List.of(r), EP, settings, "o", "IngressRoute", w -> false, lookup);
  }

  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.EnumSource(value = TagSyntax.class, names = {"V2", "V3"})
  void middlewareObjectsAreDefinedInTheTagsAndReferencedInDeclaredOrder(TagSyntax version) {
    var r = with(route("eu-1", "shop", "web", OLD, "www.example.com", "/"), List.of(),
        List.of("shop-office@kubernetescrd", "auth@file", "shop-hdrs@kubernetescrd"), null, false, false, false, PathMatch.PREFIX);
    var plan = planWith(r, syntax(version, List.of()), known(ALLOW, HEADERS));
    String allow = version == TagSyntax.V2 ? "ipwhitelist" : "ipallowlist";
    assertThat(plan.registrations()).isNotEmpty().allSatisfy(reg -> assertThat(reg.tags()).contains(
        "traefik.http.middlewares.eu-1-shop-office." + allow + ".sourcerange=10.0.0.0/8,192.0.2.7",
        "traefik.http.middlewares.eu-1-shop-hdrs.headers.customrequestheaders.X-Team=shop",
        "traefik.http.routers.www-example-com.middlewares=eu-1-shop-office,auth@file,eu-1-shop-hdrs"));
    assertThat(plan.middlewareNames()).containsEntry("shop-office@kubernetescrd", "eu-1-shop-office");
    assertThat(plan.notes()).isEmpty();
  }

  @Test
  void aRouteWhoseMiddlewareDoesNotExistIsHeldBackWithTheReason() {
    var r = with(route("eu-1", "shop", "web", OLD, "www.example.com", "/"), List.of(), List.of("shop-office@kubernetescrd"),
        null, false, false, false, PathMatch.PREFIX);
    var plan = planWith(r, V3, known(HEADERS));
    assertThat(plan.registrations()).isEmpty();
    assertThat(plan.winner()).isNull();
    assertThat(plan.notes()).singleElement().asString().isEqualTo(
        "held back: Host(`www.example.com`) is not registered until eu-1/Ingress/shop/web can have its Middleware shop-office,"
            + " which does not exist in cluster eu-1 (without it the route could lose what the middleware enforces)");
    // a Middleware of the same name in another cluster does not count: each cluster's objects are its own
    var elsewhere = with(route("eu-2", "shop", "web", OLD, "www.example.com", "/"), List.of(), List.of("shop-office@kubernetescrd"),
        null, false, false, false, PathMatch.PREFIX);
    assertThat(planWith(elsewhere, V3, known(ALLOW)).registrations()).isEmpty();
  }

  @Test
  void anUnusableMiddlewareOrTraefik1TagsHoldTheRouteBackToo() {
    var r = with(route("eu-1", "shop", "web", OLD, "www.example.com", "/"), List.of(), List.of("shop-auth@kubernetescrd"),
        null, false, false, false, PathMatch.PREFIX);
    var basic = new Middlewares.Definition("shop-auth", "basicauth", Map.of(), "basicAuth cannot be carried over: its users live in a Kubernetes Secret");
    assertThat(planWith(r, V3, known(basic)).notes()).singleElement().asString().contains("which cannot be used: basicAuth cannot be carried over");
    var v1 = with(route("eu-1", "shop", "web", OLD, "www.example.com", "/"), List.of(), List.of("shop-office@kubernetescrd"),
        null, false, false, false, PathMatch.PREFIX);
    var plan = planWith(v1, syntax(TagSyntax.V1, List.of()), known(ALLOW));
    assertThat(plan.registrations()).isEmpty();
    assertThat(plan.notes()).anySatisfy(n -> assertThat(n).contains("which Traefik 1 tags cannot define"));
  }

  // ---- chains and translate.middleware-map

  private static Middlewares.Definition chain(String name, String... members) {
    return new Middlewares.Definition(name, "chain", Map.of(), null, List.of(members));
  }

  private static Route naming(String... refs) {
    return with(route("eu-1", "shop", "web", OLD, "www.example.com", "/"), List.of(), List.of(refs),
        null, false, false, false, PathMatch.PREFIX);
  }

  private static final Middlewares.Definition BASIC = new Middlewares.Definition(
      "shop-auth", "basicauth", Map.of(), "basicAuth cannot be carried over: its users live in a Kubernetes Secret");

  @Test
  void aChainOfCarriedMiddlewaresIsCarriedAsTraefiksChainWithItsMembersDefined() {
    var plan = planWith(naming("shop-secure@kubernetescrd"), V3,
        known(ALLOW, HEADERS, chain("shop-secure", "shop-office@kubernetescrd", "shop-hdrs@kubernetescrd")));
    assertThat(plan.notes()).isEmpty();
    assertThat(plan.registrations()).isNotEmpty().allSatisfy(reg -> assertThat(reg.tags()).contains(
        "traefik.http.middlewares.eu-1-shop-office.ipallowlist.sourcerange=10.0.0.0/8,192.0.2.7",
        "traefik.http.middlewares.eu-1-shop-hdrs.headers.customrequestheaders.X-Team=shop",
        "traefik.http.middlewares.eu-1-shop-secure.chain.middlewares=eu-1-shop-office,eu-1-shop-hdrs",
        "traefik.http.routers.www-example-com.middlewares=eu-1-shop-secure"));
    assertThat(plan.middlewareNames()).containsExactly(Map.entry("shop-secure@kubernetescrd", "eu-1-shop-secure"));
  }

  @Test
  void aChainWithAnUnusableMemberHoldsTheRouteBackNamingTheMember() {
    var plan = planWith(naming("shop-secure@kubernetescrd"), V3,
        known(ALLOW, BASIC, chain("shop-secure", "shop-office@kubernetescrd", "shop-auth@kubernetescrd")));
    assertThat(plan.registrations()).isEmpty();
    assertThat(plan.notes()).singleElement().asString()
        .startsWith("held back: Host(`www.example.com`) is not registered until eu-1/Ingress/shop/web can have its"
            + " Middleware shop-secure of cluster eu-1, which cannot be used: its chain member Middleware shop-auth of cluster eu-1,"
            + " which cannot be used: basicAuth cannot be carried over");
    var missing = planWith(naming("shop-secure@kubernetescrd"), V3, known(chain("shop-secure", "shop-gone@kubernetescrd")));
    assertThat(missing.notes()).singleElement().asString()
        .contains("its chain member Middleware shop-gone, which does not exist in cluster eu-1");
  }

  @Test
  void aChainReachingItselfIsUnusableWithTheCycle() {
    var plan = planWith(naming("shop-a@kubernetescrd"), V3,
        known(ALLOW, chain("shop-a", "shop-office@kubernetescrd", "shop-b@kubernetescrd"), chain("shop-b", "shop-a@kubernetescrd")));
    assertThat(plan.registrations()).isEmpty();
    assertThat(plan.notes()).singleElement().asString().contains("its chain reaches itself (shop-a → shop-b → shop-a)");
    var self = planWith(naming("shop-a@kubernetescrd"), V3, known(chain("shop-a", "shop-a@kubernetescrd")));
    assertThat(self.notes()).singleElement().asString()
        .contains("Middleware shop-a of cluster eu-1, which cannot be used: its chain reaches itself (shop-a → shop-a)");
  }

  @Test
  void aMappedMiddlewareReleasesTheRouteAndNamesTheVmSideMiddleware() {
    var mapped = Map.of("shop-auth", "auth@file");
    for (var lookup : List.of(known(BASIC), known(), known(ALLOW))) { // unusable, missing: the mapping decides
      var plan = ConsulPlanner.plan(List.of(naming("shop-office@kubernetescrd", "shop-auth@kubernetescrd")), EP, V3, "o",
          "IngressRoute", w -> false, lookup.find("eu-1", "shop-office") == null ? known(ALLOW, BASIC) : lookup, mapped);
      assertThat(plan.notes()).isEmpty();
      assertThat(plan.registrations()).isNotEmpty().allSatisfy(reg -> assertThat(reg.tags())
          .contains("traefik.http.routers.www-example-com.middlewares=eu-1-shop-office,auth@file")
          .noneMatch(t -> t.contains("basicauth")));
      assertThat(plan.middlewareNames()).containsEntry("shop-auth@kubernetescrd", "auth@file");
    }
    // a mapped chain member is named as mapped inside the chain
    var inChain = ConsulPlanner.plan(List.of(naming("shop-secure@kubernetescrd")), EP, V3, "o", "IngressRoute", w -> false,
        known(ALLOW, BASIC, chain("shop-secure", "shop-office@kubernetescrd", "shop-auth@kubernetescrd")), mapped);
    assertThat(inChain.registrations()).isNotEmpty().allSatisfy(reg -> assertThat(reg.tags())
        .contains("traefik.http.middlewares.eu-1-shop-secure.chain.middlewares=eu-1-shop-office,auth@file"));
  }

  // ---- IngressRoute services and TraefikServices: the split stays in each cluster

  private static Route toServices(String cluster, ServiceRef... services) {
    return new Route(new ObjectKey(cluster, "IngressRoute", "shop", "web"), OLD, "www.example.com", "/", PathMatch.PREFIX,
        new Backend(services[0].name(), null, services[0].port()), List.of(), List.of(), null, false, false, false)
        .withServices(List.of(services));
  }

  private static final ServiceRef CANARY = new ServiceRef(ServiceRef.Kind.TRAEFIK_SERVICE, "shop", "canary", "", null);
  private static final SplitResolver.Lookup IN_EU_1 = (cluster, name) -> cluster.equals("eu-1") && name.equals("shop-canary")
      ? new TraefikServices.Weighted("shop-canary", List.of(new ServiceRef(ServiceRef.Kind.SERVICE, "shop", "web-v1", "80", 9),
          new ServiceRef(ServiceRef.Kind.SERVICE, "shop", "web-v2", "80", 1)))
      : null;

  private static ConsulPlan planSplit(SplitResolver.Lookup traefikServices, Route... routes) {
    return ConsulPlanner.plan(List.of(routes), EP, V3, "o", "IngressRoute", w -> false, ConsulPlanner.MiddlewareLookup.NONE,
        Map.of(), traefikServices);
  }

  @Test
  void aSingleServiceRouteIsPlannedExactlyAsBeforeWhateverTheTraefikServices() {
    var ingress = route("eu-1", "shop", "web", OLD, "www.example.com", "/api");
    var ingressRoute = toServices("eu-2", new ServiceRef(ServiceRef.Kind.SERVICE, "shop", "web", "80", null));
    for (var routes : List.of(List.of(ingress), List.of(ingressRoute), List.of(ingress, route("eu-2", "shop", "web", OLD, "www.example.com", "/api")))) {
      var before = plan(routes, EP, V3, "o");
      var now = ConsulPlanner.plan(routes, EP, V3, "o", "IngressRoute", w -> false, ConsulPlanner.MiddlewareLookup.NONE, Map.of(), IN_EU_1);
      assertThat(now).isEqualTo(before);
    }
  }

  @Test
  void aRouteToATraefikServiceIsRegisteredAsAnyOtherAndItsSplitIsNoted() {
    var plan = planSplit(IN_EU_1, toServices("eu-1", CANARY));
    var plain = planSplit(IN_EU_1, toServices("eu-1", new ServiceRef(ServiceRef.Kind.SERVICE, "shop", "canary", "", null)));
    // the tags name no split: the cluster's own Traefik applies it behind its ingress
    assertThat(plan.registrations()).isEqualTo(plain.registrations()).hasSize(2);
    assertThat(plan.notes()).containsExactly("split in cluster eu-1: shop-canary = weighted web-v1:80 90%, web-v2:80 10%");
    var weighted = planSplit(SplitResolver.Lookup.NONE, toServices("eu-1",
        new ServiceRef(ServiceRef.Kind.SERVICE, "shop", "web", "80", 3), new ServiceRef(ServiceRef.Kind.SERVICE, "shop", "web-v2", "80", 1)));
    assertThat(weighted.registrations()).hasSize(2);
    assertThat(weighted.notes()).containsExactly("split in cluster eu-1: weighted web:80 75%, web-v2:80 25%");
  }

  @Test
  void aClusterLackingTheTraefikServiceGetsNoInstancesAndAloneItHoldsTheGroupBack() {
    var held = planSplit(SplitResolver.Lookup.NONE, toServices("eu-1", CANARY));
    assertThat(held.registrations()).isEmpty();
    assertThat(held.winner()).isNull(); // nothing for a canary's router to send to either
    assertThat(held.notes()).containsExactly("held back in cluster eu-1: Host(`www.example.com`) has no instances there until"
        + " eu-1/IngressRoute/shop/web can have its TraefikService shop-canary, which does not exist in cluster eu-1"
        + " (the cluster's Traefik cannot serve the route without it)");
    // eu-2 has no such TraefikService: eu-1 serves the group alone, eu-2 is named
    var partly = planSplit(IN_EU_1, toServices("eu-1", CANARY), toServices("eu-2", CANARY));
    assertThat(partly.registrations()).extracting(ConsulRegistration::node).containsOnly("tributary-eu-1").hasSize(2);
    assertThat(partly.notes()).containsExactly(
        "split in cluster eu-1: shop-canary = weighted web-v1:80 90%, web-v2:80 10%",
        "held back in cluster eu-2: Host(`www.example.com`) has no instances there until eu-2/IngressRoute/shop/web can have its"
            + " TraefikService shop-canary, which does not exist in cluster eu-2 (the cluster's Traefik cannot serve the route without it)");
    assertThat(partly.winner()).isNotNull();
  }

  @Test
  void theServerPortTagCountsOnlyTheClustersThatServe() {
    var ports = Map.of(
        "eu-1", new ClusterEndpoints("eu-1", List.of("192.0.2.11"), 8080),
        "us-1", new ClusterEndpoints("us-1", List.of("192.0.2.31"), 80));
    var plan = ConsulPlanner.plan(List.of(toServices("eu-1", CANARY), toServices("us-1", CANARY)), ports::get, V3, "o", "IngressRoute",
        w -> false, ConsulPlanner.MiddlewareLookup.NONE, Map.of(), IN_EU_1);
    assertThat(plan.registrations()).singleElement().satisfies(reg -> assertThat(reg.tags())
        .contains("traefik.http.services.www-example-com.loadbalancer.server.port=8080"));
  }
}
