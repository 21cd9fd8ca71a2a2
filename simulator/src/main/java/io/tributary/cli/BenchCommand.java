package io.tributary.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tributary.eventlog.EventLogReader;
import io.tributary.eventlog.LogEvent;
import io.tributary.replay.Replay;
import io.tributary.replay.ReplayLag;
import io.tributary.replay.ReplayResult;
import io.tributary.replay.SyntheticScenario;
import io.tributary.settings.TributarySettings;
import io.tributary.target.Change;
import io.tributary.target.Target;
import io.tributary.target.TargetRecord;
import io.tributary.testkit.BindServer;
import io.tributary.writer.WriteObserver;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tributary bench}: a fixed suite — replay throughput against the decode floor, scaling of
 * time and heap with the number of objects, write efficiency on flapping and no-op logs, the
 * pipeline's own lag in virtual time, the live write paths into Consul and BIND and the initial sync
 * from mock API servers — each figure beside its baseline from the same run, printed as a Markdown
 * table (JSON with {@code --json}) and, with {@code --write-docs}, written into docs/benchmarks.md.
 */
@Command(
    name = "bench",
    description = "Run the benchmark suite and print a Markdown table (--json: JSON); --write-docs replaces the marked"
        + " section of docs/benchmarks.md. --quick: smaller sizes, under 3 minutes on 2 cores.")
final class BenchCommand implements Callable<Integer> {
  @Option(names = "--quick", description = "Smaller sizes: 10^4 and 10^5 events, 1k and 10k objects, shorter live runs.")
  boolean quick;

  @Option(names = "--json", description = "Print JSON instead of Markdown.")
  boolean json;

  @Option(names = "--write-docs", description = "Also replace the marked section of --docs with this run.")
  boolean writeDocs;

  @Option(names = "--docs", defaultValue = "docs/benchmarks.md", paramLabel = "FILE",
      description = "The file --write-docs updates (default ${DEFAULT-VALUE}).")
  Path docs;

  // for the suite's own test: every size multiplied by this
  @Option(names = "--scale", hidden = true, defaultValue = "1")
  double scale;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @picocli.CommandLine.Mixin ProgressOptions progressOptions;

  // a line as each step starts (the steps are long: a bar would sit still); nothing with --quiet
  private PrintStream progress = System.err;
  private Path work;

  @Override
  public Integer call() throws Exception {
    Logging.defaultLevel("WARN");
    if (progressOptions.quiet) {
      progress = new PrintStream(java.io.OutputStream.nullOutputStream());
    }
    if (writeDocs && !Files.isRegularFile(docs)) {
      throw new UserError(docs + ": no such file (--docs names the benchmarks page to update)");
    }
    if (!(scale > 0)) {
      throw new UserError("--scale must be positive");
    }
    long started = System.nanoTime();
    work = Files.createTempDirectory("tributary-bench-");
    List<BenchReport.Section> sections = new ArrayList<>();
    try {
      sections.add(throughput());
      sections.add(scaling());
      sections.add(writeEfficiency());
      sections.add(lag());
      sections.add(live());
    } finally {
      try (var files = Files.walk(work)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    String command = "tributary " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
    var report = new BenchReport(machine(), command,
        DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC).format(Instant.now()),
        seconds(took), sections);
    System.out.print(json ? report.json() : report.markdown());
    if (writeDocs) {
      report.writeInto(docs);
      progress.println("bench: wrote the section of " + docs);
    }
    return 0;
  }

  private int size(double n) {
    return Math.max(1, (int) Math.round(n * scale));
  }

  // ---- throughput ----

  private BenchReport.Section throughput() throws Exception {
    var rows = new BenchReport.Rows();
    List<Integer> sizes = quick ? List.of(10_000, 100_000) : List.of(10_000, 100_000, 1_000_000);
    Config config = ConfigFactory.load();
    List<String> groups = new ArrayList<>();
    double[][] values = new double[2][sizes.size()];
    String[][] texts = new String[2][sizes.size()];
    for (int exponent = 4; exponent < 4 + sizes.size(); exponent++) {
      int n = size(sizes.get(exponent - 4));
      // the seed-2 shape (5 clusters, 2 000 objects, 100 changes/s), cut at n events
      var p = new SyntheticScenario.Params(2, 5, 8, 2000, Duration.ofDays(365), 100, 0.05, 0.02, 0.01,
          SyntheticScenario.Params.defaults().start());
      Path log = work.resolve("throughput-" + n + ".jsonl.gz");
      progress.printf("bench: throughput 10^%d: writing a %,d-event log%n", exponent, n);
      SyntheticScenario.write(limit(SyntheticScenario.events(p), n), log);
      progress.printf("bench: throughput 10^%d: decode only%n", exponent);
      long t0 = System.nanoTime();
      long decoded = 0;
      try (EventLogReader reader = EventLogReader.open(log, false)) {
        while (reader.hasNext()) {
          reader.next();
          decoded++;
        }
      }
      double decodeRate = decoded / ((System.nanoTime() - t0) / 1e9);
      progress.printf("bench: throughput 10^%d: replay%n", exponent);
      ReplayResult result;
      try (EventLogReader reader = EventLogReader.open(log, false)) {
        result = Replay.run(log.getFileName().toString(), reader, TributarySettings.from(config), config, WriteObserver.NONE);
      }
      double replayRate = result.stats().eventsRead() / (result.wallTime().toNanos() / 1e9);
      double ratio = replayRate / decodeRate;
      groups.add(String.format("%,d events", n));
      values[0][exponent - 4] = replayRate;
      values[1][exponent - 4] = decodeRate;
      texts[0][exponent - 4] = rate(replayRate);
      texts[1][exponent - 4] = rate(decodeRate);
      boolean goal = exponent == 6;
      rows.add(String.format("replay of %,d events (10^%d)", n, exponent), rate(replayRate) + " (" + seconds(result.wallTime()) + ")",
          rate(decodeRate) + " decode only", String.format("ratio %.2f", ratio),
          goal ? "ratio ≥ 0.5" : "", goal ? ratio >= 0.5 : null);
      Files.delete(log);
    }
    return new BenchReport.Section("Replay throughput", "same log, decode only",
        "Pipeline: a full `Replay.run` of a generated log of the seed-2 shape (5 clusters, 2 000 objects, 100 changes/s, cut"
            + " at the size), in-memory targets, excluding JVM start. Decode only: the same file read by `EventLogReader`"
            + " alone (gzip, readLine, Jackson into `LogEvent`), the floor. Read first, so the pipeline finds the file cached.",
        rows.list(), new BenchReport.Figure("bench-throughput.svg", "Replay throughput: the pipeline against the decode floor",
            "events/s", groups, List.of("replay (pipeline)", "decode only"), values, texts));
  }

  private static Iterator<LogEvent> limit(Iterator<LogEvent> events, long n) {
    return new Iterator<>() {
      long left = n;

      @Override
      public boolean hasNext() {
        return left > 0 && events.hasNext();
      }

      @Override
      public LogEvent next() {
        left--;
        return events.next();
      }
    };
  }

  // ---- scaling ----

  private BenchReport.Section scaling() throws Exception {
    var rows = new BenchReport.Rows();
    List<Integer> sizes = quick ? List.of(1_000, 10_000) : List.of(1_000, 10_000, 100_000);
    double[] base = null;
    List<String> groups = new ArrayList<>();
    List<double[]> ratios = new ArrayList<>();
    for (int size : sizes) {
      int objects = size(size);
      // the initial lists of 10 clusters and 10 s of churn at 1 % of the objects per second
      var p = new SyntheticScenario.Params(6, 10, 8, objects, Duration.ofSeconds(10), Math.max(1, objects / 100.0), 0.05, 0.02,
          0.01, SyntheticScenario.Params.defaults().start());
      Path log = work.resolve("scaling-" + objects + ".jsonl.gz");
      SyntheticScenario.write(p, log);
      progress.printf("bench: scaling: %,d objects in a child JVM with -Xmx512m%n", objects);
      long[] probe;
      try {
        probe = probe(log);
      } catch (IllegalStateException e) {
        // one size failing (out of memory, say) is a figure of its own, not the end of the suite
        progress.printf("bench: scaling: %,d objects failed: %s%n", objects, e.getMessage());
        rows.add(String.format("%,d objects, 10 clusters", objects), "failed in 512 MB: " + firstProblem(e.getMessage()),
            base == null ? "" : String.format("%.0f µs/object, %s/object", base[0], bytes(base[1])), "",
            size >= 100_000 ? "linear or better; fits in 512 MB" : "linear or better", false);
        Files.delete(log);
        continue;
      }
      double wallPer = probe[1] * 1000.0 / probe[0]; // µs per object
      double heapPer = (double) probe[2] / probe[0]; // bytes per object
      if (base == null) {
        base = new double[] {wallPer, heapPer};
      }
      groups.add(String.format("%,d objects", probe[0]));
      ratios.add(new double[] {wallPer / base[0], heapPer / base[1]});
      boolean largest = size == sizes.get(sizes.size() - 1);
      boolean linear = wallPer <= base[0] * 1.25 && heapPer <= base[1] * 1.25;
      rows.add(String.format("%,d objects, 10 clusters", probe[0]),
          String.format("%s wall, %.0f µs/object; peak live heap %s, %s/object (peak used %s)", millis(probe[1]), wallPer,
              mib(probe[2]), bytes(heapPer), mib(probe[3])),
          String.format("%.0f µs/object, %s/object", base[0], bytes(base[1])),
          String.format("×%.2f time, ×%.2f heap per object", wallPer / base[0], heapPer / base[1]),
          largest && size >= 100_000 ? "linear or better; fits in 512 MB" : "linear or better",
          largest && size >= 100_000 ? linear && probe[3] < 512L << 20 : linear);
      Files.delete(log);
    }
    return new BenchReport.Section("Scaling with tracked objects", "the smallest run, per object",
        "Each size replayed in its own JVM with `-Xmx512m`: the initial lists of 10 clusters, then 10 s of churn at 1 % of the"
            + " objects per second. Peak live heap: the largest heap left after any collection during the replay, or after a"
            + " full collection at its end with the final state still held (GC notifications, `MemoryPoolMXBean`s); peak used"
            + " includes garbage. Per object includes the actor system's fixed cost, so small runs look dearer. \"Linear or"
            + " better\": per-object cost within 1.25 × the smallest run's.",
        rows.list(), scalingFigure(groups, ratios));
  }

  private static BenchReport.Figure scalingFigure(List<String> groups, List<double[]> ratios) {
    double[][] values = new double[2][groups.size()];
    String[][] texts = new String[2][groups.size()];
    for (int g = 0; g < groups.size(); g++) {
      for (int s = 0; s < 2; s++) {
        values[s][g] = ratios.get(g)[s];
        texts[s][g] = String.format(java.util.Locale.ROOT, "×%.2f", ratios.get(g)[s]);
      }
    }
    return new BenchReport.Figure("bench-scaling.svg", "Scaling: cost per object against the smallest run (linear or better: ≤ ×1.25)",
        "× smallest", groups, List.of("wall time per object", "peak live heap per object"), values, texts);
  }

  private static String firstProblem(String message) {
    for (String line : message.split("\n")) {
      if (line.contains("Error") || line.contains("Exception: ")) {
        return line.replaceFirst("^Exception in thread \"[^\"]*\" ", "").trim();
      }
    }
    return message.lines().findFirst().orElse(message);
  }

  /** objects, wall ms, peak live bytes, peak used bytes — from a child JVM replaying {@code log}. */
  private static long[] probe(Path log) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    var process = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
        HeapProbe.class.getName(), log.toString()).redirectErrorStream(true).start();
    String result = null;
    var output = new StringBuilder();
    try (var in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        if (line.startsWith("heap-probe ")) {
          result = line;
        } else if (output.length() < 4000) {
          output.append(line).append('\n');
        }
      }
    }
    int exit = process.waitFor();
    if (exit != 0 || result == null) {
      throw new IllegalStateException("the scaling run of " + log.getFileName() + " failed (exit " + exit + "):\n" + output);
    }
    String[] f = result.split(" ");
    return new long[] {Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4])};
  }

  // ---- write efficiency ----

  private BenchReport.Section writeEfficiency() {
    var rows = new BenchReport.Rows();
    Config config = ConfigFactory.load();
    int objects = size(2000);
    int flappers = Math.max(1, objects / 100);
    int toggles = quick ? 120 : 600;
    var p = new SyntheticScenario.Params(8, 5, 8, objects, Duration.ZERO, 0, 0, 0, 0, SyntheticScenario.Params.defaults().start());
    progress.printf("bench: write efficiency: flapping log (%d of %,d objects toggled every second, %d times)%n",
        flappers, objects, toggles);
    Phase flap = phase(SyntheticScenario.flapping(p, flappers, toggles, Duration.ofSeconds(1)), SyntheticScenario.phaseStart(p), config);
    double perChange = flap.net() == 0 ? Double.POSITIVE_INFINITY : (double) flap.writes() / flap.net();
    rows.add(String.format("flapping log: %d objects toggled every 1 s × %d (back where they began), %,d changed once",
            flappers, toggles, objects - flappers),
        String.format("%,d writes", flap.writes()), String.format("%,d records differ before/after", flap.net()),
        String.format("%.2f writes per net change", perChange), "≤ 1.1", perChange <= 1.1);
    var noop = new SyntheticScenario.Params(9, 5, 8, objects, Duration.ofSeconds(quick ? 60 : 300), 100 * scale, 0, 0, 0,
        SyntheticScenario.Params.defaults().start());
    progress.printf("bench: write efficiency: no-op log (resourceVersion bumps only)%n");
    Phase bumps = phase(SyntheticScenario.noOp(noop), SyntheticScenario.churnStart(noop), config);
    rows.add(String.format("no-op log: %,d resourceVersion bumps over %,d objects", bumps.events(), objects),
        String.format("%,d writes", bumps.writes()), String.format("%,d records differ before/after", bumps.net()),
        bumps.writes() == 0 ? "no write" : String.format("%,d writes for nothing", bumps.writes()), "0 writes", bumps.writes() == 0);
    return new BenchReport.Section("Write efficiency", "net state change",
        "Writes counted from the start of the phase (10 s after the lists, which are written by then). Net state change: the"
            + " records (all targets) that differ between the state before the phase and the final state. Default debounce"
            + " (quiet 250 ms, max-delay 2 s).",
        rows.list(), new BenchReport.Figure("bench-write-efficiency.svg", "Write efficiency: writes against the net state change",
            "records", List.of("flapping log", "no-op log"), List.of("writes", "records that differ before/after"),
            new double[][] {{flap.writes(), bumps.writes()}, {flap.net(), bumps.net()}},
            new String[][] {{String.format("%,d", flap.writes()), String.format("%,d", bumps.writes())},
                {String.format("%,d", flap.net()), String.format("%,d", bumps.net())}}));
  }

  /** Writes from {@code from} on, records that differ between the state then and the end, events from {@code from} on. */
  private record Phase(long writes, long net, long events) {}

  private static Phase phase(Iterator<LogEvent> events, Instant from, Config config) {
    Map<String, TargetRecord> before = new HashMap<>();
    long[] writes = {0};
    long[] phaseEvents = {0};
    WriteObserver observer = (at, target, change) -> {
      if (at.isBefore(from)) {
        String key = target.id() + " " + change.key();
        if (change.value() == null) {
          before.remove(key);
        } else {
          before.put(key, change.value());
        }
      } else {
        writes[0]++;
      }
    };
    Iterator<LogEvent> counted = new Iterator<>() {
      @Override
      public boolean hasNext() {
        return events.hasNext();
      }

      @Override
      public LogEvent next() {
        LogEvent e = events.next();
        if (!e.at().isBefore(from)) {
          phaseEvents[0]++;
        }
        return e;
      }
    };
    ReplayResult result = Replay.run("phase", counted, TributarySettings.from(config), config, observer);
    Map<String, TargetRecord> after = new HashMap<>();
    result.state().forEach((target, records) -> records.forEach((k, v) -> after.put(target.id() + " " + k, v)));
    Set<String> keys = new HashSet<>(before.keySet());
    keys.addAll(after.keySet());
    long net = keys.stream().filter(k -> !Objects.equals(before.get(k), after.get(k))).count();
    return new Phase(writes[0], net, phaseEvents[0]);
  }

  // ---- lag ----

  private BenchReport.Section lag() {
    var rows = new BenchReport.Rows();
    Config config = ConfigFactory.load();
    Duration quiet = TributarySettings.from(config).debounce().quiet();
    Duration goal = quiet.plusMillis(50);
    int objects = size(10_000);
    List<String> groups = new ArrayList<>();
    List<ReplayLag.Summary> summaries = new ArrayList<>();
    for (int rate : List.of(1_000, 10_000)) {
      Duration duration = Duration.ofSeconds(rate == 1_000 ? (quick ? 20 : 60) : (quick ? 3 : 10));
      var p = new SyntheticScenario.Params(4, 10, 8, objects, duration, rate * scale, 0.05, 0.02, 0.01,
          SyntheticScenario.Params.defaults().start());
      progress.printf("bench: lag at %,d events/s (%s of churn over %,d objects)%n", rate, duration, objects);
      ReplayResult result = Replay.run("lag", SyntheticScenario.events(p), TributarySettings.from(config), config, WriteObserver.NONE);
      ReplayLag lag = result.stats().lag();
      ReplayLag.Summary q = lag.quiet();
      ReplayLag.Summary all = lag.all();
      groups.add(String.format("%,d/s, no flapping", rate));
      summaries.add(q);
      groups.add(String.format("%,d/s, all objects", rate));
      summaries.add(all);
      rows.add(String.format("%,d events/s, objects that do not flap", rate),
          String.format("p50 %s, p99 %s, max %s (%,d writes)", millis(q.p50()), millis(q.p99()), millis(q.max()), q.samples()),
          "quiet window " + millis(quiet), "p99 − quiet " + millis(q.p99().minus(quiet)), "p99 ≤ " + millis(goal),
          q.p99().compareTo(goal) <= 0);
      rows.add(String.format("%,d events/s, all objects (%,d flapped)", rate, lag.flappedObjects()),
          String.format("p50 %s, p99 %s, max %s (%,d writes)", millis(all.p50()), millis(all.p99()), millis(all.max()), all.samples()),
          "max-delay " + millis(TributarySettings.from(config).debounce().maxDelay()), "", "", null);
    }
    return new BenchReport.Section("Lag, event received → target acknowledged (virtual time)", "the debounce window",
        "Recorded by the replay itself with the bookkeeping of the live `tributary_change_lag_seconds` (ChangeTimes: receipt"
            + " at the watch buffer, one sample per record at the writer's acknowledgement). A churn log of 10 clusters"
            + " (5 % deletes, 2 % of the objects taking half the churn, 1 % malformed). An object flaps when one of its changes"
            + " was superseded by a later one in the watch buffer or the debounce window; debounce then holds it up to"
            + " max-delay, by design.",
        rows.list(), lagFigure(groups, summaries));
  }

  private static BenchReport.Figure lagFigure(List<String> groups, List<ReplayLag.Summary> summaries) {
    double[][] values = new double[2][groups.size()];
    String[][] texts = new String[2][groups.size()];
    for (int g = 0; g < groups.size(); g++) {
      Duration[] d = {summaries.get(g).p50(), summaries.get(g).p99()};
      for (int s = 0; s < 2; s++) {
        values[s][g] = d[s].toNanos() / 1e6;
        texts[s][g] = millis(d[s]);
      }
    }
    return new BenchReport.Figure("bench-lag.svg", "Lag, event received → target acknowledged (virtual time)", "ms",
        groups, List.of("p50", "p99"), values, texts);
  }

  // ---- live ----

  private BenchReport.Section live() throws Exception {
    var rows = new BenchReport.Rows();
    var defaults = SyntheticScenario.Params.defaults();
    Path consulLog = work.resolve("bench-consul.jsonl.gz");
    SyntheticScenario.write(new SyntheticScenario.Params(3, 3, 8, size(2000), Duration.ofMinutes(2), 20 * scale,
        defaults.deleteShare(), defaults.flapShare(), defaults.malformedShare(), defaults.start()), consulLog);
    progress.println("bench: live: bench-consul");
    var consul = new BenchConsulCommand();
    consul.log = consulLog;
    consul.timeout = Duration.ofMinutes(10);
    consul.progress = progressOptions; // a bar (or lines) while Consul converges
    BenchConsulCommand.Result c = consul.measure();
    rows.add(String.format("bench-consul: %,d registrations listed to an empty Consul (double)", c.registrations()),
        String.format("%s, %d txn", millis(c.first().convergedMillis()), c.first().txns()),
        String.format("≥ %d txn (64 ops each)", (c.registrations() + 63) / 64),
        String.format("%.1f registrations per txn", (double) c.registrations() / Math.max(1, c.first().txns())), "", null);
    rows.add("bench-consul: restart over the filled Consul", String.format("%s, %d writes", millis(c.restart().convergedMillis()),
        c.restart().writes()), "0 writes", "", "0 writes", c.restart().writes() == 0);

    if (!BindServer.isInstalled()) {
      rows.add("bench-dns", "skipped: named not installed", "", "", "", null);
    } else {
      Path dnsLog = work.resolve("bench-dns.jsonl.gz");
      SyntheticScenario.write(new SyntheticScenario.Params(5, 3, 8, size(quick ? 2000 : 7600), Duration.ofMinutes(1), 10 * scale,
          defaults.deleteShare(), defaults.flapShare(), defaults.malformedShare(), defaults.start()), dnsLog);
      progress.println("bench: live: bench-dns (BIND 9)");
      var dns = new BenchDnsCommand();
      dns.log = dnsLog;
      dns.zone = "example.com";
      dns.timeout = Duration.ofMinutes(10);
      dns.progress = progressOptions;
      BenchDnsCommand.Result d = dns.measure();
      rows.add(String.format("bench-dns: %,d record sets (%,d records) to an empty BIND zone", d.recordSets(), d.records()),
          String.format("%s, %d UPDATEs", millis(d.first().convergedMillis()), d.first().updates()),
          String.format("≥ %d UPDATEs (50 records each)", (d.recordSets() + 49) / 50), "", "", null);
      rows.add("bench-dns: restart over the filled zone", String.format("%s, %d UPDATEs", millis(d.restart().convergedMillis()),
          d.restart().updates()), "0 UPDATEs", "", "0 UPDATEs", d.restart().updates() == 0);
    }

    int perCluster = size(quick ? 500 : 5000);
    progress.printf("bench: live: initial sync of 10 clusters × %,d Ingresses from mock API servers%n", perCluster);
    var sync = InitialSyncBench.run(10, perCluster * 10, Duration.ofMinutes(10), progress);
    rows.add(String.format("initial sync: 10 clusters × %,d Ingresses (mock API servers) → Consul (double)", perCluster),
        String.format("%s to %,d registrations", millis(sync.live()), sync.registrations()),
        millis(sync.replay()) + " replay of the same lists", String.format("×%.1f the replay",
            (double) sync.live().toNanos() / Math.max(1, sync.replay().toNanos())), "", null);
    return new BenchReport.Section("Live write paths (real time)", "of the same run",
        "bench-consul and bench-dns as their own commands run them (the clusters a generated log leaves behind, listed to a"
            + " fresh service, real writers; bench-consul: seed 3, 3 clusters; bench-dns: seed 5, 3 clusters, a real `named`)."
            + " Initial sync: fabric8's mock API servers in CRUD mode (real lists and watches over HTTP), a fresh service,"
            + " until the Consul double holds exactly the registrations a virtual-time replay predicts and the writer has been"
            + " quiet for 0.5 s; the baseline is that replay's wall time.",
        rows.list());
  }

  // ---- formatting ----

  private static Map<String, String> machine() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("cores", Runtime.getRuntime().availableProcessors() + " cores");
    var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      m.put("ram", String.format("%.1f GiB RAM", sun.getTotalMemorySize() / (double) (1L << 30)));
    }
    m.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
    return m;
  }

  private static String rate(double perSecond) {
    return String.format("%,.0f events/s", perSecond);
  }

  private static String seconds(Duration d) {
    return String.format("%.1f s", d.toMillis() / 1000.0);
  }

  private static String millis(long ms) {
    return ms < 10_000 ? String.format("%,d ms", ms) : String.format("%.1f s", ms / 1000.0);
  }

  private static String millis(Duration d) {
    return millis(d.toMillis());
  }

  private static String mib(long bytes) {
    return String.format("%.0f MiB", bytes / (double) (1L << 20));
  }

  private static String bytes(double bytes) {
    return bytes >= 10_240 ? String.format("%.1f KiB", bytes / 1024) : String.format("%,.0f B", bytes);
  }
}
