package io.tributary.watch;

/** Where watchers deliver events: the pipeline's buffer, a recorder, or both. Never blocks. */
@FunctionalInterface
public interface WatchEventSink {

  /** Accepts one event; must return quickly (informer callbacks call it). */
  void offer(WatchEvent event);

  /** Delivers every event to both sinks, {@code this} first. */
  default WatchEventSink andThen(WatchEventSink other) {
    return e -> {
      offer(e);
      other.offer(e);
    };
  }
}
