package io.tributary.replay;

import com.typesafe.config.Config;
import io.tributary.target.Target;
import io.tributary.target.TargetRecord;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import io.tributary.eventlog.LogEvent;
import io.tributary.eventlog.LogEventType;
import io.tributary.eventlog.ReadAhead;
import io.tributary.settings.ConfigChange;
import io.tributary.settings.ConfigVersions;
import io.tributary.settings.SettingsException;
import io.tributary.watch.EventType;
import io.tributary.watch.WatchEvent;
import io.tributary.service.PipelineGuardian;
import io.tributary.settings.TributarySettings;
import io.tributary.time.VirtualTime;
import io.tributary.watch.WatchBuffer;
import io.tributary.service.TargetWriters;
import io.tributary.writer.TargetOutages;
import io.tributary.writer.WriteObserver;
import io.tributary.writer.WriterProtocol;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.SystemMaterializer;

/**
 * Replays an event log through the production pipeline ({@link PipelineGuardian}) into in-memory
 * targets, in virtual time: each event is offered to the watch buffer at its {@code at}, every
 * timer fires at its due virtual instant, and the whole system settles between steps — so the
 * same log and config always give the same transcript and state, however fast the machine.
 */
public final class Replay {

  // wall-clock guard for questions asked of a settled system; they answer in microseconds
  private static final Duration ASK_GUARD = Duration.ofSeconds(30);

  private Replay() {}

  /**
   * Replays {@code events} (time-ordered) with {@code settings}; {@code config} is the full config
   * (Pekko settings included) and {@code observer} sees every write, e.g. a transcript.
   */
  public static ReplayResult run(
      String logName,
      Iterator<LogEvent> events,
      TributarySettings settings,
      Config config,
      WriteObserver observer) {
    return run(logName, events, settings, config, observer, ReplayProgress.NONE);
  }

  /** As {@link #run(String, Iterator, TributarySettings, Config, WriteObserver)}, telling {@code progress} how far it got. */
  public static ReplayResult run(
      String logName,
      Iterator<LogEvent> events,
      TributarySettings settings,
      Config config,
      WriteObserver observer,
      ReplayProgress progress) {
    // the log is decoded on another core while this thread drives the pipeline
    try (ReadAhead<LogEvent> ahead = new ReadAhead<>(events, "tributary-replay-reader")) {
      return replay(logName, ahead, settings, config, observer, progress);
    }
  }

  private static ReplayResult replay(
      String logName,
      Iterator<LogEvent> events,
      TributarySettings settings,
      Config config,
      WriteObserver observer,
      ReplayProgress progress) {
    long wallStart = System.nanoTime();
    ReplayStats stats = new ReplayStats();
    if (!events.hasNext()) {
      return new ReplayResult(logName, emptyState(), stats, Instant.EPOCH, Duration.ZERO, java.util.Set.of());
    }
    LogEvent event = events.next();
    VirtualTime time = new VirtualTime(event.at());
    stats.measureLag(time.clock());
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "tributary-replay", time.bootstrap(config));
    try {
      time.attach(system.classicSystem().scheduler());
      // the system materializer blocks while it starts; start it here, not on the single executor
      SystemMaterializer.get(system).materializer();
      WatchBuffer buffer = new WatchBuffer(stats);
      WriteObserver writes =
          (at, target, change) -> {
            stats.written(at, target, change);
            observer.written(at, target, change);
          };
      TargetOutages outages = new TargetOutages();
      stats.faults().useClock(time.clock());
      stats.timeline().useClock(time.clock());
      // an outage is retried without jitter: the same log retries at the same virtual instants
      Map<Target, Behavior<WriterProtocol.Command>> writers = TargetWriters.inMemory(
          time.clock(), writes.andThen(stats.faults()).andThen(stats.timeline()), outages, settings.writer().withoutJitter());
      CompletableFuture<Done> finished = new CompletableFuture<>();
      ConfigVersions versions = new ConfigVersions(settings);
      ActorRef<PipelineGuardian.Command> guardian =
          system.systemActorOf(
              PipelineGuardian.create(versions, buffer, writers, stats, finished), "pipeline", Props.empty());
      time.settle();
      time.runOnDriver();

      Reconfiguration reconfiguration = new Reconfiguration(config, versions, buffer, stats);
      Faults faults = new Faults(outages, buffer, reconfiguration, stats);
      Instant last = event.at();
      long read = 0;
      while (event != null) {
        time.advanceTo(event.at());
        stats.eventRead(event);
        if (event.type().isWatch()) {
          WatchEvent watched = event.toWatchEvent();
          if (faults.delivers(watched)) { // not while its cluster is lost
            reconfiguration.seen(watched);
            buffer.offer(watched);
            time.settle();
          }
        } else if (event.type() == LogEventType.CONFIG) {
          reconfiguration.apply(event.config());
          time.settle();
        } else {
          faults.apply(event);
          time.settle();
        }
        last = event.at();
        if (++read % ReplayProgress.EVERY == 0 || read == 1) {
          progress.advanced(read, last);
        }
        event = events.hasNext() ? events.next() : null;
      }
      progress.advanced(read, last);
      // every debounce window closes by last + max(quiet, max-delay); let them close on time
      TributarySettings latest = versions.get(versions.latest());
      Duration tail = max(max(settings.debounce().quiet(), settings.debounce().maxDelay()),
          max(latest.debounce().quiet(), latest.debounce().maxDelay()));
      time.advanceTo(last.plus(tail));
      if (stats.dampedNow() > 0) {
        // and every flap-damping hold by last + max-hold: its release is written when it would be
        time.advanceTo(last.plus(max(settings.debounce().longestHold(), latest.debounce().longestHold())));
      }
      buffer.complete();
      time.settle();
      if (!finished.isDone()) {
        throw new IllegalStateException("the pipeline did not drain after the log ended");
      }
      finished.join(); // rethrows a pipeline failure
      faults.drain(time, settings.writer());
      Map<Target, SortedMap<String, TargetRecord>> state = finalState(system, guardian, time);
      return new ReplayResult(
          logName, state, stats, time.now(), Duration.ofNanos(System.nanoTime() - wallStart), time.foreignSubmitters());
    } finally {
      time.runOnWorker();
      system.terminate();
      try {
        system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        // terminating is best effort; the replay's result is already complete
      }
      time.shutdown();
    }
  }

  /**
   * The replay's side of a reload: a CONFIG event's HOCON is laid over the running config,
   * validated as the service validates a reload, and applied at its virtual time — the marker
   * first, then (after a change of translation) every live object again, in key order, as the
   * service's watchers hand theirs over. A refused CONFIG is counted and the running config stays.
   */
  private static final class Reconfiguration {
    private Config running;
    private final ConfigVersions versions;
    private final WatchBuffer buffer;
    private final ReplayStats stats;
    // compact JSON, not the parsed tree: a tree costs ~10 KB an object, which at 10^5 objects is
    // most of the heap; read back only when a reload replays them, sorted then (it changes on every event)
    private final Map<io.tributary.watch.ObjectKey, Kept> live = new java.util.HashMap<>();
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** A live object as last seen. */
    private record Kept(String resourceVersion, byte[] json) {}

    Reconfiguration(Config initial, ConfigVersions versions, WatchBuffer buffer, ReplayStats stats) {
      this.running = initial;
      this.versions = versions;
      this.buffer = buffer;
      this.stats = stats;
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode parsed(Kept kept) {
      try {
        return (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(kept.json());
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException("what was serialized parses", e);
      }
    }

    /** The keys of every object the replay has seen and not seen deleted. */
    java.util.Set<io.tributary.watch.ObjectKey> liveKeys() {
      return live.keySet();
    }

    void seen(WatchEvent event) {
      if (event.type() == EventType.DELETED) {
        live.remove(event.key());
      } else if (!event.isSynced() && event.object() != null) {
        try {
          live.put(event.key(), new Kept(event.resourceVersion(), JSON.writeValueAsBytes(event.object())));
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException("a parsed object always serializes", e);
        }
      }
    }

    void apply(String hocon) {
      Config next;
      TributarySettings settings;
      try {
        next = ConfigFactory.parseString(hocon, ConfigParseOptions.defaults().setOriginDescription("CONFIG event"))
            .withFallback(running).resolve();
        settings = TributarySettings.from(next);
      } catch (SettingsException e) {
        stats.configRefused(String.join("; ", e.problems()));
        return;
      } catch (com.typesafe.config.ConfigException e) {
        stats.configRefused(e.getMessage());
        return;
      }
      ConfigChange change = ConfigChange.between(running, next);
      // in-memory targets: only the owner id cannot change; connection settings mean nothing here
      if (change.changed().containsKey("owner-id")) {
        stats.configRefused("owner-id cannot change while running");
        return;
      }
      running = next;
      if (change.isEmpty()) {
        stats.configUnchanged();
        return;
      }
      long version = versions.add(settings);
      stats.configApplied(version, change.changed().keySet());
      buffer.offer(WatchEvent.reconfigured(version));
      if (change.retranslates()) {
        new java.util.TreeMap<>(live).forEach((key, kept) -> buffer.offer(new WatchEvent(key, EventType.MODIFIED, kept.resourceVersion(), parsed(kept))));
      }
    }
  }

  /**
   * The replay's side of the log's fault events, as the live service meets the faults they stand
   * for. {@code TARGET_DOWN} takes an in-memory target down ({@link TargetOutages}): its writer fails
   * and retries with the writer's backoff until {@code TARGET_UP}, delaying changes, never dropping
   * them. {@code CLUSTER_LOST} is a cluster whose watches are down: reported {@code disconnected},
   * its records stay and nothing of it is delivered (the log's events of it meanwhile are not seen);
   * after {@code CLUSTER_BACK} the following events are its relist, and each kind's SYNCED marker
   * first deletes that kind's objects which were not listed again, as a relisting watcher does.
   */
  private static final class Faults {
    private final TargetOutages outages;
    private final WatchBuffer buffer;
    private final Reconfiguration reconfiguration;
    private final ReplayStats stats;
    private final ReplayFaults record;
    private final Map<String, java.util.Set<String>> syncedKinds = new java.util.HashMap<>();
    private final java.util.Set<String> lost = new java.util.HashSet<>();
    private final Map<String, Relist> relisting = new java.util.HashMap<>();

    /** A cluster listing again: the kinds still to list, and the objects listed so far. */
    private record Relist(java.util.Set<String> waitingFor, java.util.Set<io.tributary.watch.ObjectKey> listed) {}

    Faults(TargetOutages outages, WatchBuffer buffer, Reconfiguration reconfiguration, ReplayStats stats) {
      this.outages = outages;
      this.buffer = buffer;
      this.reconfiguration = reconfiguration;
      this.stats = stats;
      this.record = stats.faults();
    }

    /** Whether {@code event} reaches the pipeline: not while its cluster is lost. */
    boolean delivers(WatchEvent event) {
      String cluster = event.key().cluster();
      if (!lost.isEmpty() && lost.contains(cluster)) {
        record.unseen(cluster);
        return false;
      }
      if (event.isSynced()) {
        syncedKinds.computeIfAbsent(cluster, c -> new java.util.TreeSet<>()).add(event.key().kind());
      }
      Relist relist = relisting.isEmpty() ? null : relisting.get(cluster);
      if (relist == null) {
        return true;
      }
      if (!event.isSynced()) {
        if (event.type() != EventType.DELETED && relist.listed().add(event.key())) {
          record.relisted(cluster);
        }
        return true;
      }
      String kind = event.key().kind();
      // what was not listed again was deleted while the watch was down: say so before the marker
      var gone = new java.util.ArrayList<io.tributary.watch.ObjectKey>();
      for (var key : reconfiguration.liveKeys()) {
        if (key.cluster().equals(cluster) && kind.equals(kindOf(key)) && !relist.listed().contains(key)) {
          gone.add(key);
        }
      }
      for (var key : gone) {
        WatchEvent deleted = new WatchEvent(key, EventType.DELETED, null, null);
        reconfiguration.seen(deleted);
        buffer.offer(deleted);
      }
      record.deletedOnRelist(cluster, gone.size());
      relist.waitingFor().remove(kind);
      if (relist.waitingFor().isEmpty()) {
        relisting.remove(cluster);
        record.resynced(cluster, stats.lastAt()); // the marker's own instant
        stats.clusterState(cluster, "synced", "");
      }
      return true;
    }

    private static String kindOf(io.tributary.watch.ObjectKey key) {
      return io.tributary.kind.ResourceKind.ofKey(key.kind()).map(io.tributary.kind.ResourceKind::kind).orElse(key.kind());
    }

    /** Acts on a TARGET_DOWN, TARGET_UP, CLUSTER_LOST or CLUSTER_BACK. */
    void apply(LogEvent event) {
      switch (event.type()) {
        case TARGET_DOWN, TARGET_UP -> {
          Target target = java.util.Arrays.stream(Target.values())
              .filter(t -> t.id().equalsIgnoreCase(event.target())).findFirst().orElse(null);
          if (target == null) {
            record.ignored(event.at() + " " + event.type() + ": unknown target '" + event.target()
                + "' (one of consul, dns, traefik)");
          } else if ((event.type() == LogEventType.TARGET_DOWN) == outages.isDown(target)) {
            record.ignored(event.at() + " " + event.type() + ": " + target.id() + " is already "
                + (outages.isDown(target) ? "down" : "up"));
          } else if (event.type() == LogEventType.TARGET_DOWN) {
            outages.down(target);
            record.targetDown(target, event.at());
          } else {
            outages.up(target);
            record.targetUp(target, event.at());
          }
        }
        case CLUSTER_LOST -> {
          if (!lost.add(event.cluster())) {
            record.ignored(event.at() + " CLUSTER_LOST: " + event.cluster() + " is already lost");
            return;
          }
          relisting.remove(event.cluster()); // lost again before its relist ended: the next one starts afresh
          record.clusterLost(event.cluster(), event.at());
          stats.clusterState(event.cluster(), "disconnected", "CLUSTER_LOST in the event log");
        }
        case CLUSTER_BACK -> {
          if (!lost.remove(event.cluster())) {
            record.ignored(event.at() + " CLUSTER_BACK: " + event.cluster() + " is not lost");
            return;
          }
          relisting.put(event.cluster(), new Relist(
              new java.util.TreeSet<>(syncedKinds.getOrDefault(event.cluster(), java.util.Set.of())), new java.util.HashSet<>()));
          record.clusterBack(event.cluster(), event.at());
          stats.clusterState(event.cluster(), "starting", "CLUSTER_BACK in the event log: relisting");
        }
        default -> throw new IllegalArgumentException(event.type() + " is not a fault event");
      }
    }

    /**
     * After the log: lets each writer whose target answers again write what it still holds, at
     * the instants its backoff and linger say (a target still down keeps its changes pending).
     */
    void drain(VirtualTime time, io.tributary.settings.WriterSettings writer) {
      Duration horizon = writer.maxBackoff().multipliedBy(2).plus(writer.linger()).plusMillis(1);
      while (record.draining()) {
        var next = time.nextTimer();
        if (next.isEmpty() || next.get().isAfter(time.now().plus(horizon))) {
          return; // nothing due that could write: the summary shows what stays pending
        }
        time.advanceTo(next.get());
        time.settle();
      }
    }
  }

  private static Map<Target, SortedMap<String, TargetRecord>> finalState(
      ActorSystem<Void> system, ActorRef<PipelineGuardian.Command> guardian, VirtualTime time) {
    PipelineGuardian.Writers writers =
        await(AskPattern.ask(guardian, PipelineGuardian.GetWriters::new, ASK_GUARD, system.scheduler()), time);
    Map<Target, SortedMap<String, TargetRecord>> state = new EnumMap<>(Target.class);
    for (var e : writers.byTarget().entrySet()) {
      WriterProtocol.State s =
          await(AskPattern.ask(e.getValue(), WriterProtocol.GetState::new, ASK_GUARD, system.scheduler()), time);
      state.put(e.getKey(), s.records());
    }
    return state;
  }

  private static <T> T await(CompletionStage<T> stage, VirtualTime time) {
    time.settle();
    try {
      return stage.toCompletableFuture().get(ASK_GUARD.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("replay could not read the final target state", e);
    }
  }

  private static Map<Target, SortedMap<String, TargetRecord>> emptyState() {
    Map<Target, SortedMap<String, TargetRecord>> state = new EnumMap<>(Target.class);
    for (Target t : Target.values()) {
      state.put(t, new java.util.TreeMap<>());
    }
    return state;
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
