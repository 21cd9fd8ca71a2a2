package io.tributary.edge;

import io.tributary.settings.KafkaSettings;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.utils.Utils;

/**
 * The edge mode's topic: its key scheme, its partitioning by cluster, and its creation when
 * missing. Keys are {@code cluster/kind/namespace/name} for objects (namespace empty for
 * cluster-scoped ones) and {@code cluster/kind} for a SYNCED marker, so compaction keeps the
 * latest state of every object and the latest marker of every cluster and kind.
 */
public final class EventTopic {
  private EventTopic() {}

  /** The record key of an object. */
  public static String objectKey(String cluster, String kind, String namespace, String name) {
    return cluster + "/" + kind + "/" + namespace + "/" + name;
  }

  /** The record key of a cluster's SYNCED marker of {@code kind}. */
  public static String markerKey(String cluster, String kind) {
    return cluster + "/" + kind;
  }

  /** The cluster a record key names (its first segment). */
  public static String clusterOf(String key) {
    int slash = key.indexOf('/');
    return slash < 0 ? key : key.substring(0, slash);
  }

  /**
   * The partition every event of {@code cluster} goes to: one per cluster, so the consumer sees a
   * cluster's events (objects, deletes, its SYNCED markers) in the order the edge published them.
   */
  public static int partitionOf(String cluster, int partitions) {
    return Utils.toPositive(Utils.murmur2(cluster.getBytes(java.nio.charset.StandardCharsets.UTF_8))) % partitions;
  }

  /**
   * The topic's partition count, creating the topic first when it is missing and the settings
   * allow it: compacted, never compacting events younger than the replay window, tombstones kept
   * for the tombstone retention. Fails with one line when it is missing and may not be created, or
   * the brokers cannot be reached within 30 s.
   */
  public static int ensure(KafkaSettings settings) {
    Map<String, Object> props = new HashMap<>(settings.clientProperties());
    props.put("request.timeout.ms", 10_000);
    props.put("default.api.timeout.ms", 30_000);
    try (Admin admin = Admin.create(props)) {
      try {
        return describe(admin, settings.topic());
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
          throw e;
        }
      }
      if (!settings.createTopic()) {
        throw new IllegalArgumentException("topic " + settings.topic() + " does not exist at " + settings.bootstrapServers()
            + " and tributary.kafka.create-topic is false");
      }
      NewTopic topic = new NewTopic(settings.topic(), settings.partitions(), settings.replicationFactor()).configs(topicConfig(settings));
      try {
        admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) { // another edge created it meanwhile
          throw e;
        }
      }
      // a topic just created is known to every broker a moment later
      return untilKnown(() -> describe(admin, settings.topic()));
    } catch (ExecutionException e) {
      throw new IllegalArgumentException("Kafka topic " + settings.topic() + " at " + settings.bootstrapServers() + ": "
          + e.getCause().getMessage());
    } catch (TimeoutException e) {
      throw new IllegalArgumentException("Kafka at " + settings.bootstrapServers() + " did not answer within 30 s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Ensures the topic ({@link #ensure}) and answers every partition's end offset now: where the
   * central service's rebuild ends.
   */
  public static Map<Integer, Long> endOffsets(KafkaSettings settings) {
    int partitions = ensure(settings);
    Map<String, Object> props = new HashMap<>(settings.clientProperties());
    try (Admin admin = Admin.create(props)) {
      Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new HashMap<>();
      for (int p = 0; p < partitions; p++) {
        latest.put(new org.apache.kafka.common.TopicPartition(settings.topic(), p), org.apache.kafka.clients.admin.OffsetSpec.latest());
      }
      Map<Integer, Long> ends = new java.util.TreeMap<>();
      untilKnown(() -> admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS))
          .forEach((tp, info) -> ends.put(tp.partition(), info.offset()));
      return ends;
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalArgumentException("Kafka at " + settings.bootstrapServers() + ": cannot read the end offsets of "
          + settings.topic() + ": " + (e.getCause() == null ? e : e.getCause()).getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * The objects of {@code clusters} the topic holds as live now (their latest record is not a
   * delete or tombstone), by record key: what an edge published before it restarted. The edge
   * deletes those its relist no longer finds (objects deleted while it was down), which no watch
   * event would ever tell.
   */
  public static java.util.Set<String> liveKeys(KafkaSettings settings, java.util.Collection<String> clusters, int partitions) {
    Map<String, Object> props = new HashMap<>(settings.clientProperties());
    props.put("enable.auto.commit", "false");
    Map<String, Boolean> live = new HashMap<>();
    try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(props,
        new org.apache.kafka.common.serialization.StringDeserializer(), new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
      List<org.apache.kafka.common.TopicPartition> parts = clusters.stream().map(c -> partitionOf(c, partitions)).distinct()
          .map(p -> new org.apache.kafka.common.TopicPartition(settings.topic(), p)).toList();
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      var ends = consumer.endOffsets(parts, java.time.Duration.ofSeconds(30));
      while (parts.stream().anyMatch(tp -> consumer.position(tp, java.time.Duration.ofSeconds(30)) < ends.get(tp))) {
        for (var r : consumer.poll(java.time.Duration.ofMillis(500))) {
          String key = r.key();
          if (key == null || key.split("/", -1).length != 4 || !clusters.contains(clusterOf(key))) {
            continue; // a marker, or another cluster sharing the partition
          }
          boolean deleted;
          try {
            deleted = r.value() == null || io.tributary.eventlog.LogEventCodec.decode(r.value(), key).type()
                == io.tributary.eventlog.LogEventType.DELETED;
          } catch (RuntimeException unreadable) {
            continue; // skipped by the central service too
          }
          live.put(key, !deleted);
        }
      }
    } catch (org.apache.kafka.common.KafkaException e) {
      throw new IllegalArgumentException("Kafka at " + settings.bootstrapServers() + ": cannot read " + settings.topic() + ": "
          + e.getMessage());
    }
    java.util.Set<String> out = new java.util.TreeSet<>();
    live.forEach((k, v) -> {
      if (v) {
        out.add(k);
      }
    });
    return out;
  }

  /** The topic configuration of a created topic (documented in docs/operations.md, "Edge mode"). */
  public static Map<String, String> topicConfig(KafkaSettings settings) {
    return Map.of(
        "cleanup.policy", "compact",
        "min.compaction.lag.ms", String.valueOf(settings.replayWindow().toMillis()),
        "delete.retention.ms", String.valueOf(settings.tombstoneRetention().toMillis()),
        "message.timestamp.type", "CreateTime");
  }

  private interface Lookup<T> {
    T get() throws ExecutionException, InterruptedException, TimeoutException;
  }

  /** {@code lookup}, asked again for up to 30 s while the brokers do not know the topic yet. */
  private static <T> T untilKnown(Lookup<T> lookup) throws ExecutionException, InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        return lookup.get();
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(100); // start-up only, before any actor runs
      }
    }
  }

  private static int describe(Admin admin, String topic) throws ExecutionException, InterruptedException, TimeoutException {
    return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions().size();
  }
}
