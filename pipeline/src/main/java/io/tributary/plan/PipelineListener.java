package io.tributary.plan;

import io.tributary.watch.WatchBuffer;
import io.tributary.watch.WatchEvent;
import io.tributary.watch.ObjectKey;

import io.tributary.target.ChangeSet;

/**
 * What the pipeline reports as it runs: the seam for metrics, the status page and replay
 * summaries. Called from stream stages, so implementations must be cheap and never block.
 */
public interface PipelineListener extends WatchBuffer.Listener {

  /** An offered event replaced a pending one for the same object in the watch buffer. */
  @Override
  default void coalescedInBuffer(ObjectKey key) {}

  /** An event was absorbed by the debounce window (a later state of the object superseded it). */
  default void coalescedInDebounce(ObjectKey key) {}

  /**
   * An object flaps: its penalty crossed {@code debounce.damping.suppress}, and its changes are held
   * from now on until it is {@link #released}.
   */
  default void damped(ObjectKey key) {}

  /** A change of a damped object was held instead of emitted (the one that damped it included). */
  default void heldByDamping(ObjectKey key) {}

  /**
   * A damped object was released after {@code heldFor} (its penalty decayed, its max-hold passed,
   * its cluster synced, or the stream drained): its latest state leaves debounce now, after
   * {@code held} changes were held.
   */
  default void released(ObjectKey key, int held, java.time.Duration heldFor) {}

  /** An object's latest state left the debounce stage. */
  default void debounced(WatchEvent event) {}

  /** An object was translated and accepted; {@code warnings} may be empty. */
  default void accepted(ObjectKey key, int routes, java.util.List<String> warnings) {}

  /**
   * An object was partly accepted: {@code routes} are in force, {@code rejectedParts} (rules,
   * paths or routes, each with its JSON path and reason) were rejected on their own; {@code kept}
   * of those routes are ones a rejected part last had, kept in force until it is fixed or
   * removed. By default heard as {@link #accepted}, for listeners that only count objects.
   */
  default void partlyAccepted(ObjectKey key, int routes, java.util.List<String> warnings,
      java.util.List<io.tributary.translate.Translation.RejectedPart> rejectedParts, int kept) {
    accepted(key, routes, warnings);
  }

  /**
   * {@code key}'s first translation since the restart rejected it, wholly or some of its parts, and
   * it had no routes in force yet: {@code routes} of its last accepted routes from before the restart
   * ({@code tributary.last-accepted}) stay in force. Told after {@link #rejected} or {@link #partlyAccepted}.
   */
  default void keptFromBeforeRestart(ObjectKey key, int routes) {}

  /**
   * The routes in force of {@code key} changed: {@code routes} with, for each in order, the JSON path
   * of the part that declared it ({@code parts}, empty when not tracked); no routes = withdrawn. What
   * the running service keeps in the {@code tributary.last-accepted} file.
   */
  default void routesInForce(ObjectKey key, java.util.List<io.tributary.translate.Route> routes, java.util.List<String> parts) {}

  /** An object is not ours (class filter, opt-out, untranslated kind). */
  default void ignored(ObjectKey key, String reason) {}

  /** An object was rejected; its last accepted routes (if any) stay in force. */
  default void rejected(ObjectKey key, String reason) {}

  /** An object was deleted (its rejection, if any, is gone with it). */
  default void deleted(ObjectKey key) {}

  /**
   * The current planner notes of one unit ({@code consul:<group>} or {@code dns:<host>}):
   * conflicts, skipped DNS names, options that could not be expressed. Empty clears them.
   */
  default void unitNotes(String unit, java.util.List<String> notes) {}

  /** Deletes are being held back until the named clusters have synced. */
  default void deletesHeld(int count, java.util.Set<String> waitingFor) {}

  /**
   * The diff stage starts planning {@code event} (an object's latest state, or a marker): the
   * {@link #planned} reports until the next call are its changes.
   */
  default void planning(WatchEvent event) {}

  /**
   * {@code target}'s change policy (or, for DNS, that of the records' zone) withholds {@code
   * changes}: they are never handed to its writer, and what the target holds stays as it is.
   */
  default void withheld(io.tributary.target.Target target, io.tributary.target.ChangePolicy policy,
      java.util.List<io.tributary.target.Change> changes) {}

  /** A change set is about to be handed to its writer. */
  default void planned(ChangeSet changes) {}

  /**
   * A cluster's watch changed state: {@code starting}, {@code synced}, {@code failed} (with the
   * reason, e.g. credentials refused; it is retried with backoff), {@code stalled} (a kind's
   * watch stopped delivering; it is relisted, then {@code synced} again), {@code disconnected}
   * (a watch has been closed for a while and is reconnecting; {@code synced} again once every
   * watch is open), {@code removed}.
   */
  default void clusterState(String cluster, String state, String detail) {}

  /**
   * A cluster's watch of {@code kind} stopped delivering while the API server has newer versions
   * of its objects; its informer is restarted with a relist.
   */
  default void watchStalled(String cluster, String kind, String reason) {}

  /** A kind cannot be watched in a cluster (its CRD is not installed); the rest is watched. */
  default void kindMissing(String cluster, String kind, String reason) {}

  /** The watch buffer's depth, sampled periodically by the running service. */
  default void bufferDepth(int depth) {}

  /**
   * The routing stream has ended: drained after its watch buffer completed ({@code failure} null),
   * or failed. Nothing is planned or written after this.
   */
  default void pipelineStopped(Throwable failure) {}

  /** A listener that ignores everything. */
  PipelineListener NONE = new PipelineListener() {};
}
