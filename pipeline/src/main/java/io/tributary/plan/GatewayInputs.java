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
 * The Gateway API objects of every cluster: Gateways and ReferenceGrants (read, per cluster), and
 * the HTTPRoutes themselves, kept as received because their routes depend on the other two and are
 * translated again whenever one they depend on changes. Pure data; each update answers which
 * HTTPRoutes to translate again, so arrival order never matters.
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

  /**
   * What one Gateway API event changed.
   *
   * @param report what the listener hears of a Gateway or ReferenceGrant itself; null for an HTTPRoute
   *     (its translation is reported)
   * @param routes the HTTPRoutes to translate again, in key order
   */
  record Change(PlanReport report, Set<ObjectKey> routes) {}

  /** A Gateway, HTTPRoute or ReferenceGrant changed. */
  Change on(WatchEvent event, TributarySettings settings) {
    ObjectKey key = event.key();
    boolean gone = event.type() == EventType.DELETED || event.object() == null;
    String cluster = key.cluster();
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

  /** The Gateways and ReferenceGrants the HTTPRoutes of {@code cluster} are translated against. */
  GatewayApi.Parents parents(String cluster) {
    Map<String, GatewayApi.Gateway> gws = gateways.getOrDefault(cluster, Map.of());
    Map<String, TreeMap<String, GatewayApi.Grant>> gs = grants.getOrDefault(cluster, Map.of());
    boolean listed = gatewaysListed.contains(cluster);
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
    };
  }
}
