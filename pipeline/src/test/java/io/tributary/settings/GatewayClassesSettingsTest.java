package io.tributary.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code translate.gateway-classes}: validated, and deciding whether the Gateway API kinds are watched. */
class GatewayClassesSettingsTest {
  private static TributarySettings parse(String hocon) {
    return TributarySettings.from(ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve());
  }

  private static final String CLUSTER = "tributary.clusters.eu-1.endpoints { addresses = [\"192.0.2.11\"] }\n";

  @Test
  void offByDefaultSoClustersDoNotWatchTheGatewayApiKinds() {
    var s = parse(CLUSTER);
    assertThat(s.translate().gatewayClasses()).isEmpty();
    assertThat(s.translate().gatewayApi()).isFalse();
    assertThat(s.clusters().get("eu-1").kinds()).doesNotContain("Gateway", "HTTPRoute", "ReferenceGrant")
        .contains("Ingress", "IngressRoute", "Middleware", "TraefikService", "Service", "Node");
    assertThat(ClusterSettings.of("x", ClusterEndpoints.defaultFor("x")).kinds()).doesNotContain("HTTPRoute");
  }

  @Test
  void namingAClassWatchesThemByDefaultOrAsListed() {
    var s = parse(CLUSTER + "tributary.translate.gateway-classes = [traefik, \"gw.example.com\"]");
    assertThat(s.translate().gatewayClasses()).containsExactlyInAnyOrder("traefik", "gw.example.com");
    assertThat(s.clusters().get("eu-1").kinds()).contains("Gateway", "HTTPRoute", "ReferenceGrant", "Ingress");
    var listed = parse(CLUSTER + """
        tributary.translate.gateway-classes = [traefik]
        tributary.clusters.eu-1.kinds = [Gateway, HTTPRoute]
        """);
    assertThat(listed.clusters().get("eu-1").kinds()).containsExactlyInAnyOrder("Gateway", "HTTPRoute");
  }

  @Test
  void badClassNamesAndGatewayKindsWithoutClassesAreReportedTogether() {
    assertThatThrownBy(() -> parse(CLUSTER + """
        tributary.translate.gateway-classes = [Traefik_GW, ok, "-dash"]
        """))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("translate.gateway-classes: 'Traefik_GW' is not a GatewayClass name")
        .hasMessageContaining("translate.gateway-classes: '-dash' is not a GatewayClass name")
        .hasMessageNotContaining("'ok'");
    // a bad name is reported as such, not as an empty list
    assertThatThrownBy(() -> parse(CLUSTER + """
        tributary.translate.gateway-classes = [Bad_Name]
        tributary.clusters.eu-1.kinds = [HTTPRoute]
        """))
        .hasMessageContaining("'Bad_Name' is not a GatewayClass name")
        .hasMessageNotContaining("translate.gateway-classes is empty");
    assertThatThrownBy(() -> parse(CLUSTER + "tributary.clusters.eu-1.kinds = [Ingress, HTTPRoute]"))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("clusters.eu-1.kinds names Gateway API kinds but translate.gateway-classes is empty");
    assertThatThrownBy(() -> parse(CLUSTER + "tributary.translate.gateway-classes = traefik"))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("gateway-classes");
  }

  @Test
  void theSettingsWithoutGatewayClassesKeepTheGatewayApiOff() {
    var t = new TranslateSettings(java.util.Set.of(), true, "tributary.io/", "type=ingress", "", java.util.Map.of(), java.util.Map.of(),
        "IngressRoute", java.util.Map.of(), false, java.util.Map.of());
    assertThat(t.gatewayApi()).isFalse();
    assertThat(t.withGatewayClasses(java.util.Set.of("traefik")).gatewayClasses()).isEqualTo(java.util.Set.of("traefik"));
    assertThat(List.copyOf(TranslateSettings.defaults().gatewayClasses())).isEmpty();
  }
}
