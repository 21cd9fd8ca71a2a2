package io.tributary.edge;

import io.tributary.eventlog.LogEvent;
import io.tributary.eventlog.LogEventCodec;
import io.tributary.settings.KafkaSettings;
import io.tributary.watch.WatchBuffer;
import io.tributary.watch.WatchBufferSource;
import io.tributary.watch.WatchEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.kafka.ProducerMessage;
import org.apache.pekko.kafka.ProducerSettings;
import org.apache.pekko.kafka.javadsl.Producer;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The edge process's stream: the watch buffer drained into the topic, one record per event in the
 * event log's JSON (a delete is followed by its tombstone). It pulls from the buffer only as fast
 * as Kafka acknowledges, so a slow or absent broker slows the watch side, where the buffer
 * coalesces each object's changes instead of dropping any. The producer is idempotent and never
 * gives up on a record ({@code delivery.timeout.ms} unbounded): an outage delays, never loses.
 */
public final class EdgePublisher {
  /** Records sent but not yet acknowledged, at most; beyond it the buffer holds (and coalesces). */
  static final int IN_FLIGHT = 256;
  private static final java.util.Set<String> NEVER_PUBLISHED = java.util.Set.of("Secret");

  private EdgePublisher() {}

  /** What the publisher reports (metrics). */
  public interface Listener {
    /** {@code event} is durably in the topic (acknowledged by every in-sync replica). */
    void published(LogEvent event);

    /** The watch buffer's depth, sampled every second: what waits to be published. */
    default void bufferDepth(int depth) {}

    /** A listener that ignores everything. */
    Listener NONE = e -> {};
  }

  /** The producer settings: idempotent, acks=all, retried for as long as it takes. */
  public static ProducerSettings<String, byte[]> producerSettings(ClassicActorSystemProvider system, KafkaSettings settings) {
    Map<String, String> props = new HashMap<>();
    settings.clientProperties().forEach((k, v) -> props.put(k, String.valueOf(v)));
    props.put("enable.idempotence", "true");
    props.put("acks", "all");
    props.put("max.in.flight.requests.per.connection", "5");
    props.put("delivery.timeout.ms", String.valueOf(Integer.MAX_VALUE));
    props.put("retry.backoff.max.ms", "5000");
    props.put("linger.ms", "5");
    props.put("compression.type", "lz4");
    props.put("max.block.ms", String.valueOf(Long.MAX_VALUE));
    return ProducerSettings.create(system, new StringSerializer(), new ByteArraySerializer())
        .withProperties(props)
        .withParallelism(IN_FLIGHT);
  }

  /**
   * The stream from {@code buffer} to the topic ({@code partitions} partitions), emitting each
   * event once Kafka acknowledged it; it completes when the buffer is completed and drained.
   */
  public static Source<LogEvent, NotUsed> create(
      WatchBuffer buffer, String topic, int partitions, ProducerSettings<String, byte[]> producer, Clock clock, Listener listener) {
    return create(buffer, topic, partitions, producer, clock, listener, java.util.Set.of());
  }

  /**
   * As above; {@code published} are the object keys the topic holds as live from before this
   * process started ({@link EventTopic#liveKeys}): when a kind's relist ends (its SYNCED marker),
   * those of its keys the relist did not find are published as deleted, ahead of the marker — the
   * objects deleted while no edge watched.
   */
  public static Source<LogEvent, NotUsed> create(
      WatchBuffer buffer, String topic, int partitions, ProducerSettings<String, byte[]> producer, Clock clock, Listener listener,
      java.util.Set<String> published) {
    Flow<WatchEvent, WatchEvent, NotUsed> deleteVanished = Flow.of(WatchEvent.class).statefulMapConcat(() -> {
      Map<String, java.util.Set<io.tributary.watch.ObjectKey>> stale = new HashMap<>();
      for (String key : published) {
        String[] p = key.split("/", -1);
        stale.computeIfAbsent(EventTopic.markerKey(p[0], p[1]), k -> new java.util.TreeSet<>())
            .add(new io.tributary.watch.ObjectKey(p[0], p[1], p[2], p[3]));
      }
      return e -> {
        if (e.isReconfigured()) {
          return List.of(e);
        }
        String kind = EventTopic.markerKey(e.key().cluster(), e.key().kind());
        if (!e.isSynced()) {
          var keys = stale.get(kind);
          if (keys != null) {
            keys.remove(e.key());
          }
          return List.of(e);
        }
        var gone = stale.remove(kind);
        if (gone == null || gone.isEmpty()) {
          return List.of(e);
        }
        List<WatchEvent> out = new java.util.ArrayList<>();
        gone.forEach(k -> out.add(new WatchEvent(k, io.tributary.watch.EventType.DELETED, null, null)));
        out.add(e);
        return out;
      };
    });
    Flow<WatchEvent, ProducerMessage.Envelope<String, byte[], LogEvent>, NotUsed> toRecords =
        Flow.of(WatchEvent.class)
            .filter(e -> !e.isReconfigured() && !NEVER_PUBLISHED.contains(e.key().kind()))
            .statefulMapConcat(() -> {
              Instant[] last = {Instant.EPOCH};
              return e -> {
                // stamped as published, never going backwards: a replayed window runs in this order
                Instant now = clock.instant();
                Instant at = now.isBefore(last[0]) ? last[0] : now;
                last[0] = at;
                return List.of(envelope(topic, partitions, LogEvent.recorded(at, e), e));
              };
            });
    return WatchBufferSource.of(buffer)
        .via(deleteVanished)
        .via(toRecords)
        .via(Producer.flexiFlow(producer))
        .map(results -> {
          listener.published(results.passThrough());
          return results.passThrough();
        });
  }

  /** One event's records: the event, and after a delete its tombstone. */
  static ProducerMessage.Envelope<String, byte[], LogEvent> envelope(String topic, int partitions, LogEvent line, WatchEvent e) {
    return ProducerMessage.multi(records(topic, partitions, line, e.key()), line);
  }

  /**
   * The records of {@code line}, the event of {@code key}: keyed and partitioned as {@link
   * EventTopic} says, stamped with the event's time; a delete is followed by its tombstone (the
   * delete first, so consumers and replays see what was deleted; then compaction forgets it).
   */
  public static List<ProducerRecord<String, byte[]>> records(String topic, int partitions, LogEvent line, io.tributary.watch.ObjectKey key) {
    String k = line.type() == io.tributary.eventlog.LogEventType.SYNCED ? EventTopic.markerKey(key.cluster(), key.kind())
        : EventTopic.objectKey(key.cluster(), key.kind(), key.namespace(), key.name());
    int partition = EventTopic.partitionOf(key.cluster(), partitions);
    long timestamp = line.at().toEpochMilli();
    var record = new ProducerRecord<>(topic, partition, timestamp, k, LogEventCodec.encode(line));
    if (line.type() == io.tributary.eventlog.LogEventType.DELETED) {
      return List.of(record, new ProducerRecord<String, byte[]>(topic, partition, timestamp, k, (byte[]) null));
    }
    return List.of(record);
  }
}
