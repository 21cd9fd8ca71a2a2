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
import picocli.CommandLine.Mixin;
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

  @Mixin ProgressOptions progress;

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
    // progress: seconds recorded of --duration (or of no end), and the events written so far
    long started = System.nanoTime();
    long total = duration == null ? 0 : Math.max(1, duration.toSeconds());
    try (Progress bar = progress.start("record " + out.getFileName(), "record", total, "s")) {
      var terminated = system.getWhenTerminated().toCompletableFuture();
      while (!terminated.isDone()) {
        long elapsed = System.nanoTime() - started;
        long left = duration == null ? Long.MAX_VALUE : duration.toNanos() - elapsed;
        if (left <= 0) {
          system.terminate();
          terminated.join();
          bar.done();
          break;
        }
        try {
          terminated.get(Math.min(left, TimeUnit.MILLISECONDS.toNanos(500)), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
          long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
          bar.step(total > 0 ? Math.min(seconds, total) : seconds,
              String.format(java.util.Locale.ROOT, "%,d events recorded", recorder.written()));
        }
      }
    }
    system.getWhenTerminated().toCompletableFuture().join();
    System.out.println("recorded " + recorder.written() + " events to " + out);
    return 0;
  }
}
