package io.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The demo's log as a file users can replay, the demo's report, and the report options' mistakes. */
class DemoExportTest {
  @TempDir Path dir;
  @RegisterExtension final ConsoleCapture console = new ConsoleCapture();
  private final ByteArrayOutputStream out = console.out;
  private final ByteArrayOutputStream err = console.err;

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void theExportedLogReplayedWithTheDemoConfigIsTheDemo() throws Exception {
    Path plain = dir.resolve("demo-events.jsonl");
    Path gz = dir.resolve("demo-events.jsonl.gz");
    assertThat(TributaryCli.execute("demo", "--export", plain.toString())).isZero();
    assertThat(TributaryCli.execute("demo", "--export", gz.toString())).isZero();
    assertThat(out()).contains("wrote the demo log to " + plain + " (replay it: ./tributary replay " + plain
        + " --config conf/demo.conf)");
    assertThat(Files.readString(plain)).startsWith("{\"v\":1,");
    byte[] zipped = Files.readAllBytes(gz);
    assertThat(zipped[0] & 0xff).isEqualTo(0x1f);
    assertThat(zipped[1] & 0xff).isEqualTo(0x8b);

    Path config = dir.resolve("demo.conf");
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("conf/demo.conf")) {
      Files.write(config, in.readAllBytes());
    }
    Path report = dir.resolve("demo.html");
    assertThat(TributaryCli.execute("demo", "--transcript", dir.resolve("demo.t").toString(), "--state",
        dir.resolve("demo.s").toString(), "--report", report.toString())).isZero();
    assertThat(out().lines().toList()).last().isEqualTo("  report           " + report + " (open it in a browser)");
    assertThat(Files.readString(report)).startsWith("<!DOCTYPE html>").contains("Replay of demo/demo-events.jsonl.gz");
    for (Path log : new Path[] {plain, gz}) {
      String name = log.getFileName().toString();
      assertThat(TributaryCli.execute("replay", log.toString(), "--config", config.toString(), "--quiet",
          "--transcript", dir.resolve(name + ".t").toString(), "--state", dir.resolve(name + ".s").toString())).isZero();
      assertThat(Files.readAllBytes(dir.resolve(name + ".t"))).isEqualTo(Files.readAllBytes(dir.resolve("demo.t")));
      assertThat(Files.readAllBytes(dir.resolve(name + ".s"))).isEqualTo(Files.readAllBytes(dir.resolve("demo.s")));
    }
  }

  @Test
  void compareNamesBothConfigsAndIsOfTwoReplays() throws Exception {
    Path log = dir.resolve("demo.jsonl.gz");
    assertThat(TributaryCli.execute("demo", "--export", log.toString())).isZero();
    Path a = dir.resolve("a.conf");
    Files.writeString(a, "");
    assertThat(TributaryCli.execute("replay", log.toString(), "--compare", a.toString(), a.toString(), "--config", a.toString()))
        .isEqualTo(2);
    assertThat(TributaryCli.execute("replay", log.toString(), "--compare", a.toString(), a.toString(), "--state",
        dir.resolve("s").toString())).isEqualTo(2);
    assertThat(TributaryCli.execute("replay", log.toString(), "--report", dir.resolve("no/such/dir/r.html").toString()))
        .isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8).lines().toList()).containsExactly(
        "error: --compare names both configs; --config cannot be given with it",
        "error: --transcript and --state are of one replay; replay each config on its own for them",
        "error: " + dir.resolve("no/such/dir/r.html") + ": no such directory " + dir.resolve("no/such/dir"));
  }
}
