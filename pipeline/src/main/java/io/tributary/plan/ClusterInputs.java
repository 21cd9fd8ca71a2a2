package io.tributary.plan;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.kind.ResourceKind;
import io.tributary.settings.ClusterEndpoints;
import io.tributary.settings.ClusterSettings;
import io.tributary.settings.EndpointSettings;
import io.tributary.settings.TributarySettings;
import io.tributary.translate.EndpointResolver;
import io.tributary.translate.Middlewares;
import io.tributary.translate.TraefikServices;
import io.tributary.translate.VmBackends;
import io.tributary.watch.EventType;
import io.tributary.watch.ObjectKey;
import io.tributary.watch.WatchEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What routes depend on besides their own objects: each cluster's endpoints (configured, or
 * resolved from its Nodes or its ingress controller's Service), the Middleware and TraefikService
 * objects routes name, and the VM backends of strangler migrations found in Consul. Pure data;
 * each update answers what it changed, so the coordinator knows what to plan again.
 */
final class ClusterInputs {
  private TributarySettings settings;
  // endpoints of nodes/service clusters, resolved from the Node and Service objects they watch
  private final Map<String, ClusterEndpoints> resolved = new HashMap<>();
  private final Map<String, Map<ObjectKey, ObjectNode>> nodes = new HashMap<>();
  // the ingress controller Service each service-endpoint cluster resolved its endpoints from
  private final Map<String, ObjectNode> controllers = new HashMap<>();
  // VM services of strangler migrations found in Consul by tag: hostname → service
  private Map<String, String> discoveredVms = Map.of();
  // Middleware objects per cluster, by the name routes refer to them by (<namespace>-<name>)
  private final Map<String, Map<String, Middlewares.Definition>> middlewares = new HashMap<>();
  // TraefikService objects per cluster, by the name routes refer to them by, then by key kind (API group)
  private final Map<String, Map<String, TreeMap<String, TraefikServices.Definition>>> traefikServices = new HashMap<>();

  ClusterInputs(TributarySettings settings) {
    this.settings = settings;
  }

  /**
   * Reloaded settings: endpoints are resolved again from the Nodes and controller Services already
   * seen (a controller Service of another name arrives with the objects re-listed after a reload).
   */
  void reconfigure(TributarySettings next) {
    settings = next;
    resolved.clear();
    for (ClusterSettings cluster : next.clusters().values()) {
      EndpointSettings e = cluster.endpointSettings();
      if (e.type() == EndpointSettings.Type.NODES && nodes.containsKey(cluster.name())) {
        resolved.put(cluster.name(), EndpointResolver.fromNodes(cluster.name(), nodes.get(cluster.name()).values(), e));
      } else if (e.type() == EndpointSettings.Type.SERVICE && controllers.containsKey(cluster.name())) {
        resolved.put(cluster.name(), EndpointResolver.fromService(cluster.name(), controllers.get(cluster.name()), e));
      }
    }
  }

  /** Where {@code cluster}'s routes land now. */
  ClusterEndpoints endpoints(String cluster) {
    ClusterEndpoints r = resolved.get(cluster);
    return r != null ? r : settings.endpoints(cluster);
  }

  /** A Node changed; answers its cluster if that cluster's endpoints changed, else null. */
  String onNode(WatchEvent event) {
    ClusterSettings cluster = settings.clusters().get(event.key().cluster());
    if (cluster == null || cluster.endpointSettings().type() != EndpointSettings.Type.NODES) {
      return null;
    }
    Map<ObjectKey, ObjectNode> known = nodes.computeIfAbsent(cluster.name(), c -> new HashMap<>());
    if (event.type() == EventType.DELETED || event.object() == null) {
      known.remove(event.key());
    } else {
      known.put(event.key(), event.object());
    }
    return resolve(cluster.name(), EndpointResolver.fromNodes(cluster.name(), known.values(), cluster.endpointSettings()));
  }

  /** Any object; answers its cluster if it is that cluster's ingress controller Service and moved the endpoints. */
  String onControllerService(WatchEvent event) {
    ClusterSettings cluster = settings.clusters().get(event.key().cluster());
    if (cluster == null
        || cluster.endpointSettings().type() != EndpointSettings.Type.SERVICE
        || !event.key().is(ResourceKind.SERVICE)
        || !event.key().namespace().equals(cluster.endpointSettings().serviceNamespace())
        || !event.key().name().equals(cluster.endpointSettings().serviceName())) {
      return null;
    }
    ObjectNode service = event.type() == EventType.DELETED ? null : event.object();
    controllers.put(cluster.name(), service);
    return resolve(cluster.name(), EndpointResolver.fromService(cluster.name(), service, cluster.endpointSettings()));
  }

  private String resolve(String cluster, ClusterEndpoints now) {
    if (now.equals(endpoints(cluster))) {
      return null; // node heartbeats and the like
    }
    resolved.put(cluster, now);
    return cluster;
  }

  /**
   * A Middleware or TraefikService changed: why it is unusable now (null if usable), whether it is
   * gone, whether its definition differs from before, and the names of the objects of its kind whose
   * routes that concerns (itself and every chain or TraefikService that reaches it).
   */
  record DefinitionChange(ResourceKind kind, boolean gone, String unusable, boolean changed, Set<String> reaching) {
    /** What the listener hears of the object itself. */
    PlanReport report(ObjectKey key) {
      return gone ? new PlanReport.Deleted(key)
          : unusable != null ? new PlanReport.Rejected(key, unusable)
          : new PlanReport.Accepted(key, 0, List.of());
    }
  }

  DefinitionChange onMiddleware(WatchEvent event) {
    String name = Middlewares.nameOf(event.key());
    Map<String, Middlewares.Definition> known = middlewares.computeIfAbsent(event.key().cluster(), c -> new HashMap<>());
    Middlewares.Definition before = known.get(name);
    Middlewares.Definition now = null;
    if (event.type() == EventType.DELETED || event.object() == null) {
      known.remove(name);
    } else {
      try {
        now = Middlewares.define(event.key(), event.object());
      } catch (RuntimeException | StackOverflowError e) {
        // as the translator's guard: an unforeseen shape costs this Middleware, never the stream
        now = new Middlewares.Definition(name, "", Map.of(), "could not be read (" + e + "); please report this as a Tributary bug");
      }
      known.put(name, now);
    }
    // else resourceVersion or status only; routes naming a chain that reaches it change with it
    return new DefinitionChange(ResourceKind.MIDDLEWARE, now == null, now == null ? null : now.unusable(),
        !Objects.equals(before, now), middlewaresReaching(event.key().cluster(), name));
  }

  /**
   * {@code name} and every chain of {@code cluster} that reaches it through its members: a change to
   * a member changes what the routes naming those chains get.
   */
  Set<String> middlewaresReaching(String cluster, String name) {
    Map<String, Middlewares.Definition> known = middlewares.getOrDefault(cluster, Map.of());
    Set<String> reaching = new TreeSet<>(List.of(name));
    boolean grew = true;
    while (grew) { // chains are few and short; a fixed point also ends on cycles
      grew = false;
      for (Middlewares.Definition d : known.values()) {
        if (!reaching.contains(d.name()) && d.members().stream()
            .anyMatch(m -> Middlewares.isKubernetes(m) && reaching.contains(Middlewares.referenced(m)))) {
          grew = reaching.add(d.name());
        }
      }
    }
    return reaching;
  }

  /** The Middleware {@code cluster}'s routes know as {@code name}, or null. */
  Middlewares.Definition middleware(String cluster, String name) {
    return middlewares.getOrDefault(cluster, Map.of()).get(name);
  }

  /**
   * A TraefikService changed. Objects of both API groups may share a name during a Traefik
   * migration; the current group's is the one routes get, and deleting either leaves the other.
   */
  DefinitionChange onTraefikService(WatchEvent event) {
    String name = TraefikServices.nameOf(event.key());
    Map<String, TreeMap<String, TraefikServices.Definition>> known =
        traefikServices.computeIfAbsent(event.key().cluster(), c -> new HashMap<>());
    TreeMap<String, TraefikServices.Definition> byGroup = known.computeIfAbsent(name, n -> new TreeMap<>());
    TraefikServices.Definition before = byGroup.get(event.key().kind());
    TraefikServices.Definition now = null;
    if (event.type() == EventType.DELETED || event.object() == null) {
      byGroup.remove(event.key().kind());
      if (byGroup.isEmpty()) {
        known.remove(name);
      }
    } else {
      try {
        now = TraefikServices.define(event.key(), event.object(), settings.translate().allowCrossNamespace());
      } catch (RuntimeException | StackOverflowError e) {
        // as the translator's guard: an unforeseen shape costs this TraefikService, never the stream
        now = new TraefikServices.Unusable(name, "could not be read (" + e + "); please report this as a Tributary bug");
      }
      byGroup.put(event.key().kind(), now);
    }
    return new DefinitionChange(ResourceKind.TRAEFIK_SERVICE, now == null,
        now instanceof TraefikServices.Unusable u ? u.reason() : null, !Objects.equals(before, now),
        traefikServicesReaching(event.key().cluster(), name));
  }

  /** {@code name} and every TraefikService of {@code cluster} whose tree reaches it: their routes change with it. */
  Set<String> traefikServicesReaching(String cluster, String name) {
    Map<String, TreeMap<String, TraefikServices.Definition>> known = traefikServices.getOrDefault(cluster, Map.of());
    Set<String> reaching = new TreeSet<>(List.of(name));
    boolean grew = true;
    while (grew) { // trees are few and shallow; a fixed point also ends on cycles
      grew = false;
      for (var e : known.entrySet()) {
        if (!reaching.contains(e.getKey()) && e.getValue().values().stream().flatMap(d -> d.services().stream())
            .anyMatch(s -> s.namesTraefikService() && reaching.contains(s.traefikName()))) {
          grew = reaching.add(e.getKey());
        }
      }
    }
    return reaching;
  }

  /** The TraefikService {@code cluster}'s routes know as {@code name} (the current API group's first), or null. */
  TraefikServices.Definition traefikService(String cluster, String name) {
    TreeMap<String, TraefikServices.Definition> byGroup = traefikServices.getOrDefault(cluster, Map.of()).get(name);
    // key kinds sort the current group ("TraefikService") before the legacy one ("TraefikService.traefik.containo.us")
    return byGroup == null || byGroup.isEmpty() ? null : byGroup.firstEntry().getValue();
  }

  /** A new snapshot of the VM backends found in Consul; answers the hostnames whose backend changed. */
  Set<String> onVmBackends(WatchEvent event) {
    Map<String, String> now = event.type() == EventType.DELETED || event.object() == null
        ? Map.of() : VmBackends.byHost(event.object());
    Set<String> changed = new TreeSet<>();
    now.forEach((host, service) -> {
      if (!service.equals(discoveredVms.get(host))) {
        changed.add(host);
      }
    });
    discoveredVms.keySet().stream().filter(h -> !now.containsKey(h)).forEach(changed::add);
    discoveredVms = Map.copyOf(now);
    return changed;
  }

  /** The VM service serving {@code host} today: configured first, then discovered in Consul. */
  String vmBackendOf(String host) {
    String configured = settings.translate().vmBackends().get(host);
    return configured != null ? configured : discoveredVms.get(host);
  }
}
