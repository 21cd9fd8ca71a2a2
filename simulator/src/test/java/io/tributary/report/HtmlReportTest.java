package io.tributary.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.cli.TributaryCli;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import io.tributary.cli.ConsoleCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replay's HTML report as a user opens it: the demo's report rendered by a real headless
 * Chromium (every section and figure there, nothing loaded from the network, a screenshot under
 * target/), the same bytes for the same log and config, and a comparison of two debounce settings
 * that shows the difference the text summaries give.
 */
class HtmlReportTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final List<String> SECTIONS =
      List.of("summary", "timeline", "lag", "coalescing", "rejected", "clusters", "text-summary", "source");

  @TempDir Path dir;
  @RegisterExtension final ConsoleCapture console = new ConsoleCapture();
  private final ByteArrayOutputStream out = console.out;
  private final ByteArrayOutputStream err = console.err;

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  /** The demo's log, as {@code demo --export} gives it to users. */
  private Path demoLog() {
    Path log = dir.resolve("demo-events.jsonl.gz");
    assertThat(TributaryCli.execute("demo", "--export", log.toString())).isZero();
    return log;
  }

  private Path demoConfig() throws IOException {
    Path config = dir.resolve("demo.conf");
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("conf/demo.conf")) {
      Files.write(config, in.readAllBytes());
    }
    return config;
  }

  @Test
  void theDemoReportRendersInChromiumWithEverySectionAndFigureAndNothingFromTheNetwork() throws Exception {
    Path log = demoLog();
    Path config = demoConfig();
    Path report = dir.resolve("report.html");
    assertThat(TributaryCli.execute("replay", log.toString(), "--config", config.toString(), "--report", report.toString(),
        "--quiet")).isZero();
    assertThat(out()).contains("  report           " + report);
    String html = Files.readString(report);

    // self-contained: no script, and nothing that could fetch (src, href, url(), @import) names a URL
    assertThat(html).doesNotContainIgnoringCase("<script").doesNotContainIgnoringCase("@import")
        .doesNotContainIgnoringCase("<link");
    Matcher fetch = Pattern.compile("(?i)(src|href)\\s*=\\s*\"(?!#)[^\"]*\"|url\\(").matcher(html);
    List<String> fetches = new ArrayList<>();
    while (fetch.find()) {
      fetches.add(fetch.group());
    }
    assertThat(fetches).isEmpty();

    Path netLog = dir.resolve("net-log.json");
    String dom = chromium(dir.resolve("profile-dom"), "--log-net-log=" + netLog, "--dump-dom", report.toUri().toString());
    for (String section : SECTIONS) {
      assertThat(dom).contains("<section id=\"" + section + "\"");
    }
    List<String> plots = new ArrayList<>(List.of("timeline-consul", "timeline-dns", "timeline-traefik", "lag-consul",
        "lag-dns", "lag-traefik", "coalescing", "flappers"));
    for (String cluster : List.of("eu-1", "eu-2", "us-1")) {
      plots.add("cluster-" + cluster);
    }
    for (String plot : plots) {
      assertThat(dom).as("figure " + plot).containsPattern("<svg[^>]*data-plot=\"" + plot + "\"");
    }
    // the figures hold data: bars or lines, not just axes
    assertThat(dom).contains("class=\"series\"").contains("class=\"marker\"");
    // the text summary is the one the command printed (less its wall-clock time)
    assertThat(dom).contains("coalesced").contains("rejected objects");
    assertThat(pageRequests(netLog)).as("requests the page made").isEmpty();

    Path shots = Path.of("target", "report-screenshots");
    Files.createDirectories(shots);
    Path png = shots.resolve("demo-report.png").toAbsolutePath();
    Files.deleteIfExists(png);
    chromium(dir.resolve("profile-shot"), "--screenshot=" + png, "--window-size=1400,3000", "--hide-scrollbars",
        report.toUri().toString());
    byte[] image = Files.readAllBytes(png);
    assertThat(image.length).isGreaterThan(50_000);
    assertThat(new String(image, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
  }

  @Test
  void theNetLogCheckSeesAPageThatLoadsFromTheNetwork() throws Exception {
    // the check above would pass vacuously if it could not see a page's requests: show it can
    Path page = dir.resolve("fetches.html");
    Files.writeString(page, "<html><body><img src=\"http://127.0.0.1:18499/x.png\"></body></html>");
    Path netLog = dir.resolve("net-log.json");
    chromium(dir.resolve("profile"), "--log-net-log=" + netLog, "--dump-dom", page.toUri().toString());
    assertThat(pageRequests(netLog)).containsExactly("http://127.0.0.1:18499/x.png");
  }

  @Test
  void theSameLogAndConfigGiveTheSameBytes() throws Exception {
    Path log = demoLog();
    Path config = demoConfig();
    Path first = dir.resolve("first.html");
    Path second = dir.resolve("second.html");
    assertThat(TributaryCli.execute("replay", log.toString(), "--config", config.toString(), "--report", first.toString(), "-q")).isZero();
    // the report names the command that made it: the same command, so the report path is the same too
    Files.move(first, second);
    assertThat(TributaryCli.execute("replay", log.toString(), "--config", config.toString(), "--report", first.toString(), "-q")).isZero();
    assertThat(Files.readAllBytes(first)).isEqualTo(Files.readAllBytes(second));
  }

  @Test
  void aComparisonOfTwoDebounceSettingsShowsTheWritesAndLagTheSummariesGive() throws Exception {
    Path log = demoLog();
    Path a = demoConfig();
    Path b = dir.resolve("demo-slow-debounce.conf");
    Files.writeString(b, Files.readString(a) + "\ntributary.debounce { quiet = 1s, max-delay = 5s }\n");
    Path report = dir.resolve("compare.html");
    assertThat(TributaryCli.execute("replay", log.toString(), "--compare", a.toString(), b.toString(),
        "--report", report.toString(), "--quiet")).isZero();
    String text = out();
    String[] halves = text.split("Config B: ");
    assertThat(halves).hasSize(2);
    long writesA = writes(halves[0]);
    long writesB = writes(halves[1]);
    String lagA = lag(halves[0]);
    String lagB = lag(halves[1]);
    // a longer quiet window coalesces more: fewer writes, and later ones
    assertThat(writesB).isLessThan(writesA);
    assertThat(lagB).isNotEqualTo(lagA);

    String html = Files.readString(report);
    for (String section : List.of("compare-writes", "compare-lag", "compare-flapping", "compare-summaries", "source")) {
      assertThat(html).contains("<section id=\"" + section + "\"");
    }
    for (String plot : List.of("compare-writes", "compare-writes-over-time", "compare-lag")) {
      assertThat(html).containsPattern("<svg[^>]*data-plot=\"" + plot + "\"");
    }
    // the writes row and the lag figures are the summaries' own
    assertThat(html).containsPattern("<td>writes</td><td class=\"num\">" + String.format(java.util.Locale.ROOT, "%,d", writesA)
        + "</td><td class=\"num\">" + String.format(java.util.Locale.ROOT, "%,d", writesB) + "</td><td class=\"num\">"
        + String.format(java.util.Locale.ROOT, "%+d", writesB - writesA));
    assertThat(html).containsPattern("<td>all targets</td><td>" + lagA + "</td><td>" + lagB + "</td>");
    assertThat(html).contains("A: " + a).contains("B: " + b).contains("quiet = 1s");
  }

  private static long writes(String summary) {
    Matcher m = Pattern.compile("writes\\s+(\\d+) in \\d+ batches").matcher(summary);
    assertThat(m.find()).as("writes line in\n" + summary).isTrue();
    return Long.parseLong(m.group(1));
  }

  /** The summary's lag of every write as the report words it: {@code p50 75 ms · p90 … · p99 2.0 s · max 5.0 s}. */
  private static String lag(String summary) {
    Matcher m = Pattern.compile("lag\\s+p50 ([^,]+), p99 ([^,]+), max ([^ ]+ m?s) over").matcher(summary);
    assertThat(m.find()).as("lag line in\n" + summary).isTrue();
    return "p50 " + m.group(1) + " · p90 [^·]+ · p99 " + m.group(2) + " · max " + m.group(3);
  }

  /**
   * Runs headless Chromium with a fresh profile and no way out to the network for its own
   * background requests (which are not the page's); returns its stdout.
   */
  private static String chromium(Path profile, String... args) throws Exception {
    assertThat(CHROMIUM).as("Debian's chromium (apt-get install -y chromium; .ci/run installs it)").isExecutable();
    List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-dev-shm-usage", "--host-resolver-rules=MAP * ~NOTFOUND",
        "--user-data-dir=" + profile));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    byte[] stdout = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("chromium finished").isTrue();
    assertThat(p.exitValue()).as("chromium's exit code").isZero();
    return new String(stdout, StandardCharsets.UTF_8);
  }

  /**
   * The URLs the page asked for, from Chromium's net log: requests whose isolation key is the
   * page's file:// origin (the browser's own background requests have none).
   */
  private static List<String> pageRequests(Path netLog) throws IOException {
    JsonNode log = new ObjectMapper().readTree(netLog.toFile());
    int startJob = log.path("constants").path("logEventTypes").path("URL_REQUEST_START_JOB").asInt(-1);
    assertThat(startJob).isPositive();
    List<String> urls = new ArrayList<>();
    for (JsonNode event : log.path("events")) {
      JsonNode params = event.path("params");
      if (event.path("type").asInt() == startJob && params.path("network_isolation_key").asText().contains("file://")
          && !params.path("url").asText().startsWith("file:")) {
        urls.add(params.path("url").asText());
      }
    }
    return urls;
  }
}
