package io.tributary.writer;

import io.tributary.target.Change;
import io.tributary.target.Target;
import java.time.Instant;

/** Told about every operation a writer performs, in order: the write transcript's seam. */
@FunctionalInterface
public interface WriteObserver {

  /** {@code change} was applied to {@code target} at {@code at}. */
  void written(Instant at, Target target, Change change);

  /** {@code target}'s writer now holds {@code changes} not yet written (real targets only). */
  default void pending(Target target, int changes) {}

  /** A read or write of {@code target} failed; {@code configuration}: only an operator can fix it. */
  default void failed(Target target, boolean configuration) {}

  /** A change of {@code key} was refused because a foreign record holds it. */
  default void refused(Target target, String key, String reason) {}

  /** Observes nothing. */
  WriteObserver NONE = (at, target, change) -> {};
}
