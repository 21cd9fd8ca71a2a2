package io.tributary.kind;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A kind of object the pipeline carries, with the API resources (one per API group) that serve it.
 *
 * <p>Each kind has three names: its Kubernetes {@link #kind()}, which is also the name
 * {@code clusters.<c>.kinds} selects it by (covering every API group); and per API resource a
 * {@link ApiResource#keyKind() key kind}, the kind part of {@code ObjectKey}s, event logs and
 * transcripts. Key kinds are a persisted format: they never change.
 *
 * <p>Objects of kinds this type does not know may still appear in a recorded log; their key kind
 * follows the same rule ({@link #keyKind(String, String)}) and the pipeline ignores them.
 */
public enum ResourceKind {
  /** Ingress: translated into routes. */
  INGRESS("Ingress", "ingresses", Scope.NAMESPACED, Origin.BUILT_IN, true, "networking.k8s.io/v1"),
  /** Traefik's IngressRoute: translated into routes; served by both Traefik groups during a migration. */
  INGRESS_ROUTE("IngressRoute", "ingressroutes", Scope.NAMESPACED, Origin.CUSTOM, true,
      "traefik.io/v1alpha1", "traefik.containo.us/v1alpha1"),
  /** Traefik's Middleware: definitions the routes refer to, no routes of its own. */
  MIDDLEWARE("Middleware", "middlewares", Scope.NAMESPACED, Origin.CUSTOM, false,
      "traefik.io/v1alpha1", "traefik.containo.us/v1alpha1"),
  /** Traefik's TraefikService (weighted, mirroring): services the routes name, no routes of its own. */
  TRAEFIK_SERVICE("TraefikService", "traefikservices", Scope.NAMESPACED, Origin.CUSTOM, false,
      "traefik.io/v1alpha1", "traefik.containo.us/v1alpha1"),
  /** Service: translated into routes when opted in; also the ingress controller's endpoints. */
  SERVICE("Service", "services", Scope.NAMESPACED, Origin.BUILT_IN, true, "v1"),
  /** Gateway API Gateway: its listeners decide which HTTPRoutes attach and with which hostnames; no routes of its own. */
  GATEWAY("Gateway", "gateways", Scope.NAMESPACED, Origin.CUSTOM, false, "gateway.networking.k8s.io/v1"),
  /** Gateway API HTTPRoute: translated into routes once attached to a Gateway of {@code translate.gateway-classes}. */
  HTTP_ROUTE("HTTPRoute", "httproutes", Scope.NAMESPACED, Origin.CUSTOM, true, "gateway.networking.k8s.io/v1"),
  /**
   * Gateway API ReferenceGrant: allows HTTPRoutes of other namespaces to name its namespace's
   * Services. Watched as v1beta1, which every Gateway API release serves (v1 only from 1.3 on).
   */
  REFERENCE_GRANT("ReferenceGrant", "referencegrants", Scope.NAMESPACED, Origin.CUSTOM, false,
      "gateway.networking.k8s.io/v1beta1"),
  /** Node: a cluster's endpoints, no routes. */
  NODE("Node", "nodes", Scope.CLUSTER, Origin.BUILT_IN, false, "v1"),
  /**
   * Namespace: only its labels, which a Gateway listener's {@code allowedRoutes.namespaces.selector}
   * selects HTTPRoutes by; no routes of its own. Watched, as the Gateway API's kinds, only while
   * {@code translate.gateway-classes} names a class.
   */
  NAMESPACE("Namespace", "namespaces", Scope.CLUSTER, Origin.BUILT_IN, false, "v1"),
  /** Tributary's own synthetic object of the VM services found in Consul; never watched in a cluster. */
  VM_BACKENDS("VmBackends", "", Scope.NAMESPACED, Origin.CONSUL, false, "tributary.io/v1");

  /** Traefik's API group since Traefik 2.10. */
  public static final String TRAEFIK_GROUP = "traefik.io";
  /** API group of Traefik's CRDs before Traefik 2.10; still served beside traefik.io. */
  public static final String LEGACY_TRAEFIK_GROUP = "traefik.containo.us";

  /** The Gateway API's group; its kinds are watched only when {@code translate.gateway-classes} names a class. */
  public static final String GATEWAY_API_GROUP = "gateway.networking.k8s.io";

  private enum Scope { NAMESPACED, CLUSTER }

  private enum Origin {
    /** Served by every API server. */
    BUILT_IN,
    /** Served only where its CRD is installed. */
    CUSTOM,
    /** Made by Tributary from what it finds in Consul. */
    CONSUL
  }

  private static final Map<String, ResourceKind> BY_KEY_KIND = new HashMap<>();
  private static final Set<String> CLUSTER_KIND_NAMES;
  private static final Set<String> ROUTE_KIND_NAMES;
  private static final Set<String> SYNC_KIND_NAMES;
  private static final Set<String> GATEWAY_API_KIND_NAMES;

  static {
    Set<String> cluster = new LinkedHashSet<>();
    Set<String> routes = new LinkedHashSet<>();
    Set<String> sync = new LinkedHashSet<>();
    Set<String> gatewayApi = new LinkedHashSet<>();
    for (ResourceKind k : values()) {
      k.resources.forEach(r -> BY_KEY_KIND.put(r.keyKind(), k));
      if (k.watchedInClusters()) {
        cluster.add(k.kind);
        if (k.producesRoutes) {
          routes.add(k.kind);
        }
        if (k.awaitedBySync()) {
          sync.add(k.kind);
        }
        if (k.gatewayApi()) {
          gatewayApi.add(k.kind);
        }
      }
    }
    CLUSTER_KIND_NAMES = Collections.unmodifiableSet(cluster);
    ROUTE_KIND_NAMES = Collections.unmodifiableSet(routes);
    SYNC_KIND_NAMES = Collections.unmodifiableSet(sync);
    GATEWAY_API_KIND_NAMES = Collections.unmodifiableSet(gatewayApi);
  }

  private final String kind;
  private final boolean producesRoutes;
  private final Origin origin;
  private final List<ApiResource> resources;

  ResourceKind(String kind, String plural, Scope scope, Origin origin, boolean producesRoutes, String... apiVersions) {
    this.kind = kind;
    this.producesRoutes = producesRoutes;
    this.origin = origin;
    List<ApiResource> rs = new ArrayList<>();
    for (String apiVersion : apiVersions) {
      int slash = apiVersion.indexOf('/');
      String group = slash < 0 ? "" : apiVersion.substring(0, slash);
      String version = apiVersion.substring(slash + 1);
      rs.add(new ApiResource(kind, group, version, plural, scope == Scope.NAMESPACED, origin == Origin.CUSTOM));
    }
    this.resources = List.copyOf(rs);
  }

  /**
   * One API resource serving a kind in one API group; spelled out, so watching needs no discovery.
   *
   * @param group API group; "" for the core group
   * @param customResource served only where its CRD is installed (a 404 means "not installed")
   */
  public record ApiResource(String kind, String group, String version, String plural, boolean namespaced, boolean customResource) {

    /** {@code group/version}, or just the version for the core group. */
    public String apiVersion() {
      return group.isEmpty() ? version : group + "/" + version;
    }

    /** The kind part of the keys of this resource's objects. */
    public String keyKind() {
      return ResourceKind.keyKind(apiVersion(), kind);
    }
  }

  /**
   * The kind part of the key of an object of {@code apiVersion} and {@code kind} — the one place
   * that decides it. The kind, qualified with the group for the legacy Traefik group, so
   * {@code traefik.containo.us} and {@code traefik.io} objects of the same name (both exist during
   * a Traefik migration) never overwrite each other. Kinds this type does not know get the same
   * treatment, so a recorded log keys its objects as it always did.
   */
  public static String keyKind(String apiVersion, String kind) {
    return apiVersion.startsWith(LEGACY_TRAEFIK_GROUP + "/") ? kind + "." + LEGACY_TRAEFIK_GROUP : kind;
  }

  /** The kind whose objects have key kind {@code keyKind}; empty for kinds the pipeline does not know. */
  public static Optional<ResourceKind> ofKey(String keyKind) {
    return Optional.ofNullable(BY_KEY_KIND.get(keyKind));
  }

  /** The kind a cluster's {@code kinds} list names {@code name}; empty if it is not one. */
  public static Optional<ResourceKind> ofClusterKindName(String name) {
    return Arrays.stream(values()).filter(k -> k.watchedInClusters() && k.kind.equals(name)).findFirst();
  }

  /** The names a cluster's {@code kinds} list may hold, in declaration order. */
  public static Set<String> clusterKindNames() {
    return CLUSTER_KIND_NAMES;
  }

  /**
   * The names of the cluster kinds that produce routes, in declaration order: a cluster is synced
   * once each of these it watches has listed.
   */
  public static Set<String> routeKindNames() {
    return ROUTE_KIND_NAMES;
  }

  /** The names of the kinds the sync barrier waits for ({@link #awaitedBySync()}), in declaration order. */
  public static Set<String> syncKindNames() {
    return SYNC_KIND_NAMES;
  }

  /** The names of the kinds watched only for the Gateway API ({@link #gatewayApi()}), in declaration order. */
  public static Set<String> gatewayApiKindNames() {
    return GATEWAY_API_KIND_NAMES;
  }

  /** The Kubernetes kind; also this kind's name in {@code clusters.<c>.kinds} and in SYNCED markers. */
  public String kind() {
    return kind;
  }

  /** The API resources serving this kind, the current API group first. */
  public List<ApiResource> resources() {
    return resources;
  }

  /** The API resource of the current API group (the one new objects are written in). */
  public ApiResource current() {
    return resources.get(0);
  }

  /** The API resource serving this kind in {@code group}. */
  public ApiResource inGroup(String group) {
    return resources.stream().filter(r -> r.group().equals(group)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException(kind + " is not served in API group '" + group + "'"));
  }

  /** Whether an object of {@code apiVersion} is of one of this kind's API resources. */
  public boolean servedAs(String apiVersion) {
    return resources.stream().anyMatch(r -> r.apiVersion().equals(apiVersion));
  }

  /** Whether objects of this kind are translated into routes. */
  public boolean producesRoutes() {
    return producesRoutes;
  }

  /**
   * Whether this kind is watched only for the Gateway API (while Gateway API translation is on): the
   * Gateway API's own kinds, and Namespace, whose labels its listeners select HTTPRoutes by.
   */
  public boolean gatewayApi() {
    return current().group().equals(GATEWAY_API_GROUP) || this == NAMESPACE;
  }

  /**
   * Whether {@code clusters.<c>.label-selector} filters this kind's objects: every routing object,
   * not Nodes (endpoints) nor Namespaces (their labels are what Gateway listeners select by).
   */
  public boolean filteredByLabelSelector() {
    return this != NODE && this != NAMESPACE;
  }

  /**
   * Whether only an object's name and labels are kept when watched (Namespace): the rest of it is
   * never read, and a change that leaves the labels as they were is not handed on.
   */
  public boolean labelsOnly() {
    return this == NAMESPACE;
  }

  /**
   * Whether a cluster must have listed this kind before deletes flow (the sync barrier): the kinds
   * that produce routes, and the Gateway API kinds whose absence would withdraw routes (an
   * HTTPRoute without its Gateway, or a cross-namespace backend without its ReferenceGrant, has none;
   * one attached through a namespace label selector has none before its Namespace's labels are known).
   */
  public boolean awaitedBySync() {
    return producesRoutes || gatewayApi();
  }

  /** Whether cluster watchers watch this kind (VmBackends comes from Consul instead). */
  public boolean watchedInClusters() {
    return origin != Origin.CONSUL;
  }
}
