package io.tributary.settings;

import com.typesafe.config.Config;
import java.util.List;
import java.util.Locale;

/**
 * {@code tributary.clusters.<name>}: one watched cluster and where its ingress endpoints are.
 *
 * <p>Only {@code load-balancer} endpoints (fixed addresses) exist so far; {@code nodes} and
 * {@code service} need the live watchers.
 */
public record ClusterSettings(String name, ClusterEndpoints endpoints) {

  static ClusterSettings from(String name, Config c, Problems p) {
    String path = "clusters." + name + ".endpoints";
    if (!c.hasPath("endpoints")) {
      p.add(path + " is missing");
      return new ClusterSettings(name, ClusterEndpoints.defaultFor(name));
    }
    Config e = c.getConfig("endpoints");
    String type = e.hasPath("type") ? e.getString("type").toLowerCase(Locale.ROOT) : "load-balancer";
    if (!type.equals("load-balancer")) {
      p.add(path + ".type '" + type + "' is not supported yet (supported: load-balancer)");
    }
    List<String> addresses = e.hasPath("addresses") ? e.getStringList("addresses") : List.of();
    if (addresses.isEmpty()) {
      p.add(path + ".addresses must name at least one IP or hostname");
    }
    long hostnames = addresses.stream().filter(a -> !Addresses.isIp(a)).count();
    if (hostnames > 0 && addresses.size() > 1) {
      p.add(path + ".addresses: a load-balancer hostname must be the only address (a CNAME has one target)");
    }
    int port = e.hasPath("port") ? e.getInt("port") : 80;
    if (port < 1 || port > 65535) {
      p.add(path + ".port " + port + " is out of range");
    }
    return new ClusterSettings(name, new ClusterEndpoints(name, addresses, port));
  }
}
