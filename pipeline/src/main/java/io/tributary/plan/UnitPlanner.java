package io.tributary.plan;

import io.tributary.consul.ConsulPlan;
import io.tributary.consul.ConsulPlanner;
import io.tributary.dns.DnsPlan;
import io.tributary.dns.DnsPlanner;
import io.tributary.settings.TributarySettings;
import io.tributary.target.Target;
import io.tributary.target.TargetRecord;
import io.tributary.traefik.TraefikEntry;
import io.tributary.traefik.TraefikPlanner;
import io.tributary.translate.Middlewares;
import io.tributary.translate.Route;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;

/**
 * Plans the units of one route group ({@code consul:<group>}, {@code traefik:<group>}) or one DNS
 * hostname ({@code dns:<host>}) from the routes that make them and the clusters' inputs, through
 * the target planners. Pure.
 */
final class UnitPlanner {

  /** The whole desired output of one unit in one target, with the planner's notes. */
  record UnitPlan(String unit, Target target, List<? extends TargetRecord> records, List<String> notes) {}

  private final TributarySettings settings;
  private final RouteIndex routes;
  private final ClusterInputs inputs;

  UnitPlanner(TributarySettings settings, RouteIndex routes, ClusterInputs inputs) {
    this.settings = settings;
    this.routes = routes;
    this.inputs = inputs;
  }

  /** The Consul and Traefik units of route group {@code group}. */
  List<UnitPlan> group(String group) {
    // DNS-only routes (external-dns style LoadBalancer Services) never reach Consul or Traefik
    List<Route> rs = routes.inGroup(group).stream().filter(r -> !r.isDnsOnly()).toList();
    String unit = "consul:" + group;
    String traefikUnit = "traefik:" + group;
    if (rs.isEmpty()) {
      return List.of(new UnitPlan(unit, Target.CONSUL, List.of(), List.of()),
          new UnitPlan(traefikUnit, Target.TRAEFIK, List.of(), List.of()));
    }
    ConsulPlanner.MiddlewareLookup middlewares = middlewares(rs);
    ConsulPlan plan = ConsulPlanner.plan(
        rs, inputs::endpoints, settings.consul(), settings.ownerId(), settings.translate().prefer(),
        winner -> TraefikPlanner.canaryVmService(winner, inputs::vmBackendOf) != null,
        middlewares, Middlewares.byTraefikName(settings.translate().middlewareMap()), inputs::traefikService);
    List<String> traefikNotes = new ArrayList<>();
    Route winner = plan.winner();
    if (winner != null && (winner.weight() != null || winner.mirrorPercent() != null)
        && TraefikPlanner.canaryVmService(winner, inputs::vmBackendOf) == null) {
      traefikNotes.add(winner.source() + ": " + (winner.weight() != null ? "weight " + winner.weight() : "mirror " + winner.mirrorPercent())
          + " ignored: no VM backend for " + winner.host() + " in translate.vm-backends or discovered in Consul");
    }
    List<TraefikEntry> entries = winner == null ? List.of()
        : TraefikPlanner.plan(winner, inputs::vmBackendOf, settings.consul(), settings.ownerId(), middlewares,
            Middlewares.byTraefikName(settings.translate().middlewareMap())).entries(settings.traefik().root(), settings.ownerId());
    return List.of(new UnitPlan(unit, Target.CONSUL, plan.registrations(), plan.notes()),
        new UnitPlan(traefikUnit, Target.TRAEFIK, entries, traefikNotes));
  }

  /**
   * The cluster's Middleware objects, behind the middlewares the group's routes define themselves
   * (an nginx-class Ingress's annotations), which no object can name: theirs hold a '_'.
   */
  private ConsulPlanner.MiddlewareLookup middlewares(List<Route> rs) {
    Map<String, Middlewares.Definition> defined = new HashMap<>();
    rs.forEach(r -> r.definedMiddlewares().forEach(d -> defined.putIfAbsent(r.source().cluster() + "/" + d.name(), d)));
    if (defined.isEmpty()) {
      return inputs::middleware;
    }
    return (cluster, name) -> {
      Middlewares.Definition d = defined.get(cluster + "/" + name);
      return d != null ? d : inputs.middleware(cluster, name);
    };
  }

  /** The DNS unit of hostname {@code host}. */
  UnitPlan host(String host) {
    List<Route> rs = routes.forHost(host);
    String unit = "dns:" + host;
    if (rs.isEmpty()) {
      return new UnitPlan(unit, Target.DNS, List.of(), List.of());
    }
    DnsPlan plan = DnsPlanner.plan(host, rs, inputs::endpoints, settings.dns(), settings.ownerId());
    List<String> notes = new ArrayList<>(plan.notes());
    if (plan.skipped() != null) {
      notes.add(0, "no DNS records: " + plan.skipped());
    }
    return new UnitPlan(unit, Target.DNS, plan.records(), notes);
  }
}
