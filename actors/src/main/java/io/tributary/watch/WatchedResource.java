package io.tributary.watch;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.List;

/**
 * One API resource behind a configured kind (Traefik kinds are served by two API groups). Its
 * definition is spelled out, so watching needs no discovery call and a missing CRD shows up as a
 * plain 404 when listing.
 */
record WatchedResource(String kind, String group, String version, String plural, boolean namespaced, boolean customResource) {

  /** The resources to watch for {@code kind}. */
  static List<WatchedResource> of(String kind) {
    return switch (kind) {
      case "Ingress" -> List.of(new WatchedResource(kind, "networking.k8s.io", "v1", "ingresses", true, false));
      case "Service" -> List.of(new WatchedResource(kind, "", "v1", "services", true, false));
      case "Node" -> List.of(new WatchedResource(kind, "", "v1", "nodes", false, false));
      case "IngressRoute", "Middleware" -> {
        String plural = kind.equals("IngressRoute") ? "ingressroutes" : "middlewares";
        yield List.of(
            new WatchedResource(kind, "traefik.io", "v1alpha1", plural, true, true),
            new WatchedResource(kind, WatchEvent.LEGACY_TRAEFIK_GROUP, "v1alpha1", plural, true, true));
      }
      default -> throw new IllegalArgumentException("unknown kind " + kind);
    };
  }

  String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** The kind part of the keys of this resource's objects (see {@link WatchEvent#keyKind}). */
  String keyKind() {
    return group.equals(WatchEvent.LEGACY_TRAEFIK_GROUP) ? kind + "." + group : kind;
  }

  ResourceDefinitionContext context() {
    return new ResourceDefinitionContext.Builder()
        .withGroup(group).withVersion(version).withKind(kind).withPlural(plural).withNamespaced(namespaced).build();
  }

  /** Nodes are cluster-scoped and never filtered by the routing label selector. */
  boolean selectable() {
    return !kind.equals("Node");
  }

  @Override
  public String toString() {
    return kind + " (" + apiVersion() + ")";
  }
}
