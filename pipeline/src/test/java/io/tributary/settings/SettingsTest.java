package io.tributary.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

/** Cluster settings: credentials, kinds, namespaces, endpoint types, and every problem at once. */
class SettingsTest {
  private static TributarySettings parse(String hocon) {
    return TributarySettings.from(ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve());
  }

  @Test
  void aFullClusterBlockIsRead() {
    var s = parse("""
        tributary.clusters.eu-1 {
          kubeconfig = "/etc/tributary/kubeconfigs/eu-1", context = "prod-eu-1"
          kinds = [Ingress, Node]
          namespaces { allow = [shop, payments], deny = [kube-system] }
          label-selector = "team=web"
          endpoints { type = nodes, host-port = 8080, node-selector { "node-role.kubernetes.io/ingress" = "true" } }
        }
        tributary.clusters.eu-2.endpoints { type = service, namespace = traefik, name = traefik, port = 443 }
        """);
    var eu1 = s.clusters().get("eu-1");
    assertThat(eu1.inCluster()).isFalse();
    assertThat(eu1.context()).isEqualTo("prod-eu-1");
    assertThat(eu1.kinds()).containsExactlyInAnyOrder("Ingress", "Node");
    assertThat(eu1.watchesNamespace("shop")).isTrue();
    assertThat(eu1.watchesNamespace("kube-system")).isFalse();
    assertThat(eu1.watchesNamespace("other")).isFalse();
    assertThat(eu1.watchesNamespace("")).isTrue();
    assertThat(eu1.labelSelector()).isEqualTo("team=web");
    assertThat(eu1.endpointSettings().type()).isEqualTo(EndpointSettings.Type.NODES);
    assertThat(eu1.endpointSettings().nodeSelector()).containsEntry("node-role.kubernetes.io/ingress", "true");
    assertThat(eu1.endpointSettings().port()).isEqualTo(8080);
    assertThat(s.endpoints("eu-1").addresses()).isEmpty(); // resolved from Nodes at run time
    var eu2 = s.clusters().get("eu-2");
    assertThat(eu2.inCluster()).isTrue();
    assertThat(eu2.endpointSettings().serviceName()).isEqualTo("traefik");
  }

  @Test
  void everyProblemIsReportedTogetherByKey() {
    assertThatThrownBy(() -> parse("""
        tributary.clusters.eu-1 { context = x, kinds = [Ingress, Gateway], endpoints { type = nodes } }
        tributary.clusters.eu-2.endpoints { type = service }
        tributary.clusters.eu-3.endpoints { type = anycast }
        tributary.watch.min-backoff = 0s
        """))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("clusters.eu-1.context is set without clusters.eu-1.kubeconfig")
        .hasMessageContaining("clusters.eu-1.kinds: 'Gateway' is not one of")
        .hasMessageContaining("clusters.eu-1.endpoints.host-port is required")
        .hasMessageContaining("clusters.eu-1.endpoints.type nodes needs Node")
        .hasMessageContaining("clusters.eu-2.endpoints: type service needs namespace and name")
        .hasMessageContaining("clusters.eu-3.endpoints.type 'anycast' is not one of load-balancer, nodes, service")
        .hasMessageContaining("watch.min-backoff must be positive");
  }
}
