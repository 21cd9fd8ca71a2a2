package io.tributary.replay;

import io.tributary.metrics.ChangeTimes;
import io.tributary.target.Change;
import io.tributary.target.Target;
import io.tributary.watch.ObjectKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * The replay's end-to-end lag, measured as the live service measures {@code
 * tributary_change_lag_seconds}: the same {@link ChangeTimes} bookkeeping (receipt at the watch
 * buffer, one sample per record at the writer's acknowledgement), read from virtual time. Each
 * sample keeps its object, so objects that flapped — one of whose changes was superseded in the
 * watch buffer or the debounce window by a later one — can be told from quiet objects, whose lag
 * should be one quiet window.
 */
public final class ReplayLag {

  /** Percentiles of a set of lag samples; all zero when {@code samples} is 0. */
  public record Summary(long samples, Duration p50, Duration p90, Duration p99, Duration max) {}

  private final ChangeTimes times;
  private final Set<ObjectKey> flapped = new HashSet<>();
  private long[] nanos = new long[1024];
  private ObjectKey[] objects = new ObjectKey[1024];
  // the target of each sample, by ordinal: the report's lag per target
  private byte[] targets = new byte[1024];
  private int size;

  ReplayLag(Clock clock) {
    this.times = new ChangeTimes(clock);
  }

  /** The bookkeeping the pipeline's reports feed (offered, taken, debounced, planning, planned). */
  ChangeTimes times() {
    return times;
  }

  /** A change of {@code key} was superseded before it was planned: the object flaps. */
  synchronized void superseded(ObjectKey key) {
    flapped.add(key);
  }

  /** {@code target} acknowledged {@code change}: a sample, if it carries a change whose receipt is known. */
  synchronized void written(Target target, Change change) {
    ChangeTimes.Lag lag = times.lagOf(target, change);
    if (lag == null) {
      return;
    }
    if (size == nanos.length) {
      nanos = Arrays.copyOf(nanos, size * 2);
      objects = Arrays.copyOf(objects, size * 2);
      targets = Arrays.copyOf(targets, size * 2);
    }
    nanos[size] = lag.lag().toNanos();
    objects[size] = lag.object();
    targets[size] = (byte) target.ordinal();
    size++;
  }

  /** Every sample. */
  public synchronized Summary all() {
    return summary(Arrays.copyOf(nanos, size));
  }

  /** The samples of objects that never flapped (and of markers' changes, which belong to no object). */
  public synchronized Summary quiet() {
    long[] quiet = new long[size];
    int n = 0;
    for (int i = 0; i < size; i++) {
      if (objects[i] == null || !flapped.contains(objects[i])) {
        quiet[n++] = nanos[i];
      }
    }
    return summary(Arrays.copyOf(quiet, n));
  }

  /** The samples of writes to {@code target}. */
  public synchronized Summary of(Target target) {
    return summary(samples(target));
  }

  /** The samples of writes to {@code target}, in nanoseconds, sorted. */
  public synchronized long[] samples(Target target) {
    long[] mine = new long[size];
    int n = 0;
    for (int i = 0; i < size; i++) {
      if (targets[i] == target.ordinal()) {
        mine[n++] = nanos[i];
      }
    }
    long[] sorted = Arrays.copyOf(mine, n);
    Arrays.sort(sorted);
    return sorted;
  }

  /** Objects that flapped. */
  public synchronized int flappedObjects() {
    return flapped.size();
  }

  private static Summary summary(long[] samples) {
    if (samples.length == 0) {
      return new Summary(0, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO);
    }
    Arrays.sort(samples);
    return new Summary(samples.length, Duration.ofNanos(rank(samples, 0.50)), Duration.ofNanos(rank(samples, 0.90)),
        Duration.ofNanos(rank(samples, 0.99)),
        Duration.ofNanos(samples[samples.length - 1]));
  }

  /** The nearest-rank percentile {@code q} of sorted {@code samples}. */
  private static long rank(long[] samples, double q) {
    int index = (int) Math.ceil(q * samples.length) - 1;
    return samples[Math.max(0, Math.min(samples.length - 1, index))];
  }
}
