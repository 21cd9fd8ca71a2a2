package io.tributary.metrics;

import io.tributary.target.Change;
import io.tributary.target.ChangePolicy;
import io.tributary.target.ChangeSet;
import io.tributary.target.Op;
import io.tributary.target.Target;
import io.tributary.watch.ObjectKey;
import io.tributary.watch.WatchEvent;
import io.tributary.plan.PipelineListener;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import kamon.Kamon;
import kamon.metric.Counter;
import kamon.metric.Gauge;
import kamon.metric.Histogram;
import kamon.metric.MeasurementUnit;
import kamon.tag.TagSet;

/**
 * The pipeline's and the watchers' reports as Kamon metrics (scraped by Prometheus):
 *
 * <ul>
 *   <li>{@code tributary_watch_buffer_depth} — objects waiting in the watch buffer
 *   <li>{@code tributary_events_coalesced_total{stage}} — events superseded in buffer or debounce
 *   <li>{@code tributary_cluster_up{cluster}} — 1 once the cluster's watch has synced, 0 while it
 *       starts, fails, stalls or is disconnected; {@code tributary_cluster_failures_total{cluster}} counts the failures
 *   <li>{@code tributary_cluster_state{cluster,state}} — 1 for the watcher's current state
 *       ({@code starting}, {@code synced}, {@code disconnected}, {@code stalled}, {@code failed},
 *       {@code removed}, or any
 *       other it reports), 0 for the others: every state of a cluster is present from its first report
 *   <li>{@code tributary_debounce_delay_seconds} — histogram: how long an object spent in debounce,
 *       from its first pending change to the emission of its latest state
 *   <li>{@code tributary_debounce_damped_objects} — objects flap damping holds now (their changes
 *       are not written until they are stable); {@code tributary_debounce_damped_total} counts the
 *       times an object was damped, {@code tributary_debounce_damped_changes_total} the changes held
 *   <li>{@code tributary_kind_missing{cluster,kind}} — 1 when a kind's CRD is not installed
 *   <li>{@code tributary_watch_stalls_total{cluster,kind}} — watches found stalled (no delivery
 *       while the API server had newer versions) and relisted
 *   <li>{@code tributary_objects_rejected_total{cluster}} and {@code tributary_changes_planned_total{target}}
 *   <li>{@code tributary_objects_partly_accepted_total{cluster}} — objects accepted with some rules,
 *       paths or routes rejected; {@code tributary_parts_rejected_total{cluster}} counts those parts
 *   <li>{@code tributary_objects_kept_from_before_restart_total{cluster}} — objects whose first
 *       translation after a restart was rejected (wholly or in part) and whose last accepted routes
 *       from before it ({@code tributary.last-accepted}) were kept in force
 *   <li>{@code tributary_deletes_held} — deletes held back by the sync barrier (non-zero while a
 *       configured cluster has not listed every kind)
 *   <li>{@code tributary_changes_withheld_total{target,op}} — changes a target's policy
 *       (upsert-only, create-only) kept from its writer, each counted once
 * </ul>
 *
 * <p>The end-to-end lag ({@code tributary_change_lag_seconds{target}}) is recorded by {@link
 * KamonWriteMetrics}, where writes are acknowledged; this listener tells the {@link ChangeTimes}
 * they share when each change was received and planned. Every report is passed on to {@code next}
 * (the log).
 */
public final class KamonMetrics implements PipelineListener {
  private final Gauge bufferDepth = Kamon.gauge("tributary_watch_buffer_depth", "objects waiting in the watch buffer").withoutTags();
  private final Counter coalescedBuffer = coalesced("buffer");
  private final Counter coalescedDebounce = coalesced("debounce");
  private final Gauge deletesHeld = Kamon.gauge("tributary_deletes_held", "deletes held until every cluster has synced").withoutTags();
  private final Histogram debounceDelay = Kamon.histogram(
      "tributary_debounce_delay_seconds", "time an object spent in debounce", MeasurementUnit.time().milliseconds()).withoutTags();
  private final Gauge dampedObjects = Kamon.gauge(
      "tributary_debounce_damped_objects", "objects flap damping holds now").withoutTags();
  private final Counter dampings = Kamon.counter(
      "tributary_debounce_damped_total", "times an object was damped for flapping").withoutTags();
  private final Counter dampedChanges = Kamon.counter(
      "tributary_debounce_damped_changes_total", "changes of damped objects held instead of written").withoutTags();
  private final java.util.concurrent.atomic.AtomicInteger damped = new java.util.concurrent.atomic.AtomicInteger();
  /** Every state a cluster is reported in from its first report on; others join when first seen. */
  private static final List<String> STATES = List.of("starting", "synced", "disconnected", "stalled", "failed", "removed");
  private final Map<String, Set<String>> statesOf = new ConcurrentHashMap<>();
  private final ChangeTimes times;
  private final PipelineListener next;

  /** Metrics only, the lag not measured (no {@link KamonWriteMetrics} shares its times). */
  public KamonMetrics() {
    this(PipelineListener.NONE);
  }

  /** Metrics, then {@code next}; the lag is not measured (no {@link KamonWriteMetrics} shares its times). */
  public KamonMetrics(PipelineListener next) {
    this(next, new ChangeTimes(Clock.systemUTC()));
  }

  /** Metrics, then {@code next}; the {@link KamonWriteMetrics} given the same {@code times} records the lag. */
  public KamonMetrics(PipelineListener next, ChangeTimes times) {
    this.next = next;
    this.times = times;
    // present at 0 from the start, so increase() sees the first change planned or withheld
    dampedObjects.update(0);
    for (Target t : Target.values()) {
      planned(t);
      for (Op op : Op.values()) {
        withheld(t, op);
      }
    }
  }

  private static Counter planned(Target target) {
    return Kamon.counter("tributary_changes_planned_total", "changes handed to writers")
        .withTags(TagSet.from(Map.of("target", target.id())));
  }

  private static Counter withheld(Target target, Op op) {
    return Kamon.counter("tributary_changes_withheld_total", "changes a target's policy kept from its writer")
        .withTags(TagSet.from(Map.of("target", target.id(), "op", op.id())));
  }

  private static Counter coalesced(String stage) {
    return Kamon.counter("tributary_events_coalesced_total", "events superseded by a newer state of the same object")
        .withTags(TagSet.from(Map.of("stage", stage)));
  }

  @Override
  public void bufferDepth(int depth) {
    bufferDepth.update(depth);
    next.bufferDepth(depth);
  }

  @Override
  public void offered(WatchEvent event) {
    times.offered(event);
    next.offered(event);
  }

  @Override
  public void taken(WatchEvent event) {
    times.taken(event);
    next.taken(event);
  }

  @Override
  public void coalescedInBuffer(ObjectKey key) {
    coalescedBuffer.increment();
    next.coalescedInBuffer(key);
  }

  @Override
  public void coalescedInDebounce(ObjectKey key) {
    coalescedDebounce.increment();
    next.coalescedInDebounce(key);
  }

  @Override
  public void damped(ObjectKey key) {
    dampings.increment();
    dampedObjects.update(damped.incrementAndGet());
    next.damped(key);
  }

  @Override
  public void heldByDamping(ObjectKey key) {
    dampedChanges.increment();
    next.heldByDamping(key);
  }

  @Override
  public void released(ObjectKey key, int held, Duration heldFor) {
    dampedObjects.update(damped.decrementAndGet());
    next.released(key, held, heldFor);
  }

  @Override
  public void rejected(ObjectKey key, String reason) {
    rejected(key.cluster()).increment();
    next.rejected(key, reason);
  }

  @Override
  public void keptFromBeforeRestart(ObjectKey key, int routes) {
    Kamon.counter("tributary_objects_kept_from_before_restart_total",
            "rejected objects (or parts) whose last accepted routes from before the restart stay in force")
        .withTags(TagSet.from(Map.of("cluster", key.cluster()))).increment();
    next.keptFromBeforeRestart(key, routes);
  }

  @Override
  public void routesInForce(ObjectKey key, List<io.tributary.translate.Route> routes, List<String> parts) {
    next.routesInForce(key, routes, parts);
  }

  @Override
  public void planning(WatchEvent event) {
    times.planning(event);
    next.planning(event);
  }

  @Override
  public void planned(ChangeSet changes) {
    times.planned(changes);
    planned(changes.target()).increment(changes.size());
    next.planned(changes);
  }

  @Override
  public void withheld(Target target, ChangePolicy policy, List<Change> changes) {
    for (Change c : changes) {
      withheld(target, c.op()).increment();
    }
    next.withheld(target, policy, changes);
  }

  private static Counter failures(String cluster) {
    return Kamon.counter("tributary_cluster_failures_total", "watch failures (retried with backoff)")
        .withTags(TagSet.from(Map.of("cluster", cluster)));
  }

  private static Counter rejected(String cluster) {
    return Kamon.counter("tributary_objects_rejected_total", "objects rejected by translation")
        .withTags(TagSet.from(Map.of("cluster", cluster)));
  }

  private static Counter partlyAccepted(String cluster) {
    return Kamon.counter("tributary_objects_partly_accepted_total", "objects accepted with some rules, paths or routes rejected")
        .withTags(TagSet.from(Map.of("cluster", cluster)));
  }

  private static Counter partsRejected(String cluster) {
    return Kamon.counter("tributary_parts_rejected_total", "rules, paths or routes rejected on their own in accepted objects")
        .withTags(TagSet.from(Map.of("cluster", cluster)));
  }

  @Override
  public void clusterState(String cluster, String state, String detail) {
    TagSet tags = TagSet.from(Map.of("cluster", cluster));
    Kamon.gauge("tributary_cluster_up", "1 when the cluster's watch is synced").withTags(tags).update("synced".equals(state) ? 1 : 0);
    // one series per state, exactly one of them 1: "down for 10 minutes" is a plain range query, and
    // a state's name never has to be decoded from a number
    Set<String> states = statesOf.computeIfAbsent(cluster, c -> {
      // a cluster's counters are present at 0 from its first report on
      failures(c);
      rejected(c);
      partlyAccepted(c);
      partsRejected(c);
      return ConcurrentHashMap.newKeySet();
    });
    states.addAll(STATES);
    states.add(state);
    for (String s : states) {
      Kamon.gauge("tributary_cluster_state", "1 for the state a cluster's watcher is in, 0 for the others")
          .withTags(TagSet.from(Map.of("cluster", cluster, "state", s)))
          .update(s.equals(state) ? 1 : 0);
    }
    if ("failed".equals(state)) {
      failures(cluster).increment();
    }
    next.clusterState(cluster, state, detail);
  }

  @Override
  public void kindMissing(String cluster, String kind, String reason) {
    Kamon.gauge("tributary_kind_missing", "1 when a watched kind's CRD is not installed")
        .withTags(TagSet.from(Map.of("cluster", cluster, "kind", kind)))
        .update(1);
    next.kindMissing(cluster, kind, reason);
  }

  @Override
  public void watchStalled(String cluster, String kind, String reason) {
    Kamon.counter("tributary_watch_stalls_total", "watches that stopped delivering and were relisted")
        .withTags(TagSet.from(Map.of("cluster", cluster, "kind", kind)))
        .increment();
    next.watchStalled(cluster, kind, reason);
  }

  @Override
  public void deletesHeld(int count, java.util.Set<String> waitingFor) {
    deletesHeld.update(count);
    next.deletesHeld(count, waitingFor);
  }

  @Override
  public void debounced(WatchEvent event) {
    Duration spent = times.debounced(event);
    if (spent != null) {
      debounceDelay.record(spent.toMillis());
    }
    next.debounced(event);
  }

  @Override
  public void accepted(ObjectKey key, int routes, java.util.List<String> warnings) {
    next.accepted(key, routes, warnings);
  }

  @Override
  public void partlyAccepted(ObjectKey key, int routes, java.util.List<String> warnings,
      java.util.List<io.tributary.translate.Translation.RejectedPart> rejectedParts, int kept) {
    partlyAccepted(key.cluster()).increment();
    partsRejected(key.cluster()).increment(rejectedParts.size());
    next.partlyAccepted(key, routes, warnings, rejectedParts, kept);
  }

  @Override
  public void ignored(ObjectKey key, String reason) {
    next.ignored(key, reason);
  }

  @Override
  public void deleted(ObjectKey key) {
    next.deleted(key);
  }

  @Override
  public void unitNotes(String unit, java.util.List<String> notes) {
    next.unitNotes(unit, notes);
  }

  @Override
  public void pipelineStopped(Throwable failure) {
    next.pipelineStopped(failure);
  }
}
