package io.tributary.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tributary.eventlog.EventLogReader;
import io.tributary.eventlog.LogEvent;
import io.tributary.settings.TributarySettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same log and config always give byte-identical transcript and state files. */
class ReplayDeterminismTest {
  @TempDir Path dir;

  private record Outputs(byte[] transcript, byte[] state, long writes) {}

  private Outputs replay(String name, Supplier<Iterator<LogEvent>> events, Config config) throws IOException {
    Path transcript = dir.resolve(name + ".transcript.jsonl");
    Path state = dir.resolve(name + ".state.json");
    ReplayResult result;
    try (var t = new TranscriptWriter(transcript)) {
      result = Replay.run(name, events.get(), TributarySettings.from(config), config, t);
    }
    StateFile.write(state, result.state());
    assertThat(result.foreignSubmitters()).as("work that escaped virtual time").isEmpty();
    return new Outputs(Files.readAllBytes(transcript), Files.readAllBytes(state), result.stats().totalWrites());
  }

  private static Iterator<LogEvent> demoLog() {
    try {
      return EventLogReader.open(
          ReplayDeterminismTest.class.getClassLoader().getResourceAsStream("demo/demo-events.jsonl.gz"), "demo", false);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void theDemoLogReplaysToIdenticalBytes() throws IOException {
    Config demo =
        ConfigFactory.parseResources("conf/demo.conf").withFallback(ConfigFactory.load()).resolve();
    var first = replay("demo-1", ReplayDeterminismTest::demoLog, demo);
    var second = replay("demo-2", ReplayDeterminismTest::demoLog, demo);
    assertThat(first.writes()).isGreaterThan(100);
    assertThat(second.transcript()).isEqualTo(first.transcript());
    assertThat(second.state()).isEqualTo(first.state());
  }

  @Test
  void aSeededSyntheticLogReplaysToIdenticalBytes() throws IOException {
    var params =
        new SyntheticScenario.Params(42, 3, 5, 120, Duration.ofSeconds(60), 40, 0.1, 0.05, 0.05, Logs.T0);
    Config none = ConfigFactory.load();
    var first = replay("synthetic-1", () -> SyntheticScenario.events(params), none);
    var second = replay("synthetic-2", () -> SyntheticScenario.events(params), none);
    assertThat(first.writes()).isGreaterThan(100);
    assertThat(second.transcript()).isEqualTo(first.transcript());
    assertThat(second.state()).isEqualTo(first.state());
  }

  @Test
  void aSyntheticLogWithOutagesAndALostClusterReplaysToIdenticalBytes() throws IOException {
    var params =
        new SyntheticScenario.Params(43, 3, 5, 120, Duration.ofSeconds(60), 40, 0.1, 0.05, 0.05, Logs.T0);
    // consul down 20 s, dns down to the end, cluster-2 lost for 10 s, amid the churn
    var faults = java.util.List.of(
        new LogEvent(Logs.T0.plusSeconds(20), null, io.tributary.eventlog.LogEventType.TARGET_DOWN, null, null, null, "consul"),
        new LogEvent(Logs.T0.plusSeconds(25), "cluster-2", io.tributary.eventlog.LogEventType.CLUSTER_LOST, null, null, null, null),
        new LogEvent(Logs.T0.plusSeconds(35), "cluster-2", io.tributary.eventlog.LogEventType.CLUSTER_BACK, null, null, null, null),
        new LogEvent(Logs.T0.plusSeconds(40), null, io.tributary.eventlog.LogEventType.TARGET_UP, null, null, null, "consul"),
        new LogEvent(Logs.T0.plusSeconds(50), null, io.tributary.eventlog.LogEventType.TARGET_DOWN, null, null, null, "dns"));
    Supplier<Iterator<LogEvent>> events = () -> merged(SyntheticScenario.events(params), faults.iterator());
    Config none = ConfigFactory.load();
    var first = replay("faults-1", events, none);
    var second = replay("faults-2", events, none);
    var without = replay("faults-none", () -> SyntheticScenario.events(params), none);
    assertThat(first.writes()).isGreaterThan(100);
    assertThat(second.transcript()).isEqualTo(first.transcript());
    assertThat(second.state()).isEqualTo(first.state());
    assertThat(first.transcript()).isNotEqualTo(without.transcript()); // the faults did act
  }

  /** Two time-ordered streams as one, {@code a} first at equal instants. */
  private static Iterator<LogEvent> merged(Iterator<LogEvent> a, Iterator<LogEvent> b) {
    return new io.tributary.eventlog.LookaheadIterator<>() {
      private LogEvent nextA = a.hasNext() ? a.next() : null;
      private LogEvent nextB = b.hasNext() ? b.next() : null;

      @Override
      protected LogEvent computeNext() {
        if (nextA == null && nextB == null) {
          return null;
        }
        boolean takeA = nextB == null || (nextA != null && !nextA.at().isAfter(nextB.at()));
        LogEvent e = takeA ? nextA : nextB;
        if (takeA) {
          nextA = a.hasNext() ? a.next() : null;
        } else {
          nextB = b.hasNext() ? b.next() : null;
        }
        return e;
      }
    };
  }

  @Test
  void theStateFileIsSortedAndNamesEveryTarget() throws IOException {
    var params = new SyntheticScenario.Params(7, 2, 2, 10, Duration.ofSeconds(5), 5, 0, 0, 0, Logs.T0);
    String state = new String(replay("small", () -> SyntheticScenario.events(params), ConfigFactory.load()).state());
    assertThat(state).startsWith("{\n  \"consul\" : {").contains("\"dns\" : {").contains("\"traefik\" : { }");
  }
}
