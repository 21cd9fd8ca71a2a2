package io.tributary.writer;

import io.tributary.target.Change;
import io.tributary.target.Target;
import io.tributary.target.TargetRecord;
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

  /**
   * {@code key} needed no write: {@code target} already holds {@code value} (null: no record) —
   * a restart over an unchanged target, a change undone before it was written, an anti-entropy
   * pass that found nothing to repair.
   */
  default void alreadyHeld(Target target, String key, TargetRecord value) {}

  /**
   * The observer for the writer of one {@code zone} of {@code target} (DNS writes each zone on its
   * own): what that writer reports concerns the zone. By default this observer, zones not told apart.
   */
  default WriteObserver inZone(Target target, String zone) {
    return this;
  }

  /** Observes nothing. */
  WriteObserver NONE = (at, target, change) -> {};
}
