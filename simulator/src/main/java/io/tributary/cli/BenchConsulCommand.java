package io.tributary.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tributary.consul.ConsulRegistration;
import io.tributary.target.Target;
import io.tributary.target.TargetRecord;
import io.tributary.eventlog.EventLogReader;
import io.tributary.eventlog.LogEvent;
import io.tributary.replay.Replay;
import io.tributary.service.PipelineGuardian;
import io.tributary.service.TargetWriters;
import io.tributary.settings.TributarySettings;
import io.tributary.testkit.ConsulDouble;
import io.tributary.plan.PipelineListener;
import io.tributary.watch.WatchBuffer;
import io.tributary.writer.WriteObserver;
import io.tributary.eventlog.EventLogWriter;
import io.tributary.eventlog.LogEventType;
import io.tributary.watch.ObjectKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tributary bench-consul LOG}: the live write path measured end to end. The clusters the log
 * leaves behind are listed to a fresh service as fast as the pipeline takes them, in real time,
 * through the real Consul writer into the in-JVM Consul double (a first start over an empty
 * Consul); it reports how long Consul took to hold exactly what a virtual-time replay of the same
 * list predicts, and how many Consul calls that cost. Then it starts again over the filled Consul
 * (a restart with unchanged clusters) and counts the writes: none should happen.
 */
@Command(
    name = "bench-consul",
    description = "Live-path benchmark: the clusters LOG leaves behind, listed through the real Consul writer into the"
        + " in-JVM Consul double (no Consul binary here) as fast as the pipeline takes them; then a restart over the same state.")
final class BenchConsulCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "LOG", description = "Event log whose final cluster state is listed (see `generate`).")
  Path log;

  @Option(names = "--config", paramLabel = "FILE", description = "HOCON config (consul.http.address is set to the double).")
  Path config;

  @Option(names = "--timeout", defaultValue = "PT10M", description = "Give up after this long (default ${DEFAULT-VALUE}).")
  Duration timeout;

  /** One service start: events offered, time to converge, and the Consul calls it cost. */
  record Run(long events, long convergedMillis, long txns, long nodeRegistrations, long reads, long writes) {}

  /** A first start over an empty Consul and a restart over the filled one. */
  record Result(int registrations, Run first, Run restart) {}

  // null when the suite ({@code bench}) runs it: the suite says which step runs
  @picocli.CommandLine.Mixin ProgressOptions progress;

  @Override
  public Integer call() throws Exception {
    Logging.defaultLevel("WARN");
    Result r = measure();
    System.out.printf("%s: a replay expects %d Consul registrations%n", log.getFileName(), r.registrations());
    print("first start (empty Consul)", r.first());
    print("restart (Consul already right)", r.restart());
    return r.restart().writes() == 0 ? 0 : 1;
  }

  /** Both starts, measured; nothing printed (the suite of {@code bench} calls it too). */
  Result measure() throws Exception {
    List<LogEvent> listed = LiveBench.relist(log);
    Config base = LiveBench.withClusters(ConfigFiles.load(config), listed);
    Map<String, String> expected = signatures(LiveBench.predict(base, listed, log).get(Target.CONSUL));
    try (ConsulDouble consul = ConsulDouble.start(TributarySettings.from(base).consul().datacenter())) {
      Config live = ConfigFactory.parseString("tributary.consul.http.address = \"" + consul.address() + "\"").withFallback(base);
      Run first = run(live, consul, expected, listed);
      consul.clearRequests();
      Run second = run(live, consul, expected, listed);
      return new Result(expected.size(), first, second);
    }
  }

  private static void print(String what, Run r) {
    System.out.printf("%-32s %,d events offered, converged in %,d ms; Consul calls: %d txn, %d node registrations, %d reads, %d writes in all%n",
        what, r.events(), r.convergedMillis(), r.txns(), r.nodeRegistrations(), r.reads(), r.writes());
  }

  private int runs;

  /** {@code events} offered to a fresh service, as fast as it takes them, until Consul holds {@code expected}. */
  private Run run(Config live, ConsulDouble consul, Map<String, String> expected, List<LogEvent> events) throws Exception {
    Instant startedAt = Instant.now();
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Progress bar = progress == null ? Progress.off()
        : progress.start("bench-consul " + (runs++ == 0 ? "first start" : "restart"), expected.size(), "registrations")) {
      return LiveBench.runService(live, "bench-consul", events, timeout, () -> {
        // converged: Consul holds exactly the predicted registrations, and the writer has gone quiet
        for (Map<String, String> held; !(held = signaturesIn(consul, expected.keySet())).equals(expected) || !quiet(consul); ) {
          Map<String, String> now = held;
          long right = expected.entrySet().stream().filter(e -> e.getValue().equals(now.get(e.getKey()))).count();
          bar.step(right, String.format(java.util.Locale.ROOT, "%,d Consul calls", consul.requests().size()));
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("Consul did not converge within " + timeout + ": "
                + mismatch(expected, signaturesIn(consul, expected.keySet())));
          }
          Thread.sleep(20); // polling the double from outside the actor system
        }
        var requests = consul.requests();
        // converged when the writer made its last call (a read, on a restart that writes nothing)
        long converged = Duration.between(startedAt, requests.get(requests.size() - 1).at()).toMillis();
        bar.done();
        return new Run(events.size(), converged, consul.count("PUT", "/v1/txn"), consul.count("PUT", "/v1/catalog/register"),
            consul.count("GET", "/v1/"), consul.writes());
      });
    }
  }

  private static final long QUIET_MILLIS = 500;

  /** The writer has read Consul and made no call for half a second: it has nothing left to do. */
  private static boolean quiet(ConsulDouble consul) {
    var requests = consul.requests();
    return !requests.isEmpty()
        && requests.get(requests.size() - 1).at().isBefore(java.time.Instant.now().minusMillis(QUIET_MILLIS));
  }

  /** The first few keys where Consul differs from the prediction, for the timeout message. */
  private static String mismatch(Map<String, String> expected, Map<String, String> actual) {
    var keys = new TreeSet<String>(expected.keySet());
    keys.addAll(actual.keySet());
    keys.removeIf(k -> java.util.Objects.equals(expected.get(k), actual.get(k)));
    var out = new StringBuilder(keys.size() + " registrations differ");
    keys.stream().limit(3).forEach(k -> out.append("\n  ").append(k).append("\n    expected ")
        .append(expected.get(k)).append("\n    in Consul ").append(actual.get(k)));
    return out.toString();
  }

  private static Map<String, String> signatures(Map<String, TargetRecord> records) {
    Map<String, String> out = new TreeMap<>();
    records.values().forEach(r -> {
      var c = (ConsulRegistration) r;
      out.put(c.key(), c.service() + "|" + c.address() + "|" + c.port() + "|" + c.tags() + "|" + new TreeMap<>(c.meta()));
    });
    return out;
  }

  /** What the double holds on the nodes of {@code keys}, in the same form. */
  private static Map<String, String> signaturesIn(ConsulDouble consul, Set<String> keys) {
    Set<String> nodes = new TreeSet<>();
    keys.forEach(k -> nodes.add(k.substring(0, k.indexOf('/'))));
    Map<String, String> out = new TreeMap<>();
    for (String node : nodes) {
      for (JsonNode s : consul.nodeServices(node)) {
        var tags = new java.util.ArrayList<String>();
        s.path("Tags").forEach(t -> tags.add(t.asText()));
        var meta = new TreeMap<String, String>();
        s.path("Meta").fields().forEachRemaining(e -> meta.put(e.getKey(), e.getValue().asText()));
        out.put(node + "/" + s.path("ID").asText(),
            s.path("Service").asText() + "|" + s.path("Address").asText() + "|" + s.path("Port").asInt() + "|" + tags + "|" + meta);
      }
    }
    return out;
  }
}
