package io.tributary.time;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A single-threaded FIFO executor that knows when it is idle. All actors and streams of a replay
 * run on it; the driver waits for {@link #awaitQuiescence()} before moving virtual time, so every
 * consequence of an event happens "at" that event's time, in one fixed order.
 */
public final class QuiescentExecutor extends AbstractExecutorService {

  private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
  private final Thread worker;
  private final Thread driver;
  private final java.util.Set<String> foreignSubmitters = new java.util.TreeSet<>();
  private boolean running; // guarded by this: a task is executing right now
  // guarded by this: the driver runs the tasks itself while it settles, the worker stands by;
  // no thread hand-off per task, which is most of what a replay step would otherwise cost
  private boolean onDriver;
  private boolean shutdown;
  private Throwable failure;

  /** The calling thread becomes the driver: the one thread besides the worker allowed to submit. */
  public QuiescentExecutor(String name) {
    driver = Thread.currentThread();
    worker = new Thread(this::work, name);
    worker.setDaemon(true);
    worker.start();
  }

  @Override
  public synchronized void execute(Runnable command) {
    Thread t = Thread.currentThread();
    if (t != worker && t != driver) {
      // work arriving from a third thread escapes quiescence detection: determinism is at risk
      foreignSubmitters.add(t.getName());
    }
    if (shutdown) {
      return; // late work after termination (dead letters, log events) is irrelevant to a replay
    }
    tasks.addLast(command);
    if (!onDriver) {
      notifyAll();
    }
  }

  /**
   * From now on the driver runs every task itself, in the same FIFO order, while it waits in
   * {@link #awaitQuiescence()}; nothing runs between two waits. Only for a driver that never
   * blocks on the system's work other than through {@code awaitQuiescence} (a replay between
   * start-up and termination); {@link #runOnWorker()} undoes it.
   */
  public void runOnDriver() {
    awaitQuiescence();
    synchronized (this) {
      onDriver = true;
    }
  }

  /** Hands the tasks back to the worker thread (before anything blocks on them, such as termination). */
  public synchronized void runOnWorker() {
    onDriver = false;
    notifyAll();
  }

  /**
   * Blocks until no task is queued or running. Rethrows (as IllegalStateException) the first
   * exception that escaped a task: a replay must not silently continue past a bug.
   */
  public void awaitQuiescence() {
    if (Thread.currentThread() == driver && drainOnDriver()) {
      return;
    }
    waitForWorker();
  }

  // runs queued tasks on the driver until none is left; false when the worker has them
  private boolean drainOnDriver() {
    while (true) {
      Runnable next;
      synchronized (this) {
        if (!onDriver) {
          return false;
        }
        next = tasks.pollFirst();
        if (next == null) {
          running = false;
          if (failure != null) {
            throw new IllegalStateException("a task failed during replay: " + failure, failure);
          }
          return true;
        }
        running = true;
      }
      runTask(next);
    }
  }

  private synchronized void waitForWorker() {
    try {
      while (!tasks.isEmpty() || running) {
        wait();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the pipeline to settle", e);
    }
    if (failure != null) {
      throw new IllegalStateException("a task failed during replay: " + failure, failure);
    }
  }

  /**
   * Threads other than the worker and the driver that submitted work (a JDK future completing on
   * a pool thread, say). Empty in a correct replay; tests assert it.
   */
  public synchronized java.util.Set<String> foreignSubmitters() {
    return java.util.Set.copyOf(foreignSubmitters);
  }

  /** True when nothing is queued or running. */
  public synchronized boolean isQuiescent() {
    return tasks.isEmpty() && !running;
  }

  private void work() {
    while (true) {
      Runnable next;
      synchronized (this) {
        running = false;
        notifyAll();
        while ((tasks.isEmpty() || onDriver) && !shutdown) {
          try {
            wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        if (tasks.isEmpty()) {
          return;
        }
        next = tasks.pollFirst();
        running = true;
      }
      runTask(next);
    }
  }

  private void runTask(Runnable task) {
    try {
      task.run();
    } catch (Throwable t) {
      synchronized (this) {
        if (failure == null) {
          failure = t;
        }
      }
    }
  }

  @Override
  public synchronized void shutdown() {
    shutdown = true;
    notifyAll();
  }

  @Override
  public synchronized List<Runnable> shutdownNow() {
    shutdown = true;
    var rest = List.copyOf(tasks);
    tasks.clear();
    notifyAll();
    return rest;
  }

  @Override
  public synchronized boolean isShutdown() {
    return shutdown;
  }

  @Override
  public boolean isTerminated() {
    return isShutdown() && !worker.isAlive();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    worker.join(unit.toMillis(timeout));
    return !worker.isAlive();
  }
}
