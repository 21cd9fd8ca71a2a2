package io.tributary.report;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Small SVG figures drawn in Java, so a report or a docs page needs no script, font or network: a
 * time series with event markers, a histogram on a logarithmic axis, horizontal bars and grouped
 * bars. Every number is formatted with {@link Locale#ROOT} and a fixed precision, so the same data
 * always gives the same bytes.
 */
public final class SvgCharts {
  private static final int WIDTH = 1080;
  private static final int LEFT = 64;
  private static final int RIGHT = 24;
  private static final int TOP = 30;
  private static final int BOTTOM = 34;

  /** The palette: colour-blind safe (Okabe–Ito), one colour per series in order. */
  public static final List<String> PALETTE =
      List.of("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000");

  private SvgCharts() {}

  /** How a series is drawn. */
  public enum Style { BARS, LINE, STEP }

  /** One series of a time series: a value per bucket. */
  public record Series(String name, String color, double[] values, Style style) {}

  /** A vertical line at {@code offset} from the origin, coloured, with a tooltip. */
  public record Marker(Duration offset, String color, String label) {}

  /** One labelled bar. */
  public record Bar(String label, double value, String color, String text) {}

  /**
   * Series over virtual time in buckets of {@code bucket} from offset 0, and markers as dashed
   * vertical lines; {@code id} names the figure ({@code data-plot}) for tests and links.
   */
  public static String timeSeries(String id, String title, Duration bucket, int buckets, List<Series> series,
      List<Marker> markers, String yUnit, int height) {
    int plotW = WIDTH - LEFT - RIGHT;
    int plotH = height - TOP - BOTTOM;
    double span = Math.max(1, buckets) * seconds(bucket);
    double max = 0;
    for (Series s : series) {
      for (double v : s.values()) {
        max = Math.max(max, v);
      }
    }
    double top = niceCeiling(max);
    var svg = open(id, title, height);
    yAxis(svg, top, plotH, yUnit);
    xTimeAxis(svg, span, plotW, plotH);
    int bars = (int) series.stream().filter(s -> s.style() == Style.BARS).count();
    int barIndex = 0;
    for (Series s : series) {
      double[] v = s.values();
      double bw = plotW / (double) Math.max(1, buckets);
      if (s.style() == Style.BARS) {
        double w = Math.max(0.5, bw / Math.max(1, bars) - (bw > 4 ? 0.5 : 0));
        var path = new StringBuilder();
        for (int i = 0; i < v.length; i++) {
          if (v[i] <= 0) {
            continue;
          }
          double h = v[i] / top * plotH;
          double x = LEFT + i * bw + barIndex * (bw / Math.max(1, bars));
          path.append('M').append(f(x)).append(' ').append(f(TOP + plotH)).append('v').append(f(-h))
              .append('h').append(f(w)).append('v').append(f(h)).append('z');
        }
        svg.append("<path class=\"series\" fill=\"").append(s.color()).append("\" d=\"").append(path)
            .append("\"><title>").append(esc(s.name())).append("</title></path>\n");
        barIndex++;
      } else {
        var points = new StringBuilder();
        for (int i = 0; i < v.length; i++) {
          double y = TOP + plotH - v[i] / top * plotH;
          if (s.style() == Style.STEP) {
            points.append(i == 0 ? "M" : "L").append(f(LEFT + i * bw)).append(' ').append(f(y))
                .append('L').append(f(LEFT + (i + 1) * bw)).append(' ').append(f(y));
          } else {
            points.append(i == 0 ? "M" : "L").append(f(LEFT + (i + 0.5) * bw)).append(' ').append(f(y));
          }
        }
        svg.append("<path class=\"series\" fill=\"none\" stroke-width=\"2\" stroke=\"").append(s.color())
            .append("\" d=\"").append(points).append("\"><title>").append(esc(s.name())).append("</title></path>\n");
      }
    }
    for (Marker m : markers) {
      double x = LEFT + Math.min(1, seconds(m.offset()) / span) * plotW;
      svg.append("<line class=\"marker\" x1=\"").append(f(x)).append("\" x2=\"").append(f(x)).append("\" y1=\"")
          .append(TOP).append("\" y2=\"").append(TOP + plotH).append("\" stroke=\"").append(m.color())
          .append("\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"><title>").append(esc(m.label()))
          .append("</title></line>\n");
      svg.append("<path d=\"M").append(f(x - 4)).append(' ').append(TOP - 6).append("h8l-4 6z\" fill=\"")
          .append(m.color()).append("\"><title>").append(esc(m.label())).append("</title></path>\n");
    }
    legend(svg, series.stream().map(s -> new String[] {s.name(), s.color()}).toList());
    return svg.append("</svg>\n").toString();
  }

  /**
   * A histogram of {@code sortedNanos} (durations) on a logarithmic axis from 1 ms, with vertical
   * lines at the given percentiles.
   */
  public static String lagHistogram(String id, String title, long[] sortedNanos, List<Marker> percentiles, String color) {
    int height = 200;
    int plotW = WIDTH - LEFT - RIGHT;
    int plotH = height - TOP - BOTTOM;
    double maxMs = sortedNanos.length == 0 ? 1000 : Math.max(10, sortedNanos[sortedNanos.length - 1] / 1e6);
    double decades = Math.ceil(Math.log10(maxMs));
    int bins = (int) decades * 10;
    long[] counts = new long[bins];
    for (long n : sortedNanos) {
      double ms = Math.max(1, n / 1e6);
      int b = (int) Math.min(bins - 1, Math.floor(Math.log10(ms) * 10));
      counts[b]++;
    }
    long most = 0;
    for (long c : counts) {
      most = Math.max(most, c);
    }
    double top = niceCeiling(most);
    var svg = open(id, title, height);
    yAxis(svg, top, plotH, "writes");
    double bw = plotW / (double) bins;
    var path = new StringBuilder();
    for (int i = 0; i < bins; i++) {
      if (counts[i] == 0) {
        continue;
      }
      double h = counts[i] / top * plotH;
      path.append('M').append(f(LEFT + i * bw + 0.5)).append(' ').append(f(TOP + plotH)).append('v').append(f(-h))
          .append('h').append(f(bw - 1)).append('v').append(f(h)).append('z');
    }
    svg.append("<path class=\"series\" fill=\"").append(color).append("\" d=\"").append(path).append("\"/>\n");
    for (int d = 0; d <= decades; d++) {
      double x = LEFT + d * 10 * bw;
      svg.append("<line class=\"grid\" x1=\"").append(f(x)).append("\" x2=\"").append(f(x)).append("\" y1=\"")
          .append(TOP + plotH).append("\" y2=\"").append(TOP + plotH + 4).append("\"/>");
      svg.append("<text class=\"tick\" x=\"").append(f(x)).append("\" y=\"").append(TOP + plotH + 16)
          .append("\" text-anchor=\"middle\">").append(duration(Math.pow(10, d) / 1000)).append("</text>\n");
    }
    for (Marker m : percentiles) {
      double ms = Math.max(1, m.offset().toNanos() / 1e6);
      double x = LEFT + Math.min(1, Math.log10(ms) / decades) * plotW;
      svg.append("<line class=\"marker\" x1=\"").append(f(x)).append("\" x2=\"").append(f(x)).append("\" y1=\"")
          .append(TOP).append("\" y2=\"").append(TOP + plotH).append("\" stroke=\"").append(m.color())
          .append("\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>");
      svg.append("<text class=\"label\" x=\"").append(f(x + 3)).append("\" y=\"").append(TOP - 4).append("\" fill=\"")
          .append(m.color()).append("\">").append(esc(m.label())).append("</text>\n");
    }
    return svg.append("</svg>\n").toString();
  }

  /** Horizontal bars, one per row, the label on the left and {@link Bar#text} after the bar. */
  public static String bars(String id, String title, List<Bar> bars) {
    int row = 22;
    int labelW = 360;
    int height = TOP + Math.max(1, bars.size()) * row + 12;
    double max = bars.stream().mapToDouble(Bar::value).max().orElse(1);
    double top = max <= 0 ? 1 : max;
    int plotW = WIDTH - labelW - 140;
    var svg = open(id, title, height);
    for (int i = 0; i < bars.size(); i++) {
      Bar b = bars.get(i);
      int y = TOP + i * row;
      double w = Math.max(b.value() > 0 ? 1 : 0, b.value() / top * plotW);
      svg.append("<text class=\"label\" x=\"").append(labelW - 8).append("\" y=\"").append(y + 15)
          .append("\" text-anchor=\"end\">").append(esc(clip(b.label(), 52))).append("<title>").append(esc(b.label()))
          .append("</title></text>");
      svg.append("<rect class=\"series\" x=\"").append(labelW).append("\" y=\"").append(y + 3).append("\" width=\"")
          .append(f(w)).append("\" height=\"").append(row - 6).append("\" fill=\"").append(b.color()).append("\"/>");
      svg.append("<text class=\"value\" x=\"").append(f(labelW + w + 6)).append("\" y=\"").append(y + 15).append("\">")
          .append(esc(b.text())).append("</text>\n");
    }
    return svg.append("</svg>\n").toString();
  }

  /**
   * Grouped vertical bars: for each group (a target, a percentile) one bar per series (config A,
   * config B), labelled with {@code texts[series][group]}.
   */
  public static String groupedBars(String id, String title, List<String> groups, List<String> seriesNames,
      double[][] values, String[][] texts, String yUnit) {
    int height = 260;
    int plotW = WIDTH - LEFT - RIGHT;
    int plotH = height - TOP - BOTTOM - 10;
    double max = 0;
    for (double[] s : values) {
      for (double v : s) {
        max = Math.max(max, v);
      }
    }
    double top = niceCeiling(max);
    var svg = open(id, title, height);
    yAxis(svg, top, plotH, yUnit);
    double gw = plotW / (double) Math.max(1, groups.size());
    double bw = Math.min(90, gw * 0.8 / Math.max(1, seriesNames.size()));
    for (int g = 0; g < groups.size(); g++) {
      double gx = LEFT + g * gw + (gw - bw * seriesNames.size()) / 2;
      for (int s = 0; s < seriesNames.size(); s++) {
        double h = values[s][g] / top * plotH;
        double x = gx + s * bw;
        svg.append("<rect class=\"series\" x=\"").append(f(x + 2)).append("\" y=\"").append(f(TOP + plotH - h))
            .append("\" width=\"").append(f(bw - 4)).append("\" height=\"").append(f(h)).append("\" fill=\"")
            .append(PALETTE.get(s % PALETTE.size())).append("\"><title>").append(esc(seriesNames.get(s)))
            .append(": ").append(esc(texts[s][g])).append("</title></rect>");
        svg.append("<text class=\"value\" x=\"").append(f(x + bw / 2)).append("\" y=\"").append(f(TOP + plotH - h - 4))
            .append("\" text-anchor=\"middle\">").append(esc(texts[s][g])).append("</text>\n");
      }
      svg.append("<text class=\"tick\" x=\"").append(f(LEFT + (g + 0.5) * gw)).append("\" y=\"").append(TOP + plotH + 18)
          .append("\" text-anchor=\"middle\">").append(esc(groups.get(g))).append("</text>\n");
    }
    List<String[]> legend = new ArrayList<>();
    for (int s = 0; s < seriesNames.size(); s++) {
      legend.add(new String[] {seriesNames.get(s), PALETTE.get(s % PALETTE.size())});
    }
    legend(svg, legend);
    return svg.append("</svg>\n").toString();
  }

  private static StringBuilder open(String id, String title, int height) {
    var svg = new StringBuilder();
    svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" data-plot=\"").append(esc(id))
        .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height).append("\" role=\"img\" aria-label=\"")
        .append(esc(title)).append("\">\n");
    svg.append("<style>.tick,.label,.value,.title,.legend{font:12px system-ui,-apple-system,'Segoe UI',sans-serif;fill:#333}"
        + ".title{font-weight:600;font-size:13px}.grid{stroke:#e3e3e3;stroke-width:1}.axis{stroke:#888}</style>\n");
    svg.append("<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n");
    svg.append("<text class=\"title\" x=\"").append(LEFT).append("\" y=\"16\">").append(esc(title)).append("</text>\n");
    return svg;
  }

  private static void yAxis(StringBuilder svg, double top, int plotH, String unit) {
    for (int i = 0; i <= 4; i++) {
      double v = top * i / 4;
      double y = TOP + plotH - plotH * i / 4.0;
      svg.append("<line class=\"grid\" x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT).append("\" y1=\"")
          .append(f(y)).append("\" y2=\"").append(f(y)).append("\"/>");
      svg.append("<text class=\"tick\" x=\"").append(LEFT - 6).append("\" y=\"").append(f(y + 4))
          .append("\" text-anchor=\"end\">").append(number(v)).append("</text>\n");
    }
    svg.append("<text class=\"tick\" x=\"").append(LEFT - 6).append("\" y=\"").append(TOP - 8)
        .append("\" text-anchor=\"end\">").append(esc(unit)).append("</text>\n");
  }

  private static void xTimeAxis(StringBuilder svg, double spanSeconds, int plotW, int plotH) {
    double step = niceStep(spanSeconds / 8);
    svg.append("<line class=\"axis\" x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT).append("\" y1=\"")
        .append(TOP + plotH).append("\" y2=\"").append(TOP + plotH).append("\"/>\n");
    for (double t = 0; t <= spanSeconds + 1e-9; t += step) {
      double x = LEFT + t / spanSeconds * plotW;
      svg.append("<line class=\"axis\" x1=\"").append(f(x)).append("\" x2=\"").append(f(x)).append("\" y1=\"")
          .append(TOP + plotH).append("\" y2=\"").append(TOP + plotH + 4).append("\"/>");
      svg.append("<text class=\"tick\" x=\"").append(f(x)).append("\" y=\"").append(TOP + plotH + 16)
          .append("\" text-anchor=\"middle\">+").append(duration(t)).append("</text>\n");
    }
  }

  private static void legend(StringBuilder svg, List<String[]> entries) {
    double x = WIDTH - RIGHT;
    for (int i = entries.size() - 1; i >= 0; i--) {
      String name = entries.get(i)[0];
      x -= 24 + name.length() * 6.6;
      svg.append("<rect x=\"").append(f(x)).append("\" y=\"7\" width=\"12\" height=\"12\" fill=\"").append(entries.get(i)[1])
          .append("\"/><text class=\"legend\" x=\"").append(f(x + 16)).append("\" y=\"17\">").append(esc(name))
          .append("</text>\n");
    }
  }

  /** 1, 2, 4, 6, 8 × 10^n at or above {@code v}: quarters of it are round numbers; 1 for nothing. */
  static double niceCeiling(double v) {
    if (v <= 0) {
      return 1;
    }
    double p = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 2, 4, 6, 8, 10}) {
      if (m * p >= v) {
        return m * p;
      }
    }
    return 10 * p;
  }

  /** A tick step of time: 1, 2, 5, 10, 15, 30 s, 1, 2, 5, 10, 15, 30 min, 1, 2, 6, 12 h, days. */
  static double niceStep(double seconds) {
    double[] steps = {0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400};
    for (double s : steps) {
      if (s >= seconds) {
        return s;
      }
    }
    return Math.ceil(seconds / 86400) * 86400;
  }

  /** {@code 250ms}, {@code 1.5s}, {@code 2m30s}, {@code 1h05m}. */
  public static String duration(double seconds) {
    if (seconds < 1) {
      return Math.round(seconds * 1000) + "ms";
    }
    if (seconds < 60) {
      return seconds == Math.rint(seconds) ? (long) seconds + "s" : String.format(Locale.ROOT, "%.1fs", seconds);
    }
    long s = Math.round(seconds);
    if (s < 3600) {
      return s % 60 == 0 ? s / 60 + "m" : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
  }

  private static String number(double v) {
    if (v == Math.rint(v)) {
      return String.format(Locale.ROOT, "%,d", (long) v);
    }
    return String.format(Locale.ROOT, "%.1f", v);
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }

  private static String f(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  private static String clip(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n - 1) + "…";
  }

  /** Escapes text for XML/HTML content and attributes. */
  public static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
