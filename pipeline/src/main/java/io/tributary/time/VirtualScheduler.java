package io.tributary.time;

import com.typesafe.config.Config;
import java.io.Closeable;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.ThreadFactory;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.Scheduler;
import org.apache.pekko.event.LoggingAdapter;
import scala.concurrent.ExecutionContext;
import scala.concurrent.duration.FiniteDuration;

/**
 * A Pekko scheduler on a virtual clock: nothing runs until {@link #advanceTo} is called, and due
 * tasks then run strictly in (due time, scheduling order) — so a replay is deterministic.
 *
 * <p>Installed with {@code pekko.scheduler.implementation = io.tributary.time.VirtualScheduler};
 * Pekko constructs it reflectively. Pekko's own {@code ExplicitlyTriggeredScheduler} is not used
 * because it orders equal-time tasks by hash and sleeps 100 ms per step.
 */
public final class VirtualScheduler implements Scheduler, Closeable {

  private final PriorityQueue<Task> queue = new PriorityQueue<>();
  private long nowNanos;
  private long sequence;

  /** The constructor Pekko calls; none of the arguments are needed. */
  public VirtualScheduler(Config config, LoggingAdapter log, ThreadFactory threadFactory) {}

  /** Virtual nanoseconds elapsed since the system started. */
  public synchronized long nowNanos() {
    return nowNanos;
  }

  /** Number of live (not cancelled) tasks waiting; used by tests and reports. */
  public synchronized int pendingTasks() {
    int n = 0;
    for (Task t : queue) {
      if (!t.cancelled) {
        n++;
      }
    }
    return n;
  }

  /**
   * Moves the clock to {@code targetNanos}, running every task due on the way, each through its
   * execution context, and calling {@code settle} after each so that the work a task triggers
   * finishes before the next task (or a later timestamp) is looked at.
   */
  public void advanceTo(long targetNanos, Runnable settle) {
    while (true) {
      Task next;
      synchronized (this) {
        next = queue.peek();
        while (next != null && next.cancelled) {
          queue.poll();
          next = queue.peek();
        }
        if (next == null || next.dueNanos > targetNanos) {
          nowNanos = Math.max(nowNanos, targetNanos);
          return;
        }
        queue.poll();
        nowNanos = Math.max(nowNanos, next.dueNanos);
        if (next.intervalNanos > 0) {
          queue.add(next.nextRun(sequence++));
        } else {
          next.done = true;
        }
      }
      next.ec.execute(next.runnable);
      settle.run();
    }
  }

  /** Due time of the earliest live task, or {@code Long.MAX_VALUE} if none. */
  public synchronized long nextDueNanos() {
    for (Task t; (t = queue.peek()) != null; queue.poll()) {
      if (!t.cancelled) {
        return t.dueNanos;
      }
    }
    return Long.MAX_VALUE;
  }

  @Override
  public synchronized Cancellable scheduleOnce(
      FiniteDuration delay, Runnable runnable, ExecutionContext executor) {
    var task = new Task(this, nowNanos + Math.max(0, delay.toNanos()), 0, sequence++, runnable, executor);
    queue.add(task);
    return task;
  }

  // abstract in Pekko's Scheduler (deprecated for callers, still the method implementations provide)
  @Override
  @SuppressWarnings("deprecation")
  public synchronized Cancellable schedule(
      FiniteDuration initialDelay, FiniteDuration interval, Runnable runnable, ExecutionContext executor) {
    long every = Math.max(1, interval.toNanos());
    var task =
        new Task(this, nowNanos + Math.max(0, initialDelay.toNanos()), every, sequence++, runnable, executor);
    queue.add(task);
    return task;
  }

  @Override
  public double maxFrequency() {
    return 1_000_000.0;
  }

  /** Drops every pending task (called by Pekko when the actor system terminates). */
  @Override
  public synchronized void close() {
    List<Task> all = new ArrayList<>(queue);
    all.forEach(t -> t.cancelled = true);
    queue.clear();
  }

  private static final class Task implements Cancellable, Comparable<Task> {
    private final VirtualScheduler owner;
    final long dueNanos;
    final long intervalNanos;
    final long seq;
    final Runnable runnable;
    final ExecutionContext ec;
    // guarded by owner
    boolean cancelled;
    boolean done;
    // a periodic task is re-queued as a new Task; cancelling the handle must reach the successor
    Task successor;

    Task(VirtualScheduler owner, long due, long interval, long seq, Runnable r, ExecutionContext ec) {
      this.owner = owner;
      this.dueNanos = due;
      this.intervalNanos = interval;
      this.seq = seq;
      this.runnable = r;
      this.ec = ec;
    }

    Task nextRun(long nextSeq) {
      successor = new Task(owner, dueNanos + intervalNanos, intervalNanos, nextSeq, runnable, ec);
      return successor;
    }

    @Override
    public boolean cancel() {
      synchronized (owner) {
        Task t = this;
        while (t.successor != null) {
          t = t.successor;
        }
        if (t.cancelled || t.done) {
          return false;
        }
        t.cancelled = true;
        return true;
      }
    }

    @Override
    public boolean isCancelled() {
      synchronized (owner) {
        Task t = this;
        while (t.successor != null) {
          t = t.successor;
        }
        return t.cancelled;
      }
    }

    @Override
    public int compareTo(Task o) {
      int c = Long.compare(dueNanos, o.dueNanos);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }
}
