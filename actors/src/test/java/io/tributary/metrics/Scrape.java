package io.tributary.metrics;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One scrape of the Prometheus endpoint, read as series: labels match whatever order Kamon prints them in. */
public record Scrape(String text) {
  private static final Pattern SERIES = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)$");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  /** One sample line: the metric's name, its labels and its value. */
  public record Series(String name, Map<String, String> labels, double value) {}

  /** Scrapes {@code http://127.0.0.1:port/metrics}. */
  public static Scrape of(int port) throws Exception {
    var response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    return new Scrape(response.body());
  }

  /** Every sample line. */
  public List<Series> series() {
    return text.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).map(Scrape::parse).toList();
  }

  private static Series parse(String line) {
    Matcher m = SERIES.matcher(line);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a sample line: " + line);
    }
    Map<String, String> labels = new HashMap<>();
    if (m.group(2) != null) {
      Matcher l = LABEL.matcher(m.group(2));
      while (l.find()) {
        labels.put(l.group(1), l.group(2));
      }
    }
    return new Series(m.group(1), labels, Double.parseDouble(m.group(3)));
  }

  /** The series of {@code name} with exactly {@code labels}, or null. */
  public Double value(String name, Map<String, String> labels) {
    return series().stream()
        .filter(s -> s.name().equals(name) && s.labels().equals(labels))
        .map(Series::value)
        .findFirst()
        .orElse(null);
  }

  /** As {@link #value}, 0 when absent (a counter or histogram nothing has touched yet). */
  public double valueOr0(String name, Map<String, String> labels) {
    Double v = value(name, labels);
    return v == null ? 0 : v;
  }
}
