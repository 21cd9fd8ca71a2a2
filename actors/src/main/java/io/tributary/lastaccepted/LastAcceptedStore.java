package io.tributary.lastaccepted;

import io.tributary.plan.ForwardingPipelineListener;
import io.tributary.plan.LastAccepted;
import io.tributary.plan.PipelineListener;
import io.tributary.settings.LastAcceptedSettings;
import io.tributary.translate.Route;
import io.tributary.watch.ObjectKey;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * Keeps the {@code tributary.last-accepted} file in step with the routes in force the pipeline
 * reports ({@link #listening}): starting from what was loaded, it writes the file at most once per
 * {@code write-interval} while something changed, on {@link Flush} (the drain of a clean shutdown),
 * and when stopped. A write that fails is logged and tried again an interval later; the routing
 * never waits for the file. Does blocking file I/O: spawn it on the blocking dispatcher.
 */
public final class LastAcceptedStore extends AbstractBehavior<LastAcceptedStore.Command> {

  /** What the store understands. */
  public sealed interface Command {}

  /** The routes in force of {@code key} are now {@code routes} (none: withdrawn), declared by {@code parts}. */
  public record InForce(ObjectKey key, List<Route> routes, List<String> parts) implements Command {}

  /** Write now if something changed since the last write, then answer. */
  public record Flush(ActorRef<Done> replyTo) implements Command {}

  /** Answer how many times the file has been written since start. */
  public record GetWrites(ActorRef<Integer> replyTo) implements Command {}

  private record WriteDue() implements Command {}

  private final Path file;
  private final Duration writeInterval;
  private final TimerScheduler<Command> timers;
  private final Map<ObjectKey, LastAccepted.ObjectRoutes> inForce;
  private boolean dirty;
  private boolean failing;
  private int writes;

  /** The store of {@code file}, starting from {@code loaded} (what the file held at start). */
  public static Behavior<Command> create(Path file, Duration writeInterval, LastAccepted loaded) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new LastAcceptedStore(ctx, timers, file, writeInterval, loaded)));
  }

  /**
   * The store of the file {@code settings} name, spawned by {@code context} on the blocking
   * dispatcher (it writes a file), or null when {@code tributary.last-accepted} is off.
   */
  public static ActorRef<Command> spawnIfEnabled(ActorContext<?> context, LastAcceptedSettings settings, LastAccepted loaded) {
    return settings.enabled()
        ? context.spawn(create(Path.of(settings.path()), settings.writeInterval(), loaded), "last-accepted", DispatcherSelector.blocking())
        : null;
  }

  /** A listener that tells {@code store} every change of the routes in force, then passes every report on to {@code next}. */
  public static PipelineListener listening(PipelineListener next, ActorRef<Command> store) {
    return new ForwardingPipelineListener(next) {
      @Override
      public void routesInForce(ObjectKey key, List<Route> routes, List<String> parts) {
        store.tell(new InForce(key, routes, parts));
        super.routesInForce(key, routes, parts);
      }
    };
  }

  private LastAcceptedStore(
      ActorContext<Command> context, TimerScheduler<Command> timers, Path file, Duration writeInterval, LastAccepted loaded) {
    super(context);
    this.timers = timers;
    this.file = file;
    this.writeInterval = writeInterval;
    // kept until the routing says otherwise: a restart before every cluster has synced loses nothing
    this.inForce = new TreeMap<>(loaded.objects());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(InForce.class, this::onInForce)
        .onMessage(WriteDue.class, this::onWriteDue)
        .onMessage(Flush.class, this::onFlush)
        .onMessage(GetWrites.class, this::onGetWrites)
        .onSignal(PostStop.class, this::onPostStop)
        .build();
  }

  private Behavior<Command> onInForce(InForce change) {
    if (change.routes().isEmpty()) {
      dirty |= inForce.remove(change.key()) != null;
    } else {
      var next = new LastAccepted.ObjectRoutes(change.routes(), change.parts());
      dirty |= !next.equals(inForce.put(change.key(), next));
    }
    if (dirty && !timers.isTimerActive(WriteDue.class)) {
      // the first change after a write: the ones within the interval are written with it
      timers.startSingleTimer(WriteDue.class, new WriteDue(), writeInterval);
    }
    return this;
  }

  private Behavior<Command> onWriteDue(WriteDue due) {
    if (dirty && !write()) {
      timers.startSingleTimer(WriteDue.class, new WriteDue(), writeInterval);
    }
    return this;
  }

  private Behavior<Command> onFlush(Flush flush) {
    if (dirty && write()) {
      timers.cancel(WriteDue.class);
    }
    flush.replyTo().tell(Done.getInstance());
    return this;
  }

  private Behavior<Command> onGetWrites(GetWrites get) {
    get.replyTo().tell(writes);
    return this;
  }

  private Behavior<Command> onPostStop(PostStop stop) {
    if (dirty) {
      write();
    }
    return this;
  }

  /** Writes the file; false (logged once per run of failures) when it could not be written. */
  private boolean write() {
    try {
      LastAcceptedFile.write(file, new LastAccepted(inForce));
      dirty = false;
      writes++;
      if (failing) {
        getContext().getLog().info("last-accepted file {} written again ({} objects)", file, inForce.size());
        failing = false;
      }
      return true;
    } catch (IOException | RuntimeException e) {
      if (!failing) {
        getContext().getLog().warn("last-accepted file {} cannot be written ({}); retried every {} ms", file, e,
            writeInterval.toMillis());
        failing = true;
      }
      return false;
    }
  }
}
