package io.tributary.writer;

import io.tributary.target.Change;
import io.tributary.target.ChangePolicy;
import io.tributary.target.Target;
import io.tributary.target.TargetRecord;
import java.time.Instant;

/**
 * An observer in front of another that passes every report on: a wrapper overrides only what it
 * changes, so a report added to {@link WriteObserver} later reaches {@code next} without each
 * wrapper having to learn of it.
 */
public abstract class ForwardingWriteObserver implements WriteObserver {
  protected final WriteObserver next;

  protected ForwardingWriteObserver(WriteObserver next) {
    this.next = next;
  }

  /** This wrapper over {@code other} instead of {@code next}: what {@link #inZone} wraps a zone's observer in. */
  protected abstract WriteObserver over(WriteObserver other);

  @Override
  public void written(Instant at, Target target, Change change) {
    next.written(at, target, change);
  }

  @Override
  public void dryRun(Instant at, Target target, Change change) {
    next.dryRun(at, target, change);
  }

  @Override
  public void pending(Target target, int changes) {
    next.pending(target, changes);
  }

  @Override
  public void failed(Target target, boolean configuration, String reason) {
    next.failed(target, configuration, reason);
  }

  @Override
  public void recovered(Target target) {
    next.recovered(target);
  }

  @Override
  public void reconciled(Target target) {
    next.reconciled(target);
  }

  @Override
  public void refused(Target target, String key, String reason) {
    next.refused(target, key, reason);
  }

  @Override
  public void withheld(Target target, Change change, ChangePolicy policy) {
    next.withheld(target, change, policy);
  }

  @Override
  public void alreadyHeld(Target target, String key, TargetRecord value) {
    next.alreadyHeld(target, key, value);
  }

  @Override
  public WriteObserver inZone(Target target, String zone) {
    return over(next.inZone(target, zone));
  }
}
