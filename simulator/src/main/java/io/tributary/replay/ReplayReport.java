package io.tributary.replay;

import io.tributary.consul.ConsulRegistration;
import io.tributary.target.Op;
import io.tributary.target.Target;
import io.tributary.target.TargetRecord;
import io.tributary.dns.DnsRecordSet;
import io.tributary.traefik.DynamicConfig;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Renders a replay's routing table and summary for a terminal. */
public final class ReplayReport {
  private static final Pattern RULE_TAG = Pattern.compile("^traefik\\.http\\.routers\\.[^.]+\\.rule=(.*)$");
  private static final Pattern V1_RULE_TAG = Pattern.compile("^traefik\\.frontend\\.rule=(.*)$");
  private static final Pattern ROUTER_OPTION = Pattern.compile("^traefik\\.http\\.routers\\.[^.]+\\.([a-z]+)=(.*)$");

  private ReplayReport() {}

  /**
   * One block per Consul service: the route (host + path), its Traefik rule, its instances per
   * cluster, and the DNS records of its host.
   */
  public static void printRoutingTable(ReplayResult result, PrintStream out) {
    Map<String, List<ConsulRegistration>> services = new TreeMap<>();
    for (TargetRecord r : result.state().getOrDefault(Target.CONSUL, new TreeMap<>()).values()) {
      var reg = (ConsulRegistration) r;
      services.computeIfAbsent(reg.service(), s -> new ArrayList<>()).add(reg);
    }
    Map<String, List<DnsRecordSet>> dnsByName = new TreeMap<>();
    for (TargetRecord r : result.state().getOrDefault(Target.DNS, new TreeMap<>()).values()) {
      var set = (DnsRecordSet) r;
      dnsByName.computeIfAbsent(set.name(), n -> new ArrayList<>()).add(set);
    }
    DynamicConfig traefik = StateFile.traefikConfig(result.state());
    Map<String, String> rows = new TreeMap<>(); // sorted by route
    for (var e : services.entrySet()) {
      ConsulRegistration first = e.getValue().get(0);
      String host = first.meta().getOrDefault("host", "?");
      String route = host + first.meta().getOrDefault("path", "");
      var block = new StringBuilder();
      block.append(route).append("\n");
      block.append("    consul     ").append(e.getKey()).append("\n");
      List<String> split = split(traefik, e.getKey());
      if (split.isEmpty()) {
        block.append("    rule       ").append(rule(first.tags())).append("\n");
        String options = routerOptions(first.tags());
        if (!options.isEmpty()) {
          block.append("    router     ").append(options).append("\n");
        }
      }
      split.forEach(line -> block.append(line).append("\n"));
      Map<String, List<String>> byCluster = new TreeMap<>();
      for (ConsulRegistration reg : e.getValue()) {
        byCluster
            .computeIfAbsent(reg.meta().getOrDefault("cluster", reg.node()), c -> new ArrayList<>())
            .add(reg.address() + ":" + reg.port());
      }
      byCluster.forEach(
          (cluster, addrs) ->
              block.append("    instances  ").append(cluster).append(": ").append(String.join(", ", addrs)).append("\n"));
      // an ingress-nginx canary pair: the split its cluster's controller applies
      Map<String, String> canaries = new TreeMap<>();
      e.getValue().forEach(reg -> {
        String canary = reg.meta().get("nginx-canary");
        if (canary != null) {
          canaries.put(reg.meta().getOrDefault("cluster", reg.node()), canary);
        }
      });
      canaries.forEach((cluster, canarySplit) ->
          block.append("    split      ").append(cluster).append(": ").append(canarySplit).append(" (nginx canary, in the cluster)\n"));
      List<DnsRecordSet> dns = dnsByName.getOrDefault(host, List.of());
      if (dns.isEmpty()) {
        block.append("    dns        (none)\n");
      }
      for (DnsRecordSet d : dns) {
        block
            .append("    dns        ")
            .append(d.type())
            .append(' ')
            .append(String.join(", ", d.values()))
            .append("  ttl ")
            .append(d.ttlSeconds())
            .append("\n");
      }
      rows.put(route + " " + e.getKey(), block.toString());
    }
    out.println("Routing table (" + services.size() + " Consul services, " + dnsByName.size() + " DNS names)");
    out.println();
    rows.values().forEach(out::println);
  }

  /**
   * The lines of the Traefik routers that send requests to Consul service {@code service} through a
   * split (a canary): the router, then each service of the split with its share.
   */
  private static List<String> split(DynamicConfig config, String service) {
    List<String> lines = new ArrayList<>();
    String member = service + "@consulcatalog";
    config.routers().forEach((name, router) -> {
      if (!reaches(config, router.service(), member, 0)) {
        return;
      }
      lines.add("    rule       " + router.rule());
      List<String> options = new ArrayList<>();
      options.add("entrypoints " + String.join(",", router.entryPoints()));
      if (router.priority() != null) {
        options.add("priority " + router.priority());
      }
      if (router.tls()) {
        options.add("tls");
      }
      if (!router.middlewares().isEmpty()) {
        options.add("middlewares " + String.join(",", router.middlewares()));
      }
      lines.add("    router     " + name + " (Traefik dynamic config) · " + String.join(" · ", options));
      describe(config, router.service(), lines, 0);
    });
    return lines;
  }

  private static boolean reaches(DynamicConfig config, String service, String member, int depth) {
    if (service.equals(member)) {
      return true;
    }
    DynamicConfig.Service s = config.services().get(service);
    if (depth > 8 || s == null) {
      return false;
    }
    if (s instanceof DynamicConfig.Weighted w) {
      return w.services().stream().anyMatch(m -> reaches(config, m.name(), member, depth + 1));
    }
    if (s instanceof DynamicConfig.Mirroring m) {
      return reaches(config, m.service(), member, depth + 1)
          || m.mirrors().stream().anyMatch(x -> reaches(config, x.name(), member, depth + 1));
    }
    return false;
  }

  private static void describe(DynamicConfig config, String service, List<String> lines, int depth) {
    DynamicConfig.Service s = config.services().get(service);
    if (depth > 8) {
      return;
    }
    if (s instanceof DynamicConfig.Weighted w) {
      int total = w.services().stream().mapToInt(DynamicConfig.Member::weight).sum();
      List<String> shares = new ArrayList<>();
      w.services().forEach(m -> shares.add(shortName(m.name()) + " " + (total == 0 ? 0 : Math.round(100.0 * m.weight() / total)) + "%"));
      lines.add("    split      " + String.join(" · ", shares) + " (weighted)");
      w.services().forEach(m -> describe(config, m.name(), lines, depth + 1));
    } else if (s instanceof DynamicConfig.Mirroring m) {
      List<String> mirrors = new ArrayList<>();
      m.mirrors().forEach(x -> mirrors.add(x.percent() + "% to " + shortName(x.name())));
      lines.add("    mirror     " + shortName(m.service()) + " answers; copies of " + String.join(", ", mirrors) + " (answers dropped)");
      describe(config, m.service(), lines, depth + 1);
    }
  }

  /** A Consul Catalog service by its name, anything else as written. */
  private static String shortName(String name) {
    return name.endsWith("@consulcatalog") ? name.substring(0, name.length() - "@consulcatalog".length()) : name;
  }

  /** Events, objects, coalescing, writes per target and op, rejections with reasons, notes. */
  public static void printSummary(ReplayResult result, PrintStream out) {
    printSummary(result, out, true);
  }

  /**
   * As {@link #printSummary(ReplayResult, PrintStream)}; without {@code wallTime} the one figure
   * that differs between runs of the same log and config (the wall-clock time) is left out.
   */
  public static void printSummary(ReplayResult result, PrintStream out, boolean wallTime) {
    ReplayStats s = result.stats();
    out.println("Summary of " + result.logName());
    out.printf(
        "  events read      %d over %s of virtual time%s%n",
        s.eventsRead(), human(result.virtualDuration()),
        wallTime ? " (replayed in " + result.wallTime().toMillis() + " ms)" : "");
    var byType = new StringBuilder();
    for (var e : s.eventsByType().entrySet()) {
      byType.append(byType.length() == 0 ? "" : ", ").append(e.getKey().name()).append(' ').append(e.getValue());
    }
    out.println("                   " + byType);
    for (String change : s.configChanges()) {
      out.println("  config           " + change);
    }
    out.printf("  clusters         %d %s%n", s.clusters().size(), s.clusters());
    printFaults(s.faults(), out);
    out.printf("  objects          %d%n", s.objects());
    out.printf(
        "  coalesced        %d events (%d in the watch buffer, %d in debounce); %d object states emitted%n",
        s.coalescedInBuffer() + s.coalescedInDebounce(), s.coalescedInBuffer(), s.coalescedInDebounce(), s.debounced());
    var damped = s.damped();
    if (!damped.isEmpty()) {
      out.printf("  damped           %d flapping objects, %d changes held (debounce.damping); most held:%n",
          damped.size(), damped.stream().mapToLong(ReplayStats.Damped::held).sum());
      damped.stream().limit(5).forEach(d -> out.printf("    %s: %d changes held, damped %d time%s%n",
          d.key(), d.held(), d.times(), d.times() == 1 ? "" : "s"));
    }
    out.printf("  writes           %d in %d batches%n", s.totalWrites(), s.changeSets());
    for (Target t : Target.values()) {
      out.printf(
          "    %-8s       create %d, update %d, delete %d%n",
          t.id(), s.writes(t, Op.CREATE), s.writes(t, Op.UPDATE), s.writes(t, Op.DELETE));
    }
    ReplayLag lag = s.lag();
    if (lag != null && lag.all().samples() > 0) {
      out.println("  lag              " + lag(lag.all()) + " (event received -> write acknowledged, virtual time)");
      out.println("                   " + lag(lag.quiet()) + " for objects that never changed within a quiet window ("
          + lag.flappedObjects() + " did)");
    }
    var rejected = s.rejected();
    out.printf("  rejected objects %d now (%d rejections during the replay)%n", rejected.size(), s.rejections());
    rejected.forEach((k, reason) -> out.println("    " + k + ": " + reason));
    var partly = s.partlyAccepted();
    if (!partly.isEmpty()) {
      // their other parts are published; each rejected part on its own line, with its JSON path
      out.printf("  partly accepted  %d objects now%n", partly.size());
      partly.forEach((k, parts) -> parts.forEach(p -> out.println("    " + k + " " + p.path() + ": " + p.reason())));
    }
    var ignored = s.ignored();
    if (!ignored.isEmpty()) {
      out.printf("  ignored objects  %d%n", ignored.size());
      ignored.forEach((k, reason) -> out.println("    " + k + ": " + reason));
    }
    var warnings = s.warnings();
    if (!warnings.isEmpty()) {
      out.printf("  warnings         %d objects%n", warnings.size());
      warnings.forEach((k, w) -> w.forEach(line -> out.println("    " + k + ": " + line)));
    }
    var notes = s.notes();
    if (!notes.isEmpty()) {
      out.printf("  planner notes    %d%n", notes.values().stream().mapToInt(List::size).sum());
      notes.forEach((unit, n) -> n.forEach(line -> out.println("    " + unit + ": " + line)));
    }
    if (s.heldDeletes() > 0) {
      out.printf(
          "  held deletes     %d, waiting for clusters %s to sync (no SYNCED marker in the log)%n",
          s.heldDeletes(), s.waitingFor());
    }
    var withheld = s.withheld();
    if (!withheld.isEmpty()) {
      out.printf("  withheld         %d changes, by the targets' policies%n",
          withheld.values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue).sum());
      withheld.forEach((target, byOp) -> out.println("    " + target + ": " + byOp.entrySet().stream()
          .map(e -> e.getValue() + " " + e.getKey()).collect(java.util.stream.Collectors.joining(", "))));
    }
  }

  /**
   * Each target outage (how long, the writer's failed attempts and their spacing, how soon after
   * recovery its backlog was written) and each cluster loss (events its down watch missed, the
   * relist, deletes of objects not listed again); nothing when the log has no fault events.
   */
  private static void printFaults(ReplayFaults f, PrintStream out) {
    if (!f.any()) {
      return;
    }
    for (ReplayFaults.Outage o : f.outages()) {
      String span = o.up() == null
          ? "down from " + o.down() + " to the end of the log"
          : "down " + human(java.time.Duration.between(o.down(), o.up())) + " from " + o.down();
      out.printf("  outage           %s %s: %d failed attempts%s%n", o.target().id(), span, o.failedAttempts(),
          spacing(o.attempts()));
      if (o.up() == null) {
        out.printf("                   %d changes still pending at the end%n", f.pendingAtEnd(o.target()));
      } else if (o.drained() != null) {
        out.printf("                   %d changes written after it answered again, the last %s after %s%n",
            o.writesAfterUp(), human(java.time.Duration.between(o.up(), o.drained())), "TARGET_UP");
      } else {
        out.printf("                   %d changes still pending at the end%n", f.pendingAtEnd(o.target()));
      }
    }
    for (ReplayFaults.ClusterLoss l : f.clusterLosses()) {
      String span = l.back() == null
          ? "lost from " + l.lost() + " to the end of the log"
          : "lost " + human(java.time.Duration.between(l.lost(), l.back())) + " from " + l.lost();
      out.printf("  cluster lost     %s %s: %d of its events unseen (watch down), records kept%n",
          l.cluster(), span, l.unseenEvents());
      if (l.back() != null) {
        out.printf("                   relisted %d objects; %d not listed again deleted; %s%n", l.relisted(),
            l.deletedOnRelist(), l.resynced() == null ? "relist not finished (no SYNCED of every kind)"
                : "synced again at " + l.resynced());
      }
    }
    f.ignored().forEach(i -> out.println("  fault ignored    " + i));
  }

  /** {@code , 200 ms apart growing to 3.0 s}: the backoff between the first failed attempts. */
  private static String spacing(List<java.time.Instant> attempts) {
    if (attempts.size() < 2) {
      return "";
    }
    long first = java.time.Duration.between(attempts.get(0), attempts.get(1)).toMillis();
    long longest = first;
    for (int i = 2; i < attempts.size(); i++) {
      longest = Math.max(longest, java.time.Duration.between(attempts.get(i - 1), attempts.get(i)).toMillis());
    }
    return first == longest ? ", " + human(java.time.Duration.ofMillis(first)) + " apart"
        : ", " + human(java.time.Duration.ofMillis(first)) + " apart growing to " + human(java.time.Duration.ofMillis(longest));
  }

  private static String rule(List<String> tags) {
    for (String tag : tags) {
      Matcher m = RULE_TAG.matcher(tag);
      if (m.matches()) {
        return m.group(1);
      }
      Matcher v1 = V1_RULE_TAG.matcher(tag);
      if (v1.matches()) {
        return v1.group(1);
      }
    }
    return "(no rule tag)";
  }

  /** Entry points, priority, TLS and middlewares from the router tags, for the table. */
  private static String routerOptions(List<String> tags) {
    List<String> parts = new ArrayList<>();
    for (String tag : tags) {
      Matcher m = ROUTER_OPTION.matcher(tag);
      if (m.matches() && !m.group(1).equals("rule") && !m.group(1).equals("service")) {
        parts.add(m.group(1) + " " + m.group(2));
      } else if (tag.startsWith("traefik.frontend.entryPoints=") || tag.startsWith("traefik.frontend.priority=")) {
        parts.add(tag.substring("traefik.frontend.".length()).replace('=', ' '));
      }
    }
    return String.join(" · ", parts);
  }

  private static String lag(ReplayLag.Summary s) {
    return String.format("p50 %s, p99 %s, max %s over %d writes", human(s.p50()), human(s.p99()), human(s.max()), s.samples());
  }

  private static String human(java.time.Duration d) {
    long ms = d.toMillis();
    return ms < 1000 ? ms + " ms" : String.format("%.1f s", ms / 1000.0);
  }
}
