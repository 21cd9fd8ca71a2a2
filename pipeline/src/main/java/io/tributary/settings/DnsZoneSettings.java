package io.tributary.settings;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * One managed DNS zone ({@code tributary.dns.zones[i]}): where its primary server is, the TSIG key
 * updates are signed with, and which of its names Tributary may write.
 *
 * @param name the zone apex, lower case, no trailing dot
 * @param server {@code host:port} of the primary that takes RFC 2136 updates and AXFR; empty keeps
 *     the zone in memory (replays, the demo)
 * @param tsig the key updates and transfers are signed with; null for an in-memory zone
 * @param ttl TTL of records in this zone; null = {@code dns.ttl}
 * @param minTtl no record is written with a shorter TTL, whatever an object asks for
 * @param include {@code domain-filter}: hostname globs this zone manages; empty = every name in it
 * @param exclude {@code exclude-domains}: hostname globs never written (wins over include)
 * @param mode which changes the zone takes ({@code policy}) and whether it is written ({@code
 *     dry-run}); the zone's own keys, else those of {@code dns}
 */
public record DnsZoneSettings(
    String name, String server, TsigKey tsig, Duration ttl, Duration minTtl, List<String> include, List<String> exclude,
    TargetMode mode) {

  public DnsZoneSettings {
    name = normalize(name);
    server = server == null ? "" : server;
    include = List.copyOf(include);
    exclude = List.copyOf(exclude);
    mode = mode == null ? TargetMode.DEFAULT : mode;
  }

  /** A zone with every change written (the default mode). */
  public DnsZoneSettings(
      String name, String server, TsigKey tsig, Duration ttl, Duration minTtl, List<String> include, List<String> exclude) {
    this(name, server, tsig, ttl, minTtl, include, exclude, TargetMode.DEFAULT);
  }

  /** An in-memory zone with no filters (replays, tests). */
  public static DnsZoneSettings named(String name) {
    return new DnsZoneSettings(name, "", null, null, Duration.ZERO, List.of(), List.of());
  }

  /** This zone with another policy or dry run. */
  public DnsZoneSettings withMode(TargetMode mode) {
    return new DnsZoneSettings(name, server, tsig, ttl, minTtl, include, exclude, mode);
  }

  /** True if updates go to a real server. */
  public boolean isRemote() {
    return !server.isEmpty();
  }

  /** The server's host. */
  public String host() {
    return server.substring(0, server.lastIndexOf(':')).replaceAll("^\\[|\\]$", "");
  }

  /** The server's port. */
  public int port() {
    return Integer.parseInt(server.substring(server.lastIndexOf(':') + 1));
  }

  /** True if {@code hostname} is this zone's apex or below it, on label boundaries. */
  public boolean contains(String hostname) {
    String h = normalize(hostname);
    return h.equals(name) || h.endsWith("." + name);
  }

  /** Why this zone will not write {@code hostname} (it must be {@link #contains contained}), or null. */
  public String filtered(String hostname) {
    if (exclude.stream().anyMatch(g -> Globs.matches(g, hostname))) {
      return "excluded from zone " + name + " by exclude-domains " + exclude;
    }
    if (!include.isEmpty() && include.stream().noneMatch(g -> Globs.matches(g, hostname))) {
      return "not in zone " + name + "'s domain-filter " + include;
    }
    return null;
  }

  /** Describes the zone for logs; names the key, never its secret. */
  @Override
  public String toString() {
    return name + (isRemote() ? " at " + server + (tsig == null ? "" : " (TSIG " + tsig.name() + ")") : " (in memory)");
  }

  private static String normalize(String n) {
    return n.toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
  }

  /**
   * A TSIG key: its name, HMAC algorithm and where the base64 secret comes from.
   *
   * @param algorithm {@code hmac-sha256} or {@code hmac-sha512}
   */
  public record TsigKey(String name, String algorithm, SecretSource secret) {}

  /**
   * Zone {@code path} ({@code dns.zones[i]}); {@code p} reports under that path. Its mode is {@code
   * inherited} (that of {@code dns}) where it sets no {@code policy} or {@code dry-run} of its own.
   */
  static DnsZoneSettings from(Config c, String path, Problems p, TargetMode inherited) {
    String name = c.hasPath("name") ? p.string(c, "name") : null;
    if (name == null || name.isBlank()) {
      if (!c.hasPath("name") || name != null) { // not when the read already reported a wrong type
        p.add(c, "name", path + ".name is missing");
      }
      name = "invalid.";
    }
    String server = p.optionalString(c, "server", "");
    if (!server.isEmpty() && !server.matches("(\\[[0-9a-fA-F:.]+\\]|[^:\\[\\]]+):\\d{1,5}")) {
      p.add(c, "server", path + ".server '" + server + "' must be host:port (e.g. 10.0.0.53:53, [2001:db8::53]:53)");
      server = "";
    }
    TsigKey tsig = null;
    if (c.hasPath("tsig")) {
      Config t = p.block(c, "tsig");
      var pt = p.under("tsig");
      String keyName = t.hasPath("name") ? pt.string(t, "name") : null;
      String algorithm = t.hasPath("algorithm") ? pt.string(t, "algorithm") : "hmac-sha256";
      String file = t.hasPath("secret-file") ? pt.string(t, "secret-file") : "";
      String env = t.hasPath("secret-env") ? pt.string(t, "secret-env") : "";
      if (keyName == null || keyName.isBlank()) {
        p.add(c, "tsig", path + ".tsig.name is missing");
      }
      if (algorithm != null && !List.of("hmac-sha256", "hmac-sha512").contains(algorithm.toLowerCase(Locale.ROOT))) {
        pt.add(t, "algorithm", path + ".tsig.algorithm '" + algorithm + "' must be hmac-sha256 or hmac-sha512");
      }
      var secret = new SecretSource(file, env);
      if (!secret.isConfigured()) {
        p.add(c, "tsig", path + ".tsig: set secret-file or secret-env");
      } else if (!secret.file().isEmpty() && !secret.env().isEmpty()) {
        p.add(c, "tsig", path + ".tsig: set secret-file or secret-env, not both");
      }
      tsig = new TsigKey(keyName, algorithm == null ? "hmac-sha256" : algorithm.toLowerCase(Locale.ROOT), secret);
    } else if (!server.isEmpty()) {
      p.add(c, "server", path + ".tsig is missing: updates to " + server + " must be signed");
    }
    Duration ttl = c.hasPath("ttl") ? p.duration(c, "ttl") : null;
    Duration minTtl = c.hasPath("min-ttl") ? p.duration(c, "min-ttl") : Duration.ZERO;
    if (ttl != null && ttl.getSeconds() < 1) {
      p.add(c, "ttl", path + ".ttl must be at least 1s");
    }
    // external-dns's names for the same filters ("include" is a HOCON keyword)
    List<String> include = p.optionalStringList(c, "domain-filter");
    List<String> exclude = p.optionalStringList(c, "exclude-domains");
    return new DnsZoneSettings(name, server, tsig, ttl, minTtl == null ? Duration.ZERO : minTtl,
        include == null ? List.of() : include, exclude == null ? List.of() : exclude, TargetMode.from(c, path, p, inherited));
  }
}
