package io.tributary.metrics;

import io.tributary.target.Change;
import io.tributary.target.ChangePolicy;
import io.tributary.target.ChangeSet;
import io.tributary.target.Target;
import java.util.List;
import io.tributary.watch.ObjectKey;
import io.tributary.plan.PipelineListener;
import java.util.Map;
import kamon.Kamon;
import kamon.metric.Counter;
import kamon.metric.Gauge;
import kamon.tag.TagSet;

/**
 * The pipeline's and the watchers' reports as Kamon metrics (scraped by Prometheus):
 *
 * <ul>
 *   <li>{@code tributary_watch_buffer_depth} — objects waiting in the watch buffer
 *   <li>{@code tributary_events_coalesced_total{stage}} — events superseded in buffer or debounce
 *   <li>{@code tributary_cluster_up{cluster}} — 1 once the cluster's watch has synced, 0 while it
 *       starts, fails, stalls or is disconnected; {@code tributary_cluster_failures_total{cluster}} counts the failures
 *   <li>{@code tributary_kind_missing{cluster,kind}} — 1 when a kind's CRD is not installed
 *   <li>{@code tributary_watch_stalls_total{cluster,kind}} — watches found stalled (no delivery
 *       while the API server had newer versions) and relisted
 *   <li>{@code tributary_objects_rejected_total{cluster}} and {@code tributary_changes_planned_total{target}}
 *   <li>{@code tributary_deletes_held} — deletes held back by the sync barrier (non-zero while a
 *       configured cluster has not listed every kind)
 *   <li>{@code tributary_changes_withheld_total{target,op}} — changes a target's policy
 *       (upsert-only, create-only) kept from its writer, each counted once
 * </ul>
 *
 * <p>Every report is passed on to {@code next} (the log).
 */
public final class KamonMetrics implements PipelineListener {
  private final Gauge bufferDepth = Kamon.gauge("tributary_watch_buffer_depth", "objects waiting in the watch buffer").withoutTags();
  private final Counter coalescedBuffer = coalesced("buffer");
  private final Counter coalescedDebounce = coalesced("debounce");
  private final Gauge deletesHeld = Kamon.gauge("tributary_deletes_held", "deletes held until every cluster has synced").withoutTags();
  private final PipelineListener next;

  /** Metrics only. */
  public KamonMetrics() {
    this(PipelineListener.NONE);
  }

  /** Metrics, then {@code next}. */
  public KamonMetrics(PipelineListener next) {
    this.next = next;
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
  public void rejected(ObjectKey key, String reason) {
    Kamon.counter("tributary_objects_rejected_total", "objects rejected by translation")
        .withTags(TagSet.from(Map.of("cluster", key.cluster())))
        .increment();
    next.rejected(key, reason);
  }

  @Override
  public void planned(ChangeSet changes) {
    Kamon.counter("tributary_changes_planned_total", "changes handed to writers")
        .withTags(TagSet.from(Map.of("target", changes.target().id())))
        .increment(changes.size());
    next.planned(changes);
  }

  @Override
  public void withheld(Target target, ChangePolicy policy, List<Change> changes) {
    for (Change c : changes) {
      Kamon.counter("tributary_changes_withheld_total", "changes a target's policy kept from its writer")
          .withTags(TagSet.from(Map.of("target", target.id(), "op", c.op().id())))
          .increment();
    }
    next.withheld(target, policy, changes);
  }

  @Override
  public void clusterState(String cluster, String state, String detail) {
    TagSet tags = TagSet.from(Map.of("cluster", cluster));
    Kamon.gauge("tributary_cluster_up", "1 when the cluster's watch is synced").withTags(tags).update("synced".equals(state) ? 1 : 0);
    if ("failed".equals(state)) {
      Kamon.counter("tributary_cluster_failures_total", "watch failures (retried with backoff)").withTags(tags).increment();
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
  public void debounced(io.tributary.watch.WatchEvent event) {
    next.debounced(event);
  }

  @Override
  public void accepted(ObjectKey key, int routes, java.util.List<String> warnings) {
    next.accepted(key, routes, warnings);
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
