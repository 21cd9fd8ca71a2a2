package io.tributary.plan;

import io.tributary.kind.ResourceKind;
import io.tributary.translate.Middlewares;
import io.tributary.translate.Route;
import io.tributary.watch.ObjectKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiPredicate;

/** The accepted routes of every object, indexed by route group and by DNS hostname. Pure data. */
final class RouteIndex {

  /** Route groups and DNS hostnames whose routes changed: the units to plan again. */
  record Affected(Set<String> groups, Set<String> hosts) {
    static Affected none() {
      return new Affected(Set.of(), Set.of());
    }

    static Affected groups(Set<String> groups) {
      return new Affected(groups, Set.of());
    }

    boolean isEmpty() {
      return groups.isEmpty() && hosts.isEmpty();
    }
  }

  private final Map<ObjectKey, List<Route>> byObject = new HashMap<>();
  private final Map<String, Set<ObjectKey>> byGroup = new HashMap<>();
  private final Map<String, Set<ObjectKey>> byHost = new HashMap<>();

  /** Every route group and DNS hostname with routes. */
  Affected all() {
    return new Affected(new TreeSet<>(byGroup.keySet()), new TreeSet<>(byHost.keySet()));
  }

  /** Makes {@code next} the routes of {@code key}: the groups and hosts of the old and new ones. */
  Affected replace(ObjectKey key, List<Route> next) {
    List<Route> old = byObject.getOrDefault(key, List.of());
    if (old.equals(next)) {
      return Affected.none(); // resourceVersion, status or managedFields only: nothing to do
    }
    Set<String> groups = new TreeSet<>();
    Set<String> hosts = new TreeSet<>();
    for (Route r : old) {
      groups.add(r.groupKey());
      hosts.addAll(r.dnsHosts());
      unindex(byGroup, r.groupKey(), key);
      r.dnsHosts().forEach(h -> unindex(byHost, h, key));
    }
    for (Route r : next) {
      groups.add(r.groupKey());
      hosts.addAll(r.dnsHosts());
      byGroup.computeIfAbsent(r.groupKey(), g -> new TreeSet<>()).add(key);
      r.dnsHosts().forEach(h -> byHost.computeIfAbsent(h, x -> new TreeSet<>()).add(key));
    }
    if (next.isEmpty()) {
      byObject.remove(key);
    } else {
      byObject.put(key, next);
    }
    return new Affected(groups, hosts);
  }

  /** The accepted routes of {@code key} (none if it has none). */
  List<Route> routesOf(ObjectKey key) {
    return byObject.getOrDefault(key, List.of());
  }

  /** The routes of group {@code group}, in object order. */
  List<Route> inGroup(String group) {
    return collect(byGroup.getOrDefault(group, Set.of()), r -> r.groupKey().equals(group));
  }

  /** The routes that want DNS for {@code host}, in object order. */
  List<Route> forHost(String host) {
    return collect(byHost.getOrDefault(host, Set.of()), r -> r.dnsHosts().contains(host));
  }

  /** Every group and host served by {@code cluster}: what its new endpoints change (none for null). */
  Affected ofCluster(String cluster) {
    if (cluster == null) {
      return Affected.none();
    }
    Set<String> groups = new TreeSet<>();
    Set<String> hosts = new TreeSet<>();
    byObject.forEach((key, routes) -> {
      if (key.cluster().equals(cluster)) {
        routes.forEach(r -> {
          groups.add(r.groupKey());
          hosts.addAll(r.dnsHosts());
        });
      }
    });
    return new Affected(groups, hosts);
  }

  /**
   * The groups whose routes in {@code cluster} name one of {@code names} ({@code <namespace>-<name>}):
   * Middlewares, or TraefikServices among their services, as {@code kind} says.
   */
  Set<String> groupsNaming(String cluster, ResourceKind kind, Set<String> names) {
    return groupsWhere((key, r) -> key.cluster().equals(cluster) && (kind == ResourceKind.TRAEFIK_SERVICE
        ? r.services().stream().anyMatch(s -> s.namesTraefikService() && names.contains(s.traefikName()))
        : r.middlewares().stream().anyMatch(ref -> Middlewares.isKubernetes(ref) && names.contains(Middlewares.referenced(ref)))));
  }

  /** The groups of the routes {@code which} selects (of their object). */
  Set<String> groupsWhere(BiPredicate<ObjectKey, Route> which) {
    Set<String> groups = new TreeSet<>();
    byObject.forEach((key, routes) -> routes.stream().filter(r -> which.test(key, r)).forEach(r -> groups.add(r.groupKey())));
    return groups;
  }

  private List<Route> collect(Set<ObjectKey> objects, java.util.function.Predicate<Route> of) {
    List<Route> routes = new ArrayList<>();
    for (ObjectKey o : objects) {
      for (Route r : byObject.getOrDefault(o, List.of())) {
        if (of.test(r)) {
          routes.add(r);
        }
      }
    }
    return routes;
  }

  private static void unindex(Map<String, Set<ObjectKey>> index, String k, ObjectKey key) {
    Set<ObjectKey> set = index.get(k);
    if (set != null) {
      set.remove(key);
      if (set.isEmpty()) {
        index.remove(k);
      }
    }
  }
}
