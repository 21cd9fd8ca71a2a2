package io.tributary.settings;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code tributary.dns}: which hostnames get records, where they point, and how the DNS writer
 * marks what it owns.
 *
 * @param ttl TTL of every record written, unless its zone or object says otherwise
 * @param zones managed zones; a hostname in none of them is skipped with a reason. Empty manages
 *     every hostname in memory (fine for replays)
 * @param edgeHosts hostname globs fronted by the VM-side Traefik (strangler migration): their DNS
 *     points at {@code edgeAddresses}, not at the clusters
 * @param edgeAddresses IPs or one hostname of the VM-side edge
 * @param txtFormat how ownership TXT records are written
 * @param takeoverOwner an external-dns owner id whose records Tributary adopts (and rewrites as its
 *     own); empty adopts nothing
 * @param maxRecordsPerUpdate most record sets changed by one RFC 2136 UPDATE message
 * @param timeout how long one UPDATE or zone transfer may take before it counts as failed
 * @param mode which changes DNS takes ({@code policy}) and whether it is written ({@code dry-run}):
 *     every zone's unless the zone sets its own, and that of every name when no zone is configured
 */
public record DnsSettings(
    Duration ttl,
    List<DnsZoneSettings> zones,
    List<String> edgeHosts,
    List<String> edgeAddresses,
    TxtFormat txtFormat,
    String takeoverOwner,
    int maxRecordsPerUpdate,
    Duration timeout,
    TargetMode mode) {

  /** The layout of ownership TXT records. */
  public enum TxtFormat {
    /** {@code _tributary-<type>.<name>} TXT naming owner and source objects. */
    TRIBUTARY,
    /** external-dns's registry ({@code <type>-<name>} TXT, {@code heritage=external-dns,...}). */
    EXTERNAL_DNS
  }

  public DnsSettings {
    zones = List.copyOf(zones);
    edgeHosts = List.copyOf(edgeHosts);
    edgeAddresses = List.copyOf(edgeAddresses);
    takeoverOwner = takeoverOwner == null ? "" : takeoverOwner;
    mode = mode == null ? TargetMode.DEFAULT : mode;
  }

  /** Settings with every change written (the default mode). */
  public DnsSettings(
      Duration ttl, List<DnsZoneSettings> zones, List<String> edgeHosts, List<String> edgeAddresses, TxtFormat txtFormat,
      String takeoverOwner, int maxRecordsPerUpdate, Duration timeout) {
    this(ttl, zones, edgeHosts, edgeAddresses, txtFormat, takeoverOwner, maxRecordsPerUpdate, timeout, TargetMode.DEFAULT);
  }

  /** Every zone, and names in none, in dry run (policies unchanged): {@code run --dry-run}. */
  public DnsSettings inDryRun() {
    return new DnsSettings(ttl, zones.stream().map(z -> z.withMode(z.mode().inDryRun())).toList(), edgeHosts, edgeAddresses,
        txtFormat, takeoverOwner, maxRecordsPerUpdate, timeout, mode.inDryRun());
  }

  /** The mode of the records of {@code hostname}: its zone's, else that of {@code dns}. */
  public TargetMode modeOf(String hostname) {
    DnsZoneSettings zone = zoneOf(hostname);
    return zone == null ? mode : zone.mode();
  }

  /** In-memory zones by name and the defaults for everything else (replays, tests). */
  public DnsSettings(Duration ttl, List<String> zoneNames, List<String> edgeHosts, List<String> edgeAddresses) {
    this(ttl, zoneNames.stream().map(DnsZoneSettings::named).toList(), edgeHosts, edgeAddresses,
        TxtFormat.TRIBUTARY, "", 50, Duration.ofSeconds(5));
  }

  public static DnsSettings defaults() {
    return new DnsSettings(Duration.ofSeconds(60), List.of(), List.of(), List.of());
  }

  /** True if the zones name real servers: the DNS writer speaks RFC 2136 to them. */
  public boolean isRemote() {
    return zones.stream().anyMatch(DnsZoneSettings::isRemote);
  }

  /** The most specific zone containing {@code hostname}, or null. */
  public DnsZoneSettings zoneOf(String hostname) {
    DnsZoneSettings best = null;
    for (DnsZoneSettings z : zones) {
      if (z.contains(hostname) && (best == null || z.name().length() > best.name().length())) {
        best = z;
      }
    }
    return best;
  }

  /** Zone names, for messages. */
  public List<String> zoneNames() {
    return zones.stream().map(DnsZoneSettings::name).toList();
  }

  static DnsSettings from(Config c, Problems p) {
    TargetMode mode = TargetMode.from(c, "dns", p, TargetMode.DEFAULT);
    var ttl = p.duration(c, "ttl");
    if (ttl != null && ttl.getSeconds() < 1) {
      p.add(c, "ttl", "dns.ttl must be at least 1s");
    }
    List<DnsZoneSettings> zones = new ArrayList<>();
    var list = c.hasPath("zones") ? p.list(c, "zones") : null;
    for (int i = 0; list != null && i < list.size(); i++) {
      var v = list.get(i);
      String path = "zones[" + i + "]";
      if (v.valueType() == ConfigValueType.STRING) {
        zones.add(DnsZoneSettings.named((String) v.unwrapped()).withMode(mode));
      } else if (v.valueType() == ConfigValueType.OBJECT) {
        zones.add(DnsZoneSettings.from(((com.typesafe.config.ConfigObject) v).toConfig(), "dns." + path, p.under(path), mode));
      } else {
        p.at("dns." + path, v.origin(), "dns." + path + " must be a zone name or an object { name, server, tsig { ... }, ... }");
      }
    }
    long remote = zones.stream().filter(DnsZoneSettings::isRemote).count();
    if (remote > 0 && remote < zones.size()) {
      p.add(c, "zones", "dns.zones: either every zone names a server or none does (zones without one: "
          + zones.stream().filter(z -> !z.isRemote()).map(DnsZoneSettings::name).toList() + ")");
    }
    var names = new java.util.HashSet<String>();
    zones.forEach(z -> {
      if (!names.add(z.name())) {
        p.add(c, "zones", "dns.zones: zone " + z.name() + " is listed twice");
      }
    });
    var edgeHosts = p.stringList(c, "edge.hosts");
    var edgeAddresses = p.stringList(c, "edge.addresses");
    if (edgeHosts != null && !edgeHosts.isEmpty() && (edgeAddresses == null || edgeAddresses.isEmpty())) {
      p.add(c, "edge.hosts", "dns.edge.hosts is set but dns.edge.addresses is empty: edge hosts would get no records");
    }
    TxtFormat format = TxtFormat.TRIBUTARY;
    String f = p.string(c, "txt-format");
    if (f != null) {
      try {
        format = TxtFormat.valueOf(f.toUpperCase(Locale.ROOT).replace('-', '_'));
      } catch (IllegalArgumentException e) {
        p.add(c, "txt-format", "dns.txt-format '" + f + "' must be tributary or external-dns");
      }
    }
    String takeover = p.string(c, "takeover-owner");
    Integer maxRecords = p.integer(c, "max-records-per-update");
    if (maxRecords != null && (maxRecords < 1 || maxRecords > 1000)) {
      p.add(c, "max-records-per-update", "dns.max-records-per-update must be between 1 and 1000");
    }
    var timeout = p.duration(c, "timeout");
    if (timeout != null && timeout.isZero()) {
      p.add(c, "timeout", "dns.timeout must be positive");
    }
    return new DnsSettings(
        ttl,
        zones,
        edgeHosts == null ? List.of() : edgeHosts,
        edgeAddresses == null ? List.of() : edgeAddresses,
        format,
        takeover == null ? "" : takeover,
        Problems.or(maxRecords, 1),
        timeout == null ? Duration.ofSeconds(5) : timeout,
        mode);
  }
}
