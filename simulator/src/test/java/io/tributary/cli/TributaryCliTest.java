package io.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user runs it: exit codes and what it prints. */
class TributaryCliTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream oldOut;
  private PrintStream oldErr;

  @BeforeEach
  void capture() {
    oldOut = System.out;
    oldErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setOut(oldOut);
    System.setErr(oldErr);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void demoPrintsTheRoutingTableAndSummaryAndExitsZero() throws Exception {
    Path state = dir.resolve("state.json");
    assertThat(TributaryCli.execute("demo", "--state", state.toString())).isEqualTo(0);
    assertThat(out())
        .contains("Routing table (")
        .contains("shop.example.com/api/cart")
        .contains("dns        A 198.51.100.10")
        .contains("instances  eu-1: 192.0.2.11:8080")
        .contains("dns        CNAME ingress-us-1.example.net")
        .contains("Summary of demo/demo-events.jsonl.gz")
        .contains("rejected objects 2 now");
    assertThat(Files.readString(state)).contains("\"consul\"");
  }

  @Test
  void generateThenReplayWithTranscriptAndState() throws Exception {
    Path log = dir.resolve("synthetic.jsonl.gz");
    assertThat(TributaryCli.execute("generate", "--out", log.toString(), "--objects", "30", "--duration", "PT20S")).isZero();
    Path transcript = dir.resolve("t.jsonl");
    assertThat(TributaryCli.execute("replay", log.toString(), "--transcript", transcript.toString(), "--table")).isZero();
    assertThat(out()).contains("Summary of synthetic.jsonl.gz").contains("Routing table");
    assertThat(Files.readAllLines(transcript)).isNotEmpty().allMatch(l -> l.startsWith("{\"at\":\""));
  }

  @Test
  void aMalformedLogStopsWithFileLineAndReasonAndExitCode2() throws Exception {
    Path log = dir.resolve("bad.jsonl");
    Files.writeString(log, "{\"v\":1,\"at\":\"2026-11-22T10:00:00Z\",\"cluster\":\"eu-1\",\"type\":\"SYNCED\",\"kind\":\"Ingress\"}\n{oops\n");
    assertThat(TributaryCli.execute("replay", log.toString())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("bad.jsonl:2: invalid JSON");
    assertThat(TributaryCli.execute("replay", log.toString(), "--skip-bad-lines")).isZero();
    assertThat(out()).contains("skipped lines    1");
  }

  @Test
  void auditOverAnEventLogListsIngressesWithoutIngressRoutesAndExits3() throws Exception {
    Path log = dir.resolve("demo.jsonl.gz");
    assertThat(TributaryCli.execute("generate", "--demo", "--out", log.toString())).isZero();
    assertThat(TributaryCli.execute("audit", log.toString())).isEqualTo(3);
    assertThat(out()).contains("missing: Ingress storefront Host(`www.example.com`) has no IngressRoute")
        .contains("eu-1 payments: mismatch: Ingress invoices Host(`invoices.example.com`) vs IngressRoute invoices: backend invoices:8443 vs invoices:80")
        .contains("eu-1 media: extra: IngressRoute video-ir")
        .contains("eu-1 media: invalid: Ingress bad-host")
        .containsPattern("2 of \\d+ Ingress routes have a matching IngressRoute");
  }

  @Test
  void runAndRecordRefuseAConfigWithoutClusters() throws Exception {
    Path conf = dir.resolve("empty.conf");
    Files.writeString(conf, "tributary.owner-id = test");
    assertThat(TributaryCli.execute("run", "--config", conf.toString())).isEqualTo(2);
    assertThat(TributaryCli.execute("record", "--config", conf.toString(), "--out", dir.resolve("x.jsonl").toString())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("no clusters configured");
  }

  @Test
  void anInvalidConfigIsRejectedWithEveryProblemListed() throws Exception {
    Path conf = dir.resolve("bad.conf");
    Files.writeString(conf, "tributary { debounce.quiet = 5s, debounce.max-delay = 1s, consul.tag-syntax = v9 }");
    Path log = dir.resolve("empty.jsonl");
    Files.writeString(log, "");
    assertThat(TributaryCli.execute("replay", log.toString(), "--config", conf.toString())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("debounce.max-delay")
        .contains("consul.tag-syntax: 'v9' is not one of v1, v2, v3");
  }
}
