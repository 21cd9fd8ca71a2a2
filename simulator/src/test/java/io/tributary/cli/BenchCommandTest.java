package io.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tributary bench}: the suite in miniature (every size scaled down), its table, its JSON and its docs section. */
class BenchCommandTest {
  private static final String HISTORY = "## Older measurements (2026-11-22)\n\n| a | b |\n|---|---|\n| 1 | 2 |\n";

  @Test
  void aTinySuitePrintsEverySectionAsJsonAndWritesOnlyItsSectionOfTheDocs(@TempDir Path dir) throws Exception {
    Path docs = dir.resolve("benchmarks.md");
    Files.writeString(docs, "# Benchmarks\n\nIntro.\n\n" + HISTORY);
    PrintStream out = System.out;
    var captured = new ByteArrayOutputStream();
    int exit;
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      exit = TributaryCli.execute("bench", "--quick", "--scale", "0.001", "--json", "--write-docs", "--docs", docs.toString());
    } finally {
      System.setOut(out);
    }
    assertThat(exit).isZero();
    JsonNode report = new ObjectMapper().readTree(captured.toString(StandardCharsets.UTF_8));
    assertThat(report.path("machine").path("cores").asText()).endsWith("cores");
    assertThat(report.path("command").asText()).startsWith("tributary bench --quick");
    List<String> titles = new ArrayList<>();
    report.path("sections").forEach(s -> titles.add(s.path("title").asText()));
    assertThat(titles).containsExactly("Replay throughput", "Scaling with tracked objects", "Write efficiency",
        "Lag, event received → target acknowledged (virtual time)", "Live write paths (real time)");
    for (JsonNode s : report.path("sections")) {
      assertThat(s.path("rows").size()).as(s.path("title").asText()).isGreaterThanOrEqualTo(2);
      for (JsonNode r : s.path("rows")) {
        assertThat(r.fieldNames()).toIterable().containsExactly("measure", "figure", "baseline", "comparison", "goal", "met");
        assertThat(r.path("figure").asText()).isNotEmpty();
      }
    }
    JsonNode throughput = report.path("sections").get(0).path("rows");
    assertThat(throughput).hasSize(2); // --quick: 10^4 and 10^5 only
    assertThat(throughput.get(0).path("comparison").asText()).startsWith("ratio ");
    // the no-op log writes nothing: its goal is met whatever the machine
    assertThat(report.path("sections").get(2).path("rows").get(1).path("met").asBoolean()).isTrue();

    String written = Files.readString(docs);
    assertThat(written).startsWith("# Benchmarks\n\nIntro.\n\n" + BenchReport.BEGIN + "\n\n## `tributary bench` (");
    assertThat(written).contains("Machine: ").contains("Command: `tributary bench --quick").contains("| measure | figure |");
    assertThat(written).endsWith(BenchReport.END + "\n\n" + HISTORY);
    // each figure is an SVG beside the page, linked from its section
    for (String figure : List.of("bench-throughput.svg", "bench-scaling.svg", "bench-write-efficiency.svg", "bench-lag.svg")) {
      assertThat(written).contains("](" + figure + ")");
      assertThat(Files.readString(dir.resolve(figure))).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"")
          .contains("class=\"series\"").endsWith("</svg>\n");
    }
  }

  @Test
  void aSecondRunReplacesItsSectionAndNothingElse(@TempDir Path dir) throws Exception {
    Path docs = dir.resolve("benchmarks.md");
    var row = new BenchReport.Row("m", "1 events/s", "2 events/s", "ratio 0.50", "ratio ≥ 0.5", true);
    var first = new BenchReport(Map.of("cores", "2 cores"), "tributary bench", "2026-12-01", "1.0 s",
        List.of(new BenchReport.Section("T", "b", "", List.of(row))));
    Files.writeString(docs, "# Benchmarks\n\nIntro.\n\n" + HISTORY);
    first.writeInto(docs);
    var second = new BenchReport(Map.of("cores", "2 cores"), "tributary bench", "2026-12-02", "1.0 s",
        List.of(new BenchReport.Section("T", "b", "a note", List.of(row))));
    second.writeInto(docs);
    String text = Files.readString(docs);
    assertThat(text).containsOnlyOnce(BenchReport.BEGIN).containsOnlyOnce(BenchReport.END)
        .contains("2026-12-02").doesNotContain("2026-12-01").contains("a note").endsWith(HISTORY);
    assertThat(text).contains("| m | 1 events/s | 2 events/s | ratio 0.50 | ratio ≥ 0.5 — met |");
  }

  @Test
  void aMissingDocsFileIsOneLineAndExitTwo(@TempDir Path dir) {
    assertThat(TributaryCli.execute("bench", "--quick", "--write-docs", "--docs", dir.resolve("none.md").toString())).isEqualTo(2);
  }
}
