package io.tributary.writer;

import io.tributary.target.Change;
import io.tributary.target.ChangePolicy;
import io.tributary.target.Target;
import io.tributary.target.TargetRecord;
import java.time.Instant;

/** Told about every operation a writer performs, in order: the write transcript's seam. */
@FunctionalInterface
public interface WriteObserver {

  /** {@code change} was applied to {@code target} at {@code at}. */
  void written(Instant at, Target target, Change change);

  /**
   * {@code change} would have been applied to {@code target} at {@code at}, but the target is in
   * dry run: nothing was written.
   */
  default void dryRun(Instant at, Target target, Change change) {}

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

  /**
   * The writer found {@code change} to make in the target itself (a record it owns that nobody
   * wants, one changed behind its back) and leaves it, as the target's {@code policy} says.
   * Reported once per difference found, not at every anti-entropy pass.
   */
  default void withheld(Target target, Change change, ChangePolicy policy) {}

  /** Observes nothing. */
  WriteObserver NONE = (at, target, change) -> {};

  /** This observer, then {@code next}, told everything in that order. */
  default WriteObserver andThen(WriteObserver next) {
    WriteObserver first = this;
    return new WriteObserver() {
      @Override
      public void written(Instant at, Target target, Change change) {
        first.written(at, target, change);
        next.written(at, target, change);
      }

      @Override
      public void dryRun(Instant at, Target target, Change change) {
        first.dryRun(at, target, change);
        next.dryRun(at, target, change);
      }

      @Override
      public void pending(Target target, int changes) {
        first.pending(target, changes);
        next.pending(target, changes);
      }

      @Override
      public void failed(Target target, boolean configuration, String reason) {
        first.failed(target, configuration, reason);
        next.failed(target, configuration, reason);
      }

      @Override
      public void recovered(Target target) {
        first.recovered(target);
        next.recovered(target);
      }

      @Override
      public void reconciled(Target target) {
        first.reconciled(target);
        next.reconciled(target);
      }

      @Override
      public void refused(Target target, String key, String reason) {
        first.refused(target, key, reason);
        next.refused(target, key, reason);
      }

      @Override
      public void withheld(Target target, Change change, ChangePolicy policy) {
        first.withheld(target, change, policy);
        next.withheld(target, change, policy);
      }

      @Override
      public void alreadyHeld(Target target, String key, TargetRecord value) {
        first.alreadyHeld(target, key, value);
        next.alreadyHeld(target, key, value);
      }

      @Override
      public WriteObserver inZone(Target target, String zone) {
        return first.inZone(target, zone).andThen(next.inZone(target, zone));
      }
    };
  }

  /**
   * {@code next} for a writer in dry run: what the writer reports as written is told to {@code
   * next} as {@link #dryRun} (so it is never counted as a write), everything else as it is.
   */
  static WriteObserver inDryRun(WriteObserver next) {
    return inDryRun(next, change -> true);
  }

  /** {@code next} for a writer of which {@code inDryRun} changes are in dry run (the DNS zones kept in memory). */
  static WriteObserver inDryRun(WriteObserver next, java.util.function.Predicate<Change> inDryRun) {
    return new ForwardingWriteObserver(next) {
      @Override
      public void written(Instant at, Target target, Change change) {
        if (inDryRun.test(change)) {
          this.next.dryRun(at, target, change);
        } else {
          this.next.written(at, target, change);
        }
      }

      @Override
      protected WriteObserver over(WriteObserver other) {
        return inDryRun(other, inDryRun);
      }
    };
  }
}
