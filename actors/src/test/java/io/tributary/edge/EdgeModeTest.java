package io.tributary.edge;

import static io.tributary.watch.MockCluster.ingress;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tributary.plan.PipelineListener;
import io.tributary.service.PipelineGuardian;
import io.tributary.service.ServiceGuardian;
import io.tributary.service.TargetWriters;
import io.tributary.settings.KafkaSettings;
import io.tributary.settings.TributarySettings;
import io.tributary.target.Target;
import io.tributary.target.TargetRecord;
import io.tributary.testkit.ConsulDouble;
import io.tributary.testkit.KafkaBrokerExtension;
import io.tributary.watch.MockCluster;
import io.tributary.writer.InMemoryTargetWriter;
import io.tributary.writer.WriteObserver;
import io.tributary.writer.WriterProtocol;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Edge mode end to end against a real Kafka broker (KRaft, child JVM): two edge processes over two
 * mock clusters publish to the topic, a central service consumes it into the targets.
 */
class EdgeModeTest {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
  private static final Duration WAIT = Duration.ofSeconds(60);

  private final String topic = "events-" + UUID.randomUUID();
  private final Map<String, MockCluster> clusters = new TreeMap<>();
  private final List<ActorTestKit> kits = new ArrayList<>();
  private final List<AutoCloseable> closing = new ArrayList<>();

  EdgeModeTest() {
    for (String name : List.of("eu-1", "eu-2")) {
      clusters.put(name, new MockCluster(MockCluster.Mode.TRAEFIK));
    }
  }

  @AfterEach
  void stopAll() throws Exception {
    if (!KAFKA.broker().isRunning()) {
      KAFKA.broker().startAgain(); // first: the next test needs it whatever fails below
    }
    for (ActorTestKit kit : kits) {
      try {
        kit.shutdownTestKit();
      } catch (RuntimeException e) {
        System.err.println("actor system did not stop in time: " + e.getMessage().lines().findFirst().orElse(""));
      }
    }
    for (AutoCloseable c : closing) {
      c.close();
    }
    clusters.values().forEach(MockCluster::close);
  }

  /** The central service's targets once they have not changed for a second. */
  private static Map<Target, SortedMap<String, TargetRecord>> settled(Central central) {
    Map<Target, SortedMap<String, TargetRecord>> last = new EnumMap<>(Target.class);
    await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).until(() -> {
      var now = statesOf(central);
      boolean same = now.equals(last);
      last.clear();
      last.putAll(now);
      return same;
    });
    return last;
  }

  // ---- configuration

  private Config config(String extra, String... clusterNames) {
    StringBuilder cl = new StringBuilder();
    for (String c : clusterNames) {
      cl.append(c).append(".endpoints { addresses = [\"192.0.2.").append(c.equals("eu-1") ? 11 : 21).append("\"], port = 8080 }\n");
    }
    return ConfigFactory.parseString("""
        tributary {
          debounce { quiet = 50ms, max-delay = 500ms }
          writer.ask-timeout = 1s
          watch { min-backoff = 200ms, max-backoff = 2s, removal-grace = 500ms }
          kafka { bootstrap-servers = "%s", topic = "%s", partitions = 3, replication-factor = 1, commit-interval = 200ms }
          %s
          clusters { %s }
        }
        """.formatted(KAFKA.bootstrapServers(), topic, extra, cl)).withFallback(ConfigFactory.load()).resolve();
  }

  private ActorTestKit kit() {
    ActorTestKit kit = ActorTestKit.create();
    kits.add(kit);
    return kit;
  }

  // ---- the processes

  /** One edge process (its own actor system) watching {@code cluster}. */
  private ActorTestKit startEdge(String cluster) {
    Config cfg = config("", cluster);
    var settings = TributarySettings.from(cfg);
    var kafka = KafkaSettings.from(cfg, true);
    int partitions = EventTopic.ensure(kafka);
    var live = EventTopic.liveKeys(kafka, settings.clusters().keySet(), partitions);
    ActorTestKit kit = kit();
    kit.spawn(EdgeGuardian.create(settings, kafka, partitions, live,
        s -> clusters.get(s.name()).server.createClient(), PipelineListener.NONE, EdgePublisher.Listener.NONE, Clock.systemUTC()));
    return kit;
  }

  /** The central service (its own actor system, as a process of its own) with {@code writers}. */
  private Central startCentral(String extra, Map<Target, Behavior<WriterProtocol.Command>> writers) {
    Config cfg = config("source = kafka\n" + extra, "eu-1", "eu-2");
    var settings = TributarySettings.from(cfg);
    var kafka = KafkaSettings.from(cfg, false);
    ActorTestKit kit = kit();
    var central = kit.spawn(CentralGuardian.create(settings, kafka, EventTopic.endOffsets(kafka), writers, PipelineListener.NONE));
    return new Central(kit, central);
  }

  /** As above, reporting to {@code listener} and starting from {@code lastAccepted}. */
  private Central startCentral(String extra, Map<Target, Behavior<WriterProtocol.Command>> writers, PipelineListener listener,
      io.tributary.plan.LastAccepted lastAccepted) {
    Config cfg = config("source = kafka\n" + extra, "eu-1", "eu-2");
    var settings = TributarySettings.from(cfg);
    var kafka = KafkaSettings.from(cfg, false);
    ActorTestKit kit = kit();
    var central = kit.spawn(CentralGuardian.create(settings, kafka, EventTopic.endOffsets(kafka), writers, listener, lastAccepted));
    return new Central(kit, central);
  }

  private Central startCentral(Map<Target, Behavior<WriterProtocol.Command>> writers) {
    return startCentral("", writers);
  }

  record Central(ActorTestKit kit, ActorRef<CentralGuardian.Command> ref) {
    SortedMap<String, TargetRecord> state(Target target) throws Exception {
      var writers = AskPattern.ask(ref, CentralGuardian.GetWriters::new, Duration.ofSeconds(5), kit.scheduler())
          .toCompletableFuture().get();
      return AskPattern.ask(writers.byTarget().get(target), WriterProtocol.GetState::new, Duration.ofSeconds(5), kit.scheduler())
          .toCompletableFuture().get().records();
    }

    /** Killed as a process is: the actor system goes, nothing is drained or committed. */
    void kill() {
      kit.shutdownTestKit();
    }

    void drain() throws Exception {
      AskPattern.<CentralGuardian.Command, Done>ask(ref, CentralGuardian.Drain::new, Duration.ofSeconds(30), kit.scheduler())
          .toCompletableFuture().get();
    }
  }

  private static Map<Target, Behavior<WriterProtocol.Command>> inMemoryWriters() {
    Map<Target, Behavior<WriterProtocol.Command>> writers = new EnumMap<>(Target.class);
    for (Target t : Target.values()) {
      writers.put(t, InMemoryTargetWriter.create(t, Clock.systemUTC(), WriteObserver.NONE));
    }
    return writers;
  }

  /** The single-process service over the same clusters, for comparison. */
  private Map<Target, SortedMap<String, TargetRecord>> singleProcessState(Runnable changes) throws Exception {
    Config cfg = config("", "eu-1", "eu-2");
    var settings = TributarySettings.from(cfg);
    ActorTestKit kit = kit();
    var service = kit.spawn(ServiceGuardian.create(settings, s -> clusters.get(s.name()).server.createClient(), inMemoryWriters(),
        PipelineListener.NONE, null));
    var pipeline = AskPattern.ask(service, ServiceGuardian.GetPipeline::new, Duration.ofSeconds(5), kit.scheduler())
        .toCompletableFuture().get();
    changes.run();
    Map<Target, SortedMap<String, TargetRecord>> last = new EnumMap<>(Target.class);
    // settled: the same state twice, a second apart
    await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).until(() -> {
      var now = statesOf(kit, pipeline);
      boolean same = now.equals(last) && !now.get(Target.CONSUL).isEmpty();
      last.clear();
      last.putAll(now);
      return same;
    });
    return last;
  }

  private static Map<Target, SortedMap<String, TargetRecord>> statesOf(ActorTestKit kit, ActorRef<PipelineGuardian.Command> pipeline)
      throws Exception {
    var writers = AskPattern.ask(pipeline, PipelineGuardian.GetWriters::new, Duration.ofSeconds(5), kit.scheduler())
        .toCompletableFuture().get();
    Map<Target, SortedMap<String, TargetRecord>> out = new EnumMap<>(Target.class);
    for (Target t : Target.values()) {
      out.put(t, AskPattern.ask(writers.byTarget().get(t), WriterProtocol.GetState::new, Duration.ofSeconds(5), kit.scheduler())
          .toCompletableFuture().get().records());
    }
    return out;
  }

  private static Map<Target, SortedMap<String, TargetRecord>> statesOf(Central central) throws Exception {
    Map<Target, SortedMap<String, TargetRecord>> out = new EnumMap<>(Target.class);
    for (Target t : Target.values()) {
      out.put(t, central.state(t));
    }
    return out;
  }

  // ---- the must-shows

  @Test
  void twoEdgesAndACentralServiceReachTheStateOfTheSingleProcessService() throws Exception {
    clusters.get("eu-1").apply(ingress("shop", "web", "www.example.com", "/", "10"));
    clusters.get("eu-2").apply(ingress("shop", "web", "www.example.com", "/", "10"));
    clusters.get("eu-2").apply(ingress("api", "api", "api.example.com", "/", "10"));
    startEdge("eu-1");
    startEdge("eu-2");
    var central = startCentral(inMemoryWriters());
    await().atMost(WAIT).untilAsserted(() -> assertThat(central.state(Target.CONSUL)).hasSize(3));

    // changes while everything runs: a new route, a changed one, a deleted one
    clusters.get("eu-1").apply(ingress("shop", "web", "www.example.com", "/shop", "10"));
    clusters.get("eu-1").apply(ingress("docs", "docs", "docs.example.com", "/", "10"));
    clusters.get("eu-2").delete("networking.k8s.io/v1", "Ingress", "api", "api");

    var expected = singleProcessState(() -> {});
    await().atMost(WAIT).untilAsserted(() -> assertThat(statesOf(central)).isEqualTo(expected));
    assertThat(expected.get(Target.CONSUL).keySet()).anyMatch(k -> k.contains("docs-example-com"))
        .noneMatch(k -> k.contains("api-example-com"));
    // everything acknowledged, and committed as such once the pipeline is idle
    await().atMost(WAIT).untilAsserted(() -> assertThat(committedOffsets()).isEqualTo(endOffsets()));
  }

  @Test
  void aCentralServiceWithEmptyMemoryRebuildsFromTheCompactedTopicBeforeDeletingAnything() throws Exception {
    ConsulDouble consul = ConsulDouble.start();
    closing.add(consul);
    // no linger: a delete the writer were told early would be written at once, not merged away
    String extra = "consul.http.address = \"" + consul.address() + "\"\nwriter.linger = 0ms";
    clusters.get("eu-1").apply(ingress("shop", "web", "www.example.com", "/", "10"));
    clusters.get("eu-1").apply(ingress("api", "api", "api.example.com", "/", "10"));
    startEdge("eu-1");
    startEdge("eu-2");
    var first = startCentral(extra, TargetWriters.from(TributarySettings.from(config(extra, "eu-1", "eu-2")), WriteObserver.NONE));
    await().atMost(WAIT).until(() -> consul.instanceCount() == 2);
    first.drain();
    first.kill();

    // while the central service is down: api deleted, www changed in a way that writes nothing, many
    // times, until compaction has dropped www's first record (listed before its cluster's SYNCED)
    shortSegments();
    clusters.get("eu-1").delete("networking.k8s.io/v1", "Ingress", "api", "api");
    int[] version = {0};
    await().atMost(WAIT).pollInterval(Duration.ofMillis(300)).until(() -> {
      clusters.get("eu-1").apply(ingress("shop", "web", "www.example.com", "/", "10")
          .replace("\"metadata\":{", "\"metadata\":{\"labels\":{\"v\":\"" + (version[0]++) + "\"},"));
      List<String> www = recordsOf("eu-1/Ingress/shop/web");
      return !www.isEmpty() && www.stream().noneMatch(v -> v.contains("\"ADDED\""));
    });
    assertThat(recordsOf("eu-1/Ingress/api/api")).containsOnlyNulls(); // only the tombstone is left

    consul.clearRequests();
    var second = startCentral(extra, TargetWriters.from(TributarySettings.from(config(extra, "eu-1", "eu-2")), WriteObserver.NONE));
    await().atMost(WAIT).until(() -> consul.instanceCount() == 1);
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> consul.writes() == 1);
    // the one write is api's deregistration: www's registration was never touched
    assertThat(consul.catalogService("www-example-com")).hasSize(1);
    second.drain();
  }

  @Test
  void aRejectedObjectKeepsItsRoutesAcrossACentralRestartWithTheLastAcceptedFileAndLosesThemWithout() throws Exception {
    ConsulDouble consul = ConsulDouble.start();
    closing.add(consul);
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("last-accepted");
    java.nio.file.Path file = dir.resolve("last-accepted.json");
    String without = "consul.http.address = \"" + consul.address() + "\"";
    String with = without + "\nlast-accepted { path = \"" + file + "\", write-interval = 200ms }";
    clusters.get("eu-1").apply(ingress("shop", "web", "www.example.com", "/", "10"));
    clusters.get("eu-1").apply(ingress("api", "api", "api.example.com", "/", "10"));
    startEdge("eu-1");
    startEdge("eu-2");
    var first = startCentral(with, TargetWriters.from(TributarySettings.from(config(with, "eu-1", "eu-2")), WriteObserver.NONE));
    await().atMost(WAIT).until(() -> consul.instanceCount() == 2);
    // edited to a rejected version (a rule without host): its registration stays
    clusters.get("eu-1").apply(ingress("shop", "web", "www.example.com", "/", "10").replace("\"host\":\"www.example.com\",", ""));
    await().atMost(WAIT).until(() -> java.nio.file.Files.exists(file) && java.nio.file.Files.readString(file).contains("www.example.com"));
    first.kill();

    // restarted with the file: once the rebuild is done and every cluster has synced, it is still registered
    List<String> heard = java.util.Collections.synchronizedList(new ArrayList<>());
    PipelineListener listening = new PipelineListener() {
      @Override
      public void keptFromBeforeRestart(io.tributary.watch.ObjectKey key, int routes) {
        heard.add("kept " + key);
      }

    };
    WriteObserver reconciled = new WriteObserver() {
      @Override
      public void written(java.time.Instant at, Target target, io.tributary.target.Change change) {}

      @Override
      public void reconciled(Target target) {
        heard.add("reconciled " + target.id()); // every cluster has synced, and the writer wrote it all
      }
    };
    var second = startCentral(with, TargetWriters.from(TributarySettings.from(config(with, "eu-1", "eu-2")), reconciled),
        listening, io.tributary.lastaccepted.LastAcceptedFile.load(file).lastAccepted());
    await().atMost(WAIT).until(() -> heard.contains("reconciled consul"));
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> consul.instanceCount() == 2);
    assertThat(heard).contains("kept eu-1/Ingress/shop/web");
    second.drain();
    second.kill();

    // without it (the old behaviour): withdrawn once every cluster has synced
    var third = startCentral(without, TargetWriters.from(TributarySettings.from(config(without, "eu-1", "eu-2")), WriteObserver.NONE));
    await().atMost(WAIT).until(() -> consul.instanceCount() == 1);
    assertThat(consul.catalogService("api-example-com")).hasSize(1);
    third.drain();
  }

  @Test
  void anObjectDeletedWhileItsEdgeWasDownIsDeletedOnceTheEdgeHasRelisted() throws Exception {
    clusters.get("eu-1").apply(ingress("shop", "web", "www.example.com", "/", "10"));
    clusters.get("eu-1").apply(ingress("api", "api", "api.example.com", "/", "10"));
    clusters.get("eu-2").apply(ingress("docs", "docs", "docs.example.com", "/", "10"));
    var edge = startEdge("eu-1");
    startEdge("eu-2");
    var central = startCentral(inMemoryWriters());
    await().atMost(WAIT).untilAsserted(() -> assertThat(central.state(Target.CONSUL)).hasSize(3));

    edge.shutdownTestKit(); // the edge is gone; no watch sees the delete
    clusters.get("eu-1").delete("networking.k8s.io/v1", "Ingress", "api", "api");
    startEdge("eu-1");

    var expected = singleProcessState(() -> {});
    await().atMost(WAIT).untilAsserted(() -> assertThat(statesOf(central)).isEqualTo(expected));
    assertThat(expected.get(Target.CONSUL)).hasSize(2);
    assertThat(recordsOf("eu-1/Ingress/api/api")).last().isNull(); // its tombstone: compaction forgets it
  }

  @Test
  void theBrokerStoppedForThirtySecondsLosesNothing() throws Exception {
    clusters.get("eu-1").apply(ingress("shop", "web", "www.example.com", "/", "10"));
    clusters.get("eu-2").apply(ingress("api", "api", "api.example.com", "/", "10"));
    startEdge("eu-1");
    startEdge("eu-2");
    var central = startCentral(inMemoryWriters());
    await().atMost(WAIT).untilAsserted(() -> assertThat(central.state(Target.CONSUL)).hasSize(2));
    var before = settled(central);

    KAFKA.broker().stop();
    clusters.get("eu-1").apply(ingress("shop", "web", "www.example.com", "/shop", "10"));
    clusters.get("eu-1").apply(ingress("docs", "docs", "docs.example.com", "/", "10"));
    clusters.get("eu-2").delete("networking.k8s.io/v1", "Ingress", "api", "api");
    clusters.get("eu-2").apply(ingress("blog", "blog", "blog.example.com", "/", "10"));
    // 30 s without a broker: the edges hold every change (nothing reaches the central service)
    await().during(Duration.ofSeconds(30)).atMost(Duration.ofSeconds(40)).until(() -> statesOf(central).equals(before));
    KAFKA.broker().startAgain();

    var expected = singleProcessState(() -> {});
    await().atMost(WAIT).untilAsserted(() -> assertThat(statesOf(central)).isEqualTo(expected));
    assertThat(expected.get(Target.CONSUL).keySet()).anyMatch(k -> k.contains("blog-example-com"))
        .anyMatch(k -> k.contains("docs-example-com")).noneMatch(k -> k.contains("api-example-com"));
  }

  // ---- the topic, read directly

  private Map<String, Object> admin() {
    return Map.of("bootstrap.servers", KAFKA.bootstrapServers());
  }

  private Map<Integer, Long> endOffsets() throws Exception {
    try (var admin = org.apache.kafka.clients.admin.Admin.create(admin())) {
      Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new java.util.HashMap<>();
      for (int p = 0; p < 3; p++) {
        latest.put(new org.apache.kafka.common.TopicPartition(topic, p), org.apache.kafka.clients.admin.OffsetSpec.latest());
      }
      Map<Integer, Long> out = new TreeMap<>();
      admin.listOffsets(latest).all().get().forEach((tp, info) -> {
        if (info.offset() > 0) {
          out.put(tp.partition(), info.offset());
        }
      });
      return out;
    }
  }

  private Map<Integer, Long> committedOffsets() throws Exception {
    try (var admin = org.apache.kafka.clients.admin.Admin.create(admin())) {
      Map<Integer, Long> out = new TreeMap<>();
      admin.listConsumerGroupOffsets("tributary-central").partitionsToOffsetAndMetadata().get().forEach((tp, o) -> {
        if (tp.topic().equals(topic) && o != null) {
          out.put(tp.partition(), o.offset());
        }
      });
      return out;
    }
  }

  private void shortSegments() throws Exception {
    try (var admin = org.apache.kafka.clients.admin.Admin.create(admin())) {
      var resource = new org.apache.kafka.common.config.ConfigResource(org.apache.kafka.common.config.ConfigResource.Type.TOPIC, topic);
      var ops = List.of(
          new org.apache.kafka.clients.admin.AlterConfigOp(new org.apache.kafka.clients.admin.ConfigEntry("segment.ms", "100"),
              org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET),
          new org.apache.kafka.clients.admin.AlterConfigOp(new org.apache.kafka.clients.admin.ConfigEntry("min.cleanable.dirty.ratio", "0.01"),
              org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET),
          // the topic was created with the default replay window (7 days): nothing would be compacted
          new org.apache.kafka.clients.admin.AlterConfigOp(new org.apache.kafka.clients.admin.ConfigEntry("min.compaction.lag.ms", "0"),
              org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET));
      admin.incrementalAlterConfigs(Map.of(resource, ops)).all().get();
    }
  }

  /** Every value of {@code key} in the topic now, in order (null for a tombstone). */
  private List<String> recordsOf(String key) {
    var props = new java.util.Properties();
    props.put("bootstrap.servers", KAFKA.bootstrapServers());
    List<String> out = new ArrayList<>();
    try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(props,
        new org.apache.kafka.common.serialization.StringDeserializer(), new org.apache.kafka.common.serialization.StringDeserializer())) {
      List<org.apache.kafka.common.TopicPartition> parts = new ArrayList<>();
      for (int p = 0; p < 3; p++) {
        parts.add(new org.apache.kafka.common.TopicPartition(topic, p));
      }
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      var ends = consumer.endOffsets(parts);
      while (parts.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> {
          if (key.equals(r.key())) {
            out.add(r.value());
          }
        });
      }
    }
    return out;
  }

  @Test
  void killingTheCentralServiceMidStreamLosesNothingAndRewritesNothing() throws Exception {
    ConsulDouble consul = ConsulDouble.start();
    closing.add(consul);
    String toConsul = "consul.http.address = \"" + consul.address() + "\"";
    startEdge("eu-1");
    startEdge("eu-2");
    for (int i = 0; i < 20; i++) {
      clusters.get(i % 2 == 0 ? "eu-1" : "eu-2").apply(ingress("ns" + i, "web", "h" + i + ".example.com", "/", "10"));
    }
    var first = startCentral(toConsul, TargetWriters.from(TributarySettings.from(config(toConsul, "eu-1", "eu-2")), WriteObserver.NONE));
    await().atMost(WAIT).until(() -> consul.instanceCount() >= 5);
    for (int i = 20; i < 40; i++) {
      clusters.get(i % 2 == 0 ? "eu-1" : "eu-2").apply(ingress("ns" + i, "web", "h" + i + ".example.com", "/", "10"));
    }
    first.kill(); // mid-stream: some of the second wave written, some not, offsets wherever they were
    int writtenBeforeKill = consul.instanceCount();

    var second = startCentral(toConsul, TargetWriters.from(TributarySettings.from(config(toConsul, "eu-1", "eu-2")), WriteObserver.NONE));
    await().atMost(WAIT).until(() -> consul.instanceCount() == 40);
    second.drain();
    // drained: everything consumed is acknowledged and committed
    assertThat(committedOffsets()).isEqualTo(endOffsets());
    // nothing lost, and no registration written twice: each service instance registered once in all
    Map<String, Integer> registrations = new TreeMap<>();
    consul.transactions().forEach(t -> t.ops().forEach(op -> {
      var service = op.path("Service").path("Service");
      if (!service.isMissingNode() && op.path("Service").path("Verb").asText().equals("set")) {
        registrations.merge(service.path("ID").asText(), 1, Integer::sum);
      }
    }));
    assertThat(writtenBeforeKill).isLessThan(40);
    assertThat(registrations).hasSize(40).allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1));
  }
}
