package io.tributary.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tributary.target.Target;
import io.tributary.dns.DnsRecordSet;
import io.tributary.eventlog.LogEvent;
import io.tributary.testkit.BindServer;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tributary bench-dns LOG}: the DNS write path measured end to end against a real BIND 9
 * started for the run. Like {@code bench-consul}: the clusters the log leaves behind are listed to a
 * fresh service as fast as the pipeline takes them, through the real DNS writer (RFC 2136 UPDATEs
 * signed with TSIG); it reports how long the zone took to hold exactly what a virtual-time replay
 * predicts and how many UPDATE messages that cost (the zone's serial counts them), then starts again
 * over the filled zone and counts the UPDATEs of the restart: none should happen.
 */
@Command(
    name = "bench-dns",
    description = "Live-path benchmark: the clusters LOG leaves behind, listed through the real DNS writer into a real"
        + " BIND 9 started for the run (named must be installed); then a restart over the same zone.")
final class BenchDnsCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "LOG", description = "Event log whose final cluster state is listed (see `generate`).")
  Path log;

  @Option(names = "--config", paramLabel = "FILE", description = "HOCON config (dns.zones is replaced by the benchmark's zone).")
  Path config;

  @Option(names = "--zone", defaultValue = "example.com", description = "The zone BIND serves (default ${DEFAULT-VALUE}).")
  String zone;

  @Option(names = "--timeout", defaultValue = "PT10M", description = "Give up after this long (default ${DEFAULT-VALUE}).")
  Duration timeout;

  /** One service start: events offered, time to converge, UPDATE messages sent. */
  record Run(long events, long convergedMillis, long updates) {}

  /** A first start over an empty zone and a restart over the filled one. */
  record Result(int recordSets, int records, Run first, Run restart) {}

  // null when the suite ({@code bench}) runs it: the suite says which step runs
  @Mixin ProgressOptions progress;

  @Override
  public Integer call() throws Exception {
    Logging.defaultLevel("WARN");
    if (!BindServer.isInstalled()) {
      // the benchmark's own server: a missing BIND is the machine's set-up, not a failure of Tributary
      throw new UserError("bench-dns runs a real BIND 9, and named is not installed: apt-get install -y bind9 bind9-utils");
    }
    Result r = measure();
    System.out.printf("%s: a replay expects %,d record sets (%,d records) in %s%n", log.getFileName(), r.recordSets(),
        r.records(), zone);
    print("first start (empty zone)", r.first());
    print("restart (zone already right)", r.restart());
    return r.restart().updates() == 0 ? 0 : 1;
  }

  /** Both starts against a BIND started for them (named must be installed); nothing printed. */
  Result measure() throws Exception {
    List<LogEvent> listed = LiveBench.relist(log);
    // clusters without endpoints in the config get one address each: A records, the common case
    var numbers = new TreeMap<String, Integer>();
    Config base = ConfigFactory.parseString("tributary.dns.zones = [\"" + zone + "\"]")
        .withFallback(LiveBench.withClusters(ConfigFiles.load(config), listed,
            cluster -> "198.51.100." + numbers.computeIfAbsent(cluster, c -> numbers.size() + 1)))
        .resolve();
    var predicted = LiveBench.predict(base, listed, log).get(Target.DNS);
    var expected = new TreeSet<String>();
    predicted.values().forEach(r -> lines((DnsRecordSet) r, expected));
    try (BindServer bind = BindServer.start(zone)) {
      Config live = ConfigFactory.parseString("tributary.dns.zones = [{ name = \"" + zone + "\", server = \"" + bind.address()
          + "\", tsig { name = \"" + BindServer.KEY + "\", secret-file = \"" + bind.secretFile() + "\" } }]").withFallback(base);
      Run first = run(live, bind, expected, listed);
      Run second = run(live, bind, expected, listed);
      return new Result(predicted.size(), expected.size(), first, second);
    }
  }

  private static void print(String what, Run r) {
    System.out.printf("%-30s %,d events offered, converged in %,d ms; %,d UPDATE messages%n",
        what, r.events(), r.convergedMillis(), r.updates());
  }

  private Run run(Config live, BindServer bind, TreeSet<String> expected, List<LogEvent> events) throws Exception {
    long serialBefore = bind.serial(zone);
    long started = System.nanoTime();
    long deadline = started + timeout.toNanos();
    try (Progress bar = progress == null ? Progress.off()
        : progress.start("bench-dns " + zone, expected.size(), "records")) {
      return LiveBench.runService(live, "bench-dns", events, timeout, () -> {
        long converged = -1;
        long lastSerial = serialBefore;
        long stableSince = System.nanoTime();
        // converged: the zone holds exactly the predicted records and no UPDATE came for a second
        while (true) {
          long now = System.nanoTime();
          long serial = bind.serial(zone);
          if (serial != lastSerial) {
            lastSerial = serial;
            stableSince = now;
          }
          var held = records(bind);
          boolean right = held.equals(expected);
          bar.step(held.stream().filter(expected::contains).count(),
              String.format(java.util.Locale.ROOT, "zone serial %d", serial));
          if (right && converged < 0) {
            converged = (now - started) / 1_000_000;
          } else if (!right) {
            converged = -1;
          }
          if (right && now - stableSince > 1_000_000_000L) {
            break;
          }
          if (now > deadline) {
            throw new IllegalStateException("the zone did not converge within " + timeout);
          }
          Thread.sleep(100); // polling BIND from outside the actor system
        }
        bar.done();
        return new Run(events.size(), converged, lastSerial - serialBefore);
      });
    }
  }

  private TreeSet<String> records(BindServer bind) {
    var out = new TreeSet<String>();
    bind.zoneLines(zone).stream()
        .filter(l -> l.contains(" A ") || l.contains(" AAAA ") || l.contains(" CNAME "))
        .forEach(out::add);
    return out;
  }

  /** {@code r} as the lines {@link BindServer#zoneLines} prints. */
  private static void lines(DnsRecordSet r, TreeSet<String> out) {
    for (String v : r.values()) {
      String data;
      try {
        data = r.type().equals("CNAME") ? v + "." : r.type().equals("AAAA") ? InetAddress.getByName(v).getHostAddress() : v;
      } catch (java.net.UnknownHostException e) {
        throw new IllegalStateException(e);
      }
      out.add(r.name() + " " + r.type() + " " + data);
    }
  }
}
