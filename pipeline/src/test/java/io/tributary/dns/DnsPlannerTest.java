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
          "us-2", new ClusterEndpoints("us-2", List.of("lb-us-2.example.net"), 80));
  private static final Function<String, ClusterEndpoints> EP = ENDPOINTS::get;
  private static final DnsSettings ALL = new DnsSettings(Duration.ofSeconds(60), List.of(), List.of(), List.of());

  private static Route route(String cluster, String host) {
    return new Route(new ObjectKey(cluster, "Ingress", "shop", "web"), Instant.EPOCH, host, "/", PathMatch.PREFIX,
        new Backend("web", 80, null), List.of(), List.of(), null, false, false, false);
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
      assertThat(plan.skipped()).isEqualTo("outside managed zones [example.com.]");
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
}
