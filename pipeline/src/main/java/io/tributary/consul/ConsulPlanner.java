package io.tributary.consul;

import io.tributary.kind.ResourceKind;
import io.tributary.settings.ClusterEndpoints;
import io.tributary.settings.ConsulSettings;
import io.tributary.settings.TagSyntax;
import io.tributary.translate.Middlewares;
import io.tributary.translate.Route;
import io.tributary.translate.SplitResolver;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Routes of one route group (host + path, from any clusters) → the Consul registrations that make
 * the VM-side Traefik route it: one service, one instance per cluster endpoint. Pure.
 *
 * <ul>
 *   <li>The oldest declaration (creationTimestamp, then cluster/namespace/name) is the winner; its
 *       router options go on every instance, because Traefik drops a router whose instances carry
 *       different tags.
 *   <li>A route of another owner (namespace + backend service) is a conflict: it is left out and
 *       noted. The same owner in several clusters is the normal multi-cluster case: merged.
 * </ul>
 */
public final class ConsulPlanner {
  // One object may declare the same route twice (two backends, say): the last keys make the order
  // total, so the plan never depends on the order of its input.
  private static final Comparator<Route> AGE =
      Comparator.comparing(Route::created)
          .thenComparing(Route::source)
          .thenComparing(r -> r.backend().toString())
          .thenComparing(Route::toString);

  private ConsulPlanner() {}

  /** Finds a cluster's Middleware object by its Traefik name ({@code <namespace>-<name>}); null if none. */
  @FunctionalInterface
  public interface MiddlewareLookup {
    Middlewares.Definition find(String cluster, String name);

    /** No Middleware objects known: routes using one are held back. */
    MiddlewareLookup NONE = (cluster, name) -> null;
  }

  /**
   * Desired registrations of one route group ({@code routes} non-empty, one group key). The oldest
   * claim decides between owners; within the winning owner, routes of {@code preferredKind}
   * (Ingress or IngressRoute: the two declared side by side during a Traefik 1 → 2 migration)
   * supply the router options. When {@code routedElsewhere} holds for the winner (a strangler
   * canary routed by Traefik KV config), the instances carry no router tags, so the canary's router
   * is the only one for the group's requests. The winner's references to Middleware objects are
   * resolved in its own cluster through {@code middlewares} and defined in the tags. A winner whose
   * Middleware does not exist or cannot be carried over holds the whole group back (no
   * registrations, a note saying why), as Traefik refuses such a router: published without it, the
   * route could lose its authentication or its IP allow list. It is registered as soon as the
   * Middleware is there.
   */
  public static ConsulPlan plan(
      List<Route> routes,
      Function<String, ClusterEndpoints> endpointsOf,
      ConsulSettings settings,
      String ownerId,
      String preferredKind,
      Predicate<Route> routedElsewhere,
      MiddlewareLookup middlewares) {
    return plan(routes, endpointsOf, settings, ownerId, preferredKind, routedElsewhere, middlewares, Map.of());
  }

  /**
   * As above, with {@code translate.middleware-map} ({@code mapped}: Traefik name {@code
   * <namespace>-<name>} → a middleware the VM-side Traefik defines, such as {@code auth@file}): a
   * reference to a mapped Middleware, from the route or from a chain, names the mapped middleware
   * instead, whatever the Kubernetes object is, so it never holds the group back.
   */
  public static ConsulPlan plan(
      List<Route> routes,
      Function<String, ClusterEndpoints> endpointsOf,
      ConsulSettings settings,
      String ownerId,
      String preferredKind,
      Predicate<Route> routedElsewhere,
      MiddlewareLookup middlewares,
      Map<String, String> mapped) {
    return plan(routes, endpointsOf, settings, ownerId, preferredKind, routedElsewhere, middlewares, mapped, SplitResolver.Lookup.NONE);
  }

  /**
   * As above, with each cluster's TraefikServices ({@code traefikServices}). A route's services are
   * served by its own cluster's Traefik, behind the ingress the instances point at, which splits
   * the requests there (so the tags never repeat the split). A cluster that cannot serve its route
   * — a TraefikService it names, directly or through another, is missing, unusable or reaches
   * itself — gets no instances, with a note naming what is missing, until it can; the split each
   * cluster applies is noted.
   */
  public static ConsulPlan plan(
      List<Route> routes,
      Function<String, ClusterEndpoints> endpointsOf,
      ConsulSettings settings,
      String ownerId,
      String preferredKind,
      Predicate<Route> routedElsewhere,
      MiddlewareLookup middlewares,
      Map<String, String> mapped,
      SplitResolver.Lookup traefikServices) {
    // an nginx canary joins its primary's group instead of claiming it: it never owns the group
    List<Route> canaries = routes.stream().filter(r -> r.canary() != null).sorted(AGE).toList();
    if (!canaries.isEmpty()) {
      routes = routes.stream().filter(r -> r.canary() == null).toList();
      if (routes.isEmpty()) {
        return new ConsulPlan(List.of(), List.of("held back: " + canaries.get(0).groupKey() + " is declared only by nginx canary "
            + canaries.stream().map(r -> r.source().toString()).toList() + ", whose primary Ingress of the same host and path is"
            + " missing; ingress-nginx serves a canary only beside its primary, so it is not given all the requests"
            + " (registered again when the primary is back)"));
      }
    }
    List<Route> byAge = new ArrayList<>(routes);
    byAge.sort(AGE);
    String owner = owner(byAge.get(0));
    Comparator<Route> preference =
        Comparator.<Route>comparingInt(r -> family(r).equals(preferredKind) ? 0 : 1).thenComparing(AGE);
    List<Route> sorted = new ArrayList<>(routes);
    sorted.sort(Comparator.<Route>comparingInt(r -> owner(r).equals(owner) ? 0 : 1).thenComparing(preference));
    Route winner = sorted.get(0);
    String service = ServiceNames.serviceName(winner, settings);
    List<String> notes = new ArrayList<>();
    Map<String, Route> firstByCluster = new TreeMap<>();
    Map<String, Route> otherKindByCluster = new TreeMap<>();
    for (Route r : sorted) {
      if (!owner(r).equals(owner)) {
        notes.add(
            "conflict: " + r.groupKey() + " claimed by " + byAge.get(0).source() + " (older) and " + r.source()
                + "; " + r.source() + " left out");
        continue;
      }
      Route first = firstByCluster.get(r.source().cluster());
      if (first != null && !family(first).equals(family(r)) && !otherKindByCluster.containsKey(r.source().cluster())) {
        otherKindByCluster.put(r.source().cluster(), r);
        notes.add("duplicate: " + first.source() + " and " + r.source() + " declare " + r.groupKey()
            + "; using the " + family(first) + " (translate.prefer)");
      }
      if (!sameRouter(r, winner)) {
        notes.add(r.source() + ": router options differ from " + winner.source() + "; using the older declaration");
      }
      firstByCluster.putIfAbsent(r.source().cluster(), r);
    }
    if (settings.tagSyntax() == TagSyntax.V1 && winner.rule() != null) {
      notes.add(winner.source() + ": the rule " + TraefikTags.rule(winner, TagSyntax.V3)
          + " cannot be expressed in Traefik 1 tags; not registered");
      return new ConsulPlan(List.of(), notes);
    }
    if (settings.tagSyntax() == TagSyntax.V1 && !winner.middlewares().isEmpty()) {
      notes.add(winner.source() + ": middlewares " + winner.middlewares()
          + " cannot be expressed in Traefik 1 tags; left out");
    }
    Map<String, String> middlewareNames = new LinkedHashMap<>();
    java.util.Set<String> middlewareTags = new java.util.LinkedHashSet<>();
    Map<String, String> carried = new java.util.HashMap<>(); // every carried reference, chain members too → its name
    for (String ref : winner.middlewares()) {
      if (!Middlewares.isKubernetes(ref)) {
        continue;
      }
      String missing = carry(ref, winner.source().cluster(), middlewares, mapped, settings.tagSyntax(),
          new ArrayList<>(), carried, middlewareTags);
      if (missing != null) {
        notes.add("held back: " + winner.groupKey() + " is not registered until " + winner.source() + " can have its " + missing
            + " (without it the route could lose what the middleware enforces)");
        return new ConsulPlan(List.of(), notes);
      }
      middlewareNames.put(ref, carried.get(ref));
    }
    Map<String, Route> serving = new TreeMap<>();
    firstByCluster.forEach((cluster, route) -> {
      SplitResolver.Resolution inCluster = SplitResolver.resolve(route, traefikServices);
      if (inCluster.missing() != null) {
        notes.add("held back in cluster " + cluster + ": " + winner.groupKey() + " has no instances there until " + route.source()
            + " can have its " + inCluster.missing() + " (the cluster's Traefik cannot serve the route without it)");
        return;
      }
      if (inCluster.split() != null) {
        notes.add("split in cluster " + cluster + ": " + inCluster.split());
      }
      serving.put(cluster, route);
    });
    Map<String, String> canarySplits = canarySplits(canaries, serving, notes);
    if (serving.isEmpty()) {
      return new ConsulPlan(List.of(), notes);
    }
    // names can differ per cluster ({cluster} in the template); tags follow the name
    Map<String, ServiceNames.ConsulName> names = new TreeMap<>();
    serving.keySet().forEach(c -> names.put(c, ServiceNames.consulName(winner, settings, c)));
    if (names.values().stream().map(ServiceNames.ConsulName::traefikName).distinct().count() > 1) {
      notes.add(winner.groupKey() + ": {cluster} in the service-name template gives each cluster its own Consul service"
          + " and Traefik router for the same rule; Traefik sends the rule's requests to one of them only");
    }
    var ports = new java.util.TreeSet<Integer>();
    serving.keySet().stream().map(endpointsOf)
        .filter(e -> !e.addresses().isEmpty()).forEach(e -> ports.add(e.port()));
    if (ports.size() > 1) {
      notes.add("clusters serve " + service + " on different ports " + ports
          + "; no server-port tag, so Traefik uses each instance's own port");
    }
    Map<String, List<String>> tagsByName = new TreeMap<>();
    List<ConsulRegistration> registrations = new ArrayList<>();
    serving.forEach(
        (cluster, route) -> {
          ServiceNames.ConsulName name = names.get(cluster);
          List<String> tags = tagsByName.computeIfAbsent(name.traefikName(),
              n -> tags(n, name.tag(), winner, ports, settings, routedElsewhere, middlewareNames, List.copyOf(middlewareTags)));
          ClusterEndpoints endpoints = endpointsOf.apply(cluster);
          if (endpoints.addresses().isEmpty()) {
            notes.add(cluster + " has no ingress endpoint addresses; no instances of " + name.traefikName() + " there");
          }
          instanceIds(endpoints.addresses()).forEach(
              (address, idPart) ->
                  registrations.add(
                      new ConsulRegistration(
                          settings.nodeName(cluster),
                          name.traefikName() + "-" + cluster + "-" + idPart + "-" + endpoints.port(),
                          name.service(),
                          address,
                          endpoints.port(),
                          tags,
                          meta(ownerId, route, canarySplits.get(cluster)))));
        });
    registrations.sort(Comparator.comparing(ConsulRegistration::key));
    return new ConsulPlan(registrations, notes, winner, middlewareNames);
  }

  /**
   * Defines Kubernetes reference {@code ref} of {@code cluster} in {@code tags} (a chain's members
   * first, each once) and records the name it has there in {@code carried}; answers what is
   * missing, phrased for the held-back note, or null. {@code path} holds the chains being resolved,
   * so a chain reaching itself is reported instead of looping.
   */
  private static String carry(
      String ref, String cluster, MiddlewareLookup lookup, Map<String, String> mapped, TagSyntax syntax,
      List<String> path, Map<String, String> carried, java.util.Set<String> tags) {
    String referenced = Middlewares.referenced(ref);
    if (syntax != TagSyntax.V1 && mapped.containsKey(referenced)) {
      carried.put(ref, mapped.get(referenced)); // the operator's VM-side middleware replaces the object
      return null;
    }
    if (carried.containsKey(ref)) {
      return null;
    }
    String middleware = ResourceKind.MIDDLEWARE.kind() + " ";
    if (path.contains(referenced)) {
      List<String> cycle = new ArrayList<>(path.subList(path.indexOf(referenced), path.size()));
      cycle.add(referenced);
      return middleware + referenced + " of cluster " + cluster + ", which cannot be used: its chain reaches itself ("
          + String.join(" → ", cycle) + ")";
    }
    Middlewares.Definition d = lookup.find(cluster, referenced);
    String missing = d == null ? middleware + referenced + ", which does not exist in cluster " + cluster
        : d.unusable() != null ? middleware + d.name() + " of cluster " + cluster + ", which cannot be used: " + d.unusable()
        : syntax == TagSyntax.V1 ? middleware + d.name() + ", which Traefik 1 tags cannot define"
        : null;
    if (missing != null) {
      return missing;
    }
    String name = ServiceNames.slug(cluster + "-" + d.name(), 200);
    if (d.isChain()) {
      path.add(referenced);
      List<String> members = new ArrayList<>();
      for (String member : d.members()) {
        if (Middlewares.isKubernetes(member)) {
          String problem = carry(member, cluster, lookup, mapped, syntax, path, carried, tags);
          if (problem != null) {
            // the chain is what the route names; the reason names the member that breaks it
            return problem.startsWith(middleware + d.name() + " of cluster " + cluster + ", which cannot be used: its chain reaches")
                ? problem
                : middleware + d.name() + " of cluster " + cluster + ", which cannot be used: its chain member " + problem;
          }
          members.add(carried.get(member));
        } else {
          members.add(member);
        }
      }
      path.remove(path.size() - 1);
      tags.add("traefik.http.middlewares." + name + ".chain.middlewares=" + String.join(",", members));
    } else {
      tags.addAll(TraefikTags.middleware(name, d, syntax));
    }
    carried.put(ref, name);
    return null;
  }

  /**
   * Sorted tags of the instances named {@code traefikName}: the router (or only the service, for a
   * canary routed elsewhere), the server port when every cluster agrees on one, and the DNS tag.
   */
  private static List<String> tags(
      String traefikName, String dnsTag, Route winner, java.util.SortedSet<Integer> ports, ConsulSettings settings,
      Predicate<Route> routedElsewhere, Map<String, String> middlewareNames, List<String> middlewareTags) {
    boolean elsewhere = routedElsewhere.test(winner);
    var routerTags = new java.util.TreeSet<>(elsewhere
        ? TraefikTags.serviceOnly()
        : TraefikTags.tags(traefikName, winner, settings, middlewareNames));
    if (!elsewhere) { // a canary's router is in Traefik's dynamic config, with its middlewares
      routerTags.addAll(middlewareTags);
    }
    List<String> tags = ports.size() == 1
        ? TraefikTags.withServerPort(List.copyOf(routerTags), traefikName, ports.first(), settings.tagSyntax())
        : List.copyOf(routerTags);
    if (dnsTag == null) {
      return tags;
    }
    var withTag = new java.util.TreeSet<>(tags);
    withTag.add(dnsTag);
    return List.copyOf(withTag);
  }

  /**
   * Distinct addresses → the slug that names their instance. Slugs of distinct addresses can meet
   * ({@code 2001:db8::1} and {@code 2001:db8:1::}); those get a hash of the address appended, so no
   * two instances share an ID (the second would silently replace the first).
   */
  static Map<String, String> instanceIds(List<String> addresses) {
    Map<String, List<String>> bySlug = new TreeMap<>();
    addresses.stream().distinct()
        .forEach(a -> bySlug.computeIfAbsent(ServiceNames.slug(a, 200), k -> new ArrayList<>()).add(a));
    Map<String, String> ids = new LinkedHashMap<>();
    for (String a : addresses) {
      String slug = ServiceNames.slug(a, 200);
      ids.putIfAbsent(a, bySlug.get(slug).size() == 1 ? slug : slug + "-" + ServiceNames.hash6(a));
    }
    return ids;
  }

  /**
   * The split of each serving cluster whose primary has an nginx canary there (the oldest one of the
   * primary's namespace; ingress-nginx serves one canary per primary), noted; other canaries are
   * noted as ignored. The cluster's controller splits: the VM side reaches its ingress, not the
   * two Services.
   */
  private static Map<String, String> canarySplits(List<Route> canaries, Map<String, Route> serving, List<String> notes) {
    Map<String, String> splits = new TreeMap<>();
    for (Route c : canaries) {
      String cluster = c.source().cluster();
      Route primary = serving.get(cluster);
      String ignored = primary == null ? "its cluster serves no primary Ingress of " + c.groupKey()
          : !primary.source().namespace().equals(c.source().namespace()) ? "its primary " + primary.source() + " is in another namespace"
          : splits.containsKey(cluster) ? "the older canary of the same primary is used (ingress-nginx serves one)"
          : null;
      if (ignored != null) {
        notes.add("nginx canary " + c.source() + " ignored: " + ignored);
        continue;
      }
      String split = c.canary().split(primary.backend().toString(), c.backend().toString());
      splits.put(cluster, split);
      notes.add("split in cluster " + cluster + ": nginx canary " + c.source() + ": " + split);
    }
    return splits;
  }

  private static Map<String, String> meta(String ownerId, Route route, String canarySplit) {
    Map<String, String> meta = new TreeMap<>();
    if (canarySplit != null) {
      meta.put("nginx-canary", canarySplit.length() > 512 ? canarySplit.substring(0, 512) : canarySplit);
    }
    meta.put("owner", ownerId);
    meta.put("cluster", route.source().cluster());
    meta.put("namespace", route.source().namespace());
    meta.put("kind", route.source().kind());
    meta.put("name", route.source().name());
    meta.put("host", route.host());
    meta.put("path", route.path());
    meta.put("external-source", "tributary");
    return meta;
  }

  /** Ingress, IngressRoute (either API group) or Service. */
  private static String family(Route r) {
    String keyKind = r.source().kind();
    return ResourceKind.ofKey(keyKind).map(ResourceKind::kind).orElse(keyKind);
  }

  private static String owner(Route r) {
    return r.source().namespace() + "/" + r.backend().service();
  }

  private static boolean sameRouter(Route a, Route b) {
    return a.entrypoints().equals(b.entrypoints())
        && a.middlewares().equals(b.middlewares())
        && Objects.equals(a.priority(), b.priority())
        && a.tls() == b.tls()
        && a.stripPrefix() == b.stripPrefix()
        && a.catchAll() == b.catchAll();
  }
}
