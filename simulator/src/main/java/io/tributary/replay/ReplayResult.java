package io.tributary.replay;

import io.tributary.target.Target;
import io.tributary.target.TargetRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.SortedMap;

/**
 * What a replay produced: the final state of each in-memory target, its statistics, and how long
 * it took in virtual and in wall-clock time.
 */
public record ReplayResult(
    String logName,
    Map<Target, SortedMap<String, TargetRecord>> state,
    ReplayStats stats,
    Instant virtualEnd,
    Duration wallTime,
    java.util.Set<String> foreignSubmitters) {

  /** True when all work ran on the replay's executor, so the result is reproducible. */
  public boolean deterministic() {
    return foreignSubmitters.isEmpty();
  }

  /** Virtual time from the first event to the end of the replay (last debounce window closed). */
  public Duration virtualDuration() {
    return stats.firstAt() == null ? Duration.ZERO : Duration.between(stats.firstAt(), virtualEnd);
  }
}
