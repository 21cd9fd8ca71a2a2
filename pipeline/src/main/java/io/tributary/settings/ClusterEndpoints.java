package io.tributary.settings;

import java.util.List;

/**
 * Where traffic for a cluster's routes lands: the addresses (IPs, or one load-balancer hostname)
 * and port of its ingress controller as seen from outside the cluster.
 */
public record ClusterEndpoints(String cluster, List<String> addresses, int port) {

  public ClusterEndpoints {
    addresses = List.copyOf(addresses);
  }

  /**
   * The endpoint of a cluster the config does not name: a load-balancer hostname derived from the
   * cluster name under the reserved {@code .invalid} TLD, port 80, so any captured log replays.
   */
  public static ClusterEndpoints defaultFor(String cluster) {
    return new ClusterEndpoints(cluster, List.of("ingress." + cluster + ".tributary.invalid"), 80);
  }
}
