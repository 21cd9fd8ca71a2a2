package io.tributary.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tributary.target.Target;
import io.tributary.target.TargetRecord;
import io.tributary.eventlog.EventLogReader;
import io.tributary.eventlog.EventLogWriter;
import io.tributary.eventlog.LogEvent;
import io.tributary.eventlog.LogEventType;
import io.tributary.replay.Replay;
import io.tributary.service.PipelineGuardian;
import io.tributary.service.TargetWriters;
import io.tributary.settings.ClusterEndpoints;
import io.tributary.settings.TributarySettings;
import io.tributary.watch.ObjectKey;
import io.tributary.plan.PipelineListener;
import io.tributary.watch.WatchBuffer;
import io.tributary.writer.WriteObserver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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

/** What the live-path benchmarks share: the list they offer, its prediction, and a service run. */
final class LiveBench {
  private LiveBench() {}

  /**
   * What the watchers' initial list shows over the clusters {@code log} leaves behind: each
   * object's final state (as ADDED), then every SYNCED marker, all at the log's first instant. The
   * live path debounces in real time, so offering the log's history at full speed would coalesce
   * versions a virtual-time replay keeps apart (a good version followed by a malformed one), and
   * the two could not be compared.
   */
  static List<LogEvent> relist(Path log) throws IOException {
    var objects = new LinkedHashMap<ObjectKey, LogEvent>();
    var synced = new LinkedHashMap<String, LogEvent>();
    Instant first = null;
    try (EventLogReader reader = EventLogReader.open(log, false)) {
      while (reader.hasNext()) {
        LogEvent e = reader.next();
        if (!e.type().isWatch()) {
          continue;
        }
        first = first == null ? e.at() : first;
        if (e.type() == LogEventType.SYNCED) {
          synced.put(e.cluster() + "/" + e.kind(), LogEvent.synced(first, e.cluster(), e.kind()));
        } else if (e.type() == LogEventType.DELETED) {
          objects.remove(e.toWatchEvent().key());
        } else {
          objects.put(e.toWatchEvent().key(), LogEvent.watch(first, e.cluster(), LogEventType.ADDED, e.object()));
        }
      }
    }
    var out = new ArrayList<>(objects.values());
    out.addAll(synced.values());
    return out;
  }

  /**
   * {@code config} naming every cluster of {@code listed} (with the kinds it lists), as a live
   * service's config does: a cluster known only from its events would let the sync barrier open
   * before the others had listed, and a restart would delete their records.
   */
  static Config withClusters(Config config, List<LogEvent> listed) {
    return withClusters(config, listed, cluster -> ClusterEndpoints.defaultFor(cluster).addresses().get(0));
  }

  /** As {@link #withClusters(Config, List)}, each added cluster's endpoint being {@code address.apply(cluster)}. */
  static Config withClusters(Config config, List<LogEvent> listed, java.util.function.Function<String, String> address) {
    TributarySettings settings = TributarySettings.from(config);
    Map<String, Set<String>> kinds = new TreeMap<>();
    listed.stream().filter(e -> e.type() == LogEventType.SYNCED)
        .forEach(e -> kinds.computeIfAbsent(e.cluster(), c -> new TreeSet<>()).add(e.kind()));
    var extra = new StringBuilder();
    kinds.forEach((cluster, k) -> {
      if (!settings.clusters().containsKey(cluster)) {
        extra.append("tributary.clusters.\"").append(cluster).append("\" { kinds = ")
            .append(k.stream().map(x -> "\"" + x + "\"").toList())
            .append(", endpoints { type = load-balancer, addresses = [\"").append(address.apply(cluster))
            .append("\"], port = 80 } }\n");
      }
    });
    return ConfigFactory.parseString(extra.toString()).withFallback(config).resolve();
  }

  /** What a virtual-time replay predicts for {@code listed} arriving at one instant, as the benchmarks offer it. */
  static Map<Target, java.util.SortedMap<String, TargetRecord>> predict(Config base, List<LogEvent> listed, Path log) throws IOException {
    Path snapshot = Files.createTempFile("tributary-bench-", ".jsonl");
    try {
      try (EventLogWriter writer = EventLogWriter.open(snapshot)) {
        listed.forEach(writer::write);
      }
      try (EventLogReader reader = EventLogReader.open(snapshot, false)) {
        return Replay.run(log.getFileName().toString(), reader, TributarySettings.from(base), base, WriteObserver.NONE).state();
      }
    } finally {
      Files.deleteIfExists(snapshot);
    }
  }

  /**
   * Starts the service's pipeline with the writers {@code live} configures, offers {@code events}
   * as fast as it takes them, and answers what {@code converged} (which waits) answers.
   */
  static <T> T runService(Config live, String name, List<LogEvent> events, Duration timeout, Callable<T> converged)
      throws Exception {
    TributarySettings settings = TributarySettings.from(live);
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), name, live);
    try {
      WatchBuffer buffer = new WatchBuffer(PipelineListener.NONE);
      CompletableFuture<Done> finished = new CompletableFuture<>();
      system.systemActorOf(
          PipelineGuardian.create(new io.tributary.settings.ConfigVersions(settings), buffer, TargetWriters.from(settings, WriteObserver.NONE), PipelineListener.NONE, finished),
          "pipeline", Props.empty());
      events.forEach(e -> buffer.offer(e.toWatchEvent()));
      T result = converged.call();
      buffer.complete();
      finished.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return result;
    } finally {
      // pools first: a pool torn down by the terminating system logs an error for nothing
      org.apache.pekko.http.javadsl.Http.get(system).shutdownAllConnectionPools().toCompletableFuture().get(10, TimeUnit.SECONDS);
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
