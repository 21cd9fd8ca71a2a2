package io.tributary.cli;

import com.typesafe.config.Config;
import io.tributary.admin.ConfigVersion;
import io.tributary.admin.ServiceStatus;
import io.tributary.edge.CentralGuardian;
import io.tributary.edge.EventTopic;
import io.tributary.metrics.ChangeTimes;
import io.tributary.metrics.KamonMetrics;
import io.tributary.metrics.KamonWriteMetrics;
import io.tributary.replay.TranscriptWriter;
import io.tributary.service.LoggingPipelineListener;
import io.tributary.service.LoggingWriteObserver;
import io.tributary.service.TargetWriters;
import io.tributary.settings.KafkaSettings;
import io.tributary.settings.TributarySettings;
import io.tributary.writer.WriteObserver;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import kamon.Kamon;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code tributary run} with {@code tributary.source = kafka}: the central service of edge mode,
 * consuming the edges' topic instead of watching the clusters; targets, metrics, admin endpoint,
 * dry run and transcript as in the single-process service. Reloading is not offered in this mode
 * (a restart re-reads the compacted topic, which costs seconds, not a relist of every cluster).
 */
final class CentralRun {
  private static final Logger LOG = LoggerFactory.getLogger(CentralRun.class);

  private CentralRun() {}

  static int run(Config cfg, Path config, TributarySettings settings, KafkaSettings kafka, boolean dryRun, Path transcript)
      throws Exception {
    if (settings.recordTo().enabled()) {
      LOG.warn("record-to is ignored with source = kafka: the topic is the recording (replay --from-kafka)");
    }
    var endOffsets = EventTopic.endOffsets(kafka);
    // before the pipeline starts: the routes a previous run had in force (nothing in the file stops a start)
    var lastAccepted = RunCommand.loadLastAccepted(settings);
    TranscriptWriter transcriptWriter = transcript == null ? null : new TranscriptWriter(transcript, true);
    Kamon.init(cfg);
    var times = new ChangeTimes(Clock.systemUTC());
    ServiceStatus status = new ServiceStatus(settings, ConfigVersion.of(cfg, config), Clock.systemUTC());
    var listener = status.listening(new KamonMetrics(new LoggingPipelineListener(), times));
    WriteObserver writes = new LoggingWriteObserver();
    if (transcriptWriter != null) {
      writes = writes.andThen(transcriptWriter);
    }
    WriteObserver observer = status.observing(new KamonWriteMetrics(writes, times));
    ActorSystem<CentralGuardian.Command> system = ActorSystem.create(
        CentralGuardian.create(settings, kafka, endOffsets, TargetWriters.from(settings, observer), listener, lastAccepted), "tributary", cfg);
    EdgeCommand.startAdmin(system, settings, status);
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceUnbind(), "drain-pipeline",
        () -> AskPattern.<CentralGuardian.Command, Done>ask(system, CentralGuardian.Drain::new,
            Duration.ofSeconds(RunCommand.DRAIN_SECONDS), system.scheduler()));
    if (transcriptWriter != null) {
      ConfigFiles.closeOnShutdown(system, "close-transcript", transcriptWriter);
    }
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "stop-metrics",
        () -> scala.jdk.javaapi.FutureConverters.asJava(Kamon.stop()).thenApply(x -> Done.getInstance()));
    LOG.info("central service{}: consuming {} ({} partitions, {} records to rebuild from) for clusters {}",
        dryRun ? " (dry run)" : "", kafka, endOffsets.size(), endOffsets.values().stream().mapToLong(Long::longValue).sum(),
        settings.clusters().keySet());
    system.getWhenTerminated().toCompletableFuture().join();
    return status.health().alive() ? 0 : 1;
  }
}
