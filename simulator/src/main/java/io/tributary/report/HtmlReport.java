package io.tributary.report;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import io.tributary.replay.ReplayLag;
import io.tributary.replay.ReplayReport;
import io.tributary.replay.ReplayResult;
import io.tributary.replay.ReplayStats;
import io.tributary.replay.ReplayTimeline;
import io.tributary.target.Op;
import io.tributary.target.Target;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A replay's HTML report: one self-contained page (the Mustache template {@code
 * report/report.mustache}, its styles inline, every figure inline SVG from {@link SvgCharts}) with
 * the timeline per target, the lag distribution, coalescing and damping, rejected and held-back
 * objects by reason, events per cluster and kind, the text summary, and the command and config
 * that produced it. Nothing on the page depends on the wall clock or the machine, so the same
 * log and config give the same bytes; {@link #compare} puts two configs' replays of one log side by side.
 */
public final class HtmlReport {
  private static final Template TEMPLATE = template();
  private static final int TOP_FLAPPERS = 10;
  private static final int MARKER_ROWS = 60;

  /** A config as the user gave it: its name (a path, or a description) and its text, secrets redacted. */
  public record Source(String name, String text) {}

  private HtmlReport() {}

  /** The report of one replay. */
  public static String single(ReplayResult result, String command, Source config) {
    Map<String, Object> page = new LinkedHashMap<>();
    page.put("title", "Replay of " + result.logName());
    page.put("single", run(result, "", config));
    page.put("command", command);
    return TEMPLATE.execute(page);
  }

  /** Two replays of the same log under configs A and B, side by side. */
  public static String compare(ReplayResult a, Source configA, ReplayResult b, Source configB, String command) {
    Map<String, Object> page = new LinkedHashMap<>();
    page.put("title", "Replay of " + a.logName() + ": " + configA.name() + " vs " + configB.name());
    Map<String, Object> cmp = new LinkedHashMap<>();
    cmp.put("a", run(a, "a-", configA));
    cmp.put("b", run(b, "b-", configB));
    cmp.put("rows", compareRows(a, b));
    cmp.put("writesChart", compareWrites(a, b, configA.name(), configB.name()));
    cmp.put("writesOverTime", compareWritesOverTime(a, b, configA.name(), configB.name()));
    cmp.put("lagChart", compareLag(a, b, configA.name(), configB.name()));
    cmp.put("lagRows", compareLagRows(a, b));
    page.put("compare", cmp);
    page.put("command", command);
    return TEMPLATE.execute(page);
  }

  /** Writes {@code html} to {@code file} (UTF-8). */
  public static void write(Path file, String html) throws IOException {
    Files.writeString(file, html, StandardCharsets.UTF_8);
  }

  // ---- one replay ----

  private static Map<String, Object> run(ReplayResult result, String idPrefix, Source config) {
    ReplayStats s = result.stats();
    ReplayTimeline t = s.timeline();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("log", result.logName());
    m.put("configName", config.name());
    m.put("configText", config.text());
    m.put("summaryText", summaryText(result));
    m.put("cards", cards(result));
    m.put("span", human(result.virtualDuration()));
    m.put("bucket", human(t.bucketWidth()));
    List<SvgCharts.Marker> markers = markers(t);
    List<Map<String, Object>> timelines = new ArrayList<>();
    for (Target target : Target.values()) {
      var series = List.of(
          new SvgCharts.Series("writes per " + human(t.bucketWidth()), SvgCharts.PALETTE.get(0), doubles(t.writes(target)), SvgCharts.Style.BARS),
          new SvgCharts.Series("pending changes (most in bucket)", SvgCharts.PALETTE.get(5), doubles(t.pending(target)), SvgCharts.Style.STEP));
      timelines.add(Map.of("target", target.id(), "svg", SvgCharts.timeSeries(idPrefix + "timeline-" + target.id(),
          target.id() + ": writes and pending changes over virtual time", t.bucketWidth(), t.buckets(), series, markers,
          "changes", 200)));
    }
    m.put("timelines", timelines);
    m.put("markerLegend", markerLegend());
    var markerRows = markerRows(t);
    m.put("markerRows", markerRows);
    m.put("hasMarkerRows", !markerRows.isEmpty());
    m.put("markersMore", t.markers().size() > MARKER_ROWS || t.markersDropped() > 0
        ? (t.markers().size() - Math.min(MARKER_ROWS, t.markers().size()) + t.markersDropped()) + " more not listed" : "");
    m.put("lag", lag(result, idPrefix));
    m.put("coalescing", coalescing(result, idPrefix));
    var reasons = reasons(s);
    m.put("reasons", reasons);
    m.put("hasReasons", !reasons.isEmpty());
    m.put("clusters", clusters(result, idPrefix, markers));
    return m;
  }

  private static String summaryText(ReplayResult result) {
    var bytes = new ByteArrayOutputStream();
    try (var out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      ReplayReport.printSummary(result, out, false);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static List<Map<String, Object>> cards(ReplayResult r) {
    ReplayStats s = r.stats();
    List<Map<String, Object>> cards = new ArrayList<>();
    cards.add(card("events", String.format(Locale.ROOT, "%,d", s.eventsRead()), "over " + human(r.virtualDuration()) + " of virtual time"));
    cards.add(card("objects", String.format(Locale.ROOT, "%,d", s.objects()), s.clusters().size() + " clusters"));
    cards.add(card("writes", String.format(Locale.ROOT, "%,d", s.totalWrites()), s.changeSets() + " batches"));
    ReplayLag lag = s.lag();
    if (lag != null && lag.all().samples() > 0) {
      cards.add(card("lag p99", human(lag.all().p99()), "p50 " + human(lag.all().p50()) + ", max " + human(lag.all().max())));
    }
    cards.add(card("coalesced", String.format(Locale.ROOT, "%,d", s.coalescedInBuffer() + s.coalescedInDebounce()),
        s.debounced() + " states emitted"));
    cards.add(card("rejected", String.valueOf(s.rejected().size()), s.rejections() + " rejections in all"));
    return cards;
  }

  private static Map<String, Object> card(String name, String value, String note) {
    return Map.of("name", name, "value", value, "note", note);
  }

  private static List<SvgCharts.Marker> markers(ReplayTimeline t) {
    Instant origin = t.origin();
    List<SvgCharts.Marker> out = new ArrayList<>();
    for (ReplayTimeline.Marker m : t.markers()) {
      if (m.kind() == ReplayTimeline.MarkerKind.SYNCED) {
        continue; // shown per cluster, not on every target's timeline
      }
      out.add(new SvgCharts.Marker(Duration.between(origin, m.at()), color(m.kind()), label(m, origin)));
    }
    return out;
  }

  private static String color(ReplayTimeline.MarkerKind kind) {
    return switch (kind) {
      case CONFIG -> "#7B3294";
      case TARGET_DOWN, CLUSTER_LOST -> "#D7191C";
      case TARGET_UP, CLUSTER_BACK -> "#1A9641";
      case SYNCED -> "#666666";
    };
  }

  private static String label(ReplayTimeline.Marker m, Instant origin) {
    return "+" + SvgCharts.duration(Duration.between(origin, m.at()).toNanos() / 1e9) + " " + m.kind()
        + (m.subject().isEmpty() ? "" : " " + m.subject());
  }

  private static List<Map<String, Object>> markerLegend() {
    List<Map<String, Object>> legend = new ArrayList<>();
    legend.add(Map.of("name", "CONFIG", "color", color(ReplayTimeline.MarkerKind.CONFIG)));
    legend.add(Map.of("name", "TARGET_DOWN / CLUSTER_LOST", "color", color(ReplayTimeline.MarkerKind.TARGET_DOWN)));
    legend.add(Map.of("name", "TARGET_UP / CLUSTER_BACK", "color", color(ReplayTimeline.MarkerKind.TARGET_UP)));
    return legend;
  }

  private static List<Map<String, Object>> markerRows(ReplayTimeline t) {
    Instant origin = t.origin();
    return t.markers().stream()
        .filter(m -> m.kind() != ReplayTimeline.MarkerKind.SYNCED)
        .limit(MARKER_ROWS)
        .map(m -> Map.<String, Object>of("at", "+" + SvgCharts.duration(Duration.between(origin, m.at()).toNanos() / 1e9),
            "instant", m.at().toString(), "kind", m.kind().name(), "subject", m.subject(), "color", color(m.kind())))
        .toList();
  }

  private static Map<String, Object> lag(ReplayResult r, String idPrefix) {
    ReplayLag lag = r.stats().lag();
    Map<String, Object> m = new LinkedHashMap<>();
    List<Map<String, Object>> rows = new ArrayList<>();
    List<Map<String, Object>> charts = new ArrayList<>();
    if (lag != null) {
      int i = 0;
      for (Target target : Target.values()) {
        ReplayLag.Summary q = lag.of(target);
        rows.add(lagRow(target.id(), q));
        charts.add(Map.of("svg", SvgCharts.lagHistogram(idPrefix + "lag-" + target.id(),
            target.id() + ": lag of " + q.samples() + " writes (event received → target acknowledged)", lag.samples(target),
            percentileMarkers(q), SvgCharts.PALETTE.get(i++))));
      }
      rows.add(lagRow("all targets", lag.all()));
      rows.add(lagRow("objects that never flapped", lag.quiet()));
      m.put("flapped", lag.flappedObjects());
    }
    m.put("rows", rows);
    m.put("charts", charts);
    return m;
  }

  private static Map<String, Object> lagRow(String name, ReplayLag.Summary q) {
    return Map.of("name", name, "samples", String.format(Locale.ROOT, "%,d", q.samples()), "p50", human(q.p50()),
        "p90", human(q.p90()), "p99", human(q.p99()), "max", human(q.max()));
  }

  private static List<SvgCharts.Marker> percentileMarkers(ReplayLag.Summary q) {
    if (q.samples() == 0) {
      return List.of();
    }
    // equal percentiles share one line and one label ("p99 = max 2.0 s"), so labels never overprint
    String[] names = {"p50", "p90", "p99", "max"};
    Duration[] values = {q.p50(), q.p90(), q.p99(), q.max()};
    String[] colors = {"#1A9641", "#E69F00", "#D55E00", "#7B3294"};
    List<SvgCharts.Marker> markers = new ArrayList<>();
    int i = 0;
    while (i < names.length) {
      int j = i;
      var label = new StringBuilder(names[i]);
      while (j + 1 < names.length && values[j + 1].equals(values[i])) {
        label.append(" = ").append(names[++j]);
      }
      markers.add(new SvgCharts.Marker(values[i], colors[j], label + " " + human(values[i])));
      i = j + 1;
    }
    return markers;
  }

  private static Map<String, Object> coalescing(ReplayResult r, String idPrefix) {
    ReplayStats s = r.stats();
    ReplayTimeline t = s.timeline();
    Map<String, Object> m = new LinkedHashMap<>();
    long in = s.eventsByType().entrySet().stream().filter(e -> e.getKey().isWatch() && e.getKey().name().compareTo("SYNCED") != 0)
        .mapToLong(Map.Entry::getValue).sum();
    m.put("eventsIn", String.format(Locale.ROOT, "%,d", in));
    m.put("buffer", String.format(Locale.ROOT, "%,d", s.coalescedInBuffer()));
    m.put("debounce", String.format(Locale.ROOT, "%,d", s.coalescedInDebounce()));
    m.put("emitted", String.format(Locale.ROOT, "%,d", s.debounced()));
    var damped = s.damped();
    m.put("dampedObjects", damped.size());
    m.put("held", damped.stream().mapToLong(ReplayStats.Damped::held).sum());
    m.put("flappers", t.flappers());
    m.put("chart", SvgCharts.timeSeries(idPrefix + "coalescing", "events in and object states emitted over virtual time",
        t.bucketWidth(), t.buckets(), List.of(
            new SvgCharts.Series("watch events in", SvgCharts.PALETTE.get(4), doubles(t.eventsIn()), SvgCharts.Style.BARS),
            new SvgCharts.Series("states emitted by debounce", SvgCharts.PALETTE.get(2), doubles(t.emitted()), SvgCharts.Style.BARS)),
        markers(t), "per " + human(t.bucketWidth()), 200));
    var top = t.topFlappers(TOP_FLAPPERS);
    m.put("flappersChart", top.isEmpty() ? "" : SvgCharts.bars(idPrefix + "flappers",
        "objects whose changes were superseded most (coalesced before they were planned)",
        top.stream().map(f -> new SvgCharts.Bar(f.key().toString(), f.superseded(), SvgCharts.PALETTE.get(1),
            f.superseded() + " superseded")).toList()));
    m.put("damped", damped.stream().limit(TOP_FLAPPERS).map(d -> Map.<String, Object>of("key", d.key().toString(),
        "held", d.held(), "times", d.times())).toList());
    m.put("hasDamped", !damped.isEmpty());
    return m;
  }

  /** Every group of objects held back or turned away, by its reason: rejected, ignored, warned, noted, withheld. */
  private static List<Map<String, Object>> reasons(ReplayStats s) {
    List<Map<String, Object>> groups = new ArrayList<>();
    group(groups, "rejected", s.rejected().entrySet().stream().collect(Collectors.groupingBy(Map.Entry::getValue,
        TreeMap::new, Collectors.mapping(e -> e.getKey().toString(), Collectors.toList()))));
    group(groups, "held back (warning)", invert(s.warnings().entrySet().stream()
        .flatMap(e -> e.getValue().stream().map(w -> Map.entry(w, e.getKey().toString()))).toList()));
    group(groups, "planner note", invert(s.notes().entrySet().stream()
        .flatMap(e -> e.getValue().stream().map(w -> Map.entry(w, e.getKey()))).toList()));
    group(groups, "ignored", s.ignored().entrySet().stream().collect(Collectors.groupingBy(Map.Entry::getValue,
        TreeMap::new, Collectors.mapping(e -> e.getKey().toString(), Collectors.toList()))));
    if (s.heldDeletes() > 0) {
      groups.add(Map.of("category", "held deletes", "reason", "waiting for clusters " + s.waitingFor() + " to sync",
          "count", s.heldDeletes(), "objects", List.of()));
    }
    s.withheld().forEach((target, byOp) -> groups.add(Map.of("category", "withheld by policy", "reason", target,
        "count", byOp.values().stream().mapToLong(Long::longValue).sum(),
        "objects", byOp.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).toList())));
    return groups;
  }

  private static SortedMap<String, List<String>> invert(List<Map.Entry<String, String>> pairs) {
    SortedMap<String, List<String>> byReason = new TreeMap<>();
    pairs.forEach(p -> byReason.computeIfAbsent(p.getKey(), k -> new ArrayList<>()).add(p.getValue()));
    return byReason;
  }

  private static void group(List<Map<String, Object>> groups, String category, SortedMap<String, List<String>> byReason) {
    byReason.entrySet().stream()
        .sorted((x, y) -> Integer.compare(y.getValue().size(), x.getValue().size()))
        .forEach(e -> groups.add(Map.of("category", category, "reason", e.getKey(), "count", e.getValue().size(),
            "objects", e.getValue().stream().sorted().toList())));
  }

  private static List<Map<String, Object>> clusters(ReplayResult r, String idPrefix, List<SvgCharts.Marker> faultMarkers) {
    ReplayTimeline t = r.stats().timeline();
    Instant origin = t.origin();
    double bucketSeconds = t.bucketWidth().toNanos() / 1e9;
    Map<String, List<Map.Entry<String, long[]>>> byCluster = new TreeMap<>();
    t.byClusterKind().forEach((key, values) -> {
      int slash = key.indexOf('/');
      byCluster.computeIfAbsent(key.substring(0, slash), c -> new ArrayList<>()).add(Map.entry(key.substring(slash + 1), values));
    });
    Map<String, List<ReplayTimeline.Marker>> synced = new TreeMap<>();
    t.markers().stream().filter(m -> m.kind() == ReplayTimeline.MarkerKind.SYNCED)
        .forEach(m -> synced.computeIfAbsent(m.subject().substring(0, m.subject().indexOf('/')), c -> new ArrayList<>()).add(m));
    List<Map<String, Object>> out = new ArrayList<>();
    for (var e : byCluster.entrySet()) {
      String cluster = e.getKey();
      List<SvgCharts.Series> series = new ArrayList<>();
      List<Map<String, Object>> kinds = new ArrayList<>();
      int i = 0;
      for (var kind : e.getValue()) {
        double[] rate = new double[kind.getValue().length];
        long total = 0;
        double peak = 0;
        for (int b = 0; b < rate.length; b++) {
          rate[b] = kind.getValue()[b] / bucketSeconds;
          total += kind.getValue()[b];
          peak = Math.max(peak, rate[b]);
        }
        series.add(new SvgCharts.Series(kind.getKey(), SvgCharts.PALETTE.get(i++ % SvgCharts.PALETTE.size()), rate, SvgCharts.Style.LINE));
        double span = Math.max(bucketSeconds, r.virtualDuration().toNanos() / 1e9);
        kinds.add(Map.of("kind", kind.getKey(), "events", String.format(Locale.ROOT, "%,d", total),
            "mean", String.format(Locale.ROOT, "%.2f", total / span), "peak", String.format(Locale.ROOT, "%.2f", peak)));
      }
      List<SvgCharts.Marker> markers = new ArrayList<>();
      List<Map<String, Object>> syncRows = new ArrayList<>();
      for (ReplayTimeline.Marker m : synced.getOrDefault(cluster, List.of())) {
        markers.add(new SvgCharts.Marker(Duration.between(origin, m.at()), color(m.kind()), label(m, origin)));
        syncRows.add(Map.of("kind", m.subject().substring(m.subject().indexOf('/') + 1),
            "at", "+" + SvgCharts.duration(Duration.between(origin, m.at()).toNanos() / 1e9), "instant", m.at().toString()));
      }
      faultMarkers.stream().filter(m -> m.label().endsWith(" " + cluster)).forEach(markers::add);
      out.add(Map.of("cluster", cluster, "kinds", kinds, "synced", syncRows, "hasSynced", !syncRows.isEmpty(),
          "svg", SvgCharts.timeSeries(idPrefix + "cluster-" + cluster, cluster + ": events per second by kind, SYNCED markers in grey",
              t.bucketWidth(), t.buckets(), series, markers, "events/s", 180)));
    }
    return out;
  }

  // ---- two replays ----

  private static List<Map<String, Object>> compareRows(ReplayResult a, ReplayResult b) {
    List<Map<String, Object>> rows = new ArrayList<>();
    ReplayStats x = a.stats();
    ReplayStats y = b.stats();
    rows.add(row("writes", x.totalWrites(), y.totalWrites()));
    for (Target t : Target.values()) {
      rows.add(row("  " + t.id() + " writes", sum(x, t), sum(y, t)));
    }
    rows.add(row("batches", x.changeSets(), y.changeSets()));
    rows.add(row("object states emitted", x.debounced(), y.debounced()));
    rows.add(row("coalesced in the watch buffer", x.coalescedInBuffer(), y.coalescedInBuffer()));
    rows.add(row("coalesced in debounce", x.coalescedInDebounce(), y.coalescedInDebounce()));
    rows.add(row("objects that flapped (a change superseded)", x.timeline().flappers(), y.timeline().flappers()));
    rows.add(row("objects damped", x.damped().size(), y.damped().size()));
    rows.add(row("changes held by damping", x.damped().stream().mapToLong(ReplayStats.Damped::held).sum(),
        y.damped().stream().mapToLong(ReplayStats.Damped::held).sum()));
    rows.add(row("rejected objects at the end", x.rejected().size(), y.rejected().size()));
    return rows;
  }

  private static long sum(ReplayStats s, Target t) {
    return s.writes(t, Op.CREATE) + s.writes(t, Op.UPDATE) + s.writes(t, Op.DELETE);
  }

  private static Map<String, Object> row(String name, long a, long b) {
    String delta = a == 0 ? (b == 0 ? "=" : "+" + b) : String.format(Locale.ROOT, "%+d (%+.0f%%)", b - a, 100.0 * (b - a) / a);
    return Map.of("name", name, "a", String.format(Locale.ROOT, "%,d", a), "b", String.format(Locale.ROOT, "%,d", b),
        "delta", b == a ? "=" : delta);
  }

  private static String compareWrites(ReplayResult a, ReplayResult b, String nameA, String nameB) {
    List<String> groups = new ArrayList<>();
    double[][] values = new double[2][Target.values().length + 1];
    String[][] texts = new String[2][Target.values().length + 1];
    int g = 0;
    for (Target t : Target.values()) {
      groups.add(t.id());
      values[0][g] = sum(a.stats(), t);
      values[1][g] = sum(b.stats(), t);
      g++;
    }
    groups.add("all targets");
    values[0][g] = a.stats().totalWrites();
    values[1][g] = b.stats().totalWrites();
    for (int s = 0; s < 2; s++) {
      for (int i = 0; i < groups.size(); i++) {
        texts[s][i] = String.format(Locale.ROOT, "%,d", (long) values[s][i]);
      }
    }
    return SvgCharts.groupedBars("compare-writes", "writes per target", groups, List.of("A: " + nameA, "B: " + nameB), values, texts, "writes");
  }

  /** The cumulative writes of both replays over the same buckets (the finer re-bucketed to the coarser). */
  private static String compareWritesOverTime(ReplayResult a, ReplayResult b, String nameA, String nameB) {
    ReplayTimeline ta = a.stats().timeline();
    ReplayTimeline tb = b.stats().timeline();
    Duration width = ta.bucketWidth().compareTo(tb.bucketWidth()) >= 0 ? ta.bucketWidth() : tb.bucketWidth();
    double[] ca = cumulative(rebucket(total(ta), (int) (width.toNanos() / ta.bucketWidth().toNanos())));
    double[] cb = cumulative(rebucket(total(tb), (int) (width.toNanos() / tb.bucketWidth().toNanos())));
    int n = Math.max(ca.length, cb.length);
    return SvgCharts.timeSeries("compare-writes-over-time", "writes so far (all targets) over virtual time", width, n,
        List.of(new SvgCharts.Series("A: " + nameA, SvgCharts.PALETTE.get(0), extend(ca, n), SvgCharts.Style.STEP),
            new SvgCharts.Series("B: " + nameB, SvgCharts.PALETTE.get(1), extend(cb, n), SvgCharts.Style.STEP)),
        markers(ta), "writes", 220);
  }

  private static long[] total(ReplayTimeline t) {
    long[] sum = new long[t.buckets()];
    for (Target target : Target.values()) {
      long[] w = t.writes(target);
      for (int i = 0; i < w.length; i++) {
        sum[i] += w[i];
      }
    }
    return sum;
  }

  private static long[] rebucket(long[] v, int factor) {
    long[] out = new long[(v.length + factor - 1) / factor];
    for (int i = 0; i < v.length; i++) {
      out[i / factor] += v[i];
    }
    return out;
  }

  private static double[] cumulative(long[] v) {
    double[] c = new double[v.length];
    long run = 0;
    for (int i = 0; i < v.length; i++) {
      run += v[i];
      c[i] = run;
    }
    return c;
  }

  private static double[] extend(double[] v, int n) {
    double[] out = java.util.Arrays.copyOf(v, n);
    for (int i = v.length; i < n; i++) {
      out[i] = v.length == 0 ? 0 : v[v.length - 1];
    }
    return out;
  }

  private static String compareLag(ReplayResult a, ReplayResult b, String nameA, String nameB) {
    List<String> groups = List.of("p50", "p90", "p99", "max");
    double[][] values = new double[2][4];
    String[][] texts = new String[2][4];
    ReplayResult[] runs = {a, b};
    for (int s = 0; s < 2; s++) {
      ReplayLag lag = runs[s].stats().lag();
      ReplayLag.Summary q = lag == null ? new ReplayLag.Summary(0, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO) : lag.all();
      Duration[] d = {q.p50(), q.p90(), q.p99(), q.max()};
      for (int i = 0; i < 4; i++) {
        values[s][i] = d[i].toNanos() / 1e6;
        texts[s][i] = human(d[i]);
      }
    }
    return SvgCharts.groupedBars("compare-lag", "lag percentiles, all targets (event received → target acknowledged)",
        groups, List.of("A: " + nameA, "B: " + nameB), values, texts, "ms");
  }

  private static List<Map<String, Object>> compareLagRows(ReplayResult a, ReplayResult b) {
    List<Map<String, Object>> rows = new ArrayList<>();
    ReplayLag la = a.stats().lag();
    ReplayLag lb = b.stats().lag();
    if (la == null || lb == null) {
      return rows;
    }
    for (Target t : Target.values()) {
      rows.add(lagCompare(t.id(), la.of(t), lb.of(t)));
    }
    rows.add(lagCompare("all targets", la.all(), lb.all()));
    rows.add(lagCompare("objects that never flapped", la.quiet(), lb.quiet()));
    return rows;
  }

  private static Map<String, Object> lagCompare(String name, ReplayLag.Summary x, ReplayLag.Summary y) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("a", "p50 " + human(x.p50()) + " · p90 " + human(x.p90()) + " · p99 " + human(x.p99()) + " · max " + human(x.max()));
    m.put("b", "p50 " + human(y.p50()) + " · p90 " + human(y.p90()) + " · p99 " + human(y.p99()) + " · max " + human(y.max()));
    m.put("delta", "p99 " + signed(y.p99().minus(x.p99())));
    return m;
  }

  // ---- helpers ----

  private static double[] doubles(long[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }

  private static String signed(Duration d) {
    return (d.isNegative() ? "−" : "+") + human(d.abs());
  }

  /** As the text summary words a duration: {@code 250 ms}, {@code 1.5 s}. */
  static String human(Duration d) {
    long ms = d.toMillis();
    return ms < 1000 ? ms + " ms" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
  }

  private static Template template() {
    try (InputStream in = HtmlReport.class.getResourceAsStream("/report/report.mustache")) {
      if (in == null) {
        throw new IllegalStateException("report/report.mustache is missing from the jar");
      }
      // HTML's five characters only (jmustache's default also escapes = and `, which makes the config unreadable in source)
      return Mustache.compiler().withEscaper(com.samskivert.mustache.Escapers.simple(new String[][] {
              {"&", "&amp;"}, {"<", "&lt;"}, {">", "&gt;"}, {"\"", "&quot;"}, {"'", "&#39;"}}))
          .defaultValue("").emptyStringIsFalse(true).zeroIsFalse(true)
          .compile(new InputStreamReader(in, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
