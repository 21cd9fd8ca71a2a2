package io.tributary.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import io.tributary.admin.AdminServer;
import io.tributary.admin.ConfigVersion;
import io.tributary.admin.ServiceStatus;
import io.tributary.edge.EdgeGuardian;
import io.tributary.edge.EdgeMetrics;
import io.tributary.edge.EventTopic;
import io.tributary.service.LoggingPipelineListener;
import io.tributary.settings.KafkaSettings;
import io.tributary.settings.TributarySettings;
import io.tributary.target.Target;
import io.tributary.watch.KubernetesClients;
import io.tributary.writer.WriteObserver;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import kamon.Kamon;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tributary edge}: watches this config's clusters and publishes every event to the Kafka topic. */
@Command(
    name = "edge",
    description =
        "Edge mode: watch the configured cluster(s) and publish every event (the event log's JSON) to the"
            + " compacted Kafka topic tributary.kafka.topic, keyed cluster/kind/namespace/name; a central"
            + " `tributary run` with tributary.source = kafka writes the targets. The topic is created when"
            + " missing if tributary.kafka.create-topic allows. While Kafka is slow or away the watch buffer"
            + " holds (and coalesces) each object's changes: nothing is dropped. SIGTERM publishes what is"
            + " pending (up to " + RunCommand.DRAIN_SECONDS + " s), then exits 143. The admin endpoint"
            + " (tributary.admin) answers GET /healthz, /readyz and /status; metrics on Kamon's port."
            + " See docs/operations.md, \"Edge mode\".")
final class EdgeCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(EdgeCommand.class);

  @Option(names = "--config", required = true, paramLabel = "FILE", description = "HOCON config (see conf/reference.conf).")
  Path config;

  @Override
  public Integer call() throws Exception {
    Logging.defaultLevel("INFO");
    Config cfg = withoutEndpoints(ConfigFiles.load(config));
    TributarySettings settings = ConfigFiles.serviceSettings(cfg, config);
    KafkaSettings kafka = KafkaSettings.from(cfg, true);
    Logging.apply(settings.log());
    int partitions = EventTopic.ensure(kafka);
    // what an earlier run published: objects deleted while no edge watched are deleted after the relist
    var live = EventTopic.liveKeys(kafka, settings.clusters().keySet(), partitions);
    Kamon.init(cfg);
    ServiceStatus status = new ServiceStatus(settings, ConfigVersion.of(cfg, config), Clock.systemUTC());
    // an edge writes no target: readiness is its clusters' sync alone
    WriteObserver targets = status.observing(WriteObserver.NONE);
    for (Target t : Target.values()) {
      targets.reconciled(t);
    }
    var listener = status.listening(new LoggingPipelineListener());
    ActorSystem<EdgeGuardian.Command> system = ActorSystem.create(
        EdgeGuardian.create(settings, kafka, partitions, live, KubernetesClients.standard(), listener, new EdgeMetrics(),
            Clock.systemUTC()),
        "tributary-edge", cfg);
    startAdmin(system, settings, status);
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceUnbind(), "drain-edge",
        () -> AskPattern.<EdgeGuardian.Command, Done>ask(system, EdgeGuardian.Drain::new, Duration.ofSeconds(RunCommand.DRAIN_SECONDS),
            system.scheduler()));
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "stop-metrics",
        () -> scala.jdk.javaapi.FutureConverters.asJava(Kamon.stop()).thenApply(x -> Done.getInstance()));
    LOG.info("edge: watching {} clusters {}; publishing to {} ({} partitions; {} objects published before)",
        settings.clusters().size(), settings.clusters().keySet(), kafka, partitions, live.size());
    system.getWhenTerminated().toCompletableFuture().join();
    return status.health().alive() ? 0 : 1;
  }

  /** As {@code run}'s: a port that cannot be bound stops the edge (exit 2). */
  static void startAdmin(ActorSystem<?> system, TributarySettings settings, ServiceStatus status) throws InterruptedException {
    RunCommand.awaitAdmin(system, settings.admin(), AdminServer.start(system, settings.admin(), status));
  }

  /**
   * An edge publishes what it watches and plans nothing, so its clusters need no {@code endpoints}
   * (the central service's config has them): a cluster block without one gets a placeholder.
   */
  static Config withoutEndpoints(Config cfg) {
    if (!cfg.hasPath("tributary.clusters")) {
      return cfg;
    }
    Config out = cfg;
    for (String name : cfg.getObject("tributary.clusters").keySet()) {
      String path = ConfigUtil.joinPath("tributary", "clusters", name);
      if (cfg.getValue(path).valueType() == ConfigValueType.OBJECT && !cfg.hasPath(ConfigUtil.joinPath("tributary", "clusters", name, "endpoints"))) {
        out = out.withValue(ConfigUtil.joinPath("tributary", "clusters", name, "endpoints", "addresses"),
            ConfigValueFactory.fromIterable(java.util.List.of("ingress." + name + ".edge.tributary.invalid")));
      }
    }
    return out;
  }
}
