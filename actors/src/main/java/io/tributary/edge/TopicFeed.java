package io.tributary.edge;

import io.tributary.eventlog.EventLogException;
import io.tributary.eventlog.LogEvent;
import io.tributary.eventlog.LogEventCodec;
import io.tributary.plan.PipelineListener;
import io.tributary.watch.EventType;
import io.tributary.watch.ObjectKey;
import io.tributary.watch.WatchEvent;
import io.tributary.watch.WatchEventSink;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The central service's side of the topic: turns each record into the watch event it carries and
 * hands it to the watch buffer, in the topic's order.
 *
 * <p>On start the consumer reads the compacted topic from its beginning: that <em>rebuild</em>
 * gives the pipeline the latest state of every object before anything can be deleted. Compaction
 * moves a cluster's SYNCED marker ahead of objects changed after it, so the markers read before
 * the consumer reached the end offsets of the start are held back and handed over only then: the
 * sync barrier (which holds every delete) opens on the whole rebuilt state, never on a part of
 * it. After the rebuild, markers pass in order, as from a watcher.
 *
 * <p>A tombstone whose delete event was compacted away is a delete by key. A record that cannot
 * be read is skipped with a warning naming its partition and offset; the rest keeps flowing.
 * Single-threaded: the consumer stream calls it.
 */
public final class TopicFeed {
  private static final Logger LOG = LoggerFactory.getLogger(TopicFeed.class);

  private final WatchEventSink sink;
  private final PipelineListener listener;
  private final Map<Integer, Long> lastOffsetAtStart; // partition → offset of its last record at start (absent: empty)
  private final List<WatchEvent> heldMarkers = new ArrayList<>();
  private long rebuilt;
  private long skipped;
  private volatile boolean caughtUp; // read by the guardian's commit timer

  /**
   * @param endOffsetsAtStart every partition's end offset when the service started (the rebuild reads up to it)
   */
  public TopicFeed(WatchEventSink sink, PipelineListener listener, Map<Integer, Long> endOffsetsAtStart) {
    this.sink = sink;
    this.listener = listener;
    this.lastOffsetAtStart = new HashMap<>();
    endOffsetsAtStart.forEach((p, end) -> {
      if (end > 0) {
        lastOffsetAtStart.put(p, end - 1);
      }
    });
    if (lastOffsetAtStart.isEmpty()) {
      releaseMarkers(); // an empty topic: nothing to rebuild
    }
  }

  /** True once every record present at start has been handed over. */
  public boolean caughtUp() {
    return caughtUp;
  }

  /** Records skipped as unreadable. */
  public long skipped() {
    return skipped;
  }

  /** Hands one record's event to the buffer (or holds it, for a marker during the rebuild). */
  public void accept(ConsumerRecord<String, byte[]> record) {
    WatchEvent event = eventOf(record);
    if (event != null) {
      if (event.isSynced() && !caughtUp) {
        heldMarkers.add(event);
      } else {
        offer(event);
      }
    }
    if (!caughtUp) {
      rebuilt++;
      Long last = lastOffsetAtStart.get(record.partition());
      if (last != null && record.offset() >= last) {
        lastOffsetAtStart.remove(record.partition());
        if (lastOffsetAtStart.isEmpty()) {
          LOG.info("rebuilt the state of every object from {} records of the topic; releasing {} sync markers",
              rebuilt, heldMarkers.size());
          releaseMarkers();
        }
      }
    }
  }

  private void releaseMarkers() {
    caughtUp = true;
    heldMarkers.forEach(this::offer);
    heldMarkers.clear();
  }

  private void offer(WatchEvent event) {
    sink.offer(event);
    if (event.isSynced()) {
      listener.clusterState(event.key().cluster(), "synced", "its edge synced " + event.key().kind() + " (from the topic)");
    }
  }

  /** The watch event a record carries, or null (skipped: unreadable, or not a watch event). */
  WatchEvent eventOf(ConsumerRecord<String, byte[]> record) {
    String where = record.topic() + "/" + record.partition() + "@" + record.offset();
    if (record.value() == null) {
      String[] parts = record.key() == null ? new String[0] : record.key().split("/", -1);
      if (parts.length != 4) {
        return null; // a marker's tombstone (never published) or a foreign key: nothing to delete
      }
      return new WatchEvent(new ObjectKey(parts[0], parts[1], parts[2], parts[3]), EventType.DELETED, null, null);
    }
    try {
      LogEvent line = LogEventCodec.decode(record.value(), where);
      if (!line.type().isWatch()) {
        return null;
      }
      return line.toWatchEvent();
    } catch (EventLogException | IllegalArgumentException | IllegalStateException e) {
      skipped++;
      LOG.warn("skipping unreadable record {} (key {}): {}", where, record.key(), e.getMessage());
      return null;
    }
  }
}
