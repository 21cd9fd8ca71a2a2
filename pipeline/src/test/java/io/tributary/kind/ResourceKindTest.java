package io.tributary.kind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ResourceKindTest {

  @Test
  void keyKindsArePersistedStringsAndNeverChange() {
    // transcripts, state files and event logs hold these: a change here breaks every recording
    assertThat(ResourceKind.INGRESS.resources()).extracting(ResourceKind.ApiResource::keyKind).containsExactly("Ingress");
    assertThat(ResourceKind.INGRESS_ROUTE.resources()).extracting(ResourceKind.ApiResource::keyKind)
        .containsExactly("IngressRoute", "IngressRoute.traefik.containo.us");
    assertThat(ResourceKind.MIDDLEWARE.resources()).extracting(ResourceKind.ApiResource::keyKind)
        .containsExactly("Middleware", "Middleware.traefik.containo.us");
    assertThat(ResourceKind.TRAEFIK_SERVICE.resources()).extracting(ResourceKind.ApiResource::keyKind)
        .containsExactly("TraefikService", "TraefikService.traefik.containo.us");
    assertThat(ResourceKind.SERVICE.resources()).extracting(ResourceKind.ApiResource::keyKind).containsExactly("Service");
    assertThat(ResourceKind.NODE.resources()).extracting(ResourceKind.ApiResource::keyKind).containsExactly("Node");
    assertThat(ResourceKind.VM_BACKENDS.resources()).extracting(ResourceKind.ApiResource::keyKind).containsExactly("VmBackends");
  }

  @Test
  void anObjectsKeyKindComesFromItsApiVersionAndKind() {
    assertThat(ResourceKind.keyKind("traefik.io/v1alpha1", "IngressRoute")).isEqualTo("IngressRoute");
    assertThat(ResourceKind.keyKind("traefik.containo.us/v1alpha1", "IngressRoute")).isEqualTo("IngressRoute.traefik.containo.us");
    assertThat(ResourceKind.keyKind("networking.k8s.io/v1", "Ingress")).isEqualTo("Ingress");
    assertThat(ResourceKind.keyKind("", "Ingress")).isEqualTo("Ingress"); // hand-written logs may omit apiVersion
    // kinds the pipeline does not know are keyed by the same rule
    assertThat(ResourceKind.keyKind("traefik.containo.us/v1alpha1", "TLSOption")).isEqualTo("TLSOption.traefik.containo.us");
    assertThat(ResourceKind.keyKind("v1", "ConfigMap")).isEqualTo("ConfigMap");
  }

  @Test
  void keyKindsLeadBackToTheirKindInEveryGroup() {
    for (ResourceKind kind : ResourceKind.values()) {
      for (ResourceKind.ApiResource r : kind.resources()) {
        assertThat(ResourceKind.ofKey(r.keyKind())).contains(kind);
        assertThat(kind.servedAs(r.apiVersion())).isTrue();
      }
    }
    assertThat(ResourceKind.ofKey("ConfigMap")).isEmpty();
    assertThat(ResourceKind.ofKey("Ingress.traefik.containo.us")).isEmpty();
    assertThat(ResourceKind.ofKey("")).isEmpty();
  }

  @Test
  void clustersNameKindsWithoutTheirGroup() {
    assertThat(ResourceKind.clusterKindNames()).containsExactly("Ingress", "IngressRoute", "Middleware", "TraefikService", "Service",
        "Gateway", "HTTPRoute", "ReferenceGrant", "Node", "Namespace");
    assertThat(ResourceKind.routeKindNames()).containsExactly("Ingress", "IngressRoute", "Service", "HTTPRoute");
    // the sync barrier also waits for what HTTPRoutes need to have routes at all
    // (and, for a listener selecting namespaces by label, the Namespaces' labels)
    assertThat(ResourceKind.syncKindNames())
        .containsExactly("Ingress", "IngressRoute", "Service", "Gateway", "HTTPRoute", "ReferenceGrant", "Namespace");
    // watched only while the Gateway API is on: its own kinds, and the Namespaces its listeners select by
    assertThat(ResourceKind.gatewayApiKindNames()).containsExactly("Gateway", "HTTPRoute", "ReferenceGrant", "Namespace");
    assertThat(ResourceKind.ofClusterKindName("IngressRoute")).contains(ResourceKind.INGRESS_ROUTE);
    assertThat(ResourceKind.ofClusterKindName("VmBackends")).isEmpty(); // from Consul, never from a cluster
    assertThat(ResourceKind.ofClusterKindName("IngressRoute.traefik.containo.us")).isEmpty();
  }

  @Test
  void resourcesAreSpelledOutForWatchingWithoutDiscovery() {
    ResourceKind.ApiResource legacy = ResourceKind.MIDDLEWARE.inGroup(ResourceKind.LEGACY_TRAEFIK_GROUP);
    assertThat(List.of(legacy.apiVersion(), legacy.plural(), legacy.namespaced(), legacy.customResource()))
        .containsExactly("traefik.containo.us/v1alpha1", "middlewares", true, true);
    ResourceKind.ApiResource services = ResourceKind.TRAEFIK_SERVICE.current();
    assertThat(List.of(services.apiVersion(), services.plural(), services.namespaced(), services.customResource()))
        .containsExactly("traefik.io/v1alpha1", "traefikservices", true, true);
    ResourceKind.ApiResource namespace = ResourceKind.NAMESPACE.current();
    assertThat(List.of(namespace.apiVersion(), namespace.plural(), namespace.namespaced(), namespace.customResource(), namespace.keyKind()))
        .containsExactly("v1", "namespaces", false, false, "Namespace");
    assertThat(ResourceKind.NAMESPACE.producesRoutes()).isFalse();
    assertThat(ResourceKind.NAMESPACE.labelsOnly()).isTrue();
    assertThat(ResourceKind.NAMESPACE.filteredByLabelSelector()).isFalse();
    assertThat(ResourceKind.NODE.filteredByLabelSelector()).isFalse();
    assertThat(ResourceKind.GATEWAY.filteredByLabelSelector()).isTrue();
    ResourceKind.ApiResource node = ResourceKind.NODE.current();
    assertThat(List.of(node.group(), node.apiVersion(), node.plural(), node.namespaced(), node.customResource()))
        .containsExactly("", "v1", "nodes", false, false);
    assertThat(ResourceKind.INGRESS.current().apiVersion()).isEqualTo("networking.k8s.io/v1");
    ResourceKind.ApiResource grants = ResourceKind.REFERENCE_GRANT.current();
    assertThat(List.of(grants.apiVersion(), grants.plural(), grants.namespaced(), grants.customResource(), grants.keyKind()))
        .containsExactly("gateway.networking.k8s.io/v1beta1", "referencegrants", true, true, "ReferenceGrant");
    assertThat(ResourceKind.ofKey("HTTPRoute")).contains(ResourceKind.HTTP_ROUTE);
    assertThat(ResourceKind.HTTP_ROUTE.current().apiVersion()).isEqualTo("gateway.networking.k8s.io/v1");
    assertThat(ResourceKind.INGRESS_ROUTE.current().group()).isEqualTo(ResourceKind.TRAEFIK_GROUP);
    assertThatThrownBy(() -> ResourceKind.INGRESS.inGroup(ResourceKind.TRAEFIK_GROUP)).isInstanceOf(IllegalArgumentException.class);
  }
}
