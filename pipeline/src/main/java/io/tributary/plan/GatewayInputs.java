package io.tributary.plan;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.kind.ResourceKind;
import io.tributary.settings.TributarySettings;
import io.tributary.translate.GatewayApi;
import io.tributary.translate.HttpRouteTranslator;
import io.tributary.watch.EventType;
import io.tributary.watch.ObjectKey;
import io.tributary.watch.WatchEvent;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The Gateway API objects of every cluster: Gateways and ReferenceGrants (read, per cluster), the
 * labels of its Namespaces (only those: name → labels), and the HTTPRoutes themselves, kept as
 * received because their routes depend on the other three and are translated again whenever one
 * they depend on changes. Pure data; each update answers which HTTPRoutes to translate again, so
 * arrival order never matters.
 */
final class GatewayInputs {
  // per cluster: Gateways by namespace/name
  private final Map<String, Map<String, GatewayApi.Gateway>> gateways = new HashMap<>();
  // per cluster: ReferenceGrants by namespace, then name
  private final Map<String, Map<String, TreeMap<String, GatewayApi.Grant>>> grants = new HashMap<>();
  private final Map<ObjectKey, ObjectNode> routes = new TreeMap<>();
  // clusters whose Gateways have listed: only there is a Gateway not known missing (informers
  // deliver kinds in no fixed order, so an HTTPRoute often comes before its Gateway)
  private final Set<String> gatewaysListed = new HashSet<>();
  // per cluster: the labels of each Namespace, by name
  private final Map<String, Map<String, Map<String, String>>> namespaces = new HashMap<>();
  // clusters whose Namespaces have listed: only there is a namespace not known one without labels
  private final Set<String> namespacesListed = new HashSet<>();

  /**
   * What one Gateway API event changed.
   *
   * @param report what the listener hears of a Gateway or ReferenceGrant itself; null for an HTTPRoute
   *     (its translation is reported)
   * @param routes the HTTPRoutes to translate again, in key order
   */
  record Change(PlanReport report, Set<ObjectKey> routes) {}

  /** A Gateway, HTTPRoute, ReferenceGrant or Namespace changed. */
  Change on(WatchEvent event, TributarySettings settings) {
    ObjectKey key = event.key();
    boolean gone = event.type() == EventType.DELETED || event.object() == null;
    String cluster = key.cluster();
    if (key.is(ResourceKind.NAMESPACE)) {
      return onNamespace(key, gone ? null : event.object(), settings);
    }
    if (key.is(ResourceKind.HTTP_ROUTE)) {
      if (gone) {
        routes.remove(key);
      } else {
        routes.put(key, event.object());
      }
      return new Change(null, Set.of(key));
    }
    String shown = key.namespace() + "/" + key.name();
    if (key.is(ResourceKind.GATEWAY)) {
      Map<String, GatewayApi.Gateway> known = gateways.computeIfAbsent(cluster, c -> new HashMap<>());
      GatewayApi.Gateway now = gone ? null : readGateway(key, event.object());
      GatewayApi.Gateway before = now == null ? known.remove(shown) : known.put(shown, now);
      PlanReport report = now == null ? new PlanReport.Deleted(key)
          : settings.translate().gatewayClasses().contains(now.className()) ? new PlanReport.Accepted(key, 0, List.of())
          : new PlanReport.Ignored(key, settings.translate().gatewayApi()
              ? "class '" + now.className() + "' is not in translate.gateway-classes " + new TreeSet<>(settings.translate().gatewayClasses())
              : "the Gateway API is off (translate.gateway-classes is empty)");
      // a resourceVersion or status change leaves the listeners as they were: nothing to translate
      return new Change(report, Objects.equals(before, now) ? Set.of()
          : routesWhere(cluster, (k, o) -> HttpRouteTranslator.gatewayNames(k, o).contains(shown)));
    }
    Map<String, TreeMap<String, GatewayApi.Grant>> known = grants.computeIfAbsent(cluster, c -> new HashMap<>());
    TreeMap<String, GatewayApi.Grant> inNamespace = known.computeIfAbsent(key.namespace(), n -> new TreeMap<>());
    GatewayApi.Grant now = gone ? null : readGrant(key, event.object());
    GatewayApi.Grant before = now == null ? inNamespace.remove(key.name()) : inNamespace.put(key.name(), now);
    if (inNamespace.isEmpty()) {
      known.remove(key.namespace());
    }
    PlanReport report = now == null ? new PlanReport.Deleted(key) : new PlanReport.Accepted(key, 0, List.of());
    return new Change(report, Objects.equals(before, now) ? Set.of()
        : routesWhere(cluster, (k, o) -> HttpRouteTranslator.grantNamespaces(k, o).contains(key.namespace())));
  }

  /**
   * A Namespace's labels: the HTTPRoutes of that namespace attached through a listener selecting by
   * labels are translated again when they changed (a Namespace deleted has none: its routes go too).
   */
  private Change onNamespace(ObjectKey key, ObjectNode object, TributarySettings settings) {
    String cluster = key.cluster();
    String name = key.name();
    Map<String, Map<String, String>> known = namespaces.computeIfAbsent(cluster, c -> new HashMap<>());
    Map<String, String> now = object == null ? null : labels(object);
    Map<String, String> before = now == null ? known.remove(name) : known.put(name, now);
    if (known.isEmpty()) {
      namespaces.remove(cluster);
    }
    if (Objects.equals(before, now) || !settings.translate().gatewayApi()) {
      return new Change(null, Set.of());
    }
    return new Change(null, routesWhere(cluster, (k, o) -> k.namespace().equals(name) && selectedByLabels(cluster, k, o)));
  }

  /** The labels of a Namespace; a label whose value is not text is left out (the API server allows none). */
  private static Map<String, String> labels(ObjectNode object) {
    Map<String, String> out = new TreeMap<>();
    object.path("metadata").path("labels").fields().forEachRemaining(e -> {
      if (e.getValue().isTextual()) {
        out.put(e.getKey(), e.getValue().asText());
      }
    });
    return Map.copyOf(out);
  }

  /** Whether a known Gateway the route names has a listener selecting namespaces by labels other than their name. */
  private boolean selectedByLabels(String cluster, ObjectKey route, ObjectNode object) {
    Map<String, GatewayApi.Gateway> known = gateways.getOrDefault(cluster, Map.of());
    for (String name : HttpRouteTranslator.gatewayNames(route, object)) {
      GatewayApi.Gateway gw = known.get(name);
      if (gw != null && gw.listeners().stream().anyMatch(GatewayApi.Listener::selectsByLabels)) {
        return true;
      }
    }
    return false;
  }

  // as the translator's guard: an unforeseen shape costs this object (a Gateway without listeners,
  // a ReferenceGrant granting nothing), never the stream
  private static GatewayApi.Gateway readGateway(ObjectKey key, ObjectNode object) {
    try {
      return GatewayApi.gateway(key, object);
    } catch (RuntimeException | StackOverflowError e) {
      return new GatewayApi.Gateway(key.namespace(), key.name(), "", List.of());
    }
  }

  private static GatewayApi.Grant readGrant(ObjectKey key, ObjectNode object) {
    try {
      return GatewayApi.referenceGrant(key, object);
    } catch (RuntimeException | StackOverflowError e) {
      return new GatewayApi.Grant(key.namespace(), key.name(), List.of(), List.of());
    }
  }

  private Set<ObjectKey> routesWhere(String cluster, java.util.function.BiPredicate<ObjectKey, ObjectNode> which) {
    Set<ObjectKey> out = new TreeSet<>();
    Predicate<ObjectKey> inCluster = k -> k.cluster().equals(cluster);
    routes.forEach((k, o) -> {
      if (inCluster.test(k) && which.test(k, o)) {
        out.add(k);
      }
    });
    return out;
  }

  /**
   * The Gateways of {@code cluster} have listed (its Gateway SYNCED marker, or the sync barrier
   * opened): answers the HTTPRoutes to translate again, those naming a Gateway that is now known
   * to be missing; none if the cluster had listed before.
   */
  Set<ObjectKey> gatewaysListed(String cluster) {
    if (!gatewaysListed.add(cluster)) {
      return Set.of();
    }
    Map<String, GatewayApi.Gateway> known = gateways.getOrDefault(cluster, Map.of());
    return routesWhere(cluster, (k, o) -> !known.keySet().containsAll(HttpRouteTranslator.gatewayNames(k, o)));
  }

  /**
   * The Namespaces of {@code cluster} have listed (its Namespace SYNCED marker, or the sync barrier
   * opened): answers the HTTPRoutes to translate again, those a listener selects by namespace labels
   * (they waited for them); none if the cluster had listed before, or does not watch Namespaces
   * ({@code watched} false: nothing waited).
   */
  Set<ObjectKey> namespacesListed(String cluster, boolean watched) {
    if (!watched || !namespacesListed.add(cluster)) {
      return Set.of();
    }
    return routesWhere(cluster, (k, o) -> selectedByLabels(cluster, k, o));
  }

  /**
   * Whether the HTTPRoutes of {@code cluster} may still be waiting for a Gateway or a Namespace's
   * labels not delivered yet (their cluster's Gateways, or its Namespaces if {@code namespacesWatched},
   * have not listed).
   */
  boolean mayWait(String cluster, boolean namespacesWatched) {
    return !gatewaysListed.contains(cluster) || (namespacesWatched && !namespacesListed.contains(cluster));
  }

  /**
   * Whether {@code cluster}'s Namespaces are watched: while the Gateway API is on, where its {@code
   * kinds} name Namespace (by default they do); a cluster only a replayed log names is taken to.
   */
  static boolean namespacesWatched(TributarySettings settings, String cluster) {
    var configured = settings.clusters().get(cluster);
    return settings.translate().gatewayApi()
        && (configured == null || configured.kinds().contains(ResourceKind.NAMESPACE.kind()));
  }

  /** The clusters of the HTTPRoutes known, in name order. */
  Set<String> routeClusters() {
    Set<String> out = new TreeSet<>();
    routes.keySet().forEach(k -> out.add(k.cluster()));
    return out;
  }

  /** The HTTPRoute {@code key} as last received, or null once deleted. */
  ObjectNode route(ObjectKey key) {
    return routes.get(key);
  }

  /** Every HTTPRoute known, in key order (a reload translates them all again). */
  Set<ObjectKey> routeKeys() {
    return new TreeSet<>(routes.keySet());
  }

  /**
   * The Gateways, ReferenceGrants and namespace labels the HTTPRoutes of {@code cluster} are
   * translated against; {@code namespacesWatched}: whether the cluster watches Namespaces.
   */
  GatewayApi.Parents parents(String cluster, boolean namespacesWatched) {
    Map<String, GatewayApi.Gateway> gws = gateways.getOrDefault(cluster, Map.of());
    Map<String, TreeMap<String, GatewayApi.Grant>> gs = grants.getOrDefault(cluster, Map.of());
    Map<String, Map<String, String>> nss = namespaces.getOrDefault(cluster, Map.of());
    boolean listed = gatewaysListed.contains(cluster);
    boolean namespacesKnown = namespacesListed.contains(cluster);
    return new GatewayApi.Parents() {
      @Override
      public boolean gatewaysListed() {
        return listed;
      }

      @Override
      public GatewayApi.Gateway gateway(String namespace, String name) {
        return gws.get(namespace + "/" + name);
      }

      @Override
      public List<GatewayApi.Grant> grants(String namespace) {
        TreeMap<String, GatewayApi.Grant> in = gs.get(namespace);
        return in == null ? List.of() : List.copyOf(in.values());
      }

      @Override
      public GatewayApi.NamespaceLabels namespaceLabels(String namespace) {
        if (!namespacesWatched) { // a log may carry Namespaces of a cluster configured not to watch them: not read
          return new GatewayApi.NamespaceLabels.NotWatched();
        }
        Map<String, String> labels = nss.get(namespace);
        return labels != null ? new GatewayApi.NamespaceLabels.Known(labels)
            : namespacesKnown ? new GatewayApi.NamespaceLabels.Known(Map.of())
            : new GatewayApi.NamespaceLabels.NotListedYet();
      }
    };
  }
}
