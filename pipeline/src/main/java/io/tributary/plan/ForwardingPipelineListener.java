package io.tributary.plan;

import io.tributary.target.Change;
import io.tributary.target.ChangePolicy;
import io.tributary.target.ChangeSet;
import io.tributary.target.Target;
import io.tributary.translate.Translation;
import io.tributary.watch.ObjectKey;
import io.tributary.watch.WatchEvent;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * A listener in front of another that passes every report on: a wrapper overrides only what it
 * hears itself (and calls {@code super}), so a report added to {@link PipelineListener} later
 * reaches {@code next} without each wrapper having to learn of it.
 */
public abstract class ForwardingPipelineListener implements PipelineListener {
  protected final PipelineListener next;

  protected ForwardingPipelineListener(PipelineListener next) {
    this.next = next;
  }

  @Override
  public void offered(WatchEvent event) {
    next.offered(event);
  }

  @Override
  public void taken(WatchEvent event) {
    next.taken(event);
  }

  @Override
  public void coalescedInBuffer(ObjectKey key) {
    next.coalescedInBuffer(key);
  }

  @Override
  public void coalescedInDebounce(ObjectKey key) {
    next.coalescedInDebounce(key);
  }

  @Override
  public void damped(ObjectKey key) {
    next.damped(key);
  }

  @Override
  public void heldByDamping(ObjectKey key) {
    next.heldByDamping(key);
  }

  @Override
  public void released(ObjectKey key, int held, Duration heldFor) {
    next.released(key, held, heldFor);
  }

  @Override
  public void debounced(WatchEvent event) {
    next.debounced(event);
  }

  @Override
  public void accepted(ObjectKey key, int routes, List<String> warnings) {
    next.accepted(key, routes, warnings);
  }

  @Override
  public void partlyAccepted(ObjectKey key, int routes, List<String> warnings,
      List<Translation.RejectedPart> rejectedParts, int kept) {
    next.partlyAccepted(key, routes, warnings, rejectedParts, kept);
  }

  @Override
  public void keptFromBeforeRestart(ObjectKey key, int routes) {
    next.keptFromBeforeRestart(key, routes);
  }

  @Override
  public void routesInForce(ObjectKey key, List<io.tributary.translate.Route> routes, List<String> parts) {
    next.routesInForce(key, routes, parts);
  }

  @Override
  public void ignored(ObjectKey key, String reason) {
    next.ignored(key, reason);
  }

  @Override
  public void rejected(ObjectKey key, String reason) {
    next.rejected(key, reason);
  }

  @Override
  public void deleted(ObjectKey key) {
    next.deleted(key);
  }

  @Override
  public void unitNotes(String unit, List<String> notes) {
    next.unitNotes(unit, notes);
  }

  @Override
  public void deletesHeld(int count, Set<String> waitingFor) {
    next.deletesHeld(count, waitingFor);
  }

  @Override
  public void planning(WatchEvent event) {
    next.planning(event);
  }

  @Override
  public void withheld(Target target, ChangePolicy policy, List<Change> changes) {
    next.withheld(target, policy, changes);
  }

  @Override
  public void planned(ChangeSet changes) {
    next.planned(changes);
  }

  @Override
  public void clusterState(String cluster, String state, String detail) {
    next.clusterState(cluster, state, detail);
  }

  @Override
  public void watchStalled(String cluster, String kind, String reason) {
    next.watchStalled(cluster, kind, reason);
  }

  @Override
  public void kindMissing(String cluster, String kind, String reason) {
    next.kindMissing(cluster, kind, reason);
  }

  @Override
  public void bufferDepth(int depth) {
    next.bufferDepth(depth);
  }

  @Override
  public void pipelineStopped(Throwable failure) {
    next.pipelineStopped(failure);
  }
}
