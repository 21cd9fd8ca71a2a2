package io.tributary.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.settings.ClusterEndpoints;
import io.tributary.settings.DnsSettings;
import io.tributary.translate.Backend;
import io.tributary.translate.PathMatch;
import io.tributary.translate.Route;
import io.tributary.watch.ObjectKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Routes of one hostname → its DNS record sets. */
class DnsPlannerTest {
  private static final Map<String, ClusterEndpoints> ENDPOINTS =
      Map.of(
          "eu-1", new ClusterEndpoints("eu-1", List.of("192.0.2.12", "192.0.2.11"), 8080),
          "eu-2", new ClusterEndpoints("eu-2", List.of("192.0.2.21", "2001:db8::21"), 8080),
          "us-1", new ClusterEndpoints("us-1", List.of("lb-us-1.example.net"), 80),
          "us-2", new ClusterEndpoints("us-2", List.of("lb-us-2.example.net"), 80),
          "us-3", new ClusterEndpoints("us-3", List.of("LB-us-1.example.net"), 80),
          "v6", new ClusterEndpoints("v6", List.of("2001:DB8::6", "2001:db8::5"), 443),
          "two-lbs", new ClusterEndpoints("two-lbs", List.of("lb-b.example.net", "lb-a.example.net"), 80),
          "dark", new ClusterEndpoints("dark", List.of(), 80));
  private static final Function<String, ClusterEndpoints> EP = ENDPOINTS::get;
  private static final DnsSettings ALL = new DnsSettings(Duration.ofSeconds(60), List.of(), List.of(), List.of());

  private static Route route(String cluster, String host) {
    return route(cluster, "web", host, "/");
  }

  private static Route route(String cluster, String name, String host, String path) {
    return new Route(new ObjectKey(cluster, "Ingress", "shop", name), Instant.EPOCH, host, path, PathMatch.PREFIX,
        new Backend("web", 80, null), List.of(), List.of(), null, false, false, false);
  }

  private static DnsSettings zones(String... zones) {
    return new DnsSettings(Duration.ofSeconds(60), List.of(zones), List.of(), List.of());
  }

  private static DnsSettings edge(List<String> globs, List<String> addresses) {
    return new DnsSettings(Duration.ofSeconds(60), List.of(), globs, addresses);
  }

  @Test
  void addressesOfEveryServingClusterAreUnitedByFamily() {
    var plan = DnsPlanner.plan("www.example.com", List.of(route("eu-1", "www.example.com"), route("eu-2", "www.example.com")), EP, ALL, "tributary");
    assertThat(plan.records()).extracting(DnsRecordSet::key).containsExactly("www.example.com/A", "www.example.com/AAAA");
    assertThat(plan.records().get(0).values()).containsExactly("192.0.2.11", "192.0.2.12", "192.0.2.21");
    assertThat(plan.records().get(1).values()).containsExactly("2001:db8::21");
    assertThat(plan.records().get(0).ttlSeconds()).isEqualTo(60);
    assertThat(plan.records().get(0).owner()).isEqualTo("tributary");
    assertThat(plan.records().get(0).sources()).containsExactly("eu-1/Ingress/shop/web", "eu-2/Ingress/shop/web");
    assertThat(plan.skipped()).isNull();
  }

  @Test
  void aLoadBalancerHostnameBecomesACname() {
    var plan = DnsPlanner.plan("www.example.org", List.of(route("us-1", "www.example.org")), EP, ALL, "o");
    assertThat(plan.records()).singleElement().satisfies(r -> {
      assertThat(r.type()).isEqualTo("CNAME");
      assertThat(r.values()).containsExactly("lb-us-1.example.net");
    });
  }

  @Test
  void addressesWinOverAHostnameWhichIsLeftOutWithANote() {
    var plan = DnsPlanner.plan("www.example.com", List.of(route("us-1", "www.example.com"), route("eu-1", "www.example.com")), EP, ALL, "o");
    assertThat(plan.records()).extracting(DnsRecordSet::type).containsExactly("A");
    assertThat(plan.notes()).singleElement().asString().contains("us-1's endpoint lb-us-1.example.net is a hostname");
  }

  @Test
  void severalHostnamesGiveOneCnameToTheFirstClusterAndANote() {
    var plan = DnsPlanner.plan("www.example.org", List.of(route("us-2", "www.example.org"), route("us-1", "www.example.org")), EP, ALL, "o");
    assertThat(plan.records()).singleElement().extracting(DnsRecordSet::values).isEqualTo(List.of("lb-us-1.example.net"));
    assertThat(plan.notes()).singleElement().asString().contains("us-2's endpoint lb-us-2.example.net left out");
  }

  @ParameterizedTest
  @CsvSource({
    "shop.example.com, true",
    "example.com, true",
    "a.b.example.com, true",
    "badexample.com, false",
    "example.com.evil.net, false"
  })
  void onlyNamesInManagedZonesGetRecords(String host, boolean managed) {
    var zones = new DnsSettings(Duration.ofSeconds(60), List.of("example.com."), List.of(), List.of());
    var plan = DnsPlanner.plan(host, List.of(route("eu-1", host)), EP, zones, "o");
    assertThat(plan.records().isEmpty()).isEqualTo(!managed);
    assertThat(plan.skipped() == null).isEqualTo(managed);
    if (!managed) {
      assertThat(plan.skipped()).isEqualTo("outside managed zones [example.com]");
    }
  }

  @ParameterizedTest
  @CsvSource({"shop.example.com, true", "SHOP.example.com, true", "api.shop.example.com, true", "shop.example.org, false"})
  void edgeHostsPointAtTheVmEdge(String host, boolean edge) {
    var settings = new DnsSettings(Duration.ofSeconds(30), List.of(), List.of("shop.example.com", "*.shop.example.com"), List.of("198.51.100.10"));
    var plan = DnsPlanner.plan(host, List.of(route("eu-1", host)), EP, settings, "o");
    assertThat(plan.records().get(0).values()).isEqualTo(edge ? List.of("198.51.100.10") : List.of("192.0.2.11", "192.0.2.12"));
    assertThat(plan.records().get(0).name()).isEqualTo(host.toLowerCase());
  }

  @Test
  void wildcardHostsGetWildcardRecords() {
    var plan = DnsPlanner.plan("*.apps.example.com", List.of(route("eu-1", "*.apps.example.com")), EP, ALL, "o");
    assertThat(plan.records()).extracting(DnsRecordSet::key).containsExactly("*.apps.example.com/A");
  }

  @Test
  void thePlanDoesNotDependOnTheOrderOfItsInput() {
    List<Route> routes = new ArrayList<>(List.of(route("eu-2", "w.example.com"), route("eu-1", "w.example.com"), route("us-1", "w.example.com")));
    var expected = DnsPlanner.plan("w.example.com", routes, EP, ALL, "o");
    for (int seed = 0; seed < 10; seed++) {
      Collections.shuffle(routes, new Random(seed));
      assertThat(DnsPlanner.plan("w.example.com", routes, EP, ALL, "o")).isEqualTo(expected);
    }
  }

  @Test
  void ipv6OnlyEndpointsGiveOneAaaaSetInLowerCaseAndSorted() {
    var plan = DnsPlanner.plan("v6.example.com", List.of(route("v6", "v6.example.com")), EP, ALL, "o");
    assertThat(plan.records()).singleElement().satisfies(r -> {
      assertThat(r.key()).isEqualTo("v6.example.com/AAAA");
      assertThat(r.values()).containsExactly("2001:db8::5", "2001:db8::6");
    });
    assertThat(plan.notes()).isEmpty();
  }

  @Test
  void theMixedNoteNamesTheClusterTheHostnameAndTheHost() {
    var plan = DnsPlanner.plan("www.example.com", List.of(route("us-1", "www.example.com"), route("v6", "www.example.com")), EP, ALL, "o");
    assertThat(plan.records()).extracting(DnsRecordSet::type).containsExactly("AAAA");
    assertThat(plan.notes()).containsExactly(
        "us-1's endpoint lb-us-1.example.net is a hostname and cannot be combined with addresses; left out of www.example.com");
  }

  @Test
  void everyHostnameLeftOutIsNotedNotOnlyTheFirstOfEachCluster() {
    var plan = DnsPlanner.plan("www.example.com", List.of(route("two-lbs", "www.example.com"), route("eu-1", "www.example.com")), EP, ALL, "o");
    assertThat(plan.records()).extracting(DnsRecordSet::type).containsExactly("A");
    assertThat(plan.notes()).containsExactly(
        "two-lbs's endpoint lb-b.example.net is a hostname and cannot be combined with addresses; left out of www.example.com",
        "two-lbs's endpoint lb-a.example.net is a hostname and cannot be combined with addresses; left out of www.example.com");
  }

  @Test
  void severalHostnamesNoteExactlyWhatWasLeftOutAndWhy() {
    var plan = DnsPlanner.plan("www.example.org",
        List.of(route("us-2", "www.example.org"), route("two-lbs", "www.example.org"), route("us-1", "www.example.org")), EP, ALL, "o");
    // "two-lbs" sorts first; its first endpoint wins
    assertThat(plan.records()).singleElement().extracting(DnsRecordSet::values).isEqualTo(List.of("lb-b.example.net"));
    assertThat(plan.notes()).containsExactly(
        "two-lbs's endpoint lb-a.example.net left out of www.example.org: a CNAME has one target (lb-b.example.net from two-lbs)",
        "us-1's endpoint lb-us-1.example.net left out of www.example.org: a CNAME has one target (lb-b.example.net from two-lbs)",
        "us-2's endpoint lb-us-2.example.net left out of www.example.org: a CNAME has one target (lb-b.example.net from two-lbs)");
  }

  @Test
  void theSameLoadBalancerNameInTwoClustersIsOneCnameWithoutNotes() {
    var plan = DnsPlanner.plan("www.example.org", List.of(route("us-3", "www.example.org"), route("us-1", "www.example.org")), EP, ALL, "o");
    assertThat(plan.records()).singleElement().satisfies(r -> {
      assertThat(r.type()).isEqualTo("CNAME");
      assertThat(r.values()).containsExactly("lb-us-1.example.net");
      assertThat(r.sources()).containsExactly("us-1/Ingress/shop/web", "us-3/Ingress/shop/web");
    });
    assertThat(plan.notes()).isEmpty();
  }

  @ParameterizedTest(name = "{0} in {1}: {2}")
  @CsvSource(delimiter = '|', value = {
    "shop.example.com     | example.com,example.org  | true",
    "example.org          | example.com,example.org  | true",
    "*.apps.example.org   | example.com,example.org  | true",
    "shop.example.com     | Example.COM.             | true",
    "badexample.com       | example.com,example.org  | false",
    "example.com.evil.net | example.com,example.org  | false",
    "example.net          | example.com,example.org  | false"
  })
  void zonesAreComparedOnLabelBoundaries(String host, String zoneList, boolean managed) {
    var settings = zones(zoneList.split(","));
    var plan = DnsPlanner.plan(host, List.of(route("eu-1", host)), EP, settings, "o");
    if (managed) {
      assertThat(plan.skipped()).isNull();
      assertThat(plan.records()).extracting(DnsRecordSet::name).containsOnly(host);
    } else {
      assertThat(plan.records()).isEmpty();
      assertThat(plan.notes()).isEmpty();
      assertThat(plan.skipped()).isEqualTo("outside managed zones " + List.of(zoneList.split(",")));
    }
  }

  @Test
  void theSkipReasonListsTheZones() {
    var plan = DnsPlanner.plan("a.example.net", List.of(route("eu-1", "a.example.net")), EP, zones("example.com", "example.org"), "o");
    assertThat(plan.skipped()).isEqualTo("outside managed zones [example.com, example.org]");
  }

  @ParameterizedTest(name = "{0} ~ {1}: {2}")
  @CsvSource(delimiter = '|', value = {
    "*.shop.example.com | a.shop.example.com      | true",
    "*.shop.example.com | a.b.shop.example.com    | true",
    "*.shop.example.com | shop.example.com        | false",
    "shop.example.com   | www.shop.example.com    | false",
    "SHOP.Example.com   | shop.example.COM        | true",
    "shop*              | shop-eu.example.com     | true",
    "*                  | anything.example.org    | true",
    "*.example.com      | example.com.evil.net    | false"
  })
  void edgeGlobsMatchAnyRunOfCharactersCaseInsensitively(String glob, String host, boolean isEdge) {
    var plan = DnsPlanner.plan(host, List.of(route("eu-1", host)), EP, edge(List.of(glob), List.of("198.51.100.10")), "o");
    assertThat(plan.records()).singleElement().extracting(DnsRecordSet::values)
        .isEqualTo(isEdge ? List.of("198.51.100.10") : List.of("192.0.2.11", "192.0.2.12"));
  }

  @Test
  void edgeAddressesFollowTheSameRulesWithEdgeAsTheirSource() {
    var settings = edge(List.of("*.example.com"), List.of("edge.example.net", "198.51.100.11", "198.51.100.10"));
    var plan = DnsPlanner.plan("shop.example.com", List.of(route("us-1", "shop.example.com")), EP, settings, "o");
    assertThat(plan.records()).singleElement().satisfies(r -> {
      assertThat(r.key()).isEqualTo("shop.example.com/A");
      assertThat(r.values()).containsExactly("198.51.100.10", "198.51.100.11");
      assertThat(r.sources()).containsExactly("us-1/Ingress/shop/web");
    });
    assertThat(plan.notes()).containsExactly(
        "edge's endpoint edge.example.net is a hostname and cannot be combined with addresses; left out of shop.example.com");
    var cname = DnsPlanner.plan("shop.example.com", List.of(route("eu-1", "shop.example.com")), EP,
        edge(List.of("*.example.com"), List.of("Edge.example.net")), "o");
    assertThat(cname.records()).singleElement().extracting(DnsRecordSet::key, DnsRecordSet::values)
        .containsExactly("shop.example.com/CNAME", List.of("edge.example.net"));
  }

  @Test
  void wildcardHostsKeepTheirNameForEveryRecordType() {
    var plan = DnsPlanner.plan("*.apps.example.com", List.of(route("eu-2", "*.apps.example.com")), EP, zones("example.com"), "o");
    assertThat(plan.records()).extracting(DnsRecordSet::key).containsExactly("*.apps.example.com/A", "*.apps.example.com/AAAA");
  }

  @Test
  void ttlOwnerAndDistinctSortedSourcesOnEveryRecordSet() {
    var settings = new DnsSettings(Duration.ofMinutes(5), List.of(), List.of(), List.of());
    var plan = DnsPlanner.plan("www.example.com", List.of(
        route("eu-2", "web", "www.example.com", "/b"),
        route("eu-2", "web", "www.example.com", "/a"),
        route("eu-1", "api", "www.example.com", "/api")), EP, settings, "tributary-prod");
    assertThat(plan.records()).hasSize(2).allSatisfy(r -> {
      assertThat(r.ttlSeconds()).isEqualTo(300);
      assertThat(r.owner()).isEqualTo("tributary-prod");
      assertThat(r.name()).isEqualTo("www.example.com");
      assertThat(r.sources()).containsExactly("eu-1/Ingress/shop/api", "eu-2/Ingress/shop/web");
    });
  }

  @Test
  void aHostWhoseClustersHaveNoAddressesIsSkippedWithAReason() {
    var plan = DnsPlanner.plan("www.example.com", List.of(route("dark", "www.example.com")), EP, ALL, "o");
    assertThat(plan.records()).isEmpty();
    assertThat(plan.skipped()).isEqualTo("no endpoint addresses configured");
  }

  @Test
  void recordsAndNotesDoNotDependOnTheOrderOfTheInput() {
    List<Route> routes = new ArrayList<>();
    for (String c : List.of("eu-1", "eu-2", "us-1", "us-2", "v6", "two-lbs", "dark")) {
      routes.add(route(c, "web", "w.example.com", "/"));
      routes.add(route(c, "api", "w.example.com", "/api"));
    }
    var expected = DnsPlanner.plan("w.example.com", routes, EP, ALL, "o");
    assertThat(expected.records()).extracting(DnsRecordSet::key).containsExactly("w.example.com/A", "w.example.com/AAAA");
    assertThat(expected.notes()).hasSize(4);
    for (int seed = 0; seed < 20; seed++) {
      Collections.shuffle(routes, new Random(seed));
      assertThat(DnsPlanner.plan("w.example.com", routes, EP, ALL, "o")).isEqualTo(expected);
    }
  }

  @Test
  void theMostSpecificZoneDecidesFiltersTtlAndItsMinimum() {
    var tsig = new io.tributary.settings.DnsZoneSettings.TsigKey("k", "hmac-sha256", io.tributary.settings.SecretSource.none());
    var parent = new io.tributary.settings.DnsZoneSettings("example.com", "", tsig, Duration.ofSeconds(120), Duration.ZERO,
        List.of(), List.of("legacy.example.com"));
    var shop = new io.tributary.settings.DnsZoneSettings("shop.example.com", "", tsig, null, Duration.ofSeconds(30),
        List.of("*.shop.example.com"), List.of());
    var settings = new DnsSettings(Duration.ofSeconds(60), List.of(parent, shop), List.of(), List.of(),
        DnsSettings.TxtFormat.TRIBUTARY, "", 50, Duration.ofSeconds(5));

    assertThat(DnsPlanner.plan("www.example.com", List.of(route("eu-1", "www.example.com")), EP, settings, "o")
        .records().get(0).ttlSeconds()).isEqualTo(120);
    assertThat(DnsPlanner.plan("legacy.example.com", List.of(route("eu-1", "legacy.example.com")), EP, settings, "o").skipped())
        .isEqualTo("excluded from zone example.com by exclude-domains [legacy.example.com]");
    // shop.example.com's own apex is outside its domain-filter; its names get dns.ttl, raised to its minimum
    assertThat(DnsPlanner.plan("shop.example.com", List.of(route("eu-1", "shop.example.com")), EP, settings, "o").skipped())
        .contains("domain-filter");
    var asksTen = route("eu-1", "cart.shop.example.com").withOwnOptions(List.of(), false, List.of("cart.shop.example.com"), null, 10L, null);
    var plan = DnsPlanner.plan("cart.shop.example.com", List.of(asksTen), EP, settings, "o");
    assertThat(plan.records().get(0).ttlSeconds()).isEqualTo(30);
    assertThat(plan.notes()).contains("cart.shop.example.com: TTL 10s raised to zone shop.example.com's minimum of 30s");
    assertThat(DnsPlanner.plan("www.example.org", List.of(route("eu-1", "www.example.org")), EP, settings, "o").skipped())
        .isEqualTo("outside managed zones [example.com, shop.example.com]");
  }
}
