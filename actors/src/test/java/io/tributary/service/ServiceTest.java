package io.tributary.service;

import static io.tributary.watch.MockCluster.ingress;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import io.tributary.consul.ConsulRegistration;
import io.tributary.target.Change;
import io.tributary.target.Target;
import io.tributary.target.TargetRecord;
import io.tributary.settings.TributarySettings;
import io.tributary.watch.KubernetesClients;
import io.tributary.watch.MockCluster;
import io.tributary.plan.PipelineListener;
import io.tributary.watch.WatchBuffer;
import io.tributary.watch.WatcherSupervisor;
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
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The running service against two mock clusters: watch → pipeline → in-memory targets. */
class ServiceTest {
  private static final ActorTestKit KIT = ActorTestKit.create();
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final TributarySettings SETTINGS =
      TributarySettings.from(
          ConfigFactory.parseString(
                  """
                  tributary {
                    debounce { quiet = 50ms, max-delay = 500ms }
                    writer.ask-timeout = 1s
                    translate.service-domain = "apps.example.com"
                    watch { min-backoff = 200ms, max-backoff = 2s, removal-grace = 500ms }
                    clusters {
                      eu-1.endpoints { addresses = ["192.0.2.11"], port = 8080 }
                      eu-2.endpoints { addresses = ["192.0.2.21"], port = 8080 }
                    }
                  }
                  """)
              .withFallback(ConfigFactory.load())
              .resolve());

  private final List<MockCluster> clusters = new ArrayList<>();

  @AfterAll
  static void stopKit() {
    KIT.shutdownTestKit();
  }

  @AfterEach
  void stopClusters() {
    clusters.forEach(MockCluster::close);
  }

  private Map<String, MockCluster> twoClusters() {
    var a = new MockCluster(MockCluster.Mode.TRAEFIK);
    var b = new MockCluster(MockCluster.Mode.TRAEFIK);
    clusters.add(a);
    clusters.add(b);
    return Map.of("eu-1", a, "eu-2", b);
  }

  private static KubernetesClients clientsOf(Map<String, MockCluster> byName) {
    return s -> byName.get(s.name()).server.createClient();
  }

  private static Map<Target, Behavior<WriterProtocol.Command>> inMemoryWriters() {
    Map<Target, Behavior<WriterProtocol.Command>> writers = new EnumMap<>(Target.class);
    for (Target t : Target.values()) {
      writers.put(t, InMemoryTargetWriter.create(t, Clock.systemUTC(), WriteObserver.NONE));
    }
    return writers;
  }

  static SortedMap<String, TargetRecord> state(ActorRef<PipelineGuardian.Command> pipeline, Target target) throws Exception {
    var writers = AskPattern.ask(pipeline, PipelineGuardian.GetWriters::new, Duration.ofSeconds(5), KIT.scheduler())
        .toCompletableFuture().get();
    return AskPattern.ask(writers.byTarget().get(target), WriterProtocol.GetState::new, Duration.ofSeconds(5), KIT.scheduler())
        .toCompletableFuture().get().records();
  }

  private static ActorRef<PipelineGuardian.Command> pipelineOf(ActorRef<ServiceGuardian.Command> service) throws Exception {
    return AskPattern.ask(service, ServiceGuardian.GetPipeline::new, Duration.ofSeconds(5), KIT.scheduler())
        .toCompletableFuture().get();
  }

  @Test
  void changesInTwoClustersReachTheTargetsAndTheSurvivorKeepsItsRecords() throws Exception {
    var byName = twoClusters();
    var service = KIT.spawn(ServiceGuardian.create(SETTINGS, clientsOf(byName), inMemoryWriters(), PipelineListener.NONE, null));
    var pipeline = pipelineOf(service);
    byName.get("eu-1").apply(ingress("shop", "web", "www.example.com", "/", "10"));
    byName.get("eu-2").apply(ingress("shop", "web", "www.example.com", "/", "10"));

    await().atMost(WAIT).untilAsserted(() -> assertThat(state(pipeline, Target.CONSUL)).containsOnlyKeys(
        "tributary-eu-1/www-example-com-eu-1-192-0-2-11-8080", "tributary-eu-2/www-example-com-eu-2-192-0-2-21-8080"));

    byName.get("eu-1").apply(ingress("shop", "web", "www.example.com", "/shop", "10"));
    await().atMost(WAIT).untilAsserted(() -> assertThat(state(pipeline, Target.CONSUL)).containsOnlyKeys(
        "tributary-eu-1/www-example-com-shop-eu-1-192-0-2-11-8080", "tributary-eu-2/www-example-com-eu-2-192-0-2-21-8080"));

    byName.get("eu-1").delete("networking.k8s.io/v1", "Ingress", "shop", "web");
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(state(pipeline, Target.CONSUL)).containsOnlyKeys("tributary-eu-2/www-example-com-eu-2-192-0-2-21-8080");
      assertThat(state(pipeline, Target.DNS)).containsOnlyKeys("www.example.com/A");
    });
    var drained = AskPattern.<ServiceGuardian.Command, Done>ask(service, ServiceGuardian.Drain::new, Duration.ofSeconds(10), KIT.scheduler());
    assertThat(drained.toCompletableFuture().get()).isEqualTo(Done.getInstance());
  }

  @Test
  void theDrainWritesTheLastAcceptedFileBeforeItAnswers(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    var byName = twoClusters();
    var file = dir.resolve("last-accepted.json");
    // an interval no test outlives: only the drain's flush can write the file
    var settings = TributarySettings.from(ConfigFactory.parseString(
            "tributary.last-accepted { path = \"" + file + "\", write-interval = 1h }")
        .withFallback(ConfigFactory.parseString("""
            tributary {
              debounce { quiet = 50ms, max-delay = 500ms }
              clusters {
                eu-1.endpoints { addresses = ["192.0.2.11"], port = 8080 }
                eu-2.endpoints { addresses = ["192.0.2.21"], port = 8080 }
              }
            }
            """)).withFallback(ConfigFactory.load()).resolve());
    var service = KIT.spawn(ServiceGuardian.create(settings, clientsOf(byName), inMemoryWriters(), PipelineListener.NONE, null,
        null, io.tributary.plan.LastAccepted.NONE));
    var pipeline = pipelineOf(service);
    byName.get("eu-1").apply(ingress("shop", "web", "www.example.com", "/", "10"));
    await().atMost(WAIT).untilAsserted(() -> assertThat(state(pipeline, Target.DNS)).containsOnlyKeys("www.example.com/A"));
    assertThat(file).doesNotExist();

    var drained = AskPattern.<ServiceGuardian.Command, Done>ask(service, ServiceGuardian.Drain::new, Duration.ofSeconds(10), KIT.scheduler());
    assertThat(drained.toCompletableFuture().get()).isEqualTo(Done.getInstance());
    var loaded = io.tributary.lastaccepted.LastAcceptedFile.load(file);
    assertThat(loaded.problem()).isNull();
    assertThat(loaded.lastAccepted().objects().keySet()).extracting(Object::toString).containsExactly("eu-1/Ingress/shop/web");
  }

  @Test
  void ingressRoutesOfBothGroupsAndAnnotatedServicesReachTheTargets() throws Exception {
    var byName = twoClusters();
    var service = KIT.spawn(ServiceGuardian.create(SETTINGS, clientsOf(byName), inMemoryWriters(), PipelineListener.NONE, null));
    var pipeline = pipelineOf(service);
    var eu1 = byName.get("eu-1");
    var eu2 = byName.get("eu-2");
    eu1.apply(MockCluster.ingressRoute("traefik.io", "shop", "cart", "cart.example.com"));
    eu2.apply(MockCluster.ingressRoute("traefik.containo.us", "shop", "cart", "cart.example.com"));
    eu2.apply(MockCluster.service("tools", "webtest1", "myapp.example.com"));

    await().atMost(WAIT).untilAsserted(() -> {
      var consul = state(pipeline, Target.CONSUL);
      assertThat(consul).containsKeys(
          "tributary-eu-1/cart-example-com-eu-1-192-0-2-11-8080",
          "tributary-eu-2/cart-example-com-eu-2-192-0-2-21-8080",
          "tributary-eu-2/myapp-example-com-eu-2-192-0-2-21-8080");
      var dns = (io.tributary.dns.DnsRecordSet) state(pipeline, Target.DNS).get("cart.example.com/A");
      assertThat(dns.values()).containsExactly("192.0.2.11", "192.0.2.21");
    });

    eu2.delete("traefik.containo.us/v1alpha1", "IngressRoute", "shop", "cart");
    eu2.delete("v1", "Service", "tools", "webtest1");
    await().atMost(WAIT).untilAsserted(() -> assertThat(state(pipeline, Target.CONSUL))
        .containsOnlyKeys("tributary-eu-1/cart-example-com-eu-1-192-0-2-11-8080"));
  }

  /** A Consul writer that takes batches but acks nothing until opened: the stream is held back. */
  private static Behavior<WriterProtocol.Command> heldBack(CompletableFuture<Done> open) {
    // its own message (Opened) is no writer command: it runs on Object, handed out narrowed
    return Behaviors.<Object>setup(ctx -> Behaviors.withStash(100_000, stash -> {
      ctx.pipeToSelf(open, (ok, err) -> new Opened());
      return closed(stash, new TreeMap<>());
    })).narrow();
  }

  private record Opened() {}

  private static Behavior<Object> closed(StashBuffer<Object> stash, TreeMap<String, TargetRecord> records) {
    return Behaviors.receive(Object.class)
        .onMessage(Opened.class, o -> stash.unstashAll(open(records)))
        .onAnyMessage(m -> {
          stash.stash(m);
          return Behaviors.same();
        })
        .build();
  }

  private static Behavior<Object> open(TreeMap<String, TargetRecord> records) {
    long[] last = {-1};
    return Behaviors.receive(Object.class)
        .onMessage(WriterProtocol.Apply.class, a -> {
          if (a.sequence() <= last[0]) { // re-sent while held back: already applied
            a.replyTo().tell(new WriterProtocol.Ack(Target.CONSUL, a.batch().size()));
            return Behaviors.same();
          }
          last[0] = a.sequence();
          for (Change c : a.batch().changes()) {
            if (c.value() == null) {
              records.remove(c.key());
            } else {
              records.put(c.key(), c.value());
            }
          }
          a.replyTo().tell(new WriterProtocol.Ack(Target.CONSUL, a.batch().size()));
          return Behaviors.same();
        })
        .onMessage(WriterProtocol.GetState.class, g -> {
          g.replyTo().tell(new WriterProtocol.State(Target.CONSUL, new TreeMap<>(records)));
          return Behaviors.same();
        })
        .build();
  }

  @Test
  void tenThousandUpdatesOfAHundredObjectsWhileTheStreamIsHeldBackLoseNothing() throws Exception {
    var byName = twoClusters();
    var cluster = byName.get("eu-1");
    var buffer = new WatchBuffer(PipelineListener.NONE);
    var open = new CompletableFuture<Done>();
    var writers = inMemoryWriters();
    writers.put(Target.CONSUL, heldBack(open));
    var pipeline = KIT.spawn(PipelineGuardian.create(new io.tributary.settings.ConfigVersions(SETTINGS), buffer, writers, PipelineListener.NONE, new CompletableFuture<>()));
    KIT.spawn(WatcherSupervisor.create(SETTINGS.clusters().values(), buffer, clientsOf(byName), PipelineListener.NONE, SETTINGS.watch()));

    int objects = 100;
    int rounds = 100;
    // four writers in parallel, each owning 25 objects, so every object's updates stay in order
    var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    List<java.util.concurrent.Future<?>> work = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int part = t;
      work.add(pool.submit(() -> {
        for (int round = 1; round <= rounds; round++) {
          for (int i = part; i < objects; i += 4) {
            cluster.apply(ingress("load", "o" + i, "o" + i + ".example.com", "/", Integer.toString(round)));
          }
        }
      }));
    }
    for (var w : work) {
      w.get();
    }
    pool.shutdown();
    // let every event reach the buffer before the writer opens
    await().atMost(WAIT).until(() -> buffer.offered() >= (long) objects * rounds);
    open.complete(Done.getInstance());

    await().atMost(WAIT).untilAsserted(() -> {
      var consul = state(pipeline, Target.CONSUL);
      assertThat(consul).hasSize(objects);
      for (TargetRecord r : consul.values()) {
        assertThat(((ConsulRegistration) r).tags()).anyMatch(t -> t.endsWith(".priority=" + rounds));
      }
    });
    // one pending entry per object at most (plus one SYNCED marker per watched kind and cluster)
    assertThat(buffer.highWater()).isLessThanOrEqualTo(objects + 2 * 5);
  }
}
