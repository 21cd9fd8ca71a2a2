package io.tributary.metrics;

import io.tributary.target.Change;
import io.tributary.target.ChangePolicy;
import io.tributary.target.Op;
import io.tributary.target.Target;
import io.tributary.writer.WriteObserver;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import kamon.Kamon;
import kamon.metric.Counter;
import kamon.tag.TagSet;

/**
 * What the writers do, as Kamon metrics, passed on to {@code next} (the write log):
 *
 * <ul>
 *   <li>{@code tributary_target_writes_total{target,op}} — records written (create, update, delete)
 *   <li>{@code tributary_target_pending{target}} — changes a writer holds not yet written; rising
 *       while a target is down, back to 0 once it has caught up
 *   <li>{@code tributary_target_failures_total{target,kind}} — failed reads/writes, {@code kind}
 *       {@code unavailable} (retried with backoff) or {@code configuration} (token, key, ACL: fix it)
 *   <li>{@code tributary_target_refused_total{target}} — changes refused because a foreign record
 *       holds the name (see the WARN log for which)
 *   <li>{@code tributary_target_withheld_total{target,op}} — differences the writer found in the
 *       target itself (a stale record, one changed behind its back) and left, as the target's policy
 *       says; each counted once
 *   <li>{@code tributary_target_dry_run_total{target,op}} — changes a target in dry run would have
 *       been written (they are not counted as writes)
 * </ul>
 */
public final class KamonWriteMetrics implements WriteObserver {
  private final WriteObserver next;
  private final Set<Target> announced = ConcurrentHashMap.newKeySet();

  public KamonWriteMetrics(WriteObserver next) {
    this.next = next;
  }

  private static Counter writes(Target target, Op op) {
    return Kamon.counter("tributary_target_writes_total", "records written to a target")
        .withTags(TagSet.from(Map.of("target", target.id(), "op", op.id())));
  }

  private static Counter failures(Target target, boolean configuration) {
    return Kamon.counter("tributary_target_failures_total", "failed reads and writes of a target")
        .withTags(TagSet.from(Map.of("target", target.id(), "kind", configuration ? "configuration" : "unavailable")));
  }

  private static Counter refused(Target target) {
    return Kamon.counter("tributary_target_refused_total", "changes refused because a foreign record holds the name")
        .withTags(TagSet.from(Map.of("target", target.id())));
  }

  private static Counter withheld(Target target, Op op) {
    return Kamon.counter("tributary_target_withheld_total", "differences found in a target and left as its policy says")
        .withTags(TagSet.from(Map.of("target", target.id(), "op", op.id())));
  }

  private static Counter dryRun(Target target, Op op) {
    return Kamon.counter("tributary_target_dry_run_total", "changes a target in dry run would have been written")
        .withTags(TagSet.from(Map.of("target", target.id(), "op", op.id())));
  }

  @Override
  public void written(Instant at, Target target, Change change) {
    writes(target, change.op()).increment();
    next.written(at, target, change);
  }

  @Override
  public void pending(Target target, int changes) {
    if (announced.add(target)) {
      // every series of a running writer exists from its first report on, at 0: a writer that has
      // written nothing yet is visible, and rate() has a start
      for (Op op : Op.values()) {
        writes(target, op);
        withheld(target, op);
        dryRun(target, op);
      }
      failures(target, false);
      failures(target, true);
      refused(target);
    }
    Kamon.gauge("tributary_target_pending", "changes a writer holds not yet written")
        .withTags(TagSet.from(Map.of("target", target.id())))
        .update(changes);
    next.pending(target, changes);
  }

  @Override
  public void failed(Target target, boolean configuration, String reason) {
    failures(target, configuration).increment();
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
    refused(target).increment();
    next.refused(target, key, reason);
  }

  @Override
  public void withheld(Target target, Change change, ChangePolicy policy) {
    withheld(target, change.op()).increment();
    next.withheld(target, change, policy);
  }

  @Override
  public void dryRun(Instant at, Target target, Change change) {
    dryRun(target, change.op()).increment();
    next.dryRun(at, target, change);
  }
}
