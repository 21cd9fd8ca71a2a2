package io.tributary.edge;

import io.tributary.eventlog.EventLogException;
import io.tributary.eventlog.LogEvent;
import io.tributary.eventlog.LogEventCodec;
import io.tributary.settings.KafkaSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A time window of the edge topic as an event log: every event with {@code since <= at < until},
 * in the order of {@code at} (ties by cluster, then topic position), so a window replays the same
 * way every time. Each partition is read from the first record stamped at or after {@code since}
 * to its end when the read began; tombstones are skipped (the delete before each carries the
 * event). Only what compaction has kept can be read: within {@code kafka.replay-window} that is
 * everything.
 */
public final class TopicWindow {
  private TopicWindow() {}

  /** One event and where it was read, for the order of ties. */
  private record Read(LogEvent event, int partition, long offset) {}

  /** The window's events, in replay order. A record that cannot be read fails, naming its position. */
  public static List<LogEvent> read(KafkaSettings settings, String topic, Instant since, Instant until) {
    Map<String, Object> props = new HashMap<>(settings.clientProperties());
    props.put("enable.auto.commit", "false");
    props.put("auto.offset.reset", "earliest");
    List<Read> window = new ArrayList<>();
    try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
      if (infos == null || infos.isEmpty()) {
        throw new IllegalArgumentException("topic " + topic + " does not exist at " + settings.bootstrapServers());
      }
      List<TopicPartition> parts = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
      consumer.assign(parts);
      Map<TopicPartition, Long> ends = consumer.endOffsets(parts, Duration.ofSeconds(30));
      Map<TopicPartition, Long> at = new HashMap<>();
      parts.forEach(p -> at.put(p, since.toEpochMilli()));
      Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(at, Duration.ofSeconds(30));
      List<TopicPartition> reading = new ArrayList<>();
      for (TopicPartition p : parts) {
        OffsetAndTimestamp start = starts.get(p);
        if (start != null && start.offset() < ends.get(p)) {
          consumer.seek(p, start.offset());
          reading.add(p);
        }
      }
      consumer.assign(reading);
      while (reading.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
        for (var r : consumer.poll(Duration.ofMillis(500))) {
          if (r.value() == null || r.offset() >= ends.get(new TopicPartition(r.topic(), r.partition()))) {
            continue;
          }
          LogEvent e = LogEventCodec.decode(r.value(), topic + "/" + r.partition() + "@" + r.offset());
          if (!e.at().isBefore(since) && e.at().isBefore(until)) {
            window.add(new Read(e, r.partition(), r.offset()));
          }
        }
      }
    } catch (EventLogException e) {
      throw e;
    }
    window.sort(Comparator.comparing((Read r) -> r.event().at())
        .thenComparing(r -> r.event().cluster() == null ? "" : r.event().cluster())
        .thenComparingInt(Read::partition)
        .thenComparingLong(Read::offset));
    return window.stream().map(Read::event).toList();
  }
}
