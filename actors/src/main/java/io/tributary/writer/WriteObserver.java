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

  /**
   * A read or write of {@code target} failed; {@code configuration}: only an operator can fix it.
   * {@code reason} is what the writer logs: it names files, addresses and status codes, never a
   * credential.
   */
  default void failed(Target target, boolean configuration, String reason) {}

  /** {@code target} answers again after failures (every instance of it, for a partitioned target). */
  default void recovered(Target target) {}

  /**
   * {@code target}'s writer has reconciled once: it knows what the target holds, has been told the
   * desired state is complete (every cluster has synced), and has written all of it. Told once per
   * writer; an in-memory writer reconciles when it is told the desired state is complete.
   */
  default void reconciled(Target target) {}

  /** A change of {@code key} was refused because a foreign record holds it. */
  default void refused(Target target, String key, String reason) {}

  /** Observes nothing. */
  WriteObserver NONE = (at, target, change) -> {};
}
