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

/** Issue 11.4 as a user sees it: {@code replay --config bad.conf} lists every problem, one line each. */
class ConfigProblemsCliTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream oldErr;

  @BeforeEach
  void capture() {
    oldErr = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setErr(oldErr);
  }

  @Test
  void replayListsEveryProblemOfTheConfigOnItsOwnLineAndExitsTwo() throws Exception {
    Path conf = dir.resolve("bad.conf");
    Files.writeString(conf, """
        tributary {
          writer.max-batch = "lots"
          bogus-key = 1
          clusters.alpha { kindz = [Ingress], endpoints { addresses = ["192.0.2.1"] } }
        }
        pekko.loglevel = INFO
        """);
    Path log = dir.resolve("empty.jsonl");
    Files.writeString(log, "");
    assertThat(TributaryCli.execute("replay", log.toString(), "--config", conf.toString())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8).lines().toList()).containsExactly(
        "error: invalid configuration:",
        "  - " + conf + ":2: writer.max-batch must be a whole number, not \"lots\"",
        "  - " + conf + ":3: unknown key tributary.bogus-key (known keys here: admin, clusters, consul, debounce, dns, kafka, last-accepted, log,"
            + " owner-id, record-to, reload, source, traefik, translate, vm-discovery, watch, writer)",
        "  - " + conf + ":4: unknown key tributary.clusters.alpha.kindz (did you mean kinds?)");
  }
}
