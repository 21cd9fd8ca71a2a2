package io.tributary.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.tributary.eventlog.EventLogReader;
import io.tributary.eventlog.LogEvent;
import io.tributary.eventlog.LogEventType;
import io.tributary.settings.TributarySettings;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The demo scenario's contents, its bundle, its configs, and the synthetic generator. */
class ScenarioTest {

  @Test
  void theBundledDemoLogIsExactlyWhatTheGeneratorProduces() throws IOException {
    // compared as written lines: a re-read object holds IntNodes where the generator made LongNodes
    List<String> bundled = new ArrayList<>();
    try (var r = EventLogReader.open(getClass().getClassLoader().getResourceAsStream("demo/demo-events.jsonl.gz"), "demo", false)) {
      r.forEachRemaining(e -> bundled.add(line(e)));
    }
    assertThat(bundled)
        .as("the bundle drifted from DemoScenario; regenerate it with"
            + " `./tributary generate --demo --out simulator/src/main/resources/demo/demo-events.jsonl.gz`")
        .isEqualTo(DemoScenario.events().stream().map(ScenarioTest::line).toList());
  }

  private static String line(LogEvent e) {
    var bytes = new java.io.ByteArrayOutputStream();
    try (var w = io.tributary.eventlog.EventLogWriter.to(bytes, false)) {
      w.write(e);
    } catch (IOException ex) {
      throw new java.io.UncheckedIOException(ex);
    }
    return bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  void theDemoHasThreeClustersFortyIngressesSixNamespacesAndTheChurnTheIssueAsksFor() {
    var events = DemoScenario.events();
    Set<String> clusters = new HashSet<>();
    Set<String> objects = new HashSet<>();
    Set<String> namespaces = new HashSet<>();
    for (LogEvent e : events) {
      clusters.add(e.cluster());
      if (e.object() != null) {
        var meta = e.object().path("metadata");
        objects.add(e.cluster() + "/" + meta.path("namespace").asText() + "/" + meta.path("name").asText());
        namespaces.add(meta.path("namespace").asText());
      }
    }
    assertThat(clusters).containsExactlyInAnyOrder("eu-1", "eu-2", "us-1");
    assertThat(objects).hasSizeGreaterThanOrEqualTo(40);
    assertThat(namespaces).hasSizeGreaterThanOrEqualTo(6);
    assertThat(events).filteredOn(e -> e.type() == LogEventType.SYNCED).hasSize(3 * 5); // every watched kind
    assertThat(events).filteredOn(e -> e.type() == LogEventType.DELETED).isNotEmpty();
    for (int i = 1; i < events.size(); i++) {
      assertThat(events.get(i).at()).isAfterOrEqualTo(events.get(i - 1).at());
    }
    // the burst: 1 000 updates of one object within 100 ms
    var burst = events.stream().filter(e -> e.object() != null && "autocomplete".equals(e.object().path("metadata").path("name").asText())
        && e.type() == LogEventType.MODIFIED).toList();
    assertThat(burst).hasSize(1000);
    assertThat(Duration.between(burst.get(0).at(), burst.get(999).at())).isLessThan(Duration.ofMillis(100));
    // the hostname moving clusters
    assertThat(events).anySatisfy(e -> {
      assertThat(e.cluster()).isEqualTo("us-1");
      assertThat(e.type()).isEqualTo(LogEventType.ADDED);
      assertThat(e.object().toString()).contains("catalog.example.org");
    });
  }

  @Test
  void theShippedConfigsAreValidAndTheReferenceMatchesTheBuiltInDefaults() {
    var demo = ConfigFactory.parseResources("conf/demo.conf").withFallback(ConfigFactory.load()).resolve();
    assertThat(TributarySettings.from(demo).clusters()).containsOnlyKeys("eu-1", "eu-2", "us-1");
    var reference = ConfigFactory.parseResources("conf/reference.conf").resolve();
    assertThat(reference.getConfig("tributary").root().unwrapped())
        .as("conf/reference.conf must document exactly the built-in defaults")
        .isEqualTo(ConfigFactory.defaultReference().getConfig("tributary").root().unwrapped());
  }

  @Test
  void theDeployConfigMapCarriesAValidConfig() throws IOException {
    String yaml = java.nio.file.Files.readString(java.nio.file.Path.of("../deploy/configmap.yaml"));
    String conf = yaml.substring(yaml.indexOf("tributary.conf: |") + "tributary.conf: |".length())
        .lines().map(l -> l.length() >= 4 ? l.substring(4) : l).collect(java.util.stream.Collectors.joining("\n"));
    var settings = TributarySettings.from(ConfigFactory.parseString(conf).withFallback(ConfigFactory.load()).resolve());
    assertThat(settings.clusters()).containsOnlyKeys("local", "eu-2", "us-1");
    assertThat(settings.clusters().get("local").inCluster()).isTrue();
    assertThat(settings.recordTo().enabled()).isTrue();
  }

  @Test
  void syntheticLogsAreSeededAndLazy() {
    var p = new SyntheticScenario.Params(3, 3, 4, 300, Duration.ofMinutes(30), 100, 0.05, 0.02, 0.01, Logs.T0);
    var a = SyntheticScenario.events(p);
    var b = SyntheticScenario.events(p);
    long n = 0;
    LogEvent previous = null;
    while (a.hasNext()) {
      LogEvent x = a.next();
      assertThat(x).isEqualTo(b.next());
      if (previous != null) {
        assertThat(x.at()).isAfterOrEqualTo(previous.at());
      }
      previous = x;
      n++;
    }
    assertThat(b.hasNext()).isFalse();
    assertThat(n).isGreaterThan(150_000); // 30 min × 100/s, generated without a list
    var other = SyntheticScenario.events(new SyntheticScenario.Params(4, 3, 4, 300, Duration.ofMinutes(1), 100, 0.05, 0.02, 0.01, Logs.T0));
    var again = SyntheticScenario.events(p);
    boolean differs = false;
    for (int i = 0; i < 2000 && other.hasNext(); i++) {
      differs |= !other.next().equals(again.next());
    }
    assertThat(differs).isTrue();
  }

  @Test
  void aLogOfTenClustersWithTenThousandObjectsEachIsTimeOrderedAndReplays(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws IOException {
    // 10 000 objects per cluster: each list takes 2 s, so the next one starts 2 s later, not 1 s (time ordered)
    var p = new SyntheticScenario.Params(7, 10, 8, 100_000, Duration.ZERO, 0, 0.05, 0.02, 0.01, Logs.T0);
    java.nio.file.Path log = dir.resolve("large.jsonl.gz");
    assertThat(SyntheticScenario.write(p, log)).isEqualTo(100_010);
    ReplayResult result;
    try (var reader = EventLogReader.open(log, false)) { // the reader refuses a line earlier than the one before
      result = Replay.run("large", reader, TributarySettings.from(ConfigFactory.load()), ConfigFactory.load(),
          io.tributary.writer.WriteObserver.NONE);
    }
    assertThat(result.stats().eventsRead()).isEqualTo(100_010);
    assertThat(result.stats().objects()).isEqualTo(100_000);
    assertThat(result.state().get(io.tributary.target.Target.CONSUL)).hasSize(100_000);
  }

  @Test
  void listsOfUpToFiveThousandObjectsStillStartOneSecondApart() {
    // the existing logs (seed 2: 400 per cluster) stay byte-identical
    assertThat(SyntheticScenario.listStrideMillis(new SyntheticScenario.Params(2, 5, 8, 2000, Duration.ZERO, 0, 0, 0, 0, Logs.T0)))
        .isEqualTo(1000);
    assertThat(SyntheticScenario.listStrideMillis(new SyntheticScenario.Params(2, 2, 8, 10_000, Duration.ZERO, 0, 0, 0, 0, Logs.T0)))
        .isEqualTo(1000);
    assertThat(SyntheticScenario.listStrideMillis(new SyntheticScenario.Params(2, 2, 8, 10_002, Duration.ZERO, 0, 0, 0, 0, Logs.T0)))
        .isEqualTo(2000);
  }

  @Test
  void aFlappingLogTogglesItsFlappersEveryPeriodBackToWhereTheyBeganAndChangesEveryOtherObjectOnce() {
    // 40 objects serve 26 hosts; with 3 clusters no two objects share a cluster, namespace and name
    var p = new SyntheticScenario.Params(1, 3, 4, 40, Duration.ZERO, 0, 0, 0, 0, Logs.T0);
    List<LogEvent> events = new ArrayList<>();
    SyntheticScenario.flapping(p, 4, 5, Duration.ofSeconds(1)).forEachRemaining(events::add);
    var phase = events.stream().filter(e -> !e.at().isBefore(SyntheticScenario.phaseStart(p))).toList();
    assertThat(events.subList(0, 43)).allMatch(e -> e.at().isBefore(SyntheticScenario.phaseStart(p))); // lists
    assertThat(phase).hasSize(4 * 6 + 36).allMatch(e -> e.type() == LogEventType.MODIFIED); // 5 toggles → 6
    for (int i = 1; i < events.size(); i++) {
      assertThat(events.get(i).at()).isAfterOrEqualTo(events.get(i - 1).at());
    }
    java.util.Map<String, List<LogEvent>> byObject = new java.util.TreeMap<>();
    phase.forEach(e -> byObject.computeIfAbsent(e.cluster() + "/" + e.object().path("metadata").path("name").asText(),
        k -> new ArrayList<>()).add(e));
    java.util.Map<String, LogEvent> initial = new java.util.HashMap<>();
    events.subList(0, 43).stream().filter(e -> e.object() != null)
        .forEach(e -> initial.put(e.cluster() + "/" + e.object().path("metadata").path("name").asText(), e));
    long flapping = byObject.values().stream().filter(l -> l.size() == 6).count();
    assertThat(flapping).isEqualTo(4);
    byObject.forEach((k, changes) -> {
      var spec = initial.get(k).object().path("spec");
      var last = changes.get(changes.size() - 1).object().path("spec");
      if (changes.size() == 6) { // a flapper: every toggle differs from the one before, the last is where it began
        assertThat(last).isEqualTo(spec);
        assertThat(Duration.between(changes.get(0).at(), changes.get(1).at())).isEqualTo(Duration.ofSeconds(1));
        assertThat(changes.get(0).object().path("spec")).isNotEqualTo(spec);
      } else {
        assertThat(changes).hasSize(1);
        assertThat(last).isNotEqualTo(spec);
      }
    });
  }

  @Test
  void aNoOpLogBumpsOnlyResourceVersionsAndWritesNothingAfterTheLists() {
    var p = new SyntheticScenario.Params(1, 2, 4, 40, Duration.ofSeconds(20), 10, 0, 0, 0, Logs.T0);
    var writes = new java.util.concurrent.atomic.AtomicLong();
    Instant churn = SyntheticScenario.churnStart(p);
    io.tributary.writer.WriteObserver counting = (at, target, change) -> {
      if (!at.isBefore(churn.plusSeconds(3))) { // the lists' last debounce windows have closed
        writes.incrementAndGet();
      }
    };
    var result = Replay.run("noop", SyntheticScenario.noOp(p), TributarySettings.from(ConfigFactory.load()), ConfigFactory.load(), counting);
    assertThat(result.stats().eventsByType().get(LogEventType.MODIFIED)).isGreaterThan(150);
    assertThat(result.stats().debounced()).isGreaterThan(150);
    assertThat(writes.get()).isZero();
  }
}
