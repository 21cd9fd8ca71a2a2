package io.tributary.writer;

import io.tributary.diff.Change;
import io.tributary.diff.Target;
import java.time.Instant;

/** Told about every operation a writer performs, in order: the write transcript's seam. */
@FunctionalInterface
public interface WriteObserver {

  /** {@code change} was applied to {@code target} at {@code at}. */
  void written(Instant at, Target target, Change change);

  /** Observes nothing. */
  WriteObserver NONE = (at, target, change) -> {};
}
