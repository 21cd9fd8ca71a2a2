package io.tributary.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.eventlog.LogEvent;
import io.tributary.eventlog.LogEventCodec;
import io.tributary.eventlog.LogEventType;
import io.tributary.plan.PipelineListener;
import io.tributary.watch.EventType;
import io.tributary.watch.WatchEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The rebuild holds every SYNCED marker until the topic's start-time end is reached; tombstones delete by key. */
class TopicFeedTest {
  private static final Instant T = Instant.parse("2026-12-07T03:00:00Z");
  private final List<WatchEvent> offered = new ArrayList<>();

  private static ConsumerRecord<String, byte[]> record(int partition, long offset, String key, LogEvent e) {
    return new ConsumerRecord<>("t", partition, offset, key, e == null ? null : LogEventCodec.encode(e));
  }

  private static LogEvent ingress(String name) {
    var o = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    o.put("apiVersion", "networking.k8s.io/v1").put("kind", "Ingress");
    o.putObject("metadata").put("name", name).put("namespace", "ns").put("resourceVersion", "1");
    return LogEvent.watch(T, "eu-1", LogEventType.ADDED, o);
  }

  @Test
  void markersReadDuringTheRebuildWaitUntilEveryPartitionReachedItsEndAtStart() {
    var feed = new TopicFeed(offered::add, PipelineListener.NONE, Map.of(0, 3L, 1, 1L, 2, 0L));
    feed.accept(record(0, 0, "eu-1/Ingress", LogEvent.synced(T, "eu-1", "Ingress"))); // compaction put it first
    feed.accept(record(0, 1, "eu-1/Ingress/ns/a", ingress("a")));
    assertThat(offered).extracting(WatchEvent::type).containsExactly(EventType.ADDED);
    feed.accept(record(1, 0, "eu-2/Ingress", LogEvent.synced(T, "eu-2", "Ingress")));
    assertThat(feed.caughtUp()).isFalse();
    feed.accept(record(0, 2, "eu-1/Ingress/ns/b", ingress("b")));
    // the last record present at start: the whole state is in, the markers follow it
    assertThat(feed.caughtUp()).isTrue();
    assertThat(offered).extracting(e -> e.type() + " " + e.key())
        .containsExactly("ADDED eu-1/Ingress/ns/a", "ADDED eu-1/Ingress/ns/b", "SYNCED eu-1/Ingress/", "SYNCED eu-2/Ingress/");
    // after the rebuild markers pass in order
    feed.accept(record(1, 1, "eu-2/Ingress", LogEvent.synced(T, "eu-2", "Ingress")));
    assertThat(offered).last().extracting(WatchEvent::type).isEqualTo(EventType.SYNCED);
  }

  @Test
  void aTombstoneIsADeleteByKeyAndAnUnreadableRecordIsSkipped() {
    var feed = new TopicFeed(offered::add, PipelineListener.NONE, Map.of());
    assertThat(feed.caughtUp()).as("an empty topic has nothing to rebuild").isTrue();
    feed.accept(record(0, 5, "eu-1/Ingress/ns/a", null));
    feed.accept(new ConsumerRecord<>("t", 0, 6, "eu-1/Ingress/ns/b", "{not json".getBytes()));
    feed.accept(record(0, 7, "eu-1/Ingress/ns/c", ingress("c")));
    assertThat(offered).extracting(e -> e.type() + " " + e.key())
        .containsExactly("DELETED eu-1/Ingress/ns/a", "ADDED eu-1/Ingress/ns/c");
    assertThat(feed.skipped()).isEqualTo(1);
  }
}
