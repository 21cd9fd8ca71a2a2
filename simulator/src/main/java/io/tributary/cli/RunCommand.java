package io.tributary.cli;

import com.typesafe.config.Config;
import io.tributary.admin.AdminServer;
import io.tributary.admin.ConfigVersion;
import io.tributary.admin.ServiceStatus;
import io.tributary.target.Target;
import io.tributary.eventlog.EventRecorder;
import io.tributary.lastaccepted.LastAcceptedFile;
import io.tributary.plan.LastAccepted;
import io.tributary.service.LoggingWriteObserver;
import io.tributary.service.TargetWriters;
import io.tributary.metrics.KamonReloadMetrics;
import io.tributary.reload.ConfigReloader;
import io.tributary.service.ServiceGuardian;
import io.tributary.settings.ConsulHttpSettings;
import io.tributary.settings.ConsulSettings;
import io.tributary.settings.TargetMode;
import io.tributary.settings.TributarySettings;
import io.tributary.replay.TranscriptWriter;
import io.tributary.writer.WriteObserver;
import io.tributary.watch.KubernetesClients;
import io.tributary.metrics.ChangeTimes;
import io.tributary.metrics.KamonMetrics;
import io.tributary.metrics.KamonWriteMetrics;
import kamon.Kamon;
import io.tributary.writer.WriterProtocol;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tributary run}: the long-running service. */
@Command(
    name = "run",
    description =
        "Watch every configured cluster and keep the targets in step until stopped. SIGTERM stops the"
            + " watchers, hands every pending change to the writers (waiting up to " + RunCommand.DRAIN_SECONDS
            + " s for them to accept it),"
            + " then exits with 143; see docs/operations.md. Consul is written when consul.http.address is set"
            + " (its catalog) or, with consul.registration-mode agent, through each cluster's agent"
            + " (clusters.<name>.consul-agent or consul.agent-address-template); DNS when the zones name their"
            + " servers; Traefik's dynamic configuration when traefik.sink is file, consul-kv or etcd."
            + " Otherwise the target is kept in memory and every write is logged. With --dry-run every target is"
            + " read but never written: each change it would get is logged (io.tributary.dry-run) and, with"
            + " --transcript, written there. The admin endpoint (tributary.admin, default :9096) answers"
            + " GET /healthz, /readyz and /status. With tributary.source = kafka it consumes the edge processes'"
            + " topic instead of watching the clusters (docs/operations.md, \"Edge mode\").")
final class RunCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);
  /** How long SIGTERM's drain waits for the writers; within pekko's service-unbind phase timeout (35 s). */
  static final int DRAIN_SECONDS = 30;

  @Option(names = "--config", required = true, paramLabel = "FILE", description = "HOCON config (see conf/reference.conf).")
  Path config;

  @Option(names = "--dry-run", description = "Compute and log every change, write none: each target (and DNS zone) is"
      + " read, never written, as with dry-run = true in its block. Policies still apply.")
  boolean dryRun;

  @Option(names = "--transcript", paramLabel = "FILE", description = "Write every target operation (in dry run: every"
      + " change computed) as JSON Lines, in replay's transcript format.")
  Path transcript;

  @Override
  public Integer call() throws Exception {
    Logging.defaultLevel("INFO");
    Config cfg = ConfigFiles.load(config);
    TributarySettings configured = ConfigFiles.serviceSettings(cfg, config);
    TributarySettings settings = dryRun ? configured.inDryRun() : configured;
    Logging.apply(settings.log());
    var kafka = io.tributary.settings.KafkaSettings.from(cfg, false);
    if (kafka.source() == io.tributary.settings.KafkaSettings.Source.KAFKA) {
      return CentralRun.run(cfg, config, settings, kafka, dryRun, transcript); // edge mode's central service
    }
    TranscriptWriter transcriptWriter = transcript == null ? null : new TranscriptWriter(transcript, true);
    EventRecorder recorder =
        settings.recordTo().enabled()
            ? new EventRecorder(Path.of(settings.recordTo().path()), settings.recordTo().maxBytes(), settings.recordTo().keep(), Clock.systemUTC())
            : null;
    // before the pipeline starts: the routes a previous run had in force (nothing in the file stops a start)
    LastAccepted lastAccepted = loadLastAccepted(settings);
    Kamon.init(cfg);
    // one ChangeTimes for both: the pipeline notes when each change was received, the writers' metrics the lag
    var times = new ChangeTimes(Clock.systemUTC());
    // the admin endpoint's state, fed in front of the metrics and the logs (which see every report as before)
    ServiceStatus status = new ServiceStatus(settings, ConfigVersion.of(cfg, config), Clock.systemUTC());
    var listener = status.listening(new KamonMetrics(new io.tributary.service.LoggingPipelineListener(), times));
    WriteObserver writes = new LoggingWriteObserver();
    if (transcriptWriter != null) {
      writes = writes.andThen(transcriptWriter);
    }
    WriteObserver observer = status.observing(new KamonWriteMetrics(writes, times));
    Map<Target, Behavior<WriterProtocol.Command>> writers = TargetWriters.from(settings, observer);
    // a reload applied is recorded, so a replay of the recording switches at the same point
    ConfigReloader.Listener recordReloads = (cause, outcome) -> {
      if (outcome instanceof ConfigReloader.Applied a) {
        Logging.apply(a.settings().log());
        status.configApplied(ConfigVersion.of(com.typesafe.config.ConfigFactory.parseString(a.config()), config));
        if (recorder != null) {
          recorder.configApplied(a.config());
        }
      }
      status.reloaded(cause, outcome instanceof ConfigReloader.Applied ? "applied"
              : outcome instanceof ConfigReloader.Unchanged ? "unchanged" : "refused",
          outcome instanceof ConfigReloader.Refused r ? r.problems() : java.util.List.of());
    };
    // a reload that changes a target's sink starts its writer anew, built as at start
    var reloading = new ServiceGuardian.Reloading(config, cfg, () -> ConfigFiles.load(config), new KamonReloadMetrics(recordReloads),
        next -> TargetWriters.from(next, observer), dryRun);
    ActorSystem<ServiceGuardian.Command> system =
        ActorSystem.create(
            ServiceGuardian.create(settings, KubernetesClients.standard(), writers, listener, recorder, reloading, lastAccepted),
            "tributary",
            cfg);
    startAdmin(system, settings, status);
    onSighup(() -> system.tell(new ServiceGuardian.Reload("SIGHUP", null)));
    CoordinatedShutdown.get(system)
        .addTask(
            CoordinatedShutdown.PhaseServiceUnbind(),
            "drain-pipeline",
            () -> AskPattern.<ServiceGuardian.Command, Done>ask(
                system, ServiceGuardian.Drain::new, Duration.ofSeconds(DRAIN_SECONDS), system.scheduler()));
    if (recorder != null) {
      ConfigFiles.closeOnShutdown(system, "close-recording", recorder);
    }
    if (transcriptWriter != null) {
      ConfigFiles.closeOnShutdown(system, "close-transcript", transcriptWriter);
    }
    CoordinatedShutdown.get(system)
        .addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "stop-metrics",
            () -> scala.jdk.javaapi.FutureConverters.asJava(Kamon.stop()).thenApply(x -> Done.getInstance()));
    LOG.info("watching {} clusters {}; metrics on :{}{}", settings.clusters().size(), settings.clusters().keySet(),
        cfg.getInt("kamon.prometheus.embedded-server.port"), cfg.getString("kamon.prometheus.embedded-server.metrics-path"));
    LOG.info("targets: consul {}; dns {}; traefik {}", consulTarget(settings), dnsTarget(settings), traefikTarget(settings));
    system.getWhenTerminated().toCompletableFuture().join();
    return 0;
  }

  /**
   * The last accepted routes of the {@code tributary.last-accepted} file, none when it is off; a
   * file that cannot be used is one warning and none.
   */
  static LastAccepted loadLastAccepted(TributarySettings settings) {
    if (!settings.lastAccepted().enabled()) {
      return LastAccepted.NONE;
    }
    Path file = Path.of(settings.lastAccepted().path());
    var loaded = LastAcceptedFile.load(file);
    if (loaded.problem() != null) {
      LOG.warn(loaded.problem());
    }
    LOG.info("last accepted routes of {} objects loaded from {}", loaded.lastAccepted().size(), file);
    return loaded.lastAccepted();
  }

  /**
   * The admin endpoint, before anything else is reported: a port that cannot be bound is a
   * mistake in the config or the environment, and the probes would fail anyway, so it stops the
   * service (exit 2) instead of running without them.
   */
  private static void startAdmin(ActorSystem<ServiceGuardian.Command> system, TributarySettings settings, ServiceStatus status)
      throws InterruptedException {
    var admin = settings.admin();
    io.tributary.admin.AdminRoutes.Reloader reloader = cause -> AskPattern.<ServiceGuardian.Command, ConfigReloader.Outcome>ask(
        system, replyTo -> new ServiceGuardian.Reload(cause, replyTo), Duration.ofSeconds(30), system.scheduler());
    awaitAdmin(system, admin, AdminServer.start(system, admin, status, reloader));
  }

  /**
   * Waits for the admin endpoint to listen; a port it cannot have is the user's to fix: the system
   * stops and one line names the address and the keys (the edge and the central service too).
   */
  static void awaitAdmin(ActorSystem<?> system, io.tributary.settings.AdminSettings admin,
      java.util.concurrent.CompletionStage<AdminServer> binding) throws InterruptedException {
    try {
      binding.toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().join();
      Throwable cause = e.getCause() == null ? e : e.getCause();
      while (cause.getCause() != null) {
        cause = cause.getCause();
      }
      throw new UserError("cannot listen on " + admin.bind() + ":" + admin.port() + " (tributary.admin.bind, tributary.admin.port): "
          + cause.getMessage());
    }
  }

  /** Runs {@code reload} on SIGHUP instead of the JVM's default (which exits). */
  @SuppressWarnings("restriction")
  private static void onSighup(Runnable reload) {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> reload.run());
    } catch (IllegalArgumentException e) {
      LOG.warn("SIGHUP cannot be caught on this platform; reload with a file change or POST /reload instead");
    }
  }

  /** Where Consul registrations go, for the start-up line (never a token). */
  private static String consulTarget(TributarySettings settings) {
    var consul = settings.consul();
    if (consul.registrationMode() == ConsulSettings.RegistrationMode.AGENT) {
      return "through each cluster's agent (registration-mode agent)" + mode(consul.mode());
    }
    return (consul.http().enabled()
        ? "datacenter " + consul.datacenter() + " at " + ConsulHttpSettings.withoutCredentials(consul.http().address())
        : "in memory (consul.http.address is empty)") + mode(consul.mode());
  }

  /** Where DNS records go, for the start-up line (key names, never secrets). */
  private static String dnsTarget(TributarySettings settings) {
    var dns = settings.dns();
    String zones = dns.zones().stream().map(z -> z + mode(z.mode())).toList().toString();
    return dns.isRemote() ? "zones " + zones : "in memory (no zone names a server)" + mode(dns.mode());
  }

  /** A target's policy and dry run for the start-up line, nothing when it takes every change and is written. */
  private static String mode(TargetMode mode) {
    return mode.equals(TargetMode.DEFAULT) ? "" : " (" + mode + ")";
  }

  /** Where Traefik's dynamic configuration goes, for the start-up line (never a password). */
  private static String traefikTarget(TributarySettings settings) {
    return traefikSink(settings) + mode(settings.traefik().mode());
  }

  private static String traefikSink(TributarySettings settings) {
    var traefik = settings.traefik();
    return switch (traefik.sink()) {
      case MEMORY -> "in memory (traefik.sink is empty)";
      case FILE -> "file " + traefik.file().path();
      case CONSUL_KV -> "Consul KV under " + traefik.root() + "/ at "
          + ConsulHttpSettings.withoutCredentials(settings.consul().http().address());
      case ETCD -> "etcd under " + traefik.root() + "/ at " + traefik.etcd().endpoints()
          + (traefik.etcd().username().isEmpty() ? "" : " as user " + traefik.etcd().username());
    };
  }
}
