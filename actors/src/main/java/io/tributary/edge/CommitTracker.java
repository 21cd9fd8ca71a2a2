package io.tributary.edge;

import io.tributary.plan.ForwardingPipelineListener;
import io.tributary.plan.PipelineListener;
import io.tributary.watch.ObjectKey;
import io.tributary.watch.WatchEvent;
import java.util.HashMap;
import java.util.Map;

/**
 * Decides which consumed offsets the central service may commit: only those whose events every
 * target has acknowledged, so a commit never runs ahead of the writes (at-least-once end to end).
 *
 * <p>The scheme, kept simple to be obviously right: the pipeline is <em>idle</em> when the watch
 * buffer holds nothing, no object is between the buffer and the diff (taken but not yet planned:
 * in debounce, held by damping, being translated), and every change set sent to a writer has been
 * acked. Every event consumed before an idle moment has then been planned and its changes acked
 * (a coalesced event through the newer state that superseded it). At each {@link #tick} the
 * offsets consumed so far are noted with whether the pipeline is idle; the offsets noted at the
 * previous tick are committable when the pipeline was idle then and now and nothing at all
 * happened in between (which rules out catching the diff between planning an event and handing
 * on its change sets). Under continuous load commits wait for a pause; a restart re-reads the
 * compacted topic from its start anyway (the rebuild), so a late commit costs only lag metrics,
 * never an event.
 *
 * @param <O> the consumer's offset type (a committable offset per partition)
 */
public final class CommitTracker<O> {
  private final Map<Integer, O> consumed = new HashMap<>();
  // objects taken from the buffer and not yet planned, with how many of their events are in flight
  private final Map<ObjectKey, Integer> inPipeline = new HashMap<>();
  private long inBuffer;
  private long sent;
  private long acked;
  private long activity;
  private boolean lastIdle;
  private long lastActivity = -1;
  private Map<Integer, O> lastSnapshot = Map.of();
  private Map<Integer, O> committed = Map.of();

  /** The record at {@code offset} of {@code partition} has been handed to the watch buffer (or skipped). */
  public synchronized void consumed(int partition, O offset) {
    consumed.put(partition, offset);
    activity++;
  }

  /** A change set is on its way to its writer. */
  public synchronized void sent() {
    sent++;
    activity++;
  }

  /** A writer acknowledged a change set. */
  public synchronized void acked() {
    acked++;
    activity++;
  }

  /** True when nothing consumed is still on its way to a target. */
  public synchronized boolean idle() {
    return inBuffer == 0 && inPipeline.isEmpty() && sent == acked;
  }

  /**
   * Called every {@code commit-interval}: the offsets (latest per partition) that may be committed
   * now, or an empty map when there is nothing new to commit.
   */
  public synchronized Map<Integer, O> tick() {
    boolean idle = idle();
    Map<Integer, O> commit = Map.of();
    if (idle && lastIdle && activity == lastActivity && !lastSnapshot.equals(committed)) {
      commit = lastSnapshot;
      committed = lastSnapshot;
    }
    lastIdle = idle;
    lastActivity = activity;
    lastSnapshot = Map.copyOf(consumed);
    return commit;
  }

  /**
   * The stream has drained (its buffer completed and emptied, every change acked): everything
   * consumed may be committed, if the pipeline is indeed idle; otherwise nothing.
   */
  public synchronized Map<Integer, O> drained() {
    return idle() && !consumed.equals(committed) ? Map.copyOf(consumed) : Map.of();
  }

  /** A commit failed: its offsets are offered again at a later tick. */
  public synchronized void commitFailed() {
    committed = Map.of();
  }

  private synchronized void offered() {
    inBuffer++;
    activity++;
  }

  private synchronized void coalescedInBuffer() {
    inBuffer--;
    activity++;
  }

  private synchronized void taken(ObjectKey key) {
    inBuffer--;
    inPipeline.merge(key, 1, Integer::sum);
    activity++;
  }

  private synchronized void coalescedInDebounce(ObjectKey key) {
    inPipeline.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
    activity++;
  }

  private synchronized void planning(WatchEvent event) {
    if (event.isSynced() || event.isReconfigured()) {
      inPipeline.remove(event.key()); // a newer marker may replace an older one in debounce unannounced
    } else {
      inPipeline.computeIfPresent(event.key(), (k, n) -> n <= 1 ? null : n - 1);
    }
    activity++;
  }

  /** {@code next}, with this tracker hearing the buffer, debounce and diff first. */
  public PipelineListener listening(PipelineListener next) {
    return new Listening(next);
  }

  /** Records, then passes on; every method of the interface is forwarded. */
  private final class Listening extends ForwardingPipelineListener {
    Listening(PipelineListener next) {
      super(next);
    }

    @Override
    public void coalescedInBuffer(ObjectKey key) {
      CommitTracker.this.coalescedInBuffer();
      super.coalescedInBuffer(key);
    }

    @Override
    public void coalescedInDebounce(ObjectKey key) {
      CommitTracker.this.coalescedInDebounce(key);
      super.coalescedInDebounce(key);
    }

    @Override
    public void offered(WatchEvent event) {
      CommitTracker.this.offered();
      super.offered(event);
    }

    @Override
    public void taken(WatchEvent event) {
      CommitTracker.this.taken(event.key());
      super.taken(event);
    }

    @Override
    public void planning(WatchEvent event) {
      CommitTracker.this.planning(event);
      super.planning(event);
    }
  }
}
