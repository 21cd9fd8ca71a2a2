package io.tributary.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.settings.ClusterEndpoints;
import io.tributary.settings.EndpointSettings;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** A cluster's ingress endpoints from its Nodes or its ingress controller's Service. Pure. */
public final class EndpointResolver {
  private EndpointResolver() {}

  /**
   * Addresses of the Nodes that can take traffic: Ready, not cordoned (a cordoned node is being
   * drained), carrying every label of the selector and an address of the configured type.
   */
  public static ClusterEndpoints fromNodes(String cluster, Collection<ObjectNode> nodes, EndpointSettings s) {
    var addresses = new TreeSet<String>();
    for (ObjectNode node : nodes) {
      if (!ready(node) || node.path("spec").path("unschedulable").asBoolean(false) || !matches(node, s.nodeSelector())) {
        continue;
      }
      for (JsonNode a : node.path("status").path("addresses")) {
        if (s.addressType().equals(a.path("type").asText()) && !a.path("address").asText("").isEmpty()) {
          addresses.add(a.path("address").asText());
        }
      }
    }
    return new ClusterEndpoints(cluster, List.copyOf(addresses), s.port());
  }

  /** The controller Service's load-balancer IPs, or its hostname when it has no IP. */
  public static ClusterEndpoints fromService(String cluster, ObjectNode service, EndpointSettings s) {
    var ips = new TreeSet<String>();
    var hostnames = new TreeSet<String>();
    if (service != null) {
      for (JsonNode ingress : service.path("status").path("loadBalancer").path("ingress")) {
        if (!ingress.path("ip").asText("").isEmpty()) {
          ips.add(ingress.path("ip").asText());
        } else if (!ingress.path("hostname").asText("").isEmpty()) {
          hostnames.add(ingress.path("hostname").asText());
        }
      }
    }
    List<String> addresses = !ips.isEmpty() ? List.copyOf(ips) : hostnames.stream().limit(1).toList();
    return new ClusterEndpoints(cluster, addresses, s.port());
  }

  private static boolean ready(ObjectNode node) {
    for (JsonNode c : node.path("status").path("conditions")) {
      if ("Ready".equals(c.path("type").asText())) {
        return "True".equals(c.path("status").asText());
      }
    }
    return false;
  }

  private static boolean matches(ObjectNode node, Map<String, String> selector) {
    JsonNode labels = node.path("metadata").path("labels");
    for (var e : selector.entrySet()) {
      if (!e.getValue().equals(labels.path(e.getKey()).asText(null))) {
        return false;
      }
    }
    return true;
  }
}
