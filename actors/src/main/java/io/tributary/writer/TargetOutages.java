package io.tributary.writer;

import io.tributary.target.Target;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which in-memory targets are down now: the simulator's switch for a replayed outage ({@code
 * TARGET_DOWN} / {@code TARGET_UP}). An in-memory target that is down fails every read and write,
 * as a real one that refuses connections does. Thread-safe: the replay driver flips it, the
 * writers read it.
 */
public final class TargetOutages {
  private final Set<Target> down = ConcurrentHashMap.newKeySet();

  /** {@code target} fails its reads and writes from now on. */
  public void down(Target target) {
    down.add(target);
  }

  /** {@code target} answers again. */
  public void up(Target target) {
    down.remove(target);
  }

  /** Whether {@code target} is down now. */
  public boolean isDown(Target target) {
    return down.contains(target);
  }
}
