package io.tributary.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.settings.EndpointSettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Endpoints from Nodes (ready, schedulable, selected) and from the controller Service. */
public class EndpointResolverTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final EndpointSettings NODES =
      new EndpointSettings(EndpointSettings.Type.NODES, null, 8080, Map.of("role", "ingress"), "InternalIP", null, null);

  /** A Node object as the API server returns it. */
  public static ObjectNode node(String name, String ip, boolean ready, boolean cordoned, String role) throws Exception {
    return (ObjectNode) JSON.readTree("""
        {"kind":"Node","metadata":{"name":"%s","labels":{"role":"%s"}},"spec":{"unschedulable":%s},
         "status":{"addresses":[{"type":"InternalIP","address":"%s"},{"type":"Hostname","address":"%s"}],
                   "conditions":[{"type":"MemoryPressure","status":"False"},{"type":"Ready","status":"%s"}]}}
        """.formatted(name, role, cordoned, ip, name, ready ? "True" : "False"));
  }

  @Test
  void readySchedulableSelectedNodesGiveTheirInternalAddressesAndTheHostPort() throws Exception {
    var endpoints = EndpointResolver.fromNodes("eu-1", List.of(
        node("n3", "10.0.0.3", true, false, "ingress"),
        node("n1", "10.0.0.1", true, false, "ingress"),
        node("n2", "10.0.0.2", false, false, "ingress"),
        node("n4", "10.0.0.4", true, true, "ingress"),
        node("n5", "10.0.0.5", true, false, "batch")), NODES);
    assertThat(endpoints.addresses()).containsExactly("10.0.0.1", "10.0.0.3");
    assertThat(endpoints.port()).isEqualTo(8080);
  }

  @Test
  void theControllerServicesLoadBalancerIpsWinOverItsHostname() throws Exception {
    var svc = new EndpointSettings(EndpointSettings.Type.SERVICE, null, 443, Map.of(), "InternalIP", "traefik", "traefik");
    var withIps = (ObjectNode) JSON.readTree("{\"status\":{\"loadBalancer\":{\"ingress\":[{\"ip\":\"203.0.113.2\"},{\"ip\":\"203.0.113.1\"}]}}}");
    var withName = (ObjectNode) JSON.readTree("{\"status\":{\"loadBalancer\":{\"ingress\":[{\"hostname\":\"lb.example.net\"}]}}}");
    assertThat(EndpointResolver.fromService("eu-1", withIps, svc).addresses()).containsExactly("203.0.113.1", "203.0.113.2");
    assertThat(EndpointResolver.fromService("eu-1", withName, svc).addresses()).containsExactly("lb.example.net");
    assertThat(EndpointResolver.fromService("eu-1", null, svc).addresses()).isEmpty();
  }
}
