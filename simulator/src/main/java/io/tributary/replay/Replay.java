package io.tributary.replay;

import com.typesafe.config.Config;
import io.tributary.target.Target;
import io.tributary.target.TargetRecord;
import io.tributary.eventlog.LogEvent;
import io.tributary.service.PipelineGuardian;
import io.tributary.settings.TributarySettings;
import io.tributary.time.VirtualTime;
import io.tributary.watch.WatchBuffer;
import io.tributary.service.TargetWriters;
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
    long wallStart = System.nanoTime();
    ReplayStats stats = new ReplayStats();
    if (!events.hasNext()) {
      return new ReplayResult(logName, emptyState(), stats, Instant.EPOCH, Duration.ZERO, java.util.Set.of());
    }
    LogEvent event = events.next();
    VirtualTime time = new VirtualTime(event.at());
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
      Map<Target, Behavior<WriterProtocol.Command>> writers = TargetWriters.inMemory(time.clock(), writes);
      CompletableFuture<Done> finished = new CompletableFuture<>();
      ActorRef<PipelineGuardian.Command> guardian =
          system.systemActorOf(
              PipelineGuardian.create(settings, buffer, writers, stats, finished), "pipeline", Props.empty());
      time.settle();

      Instant last = event.at();
      while (event != null) {
        time.advanceTo(event.at());
        stats.eventRead(event);
        if (event.type().isWatch()) {
          buffer.offer(event.toWatchEvent());
          time.settle();
        }
        last = event.at();
        event = events.hasNext() ? events.next() : null;
      }
      // every debounce window closes by last + max(quiet, max-delay); let them close on time
      Duration tail = max(settings.debounce().quiet(), settings.debounce().maxDelay());
      time.advanceTo(last.plus(tail));
      buffer.complete();
      time.settle();
      if (!finished.isDone()) {
        throw new IllegalStateException("the pipeline did not drain after the log ended");
      }
      finished.join(); // rethrows a pipeline failure
      Map<Target, SortedMap<String, TargetRecord>> state = finalState(system, guardian, time);
      return new ReplayResult(
          logName, state, stats, time.now(), Duration.ofNanos(System.nanoTime() - wallStart), time.foreignSubmitters());
    } finally {
      system.terminate();
      try {
        system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        // terminating is best effort; the replay's result is already complete
      }
      time.shutdown();
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
