package io.tributary.settings;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.List;

/**
 * {@code tributary.dns}: which hostnames get records and where they point.
 *
 * @param ttl TTL of every record written
 * @param zones managed zones; a hostname in none of them is skipped with a reason. Empty manages
 *     every hostname (fine for replays into in-memory targets)
 * @param edgeHosts hostname globs fronted by the VM-side Traefik (strangler migration): their DNS
 *     points at {@code edgeAddresses}, not at the clusters
 * @param edgeAddresses IPs or one hostname of the VM-side edge
 */
public record DnsSettings(
    Duration ttl, List<String> zones, List<String> edgeHosts, List<String> edgeAddresses) {

  public DnsSettings {
    zones = List.copyOf(zones);
    edgeHosts = List.copyOf(edgeHosts);
    edgeAddresses = List.copyOf(edgeAddresses);
  }

  public static DnsSettings defaults() {
    return new DnsSettings(Duration.ofSeconds(60), List.of(), List.of(), List.of());
  }

  static DnsSettings from(Config c, Problems p) {
    var ttl = p.duration(c, "ttl");
    if (ttl != null && ttl.getSeconds() < 1) {
      p.add("dns.ttl must be at least 1s");
    }
    var zones = p.stringList(c, "zones");
    var edgeHosts = p.stringList(c, "edge.hosts");
    var edgeAddresses = p.stringList(c, "edge.addresses");
    if (edgeHosts != null && !edgeHosts.isEmpty() && (edgeAddresses == null || edgeAddresses.isEmpty())) {
      p.add("dns.edge.hosts is set but dns.edge.addresses is empty: edge hosts would get no records");
    }
    return new DnsSettings(
        ttl,
        zones == null ? List.of() : zones,
        edgeHosts == null ? List.of() : edgeHosts,
        edgeAddresses == null ? List.of() : edgeAddresses);
  }
}
