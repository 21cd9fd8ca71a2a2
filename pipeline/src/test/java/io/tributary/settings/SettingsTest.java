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
        tributary.clusters.eu-1 { context = x, kinds = [Ingress, Gateway, GRPCRoute], endpoints { type = nodes } }
        tributary.clusters.eu-2.endpoints { type = service }
        tributary.clusters.eu-3.endpoints { type = anycast }
        tributary.watch.min-backoff = 0s
        """))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("clusters.eu-1.context is set without clusters.eu-1.kubeconfig")
        .hasMessageContaining("clusters.eu-1.kinds: 'GRPCRoute' is not one of")
        .hasMessageContaining("clusters.eu-1.kinds names Gateway API kinds but translate.gateway-classes is empty")
        .hasMessageContaining("clusters.eu-1.endpoints.host-port is required")
        .hasMessageContaining("clusters.eu-1.endpoints.type nodes needs Node")
        .hasMessageContaining("clusters.eu-2.endpoints: type service needs namespace and name")
        .hasMessageContaining("clusters.eu-3.endpoints.type 'anycast' is not one of load-balancer, nodes, service")
        .hasMessageContaining("watch.min-backoff must be positive");
  }

  @Test
  void dnsZonesAreNamesOrObjectsWithServerKeyAndFilters() {
    var s = parse("""
        tributary.dns {
          zones = [{
            name = "Example.COM."
            server = "10.0.0.53:53"
            tsig { name = tributary, algorithm = hmac-sha512, secret-env = TSIG_SECRET }
            ttl = 120s
            min-ttl = 30s
            domain-filter = ["*.example.com"]
            exclude-domains = ["legacy.example.com"]
          }, {
            name = "shop.example.com"
            server = "[2001:db8::53]:5353"
            tsig { name = k, secret-file = "/etc/tributary/tsig" }
          }]
          txt-format = external-dns
          takeover-owner = old-cluster
        }
        """).dns();
    assertThat(s.isRemote()).isTrue();
    var z = s.zones().get(0);
    assertThat(z.name()).isEqualTo("example.com");
    assertThat(z.host()).isEqualTo("10.0.0.53");
    assertThat(z.port()).isEqualTo(53);
    assertThat(z.tsig().algorithm()).isEqualTo("hmac-sha512");
    assertThat(z.tsig().secret().toString()).isEqualTo("env TSIG_SECRET");
    assertThat(z.ttl()).isEqualTo(java.time.Duration.ofSeconds(120));
    assertThat(s.zones().get(1).host()).isEqualTo("2001:db8::53");
    assertThat(s.zones().get(1).port()).isEqualTo(5353);
    assertThat(s.zones().get(1).tsig().algorithm()).isEqualTo("hmac-sha256");
    assertThat(s.zoneOf("www.shop.example.com").name()).isEqualTo("shop.example.com");
    assertThat(s.zoneOf("www.example.com").name()).isEqualTo("example.com");
    assertThat(s.zoneOf("www.example.org")).isNull();
    assertThat(z.filtered("legacy.example.com")).contains("excluded");
    assertThat(z.filtered("www.example.com")).isNull();
    assertThat(z.filtered("example.com")).contains("domain-filter");
    assertThat(s.txtFormat()).isEqualTo(DnsSettings.TxtFormat.EXTERNAL_DNS);
    assertThat(s.takeoverOwner()).isEqualTo("old-cluster");
    assertThat(s.maxRecordsPerUpdate()).isEqualTo(50);
    assertThat(z.toString()).doesNotContain("TSIG_SECRET").contains("10.0.0.53:53");
  }

  @Test
  void dnsZoneProblemsAreReportedTogether() {
    assertThatThrownBy(() -> parse("""
        tributary.dns {
          zones = [{ name = a.example, server = "nohost" }, { name = b.example, server = "10.0.0.1:53",
                     tsig { name = k, algorithm = hmac-md5, secret-file = f, secret-env = E } }, "c.example", 42]
          txt-format = bind
          max-records-per-update = 0
        }
        """))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("dns.zones[0].server 'nohost' must be host:port")
        .hasMessageContaining("dns.zones[1].tsig.algorithm 'hmac-md5' must be hmac-sha256 or hmac-sha512")
        .hasMessageContaining("dns.zones[1].tsig: set secret-file or secret-env, not both")
        .hasMessageContaining("dns.zones[3] must be a zone name or an object")
        .hasMessageContaining("either every zone names a server or none does")
        .hasMessageContaining("dns.txt-format 'bind' must be tributary or external-dns")
        .hasMessageContaining("dns.max-records-per-update must be between 1 and 1000");
  }

  @Test
  void vmDiscoveryNeedsConsulAndABoundedWait() {
    assertThat(parse("tributary.vm-discovery.tag-prefix = \"tributary.vm-host=\"\ntributary.consul.http.address = \"http://consul:8500\"")
        .vmDiscovery().enabled()).isTrue();
    assertThat(parse("").vmDiscovery().enabled()).isFalse();
    assertThatThrownBy(() -> parse("tributary.vm-discovery { tag-prefix = \"vm=\", wait = 20m }"))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("vm-discovery.tag-prefix is set but consul.http.address is empty")
        .hasMessageContaining("vm-discovery.wait must be between 1s and 10m");
  }
}
