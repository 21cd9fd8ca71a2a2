package io.tributary.time;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import org.apache.pekko.actor.BootstrapSetup;
import org.apache.pekko.dispatch.ExecutionContexts;

/**
 * The simulator's clock: an actor system set up with a {@link VirtualScheduler} and a
 * {@link QuiescentExecutor} runs only when told to, and virtual time moves only through {@link
 * #advanceTo}. Create one per actor system: build the system from {@link #bootstrap(Config)}, then
 * {@link #attach(org.apache.pekko.actor.Scheduler)} its scheduler.
 */
public final class VirtualTime {

  private final Instant origin;
  private final QuiescentExecutor executor;
  private VirtualScheduler scheduler;

  /** Virtual time starts at {@code origin} (a replay's first event). */
  public VirtualTime(Instant origin) {
    this.origin = origin;
    this.executor = new QuiescentExecutor("tributary-virtual-time");
  }

  /**
   * The actor-system config and execution context that put every dispatcher on the quiescent
   * executor and the scheduler on virtual time. {@code base} supplies everything else.
   */
  public BootstrapSetup bootstrap(Config base) {
    Config virtual =
        ConfigFactory.parseString(
            """
            pekko.scheduler.implementation = "io.tributary.time.VirtualScheduler"
            # every dispatcher uses the provided execution context: one thread, one order
            pekko.actor.default-dispatcher.executor = "default-executor"
            pekko.actor.internal-dispatcher.executor = "default-executor"
            pekko.actor.default-blocking-io-dispatcher.executor = "default-executor"
            pekko.stream.materializer.blocking-io-dispatcher = "pekko.actor.default-dispatcher"
            pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
            pekko.jvm-shutdown-hooks = off
            """);
    return BootstrapSetup.create(
        Optional.empty(),
        Optional.of(virtual.withFallback(base)),
        Optional.of(ExecutionContexts.fromExecutorService(executor)));
  }

  /** Connects to the scheduler Pekko built for the system created from {@link #bootstrap}. */
  public void attach(org.apache.pekko.actor.Scheduler systemScheduler) {
    if (!(systemScheduler instanceof VirtualScheduler v)) {
      throw new IllegalStateException(
          "actor system was not created from VirtualTime.bootstrap(): scheduler is " + systemScheduler.getClass());
    }
    this.scheduler = v;
  }

  /**
   * From here on the calling thread (the one that created this) runs the system's work itself
   * whenever it settles, instead of handing each task to the worker; see {@link
   * QuiescentExecutor#runOnDriver()}. Call {@link #runOnWorker()} before terminating the system.
   */
  public void runOnDriver() {
    executor.runOnDriver();
  }

  /** Gives the system's work back to the worker thread. */
  public void runOnWorker() {
    executor.runOnWorker();
  }

  /** Waits until every actor and stream has finished reacting to what happened so far. */
  public void settle() {
    executor.awaitQuiescence();
  }

  /** Runs every timer due up to {@code instant} (settling after each) and sets the clock there. */
  public void advanceTo(Instant instant) {
    long target = Duration.between(origin, instant).toNanos();
    settle();
    scheduler().advanceTo(target, this::settle);
  }

  /** {@link #advanceTo} {@code now() + d}. */
  public void advanceBy(Duration d) {
    advanceTo(now().plus(d));
  }

  /** The current virtual instant. */
  public Instant now() {
    return origin.plusNanos(scheduler().nowNanos());
  }

  /** Due instant of the earliest pending timer, if any. */
  public Optional<Instant> nextTimer() {
    long due = scheduler().nextDueNanos();
    return due == Long.MAX_VALUE ? Optional.empty() : Optional.of(origin.plusNanos(due));
  }

  /** A {@link Clock} reading virtual time, for components that timestamp what they do. */
  public Clock clock() {
    return new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now();
      }
    };
  }

  /** Threads that handed work to the actor system behind virtual time's back (should be none). */
  public java.util.Set<String> foreignSubmitters() {
    return executor.foreignSubmitters();
  }

  /** Stops the executor thread; call after the actor system terminated. */
  public void shutdown() {
    executor.shutdownNow();
  }

  private VirtualScheduler scheduler() {
    if (scheduler == null) {
      throw new IllegalStateException("VirtualTime.attach() was not called");
    }
    return scheduler;
  }
}
