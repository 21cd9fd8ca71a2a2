package io.tributary.metrics;

import io.tributary.target.Change;
import io.tributary.target.ChangePolicy;
import io.tributary.target.Op;
import io.tributary.target.Target;
import io.tributary.target.TargetRecord;
import io.tributary.writer.WriteObserver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import kamon.Kamon;
import kamon.metric.Counter;
import kamon.metric.MeasurementUnit;
import kamon.tag.TagSet;

/**
 * What the writers do, as Kamon metrics, passed on to {@code next} (the write log):
 *
 * <ul>
 *   <li>{@code tributary_target_writes_total{target,op,zone}} — records written (create, update, delete)
 *   <li>{@code tributary_target_pending{target}} — changes a writer holds not yet written; rising
 *       while a target is down, back to 0 once it has caught up (summed over a target's zones)
 *   <li>{@code tributary_target_failures_total{target,kind,zone}} — failed reads/writes, {@code kind}
 *       {@code unavailable} (retried with backoff) or {@code configuration} (token, key, ACL: fix it)
 *   <li>{@code tributary_target_refused_total{target,zone}} — changes refused because a foreign record
 *       holds the name (see the WARN log for which)
 *   <li>{@code tributary_change_lag_seconds{target}} — histogram: from the moment a watcher handed
 *       an event to the watch buffer to the target's acknowledgement of the write carrying it, one
 *       sample per record written (see {@link ChangeTimes})
 *   <li>{@code tributary_target_withheld_total{target,op,zone}} — differences the writer found in the
 *       target itself (a stale record, one changed behind its back) and left, as the target's policy
 *       says; each counted once
 *   <li>{@code tributary_target_dry_run_total{target,op,zone}} — changes a target in dry run would have
 *       been written (they are not counted as writes)
 * </ul>
 *
 * <p>{@code zone} is the DNS zone for the DNS target's writers, one per zone ({@link #inZone}); the
 * series of the other targets have no {@code zone} tag. Every counter of a writer is present at 0
 * from its start.
 */
public final class KamonWriteMetrics implements WriteObserver {
  private final WriteObserver next;
  private final ChangeTimes times;
  private final String zone;
  private final Set<Target> announced;
  private final Set<Target> zoned;

  /** Write metrics, then {@code next}; the lag is not measured (no {@link KamonMetrics} shares its times). */
  public KamonWriteMetrics(WriteObserver next) {
    this(next, new ChangeTimes(Clock.systemUTC()));
  }

  /** Write metrics, then {@code next}, with the lag of the changes {@code times} follows (shared with {@link KamonMetrics}). */
  public KamonWriteMetrics(WriteObserver next, ChangeTimes times) {
    this(next, times, "", ConcurrentHashMap.newKeySet(), ConcurrentHashMap.newKeySet());
  }

  private KamonWriteMetrics(WriteObserver next, ChangeTimes times, String zone, Set<Target> announced, Set<Target> zoned) {
    this.next = next;
    this.times = times;
    this.zone = zone;
    this.announced = announced;
    this.zoned = zoned;
  }

  /** {@code tags} and the target's, with this observer's zone if it has one. */
  private TagSet tags(Target target, Map<String, String> tags) {
    Map<String, Object> all = new HashMap<>(tags);
    all.put("target", target.id());
    if (!zone.isEmpty()) {
      all.put("zone", zone);
    }
    return TagSet.from(all);
  }

  private Counter writes(Target target, Op op) {
    return Kamon.counter("tributary_target_writes_total", "records written to a target")
        .withTags(tags(target, Map.of("op", op.id())));
  }

  private Counter failures(Target target, boolean configuration) {
    return Kamon.counter("tributary_target_failures_total", "failed reads and writes of a target")
        .withTags(tags(target, Map.of("kind", configuration ? "configuration" : "unavailable")));
  }

  private Counter refused(Target target) {
    return Kamon.counter("tributary_target_refused_total", "changes refused because a foreign record holds the name")
        .withTags(tags(target, Map.of()));
  }

  private static kamon.metric.Histogram lag(Target target) {
    return Kamon.histogram("tributary_change_lag_seconds",
            "from an event's receipt to the target's acknowledgement of the write carrying it",
            MeasurementUnit.time().milliseconds())
        .withTags(TagSet.from(Map.of("target", target.id())));
  }

  private Counter withheld(Target target, Op op) {
    return Kamon.counter("tributary_target_withheld_total", "differences found in a target and left as its policy says")
        .withTags(tags(target, Map.of("op", op.id())));
  }

  private Counter dryRun(Target target, Op op) {
    return Kamon.counter("tributary_target_dry_run_total", "changes a target in dry run would have been written")
        .withTags(tags(target, Map.of("op", op.id())));
  }

  /**
   * Every counter of a running writer exists from its start on, at 0: a writer that has written
   * nothing yet is visible, and rate() has a start.
   */
  private void announce(Target target) {
    for (Op op : Op.values()) {
      writes(target, op);
      withheld(target, op);
      dryRun(target, op);
    }
    failures(target, false);
    failures(target, true);
    refused(target);
  }

  @Override
  public void written(Instant at, Target target, Change change) {
    writes(target, change.op()).increment();
    Duration lag = times.written(target, change);
    if (lag != null) {
      lag(target).record(lag.toMillis());
    }
    next.written(at, target, change);
  }

  @Override
  public void alreadyHeld(Target target, String key, TargetRecord value) {
    times.alreadyHeld(target, key, value);
    next.alreadyHeld(target, key, value);
  }

  @Override
  public void pending(Target target, int changes) {
    // a zone's writers announce their series per zone (inZone); the target's own are for the others
    if (zone.isEmpty() && !zoned.contains(target) && announced.add(target)) {
      announce(target);
    }
    if (zone.isEmpty()) {
      Kamon.gauge("tributary_target_pending", "changes a writer holds not yet written")
          .withTags(TagSet.from(Map.of("target", target.id())))
          .update(changes);
    }
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
    times.refused(target, key);
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
    // a target in dry run acknowledges nothing: what it would have written is no lag sample
    times.alreadyHeld(target, change.key(), change.value());
    next.dryRun(at, target, change);
  }

  /** The metrics of {@code zone}'s writer: its counters carry the zone and exist from now on. */
  @Override
  public WriteObserver inZone(Target target, String zone) {
    zoned.add(target);
    var metrics = new KamonWriteMetrics(next.inZone(target, zone), times, zone, announced, zoned);
    metrics.announce(target);
    return metrics;
  }
}
