package io.tributary.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.eventlog.LogEvent;
import io.tributary.eventlog.LogEventType;
import io.tributary.translate.Hostnames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A 200 MB event log replays in a JVM whose heap is capped at 256 MB: the reader streams, and
 * what the replay keeps grows with the objects tracked, not with the log. Run as {@code tributary
 * replay} is run, in a child JVM, so the cap is real.
 */
class BigLogReplayTest {
  private static final Path DIR = Path.of("target", "big-log");
  private static final Path LOG = DIR.resolve("big.jsonl");
  private static final Path STATE = DIR.resolve("big.state.json");
  /**
   * 5 clusters of 1 000 Ingresses (the generator's initial lists stay apart only up to 5 000 per
   * cluster), then 45 minutes of churn at 80 changes/s: about 221 000 events, 210 MB uncompressed.
   */
  private static final SyntheticScenario.Params PARAMS =
      new SyntheticScenario.Params(5, 5, 8, 5_000, Duration.ofMinutes(45), 80, 0.05, 0.02, 0.01, Logs.T0);

  @Test
  void aTwoHundredMegabyteLogReplaysWithTheHeapCappedAt256Mb() throws Exception {
    Files.createDirectories(DIR);
    long events = SyntheticScenario.write(PARAMS, LOG);
    long bytes = Files.size(LOG);
    assertThat(bytes).isGreaterThan(200L * 1000 * 1000);

    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path out = DIR.resolve("replay.out");
    var process = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        "io.tributary.cli.TributaryCli", "replay", LOG.toString(), "--state", STATE.toString())
        .redirectErrorStream(true).redirectOutput(out.toFile()).start();
    long start = System.nanoTime();
    // a guard against a hung child only; how long it takes is printed, not asserted
    boolean done = process.waitFor(15, TimeUnit.MINUTES);
    if (!done) {
      process.destroyForcibly();
    }
    long wallMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    String output = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(done).as("replay finished; output:%n%s", output).isTrue();
    assertThat(process.exitValue()).as("exit code; output:%n%s", output).isZero();
    assertThat(output).contains("events read      " + events + " ").doesNotContain("OutOfMemoryError");
    System.out.printf("big log: %d events, %d MB, replayed with -Xmx256m in %d ms wall (child JVM, startup included)%n",
        events, bytes / 1_000_000, wallMs);

    // sane: DNS holds exactly the hostnames of the objects alive at the end, each in its last accepted form
    JsonNode state = new ObjectMapper().readTree(STATE.toFile());
    Set<String> names = new TreeSet<>();
    state.path("dns").forEach(r -> names.add(r.path("name").asText()));
    Set<String> hosts = new TreeSet<>();
    state.path("consul").forEach(r -> hosts.add(r.path("meta").path("host").asText()));
    Set<String> expected = expectedHosts();
    assertThat(names).isEqualTo(expected);
    assertThat(hosts).isEqualTo(expected);
    assertThat(state.path("consul").size()).isGreaterThanOrEqualTo(expected.size());
  }

  /** The hosts of every object not deleted at the end, from its latest version with valid hosts. */
  private static Set<String> expectedHosts() {
    Map<String, List<String>> alive = new HashMap<>();
    for (Iterator<LogEvent> it = SyntheticScenario.events(PARAMS); it.hasNext(); ) {
      LogEvent e = it.next();
      if (!e.type().isWatch() || e.type() == LogEventType.SYNCED) {
        continue;
      }
      String key = e.cluster() + "/" + e.object().path("metadata").path("namespace").asText() + "/"
          + e.object().path("metadata").path("name").asText();
      if (e.type() == LogEventType.DELETED) {
        alive.remove(key);
        continue;
      }
      List<String> hosts = new java.util.ArrayList<>();
      e.object().path("spec").path("rules").forEach(r -> hosts.add(r.path("host").asText()));
      if (hosts.stream().allMatch(h -> Hostnames.invalidReason(h) == null)) {
        alive.put(key, hosts); // a malformed update is rejected: the last accepted version stays
      }
    }
    Set<String> all = new TreeSet<>();
    alive.values().forEach(all::addAll);
    return all;
  }

  @AfterAll
  static void removeLog() throws IOException {
    Files.deleteIfExists(LOG); // 210 MB
  }
}
