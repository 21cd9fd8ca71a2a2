package io.tributary.time;

import java.util.function.LongSupplier;
import org.apache.pekko.actor.Scheduler;

/**
 * "Now" on the clock a Pekko scheduler runs its timers on, for stages that do arithmetic with time
 * between their timers: the virtual clock of a {@link VirtualScheduler} (deterministic in replays
 * and tests), else {@link System#nanoTime()}, which Pekko's own scheduler ticks by.
 */
public final class SchedulerTime {
  private SchedulerTime() {}

  /** Nanoseconds on the clock of the scheduler {@code materializer}'s timers run on. */
  public static LongSupplier nanoTime(org.apache.pekko.stream.Materializer materializer) {
    return nanoTime(materializer.system().scheduler()); // the actor system stays inside this package
  }

  /** Nanoseconds on {@code scheduler}'s clock, from an arbitrary origin. */
  public static LongSupplier nanoTime(Scheduler scheduler) {
    if (scheduler instanceof VirtualScheduler v) {
      return v::nowNanos;
    }
    return System::nanoTime;
  }
}
