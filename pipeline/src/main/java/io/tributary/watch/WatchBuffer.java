package io.tributary.watch;


import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The per-object coalescing buffer between informer callbacks and the stream (client-go's
 * workqueue idea): offering never blocks and never drops; a pending event for the same object is
 * replaced by the newer one. Memory is bounded by the number of objects, not the event rate.
 *
 * <p>Thread-safe: informers offer from their own threads, the stream polls from its own.
 */
public final class WatchBuffer implements WatchEventSink {

  /**
   * Told what happens in the buffer (the pipeline's listener is one). Called under the buffer's
   * lock, so that offers and takes of one object are heard in the order they happened: keep it cheap.
   */
  public interface Listener {
    /** An offered event replaced a pending one for the same object. */
    void coalescedInBuffer(ObjectKey key);

    /** {@code event} was offered: the moment a watcher handed it over (where its lag starts). */
    default void offered(WatchEvent event) {}

    /** The stream took {@code event}, every state offered since the object's last take merged in. */
    default void taken(WatchEvent event) {}
  }


  private final LinkedHashMap<ObjectKey, WatchEvent> pending = new LinkedHashMap<>();
  private final Listener listener;
  private Runnable onAvailable = () -> {};
  private boolean completed;
  private long offered;
  private long coalesced;
  private int highWater;

  public WatchBuffer(Listener listener) {
    this.listener = listener;
  }

  /**
   * Adds an event, merging it with a pending one for the same object: a delete wins over a pending
   * add or update; an add stays an add when updated before the stream took it; otherwise the newer
   * event replaces the older. The object keeps its place in the queue.
   */
  @Override
  public void offer(WatchEvent event) {
    Runnable signal;
    synchronized (this) {
      if (completed) {
        throw new IllegalStateException("watch buffer is completed; " + event.key() + " not accepted");
      }
      offered++;
      WatchEvent previous = pending.get(event.key());
      if (previous == null) {
        pending.put(event.key(), event);
      } else {
        coalesced++;
        pending.put(event.key(), merge(previous, event));
      }
      highWater = Math.max(highWater, pending.size());
      signal = onAvailable;
      listener.offered(event);
      if (previous != null) {
        listener.coalescedInBuffer(event.key());
      }
    }
    signal.run();
  }

  private static WatchEvent merge(WatchEvent previous, WatchEvent next) {
    if (previous.type() == EventType.ADDED && next.type() == EventType.MODIFIED) {
      return new WatchEvent(next.key(), EventType.ADDED, next.resourceVersion(), next.object());
    }
    return next;
  }

  /** Takes the oldest pending event, or null if none. */
  public synchronized WatchEvent poll() {
    Iterator<Map.Entry<ObjectKey, WatchEvent>> it = pending.entrySet().iterator();
    if (!it.hasNext()) {
      return null;
    }
    WatchEvent e = it.next().getValue();
    it.remove();
    listener.taken(e);
    return e;
  }

  /** No more events will be offered; the source completes once the buffer is drained. */
  public void complete() {
    Runnable signal;
    synchronized (this) {
      completed = true;
      signal = onAvailable;
    }
    signal.run();
  }

  /** True once completed and every pending event has been taken: the source may complete. */
  public synchronized boolean isDrained() {
    return completed && pending.isEmpty();
  }

  /** Number of objects with a pending event (the buffer's depth, a metric). */
  public synchronized int depth() {
    return pending.size();
  }

  /** Largest depth seen. */
  public synchronized int highWater() {
    return highWater;
  }

  public synchronized long offered() {
    return offered;
  }

  public synchronized long coalesced() {
    return coalesced;
  }

  /** Registers the callback the source stage uses to learn that events (or completion) arrived. */
  synchronized void onAvailable(Runnable callback) {
    this.onAvailable = callback;
  }
}
