package io.tributary.traefik;

import io.tributary.consul.ConsulPlanner;
import io.tributary.consul.ServiceNames;
import io.tributary.settings.ConsulSettings;
import io.tributary.settings.TagSyntax;
import io.tributary.translate.Middlewares;
import io.tributary.translate.Route;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Traefik dynamic configuration for what Consul Catalog tags cannot express: the strangler canary
 * of seed 000. When a route group's winning route carries a weight or a mirror share and its host
 * has a VM backend ({@code translate.vm-backends}, or found in Consul), a router for the group's
 * rule sends its requests to a split between the VM service and the Kubernetes one (both from the
 * Consul Catalog provider): a weighted service, a mirroring one (the VM answers, Kubernetes gets
 * copies: a dark launch), or a weighted service over such a mirror. The router's middlewares are
 * defined in the same configuration, so it never names a middleware another writer has not written
 * yet; only the two services (and middlewares the operator mapped to the VM side) come from
 * elsewhere. Pure.
 */
public final class TraefikPlanner {
  private static final String CATALOG = "@consulcatalog";

  private TraefikPlanner() {}

  /** The VM backend of {@code winner}'s group if it runs as a canary, else null. */
  public static String canaryVmService(Route winner, Function<String, String> vmBackendOf) {
    if (winner.weight() == null && winner.mirrorPercent() == null) {
      return null;
    }
    return vmBackendOf.apply(winner.host());
  }

  /**
   * The configuration of the group whose router options come from {@code winner}: empty if it runs
   * no canary, or if one of its Kubernetes Middlewares cannot be carried (its Consul plan then holds
   * the group back and says why).
   *
   * @param vmBackendOf VM services by hostname (configured, then discovered)
   * @param middlewares the Middleware objects of the winner's cluster
   * @param mapped {@code translate.middleware-map} by Traefik name ({@link Middlewares#byTraefikName})
   */
  public static DynamicConfig plan(
      Route winner, Function<String, String> vmBackendOf, ConsulSettings consul, String ownerId,
      ConsulPlanner.MiddlewareLookup middlewares, Map<String, String> mapped) {
    String vm = canaryVmService(winner, vmBackendOf);
    if (vm == null) {
      return DynamicConfig.EMPTY;
    }
    String service = ServiceNames.serviceName(winner, consul);
    String name = TraefikOwnership.name(ownerId, service + "-canary");
    TagSyntax syntax = consul.tagSyntax() == TagSyntax.V1 ? TagSyntax.V3 : consul.tagSyntax();
    var carrier = new MiddlewareCarrier(winner.source().cluster(), TraefikOwnership.name(ownerId, service), syntax, middlewares, mapped);
    List<String> routerMiddlewares = new ArrayList<>();
    if (winner.stripPrefix() && !winner.path().equals("/")) {
      String strip = TraefikOwnership.name(ownerId, service + "-stripprefix");
      carrier.defined.put(strip, DynamicConfig.Middleware.stripPrefix(List.of(winner.path())));
      routerMiddlewares.add(strip);
    }
    for (String ref : winner.middlewares()) {
      String carried = carrier.carry(ref, new HashSet<>());
      if (carried == null) {
        return DynamicConfig.EMPTY;
      }
      routerMiddlewares.add(carried);
    }
    String rule = winner.rule(syntax);
    List<String> entrypoints = winner.entrypoints().isEmpty() ? consul.defaultEntrypoints() : winner.entrypoints();
    // above the VM's own router for the host, whatever its rule length
    int priority = winner.priority() != null ? winner.priority() : rule.length() + 1000;
    var routers = new TreeMap<String, DynamicConfig.Router>();
    routers.put(name, new DynamicConfig.Router(rule, entrypoints, routerMiddlewares, name, priority, winner.tls()));
    return new DynamicConfig(routers, split(name, vm + CATALOG, service + CATALOG, winner), carrier.defined);
  }

  /** The services between the VM ({@code vm}) and Kubernetes ({@code kubernetes}), the top one named {@code name}. */
  private static TreeMap<String, DynamicConfig.Service> split(String name, String vm, String kubernetes, Route winner) {
    var services = new TreeMap<String, DynamicConfig.Service>();
    String vmSide = vm;
    if (winner.mirrorPercent() != null) {
      vmSide = winner.weight() == null ? name : name + "-mirror";
      services.put(vmSide, new DynamicConfig.Mirroring(vm, List.of(new DynamicConfig.Mirror(kubernetes, winner.mirrorPercent()))));
    }
    if (winner.weight() != null) {
      services.put(name, new DynamicConfig.Weighted(List.of(
          new DynamicConfig.Member(vmSide, 100 - winner.weight()), new DynamicConfig.Member(kubernetes, winner.weight()))));
    }
    return services;
  }

  /** Defines the winner's Kubernetes Middlewares (a chain's members too) in the configuration. */
  private static final class MiddlewareCarrier {
    final TreeMap<String, DynamicConfig.Middleware> defined = new TreeMap<>();
    private final String cluster;
    private final String prefix;
    private final TagSyntax syntax;
    private final ConsulPlanner.MiddlewareLookup lookup;
    private final Map<String, String> mapped;

    MiddlewareCarrier(String cluster, String prefix, TagSyntax syntax, ConsulPlanner.MiddlewareLookup lookup, Map<String, String> mapped) {
      this.cluster = cluster;
      this.prefix = prefix;
      this.syntax = syntax;
      this.lookup = lookup;
      this.mapped = mapped;
    }

    /** The name the router or a chain uses for {@code ref}, defining it if needed; null if it cannot be carried. */
    String carry(String ref, Set<String> chains) {
      if (!Middlewares.isKubernetes(ref)) {
        return ref; // another provider's (auth@file): Traefik resolves it
      }
      String referenced = Middlewares.referenced(ref);
      if (mapped.containsKey(referenced)) {
        return mapped.get(referenced); // the operator's VM-side middleware replaces the object
      }
      Middlewares.Definition d = lookup.find(cluster, referenced);
      if (d == null || d.unusable() != null || !chains.add(referenced)) {
        return null; // missing, unusable or a chain reaching itself
      }
      // scoped by the group: another cluster or group may define the same Middleware otherwise
      String name = prefix + "-" + d.name();
      if (d.isChain()) {
        List<String> members = new ArrayList<>();
        for (String member : d.members()) {
          String carried = carry(member, chains);
          if (carried == null) {
            return null;
          }
          members.add(carried);
        }
        defined.put(name, DynamicConfig.Middleware.chain(members));
      } else {
        defined.put(name, new DynamicConfig.Middleware(TraefikDocument.spelling(d.typeFor(syntax)), d.config()));
      }
      chains.remove(referenced);
      return name;
    }
  }
}
