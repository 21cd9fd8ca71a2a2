package io.tributary.cli;

import com.typesafe.config.Config;
import io.tributary.eventlog.EventRecorder;
import io.tributary.settings.TributarySettings;
import io.tributary.watch.KubernetesClients;
import io.tributary.plan.PipelineListener;
import io.tributary.watch.WatcherSupervisor;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tributary record}: writes what the watchers see as an event log. */
@Command(
    name = "record",
    description =
        "Watch the configured clusters and write every event to an event log that `tributary replay`"
            + " replays. managedFields are dropped; Secrets are never written. Stops after --duration or"
            + " on SIGTERM/Ctrl-C.")
final class RecordCommand implements Callable<Integer> {
  @Option(names = "--config", required = true, paramLabel = "FILE", description = "HOCON config naming the clusters.")
  Path config;

  @Option(names = "--out", required = true, paramLabel = "LOG", description = "Event log to write (.gz compresses).")
  Path out;

  @Option(names = "--duration", paramLabel = "DURATION", description = "Stop after this long, ISO-8601 (e.g. PT10M).")
  Duration duration;

  @Override
  public Integer call() throws Exception {
    Logging.defaultLevel("INFO");
    Config cfg = ConfigFiles.load(config);
    TributarySettings settings = ConfigFiles.serviceSettings(cfg, config);
    EventRecorder recorder = new EventRecorder(out, Long.MAX_VALUE, 0, Clock.systemUTC());
    ActorSystem<WatcherSupervisor.Command> system =
        ActorSystem.create(
            WatcherSupervisor.create(settings.clusters().values(), recorder, KubernetesClients.standard(), PipelineListener.NONE, settings.watch()),
            "tributary-record",
            cfg);
    ConfigFiles.closeOnShutdown(system, "close-recording", recorder);
    if (duration != null) {
      try {
        system.getWhenTerminated().toCompletableFuture().get(duration.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        system.terminate();
      }
    }
    system.getWhenTerminated().toCompletableFuture().join();
    System.out.println("recorded " + recorder.written() + " events to " + out);
    return 0;
  }
}
