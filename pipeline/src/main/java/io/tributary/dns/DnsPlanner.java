package io.tributary.dns;

import io.tributary.settings.Addresses;
import io.tributary.settings.ClusterEndpoints;
import io.tributary.settings.DnsSettings;
import io.tributary.settings.DnsZoneSettings;
import io.tributary.settings.Globs;
import io.tributary.translate.Route;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Routes of one hostname (from any clusters) → its DNS record sets. Pure.
 *
 * <ul>
 *   <li>A hostname outside every managed zone, or filtered out by its zone's include/exclude
 *       globs, is skipped, with the reason. The TTL is the object's, else the zone's, else
 *       {@code dns.ttl}, and never below the zone's minimum.
 *   <li>An edge host (strangler migration) points at the VM-side edge, not at the clusters.
 *   <li>Otherwise the union of every serving cluster's endpoints: IPv4 → A, IPv6 → AAAA, a
 *       hostname → CNAME. A CNAME has one target and excludes other data, so addresses win over
 *       hostnames and the first cluster's hostname wins over the others; what is left out is noted.
 * </ul>
 */
public final class DnsPlanner {
  private DnsPlanner() {}

  /** Desired record sets of {@code host} ({@code routes} non-empty, all with that host). */
  public static DnsPlan plan(
      String host,
      List<Route> routes,
      Function<String, ClusterEndpoints> endpointsOf,
      DnsSettings settings,
      String ownerId) {
    String name = host.toLowerCase(Locale.ROOT);
    DnsZoneSettings zone = settings.zoneOf(name);
    if (!settings.zones().isEmpty()) {
      if (zone == null) {
        return new DnsPlan(List.of(), List.of(), "outside managed zones " + settings.zoneNames());
      }
      String filtered = zone.filtered(name);
      if (filtered != null) {
        return new DnsPlan(List.of(), List.of(), filtered);
      }
    }
    // where the addresses come from ("edge" or a cluster) → its addresses, in a stable order
    Map<String, List<String>> sources = new TreeMap<>();
    if (settings.edgeHosts().stream().anyMatch(glob -> Globs.matches(glob, name))) {
      sources.put("edge", settings.edgeAddresses());
    } else {
      for (Route r : routes) {
        if (r.isDnsOnly()) {
          // a LoadBalancer Service's own address, named by the Service
          sources.computeIfAbsent(r.source().cluster() + " service " + r.source().namespace() + "/" + r.source().name(), s -> r.dnsAddresses());
        } else {
          sources.computeIfAbsent(r.source().cluster(), c -> endpointsOf.apply(c).addresses());
        }
      }
    }
    var v4 = new TreeSet<String>();
    var v6 = new TreeSet<String>();
    Map<String, Set<String>> hostnames = new TreeMap<>(); // source → its hostnames, in address order
    sources.forEach(
        (source, addresses) -> {
          for (String a : addresses) {
            if (Addresses.isIpv4(a)) {
              v4.add(a);
            } else if (Addresses.isIpv6(a)) {
              v6.add(Addresses.canonicalIpv6(a));
            } else {
              hostnames.computeIfAbsent(source, k -> new LinkedHashSet<>()).add(a.toLowerCase(Locale.ROOT));
            }
          }
        });
    List<String> notes = new ArrayList<>();
    // an object may ask for a TTL; when several do, the shortest wins (it bounds staleness for all)
    long defaultTtl = zone != null && zone.ttl() != null ? zone.ttl().getSeconds() : settings.ttl().getSeconds();
    long asked = routes.stream().map(Route::dnsTtlSeconds).filter(Objects::nonNull)
        .min(Long::compare).orElse(defaultTtl);
    long ttl = asked;
    if (zone != null && asked < zone.minTtl().getSeconds()) {
      ttl = zone.minTtl().getSeconds();
      notes.add(name + ": TTL " + asked + "s raised to zone " + zone.name() + "'s minimum of " + ttl + "s");
    }
    var owners = new TreeSet<String>();
    routes.forEach(r -> owners.add(r.source().toString()));
    List<String> sourceList = List.copyOf(owners);
    List<DnsRecordSet> records = new ArrayList<>();
    if (!v4.isEmpty() || !v6.isEmpty()) {
      hostnames.forEach(
          (source, targets) -> targets.forEach(
              target -> notes.add(source + "'s endpoint " + target
                  + " is a hostname and cannot be combined with addresses; left out of " + name)));
      if (!v4.isEmpty()) {
        records.add(new DnsRecordSet(name, "A", ttl, List.copyOf(v4), ownerId, sourceList));
      }
      if (!v6.isEmpty()) {
        records.add(new DnsRecordSet(name, "AAAA", ttl, List.copyOf(v6), ownerId, sourceList));
      }
    } else if (!hostnames.isEmpty()) {
      // the first source by name, its first hostname: stable whatever the order of the routes
      var first = hostnames.entrySet().iterator().next();
      String chosen = first.getValue().iterator().next();
      records.add(new DnsRecordSet(name, "CNAME", ttl, List.of(chosen), ownerId, sourceList));
      hostnames.forEach(
          (source, targets) -> targets.stream().filter(t -> !t.equals(chosen)).forEach(
              target -> notes.add(source + "'s endpoint " + target + " left out of " + name
                  + ": a CNAME has one target (" + chosen + " from " + first.getKey() + ")")));
    } else {
      return new DnsPlan(List.of(), notes, "no endpoint addresses configured");
    }
    records.sort((a, b) -> a.key().compareTo(b.key()));
    // what the zone's TXT registry can hold is what is wanted, or the writer would rewrite it forever
    return new DnsPlan(records.stream().map(r -> DnsOwnership.storable(r, settings.txtFormat())).toList(), notes, null);
  }

}
