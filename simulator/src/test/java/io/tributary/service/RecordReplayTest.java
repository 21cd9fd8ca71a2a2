package io.tributary.service;

import static io.tributary.watch.MockCluster.ingress;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tributary.target.Target;
import io.tributary.target.TargetRecord;
import io.tributary.eventlog.EventLogReader;
import io.tributary.eventlog.EventRecorder;
import io.tributary.replay.Replay;
import io.tributary.settings.TributarySettings;
import io.tributary.watch.KubernetesClients;
import io.tributary.watch.MockCluster;
import io.tributary.plan.PipelineListener;
import io.tributary.writer.InMemoryTargetWriter;
import io.tributary.writer.WriteObserver;
import io.tributary.writer.WriterProtocol;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recording two live clusters and replaying the recording gives the state the live run reached. */
class RecordReplayTest {
  private static final ActorTestKit KIT = ActorTestKit.create();
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  @Test
  void replayingARecordingOfALiveRunReachesTheSameTargetState() throws Exception {
    Path log = dir.resolve("recorded.jsonl.gz");
    Config config =
        ConfigFactory.parseString(
                """
                tributary {
                  debounce { quiet = 50ms, max-delay = 500ms }
                  record-to.path = "%s"
                  clusters {
                    eu-1.endpoints { addresses = ["192.0.2.11"], port = 8080 }
                    eu-2.endpoints { addresses = ["ingress.eu-2.example.net"] }
                  }
                }
                """.formatted(log))
            .withFallback(ConfigFactory.load())
            .resolve();
    TributarySettings settings = TributarySettings.from(config);
    try (var a = new MockCluster(MockCluster.Mode.TRAEFIK); var b = new MockCluster(MockCluster.Mode.NO_TRAEFIK_CRDS)) {
      a.apply(ingress("shop", "web", "www.example.com", "/", "1"));
      b.apply(ingress("shop", "web", "www.example.com", "/", "1"));
      b.apply(ingress("docs", "site", "docs.example.org", "/", "1"));
      Map<String, MockCluster> byName = Map.of("eu-1", a, "eu-2", b);
      KubernetesClients clients = s -> byName.get(s.name()).server.createClient();
      var recorder = new EventRecorder(log, settings.recordTo().maxBytes(), settings.recordTo().keep(), Clock.systemUTC());
      Map<Target, Behavior<WriterProtocol.Command>> writers = new EnumMap<>(Target.class);
      for (Target t : Target.values()) {
        writers.put(t, InMemoryTargetWriter.create(t, Clock.systemUTC(), WriteObserver.NONE));
      }
      var service = KIT.spawn(ServiceGuardian.create(settings, clients, writers, PipelineListener.NONE, recorder));
      var pipeline = AskPattern.ask(service, ServiceGuardian.GetPipeline::new, WAIT, KIT.scheduler()).toCompletableFuture().get();

      await().atMost(WAIT).untilAsserted(() -> assertThat(state(pipeline, Target.CONSUL)).hasSize(3));
      a.apply(ingress("shop", "web", "www.example.com", "/shop", "5"));
      b.delete("networking.k8s.io/v1", "Ingress", "docs", "site");
      await().atMost(WAIT).untilAsserted(() -> {
        assertThat(state(pipeline, Target.CONSUL)).hasSize(2);
        assertThat(state(pipeline, Target.CONSUL).keySet()).anyMatch(k -> k.contains("www-example-com-shop"));
      });
      AskPattern.<ServiceGuardian.Command, Done>ask(service, ServiceGuardian.Drain::new, WAIT, KIT.scheduler())
          .toCompletableFuture().get();
      var live = Map.of(Target.CONSUL, state(pipeline, Target.CONSUL), Target.DNS, state(pipeline, Target.DNS));
      recorder.close();

      try (var reader = EventLogReader.open(log, false)) {
        var replayed = Replay.run("recorded", reader, settings, config, WriteObserver.NONE);
        assertThat(replayed.state().get(Target.CONSUL)).isEqualTo(live.get(Target.CONSUL));
        assertThat(replayed.state().get(Target.DNS)).isEqualTo(live.get(Target.DNS));
        assertThat(replayed.stats().eventsByType().keySet()).extracting(Enum::name).contains("ADDED", "MODIFIED", "DELETED", "SYNCED");
      }
      try (var reader = EventLogReader.open(log, false)) {
        List<String> lines = new java.util.ArrayList<>();
        reader.forEachRemaining(e -> lines.add(String.valueOf(e.object())));
        assertThat(lines).noneMatch(l -> l.contains("managedFields"));
      }
    }
  }

  static SortedMap<String, TargetRecord> state(
      org.apache.pekko.actor.typed.ActorRef<PipelineGuardian.Command> pipeline, Target target) throws Exception {
    var writers = AskPattern.ask(pipeline, PipelineGuardian.GetWriters::new, WAIT, KIT.scheduler()).toCompletableFuture().get();
    return AskPattern.ask(writers.byTarget().get(target), WriterProtocol.GetState::new, WAIT, KIT.scheduler())
        .toCompletableFuture().get().records();
  }
}
