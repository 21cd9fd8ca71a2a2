package io.tributary.plan;

import static io.tributary.plan.PlanFixtures.key;
import static io.tributary.plan.PlanFixtures.route;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.target.Target;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The unit planner: a group's Consul and Traefik units, a hostname's DNS unit. */
class UnitPlannerTest {
  private final RouteIndex routes = new RouteIndex();
  private final UnitPlanner planner = new UnitPlanner(
      PlanFixtures.TWO_CLUSTERS, routes, new ClusterInputs(PlanFixtures.TWO_CLUSTERS));

  @Test
  void aGroupServedByTwoClustersIsOneConsulUnitWithAnInstanceInEach() {
    var a = key("eu-1", "web");
    var b = key("eu-2", "web");
    routes.replace(a, List.of(route(a, "shop.example.com", "/")));
    routes.replace(b, List.of(route(b, "shop.example.com", "/")));
    var plans = planner.group(routes.routesOf(a).get(0).groupKey());
    assertThat(plans).extracting(UnitPlanner.UnitPlan::target).containsExactly(Target.CONSUL, Target.TRAEFIK);
    assertThat(plans.get(0).records()).hasSize(2);
    assertThat(plans.get(1).records()).isEmpty(); // tags say it all: nothing for Traefik's own config
  }

  @Test
  void aGroupOrHostWithoutRoutesPlansNothingSoItsRecordsGo() {
    assertThat(planner.group("gone")).allSatisfy(p -> assertThat(p.records()).isEmpty());
    assertThat(planner.host("gone.example.com").records()).isEmpty();
  }

  @Test
  void aHostnameGetsItsRecordsOrTheReasonItHasNone() {
    var a = key("eu-1", "web");
    routes.replace(a, List.of(route(a, "shop.example.com", "/")));
    assertThat(planner.host("shop.example.com").records()).hasSize(1);
    var zoned = new UnitPlanner(PlanFixtures.settings("""
        tributary.dns.zones = ["example.org"]
        tributary.clusters.eu-1.endpoints { addresses = ["192.0.2.11"], port = 8080 }
        """), routes, new ClusterInputs(PlanFixtures.TWO_CLUSTERS));
    var outside = zoned.host("shop.example.com");
    assertThat(outside.records()).isEmpty();
    assertThat(outside.notes()).anySatisfy(n -> assertThat(n).startsWith("no DNS records: outside managed zones"));
  }
}
