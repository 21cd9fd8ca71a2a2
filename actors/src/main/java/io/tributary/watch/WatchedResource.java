package io.tributary.watch;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.tributary.kind.ResourceKind;
import java.util.List;

/**
 * One API resource behind a configured kind (Traefik kinds are served by two API groups), as an
 * informer watches it. Its definition is spelled out ({@link ResourceKind}), so watching needs no
 * discovery call and a missing CRD shows up as a plain 404 when listing.
 */
record WatchedResource(ResourceKind.ApiResource api) {

  /** The resources to watch for {@code kind}, a name {@code clusters.<c>.kinds} lists. */
  static List<WatchedResource> of(String kind) {
    return ResourceKind.ofClusterKindName(kind)
        .orElseThrow(() -> new IllegalArgumentException("unknown kind " + kind))
        .resources().stream().map(WatchedResource::new).toList();
  }

  /** The configured kind this resource serves (the same in every API group). */
  String kind() {
    return api.kind();
  }

  String apiVersion() {
    return api.apiVersion();
  }

  boolean customResource() {
    return api.customResource();
  }

  /** The kind part of the keys of this resource's objects. */
  String keyKind() {
    return api.keyKind();
  }

  ResourceDefinitionContext context() {
    return new ResourceDefinitionContext.Builder()
        .withGroup(api.group()).withVersion(api.version()).withKind(api.kind()).withPlural(api.plural())
        .withNamespaced(api.namespaced()).build();
  }

  /** The kind this resource serves. */
  ResourceKind resourceKind() {
    return ResourceKind.ofKey(keyKind()).orElseThrow();
  }

  /** Whether the routing label selector filters it (not Nodes, not Namespaces). */
  boolean selectable() {
    return resourceKind().filteredByLabelSelector();
  }

  @Override
  public String toString() {
    return kind() + " (" + apiVersion() + ")";
  }
}
