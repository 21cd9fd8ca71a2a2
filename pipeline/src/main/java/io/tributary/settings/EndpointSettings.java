package io.tributary.settings;

import java.util.Map;

/**
 * {@code tributary.clusters.<name>.endpoints}: how a cluster's ingress is reached from outside.
 *
 * <ul>
 *   <li>{@code load-balancer}: fixed {@code addresses} (IPs, or one hostname) and {@code port};
 *   <li>{@code nodes}: the addresses ({@code address-type}, default InternalIP) of Ready,
 *       schedulable Nodes matching {@code node-selector}, and the ingress controller's host port;
 *   <li>{@code service}: the load-balancer status (IPs or hostname) of the ingress controller's
 *       Service {@code namespace/name}, and {@code port}.
 * </ul>
 */
public record EndpointSettings(
    Type type,
    ClusterEndpoints fixed,
    int port,
    Map<String, String> nodeSelector,
    String addressType,
    String serviceNamespace,
    String serviceName) {

  /** Where the endpoints come from. */
  public enum Type {
    LOAD_BALANCER,
    NODES,
    SERVICE
  }

  public EndpointSettings {
    nodeSelector = Map.copyOf(nodeSelector);
  }

  /** Fixed endpoints. */
  public static EndpointSettings fixed(ClusterEndpoints endpoints) {
    return new EndpointSettings(Type.LOAD_BALANCER, endpoints, endpoints.port(), Map.of(), "InternalIP", null, null);
  }
}
