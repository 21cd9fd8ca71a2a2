package io.tributary.service;

import com.typesafe.config.Config;
import io.tributary.consul.ConsulClient;
import io.tributary.lastaccepted.LastAcceptedStore;
import io.tributary.plan.LastAccepted;
import io.tributary.reload.ConfigReloader;
import io.tributary.settings.ConfigChange;
import io.tributary.settings.ConfigVersions;
import io.tributary.watch.WatchEvent;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import io.tributary.consul.VmBackendWatcher;
import io.tributary.target.Target;
import io.tributary.settings.TributarySettings;
import io.tributary.watch.KubernetesClients;
import io.tributary.plan.PipelineListener;
import io.tributary.watch.WatchBuffer;
import io.tributary.watch.WatchEventSink;
import io.tributary.watch.WatcherSupervisor;
import io.tributary.writer.WriterProtocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The running service from one config: cluster watchers feed the watch buffer (and, when
 * configured, an event recorder), the pipeline guardian drains it into the writers. On {@link
 * Drain} the watchers stop, the buffer completes, and the reply comes once every pending change has
 * been handed to its writer — what SIGTERM triggers.
 */
public final class ServiceGuardian extends AbstractBehavior<ServiceGuardian.Command> {

  /** What the service guardian understands. */
  public sealed interface Command {}

  /** Stop watching, write what is pending, then answer. */
  public record Drain(ActorRef<Done> replyTo) implements Command {}

  /** Answer with the pipeline guardian (writers, state) — for tests and the status page. */
  public record GetPipeline(ActorRef<ActorRef<PipelineGuardian.Command>> replyTo) implements Command {}

  /** Answer with the watcher supervisor (runtime cluster changes). */
  public record GetWatchers(ActorRef<ActorRef<WatcherSupervisor.Command>> replyTo) implements Command {}

  /** Reload the configuration now (SIGHUP, POST /reload); ignored, with a warning, when reloading is off. */
  public record Reload(String cause, ActorRef<ConfigReloader.Outcome> replyTo) implements Command {}

  /**
   * How the service reloads its configuration: from {@code file}, loaded as {@code config} at
   * start, read again through {@code source}; {@code listener} hears every outcome.
   */
  public record Reloading(
      Path file, Config config, ConfigReloader.Source source, ConfigReloader.Listener listener,
      Function<TributarySettings, Map<Target, Behavior<WriterProtocol.Command>>> writers, boolean dryRun) {

    /** Reloading whose target writers are never started anew (tests of the pipeline side). */
    public Reloading(Path file, Config config, ConfigReloader.Source source, ConfigReloader.Listener listener) {
      this(file, config, source, listener, null, false);
    }
  }

  /**
   * Configuration {@code version} was validated and is to be applied from now on; the writers of
   * {@code rewired} targets are started anew first.
   */
  private record Reconfigure(long version, TributarySettings next, ConfigChange change, Set<Target> rewired) implements Command {}

  /** The rewired writers of {@code reconfigure} run: the rest of it can go ahead. */
  private record WritersReplaced(Reconfigure reconfigure) implements Command {}

  private record PipelineFinished(Throwable failure) implements Command {}

  private record SampleBuffer() implements Command {}

  /** The last-accepted file holds what the drained pipeline left in force: the drain is complete. */
  private record LastAcceptedFlushed() implements Command {}

  private static final java.time.Duration SAMPLE_EVERY = java.time.Duration.ofSeconds(1);

  private final WatchBuffer buffer;
  private final PipelineListener listener;
  private final ActorRef<PipelineGuardian.Command> pipeline;
  private final ActorRef<WatcherSupervisor.Command> watchers;
  private final ActorRef<VmBackendWatcher.Command> vmBackends; // null when discovery is off
  private final List<ActorRef<Done>> drainWaiters = new ArrayList<>();
  private final ConfigVersions versions;
  private final ActorRef<ConfigReloader.Command> reloader; // null when reloading is off
  private final ActorRef<LastAcceptedStore.Command> lastAcceptedStore; // null when tributary.last-accepted is off
  private final Function<TributarySettings, Map<Target, Behavior<WriterProtocol.Command>>> writerFactory; // null: never rewired
  private TributarySettings current;
  private boolean finished;

  /**
   * @param tee also receives every watched event (the {@code record-to} recorder), or null
   */
  public static Behavior<Command> create(
      TributarySettings settings,
      KubernetesClients clients,
      Map<Target, Behavior<WriterProtocol.Command>> writers,
      PipelineListener listener,
      WatchEventSink tee) {
    return create(settings, clients, writers, listener, tee, null);
  }

  /** As above, reloading the configuration as {@code reloading} says (null: never). */
  public static Behavior<Command> create(
      TributarySettings settings,
      KubernetesClients clients,
      Map<Target, Behavior<WriterProtocol.Command>> writers,
      PipelineListener listener,
      WatchEventSink tee,
      Reloading reloading) {
    return create(settings, clients, writers, listener, tee, reloading, LastAccepted.NONE);
  }

  /**
   * As above, the routing starting from {@code lastAccepted} (loaded from the {@code
   * tributary.last-accepted} file, which is kept in step from then on when the settings name one).
   */
  public static Behavior<Command> create(
      TributarySettings settings,
      KubernetesClients clients,
      Map<Target, Behavior<WriterProtocol.Command>> writers,
      PipelineListener listener,
      WatchEventSink tee,
      Reloading reloading,
      LastAccepted lastAccepted) {
    return Behaviors.setup(
        ctx -> Behaviors.withTimers(
            timers -> {
              // named after this class: detected from the stack, it would be pekko's (and below INFO)
              ctx.setLoggerName(ServiceGuardian.class);
              timers.startTimerWithFixedDelay(new SampleBuffer(), SAMPLE_EVERY);
              return new ServiceGuardian(ctx, settings, clients, writers, listener, tee, reloading, lastAccepted);
            }));
  }

  private ServiceGuardian(
      ActorContext<Command> context,
      TributarySettings settings,
      KubernetesClients clients,
      Map<Target, Behavior<WriterProtocol.Command>> writers,
      PipelineListener listener,
      WatchEventSink tee,
      Reloading reloading,
      LastAccepted lastAccepted) {
    super(context);
    lastAcceptedStore = LastAcceptedStore.spawnIfEnabled(context, settings.lastAccepted(), lastAccepted);
    listener = lastAcceptedStore == null ? listener : LastAcceptedStore.listening(listener, lastAcceptedStore);
    this.listener = listener;
    this.current = settings;
    buffer = new WatchBuffer(listener);
    WatchEventSink sink = tee == null ? buffer : buffer.andThen(tee);
    CompletableFuture<Done> done = new CompletableFuture<>();
    versions = new ConfigVersions(settings);
    pipeline = context.spawn(PipelineGuardian.create(versions, buffer, writers, listener, lastAccepted, done), "pipeline");
    context.pipeToSelf(done, (ok, failure) -> new PipelineFinished(failure));
    watchers =
        context.spawn(
            WatcherSupervisor.create(settings.clusters().values(), sink, clients, listener, settings.watch()),
            "watchers");
    vmBackends = settings.vmDiscovery().enabled() ? context.spawn(vmBackendWatcher(context, settings, sink), "vm-backends") : null;
    ActorRef<Command> self = context.getSelf();
    this.writerFactory = reloading == null ? null : reloading.writers();
    // the reloader calls the applier on its own thread, one reload at a time
    AtomicReference<TributarySettings> applied = new AtomicReference<>(settings);
    reloader = reloading == null ? null : context.spawn(
        ConfigReloader.create(reloading.file(), reloading.config(), settings, reloading.source(),
            (reloaded, config, change) -> {
              // run --dry-run stays a dry run whatever the file says
              TributarySettings next = reloading.dryRun() ? reloaded.inDryRun() : reloaded;
              Set<Target> rewired = writerFactory == null ? Set.of() : next.writersRewiredFrom(applied.getAndSet(next));
              long version = versions.add(next, rewired);
              self.tell(new Reconfigure(version, next, change, rewired));
              return version;
            },
            reloading.listener()),
        "config-reloader");
  }

  /** VM services found in Consul by tag, restarted with backoff while Consul cannot be read. */
  private static Behavior<VmBackendWatcher.Command> vmBackendWatcher(
      ActorContext<Command> context, TributarySettings settings, WatchEventSink sink) {
    var client = new ConsulClient(context.getSystem(), settings.consul().http(), settings.consul().datacenter());
    return Behaviors.supervise(VmBackendWatcher.create(client, settings.vmDiscovery(), sink))
        .onFailure(SupervisorStrategy.restartWithBackoff(settings.watch().minBackoff(), settings.watch().maxBackoff(), 0.2)
            .withLogLevel(org.slf4j.event.Level.WARN));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Drain.class, this::onDrain)
        .onMessage(GetPipeline.class, this::onGetPipeline)
        .onMessage(GetWatchers.class, this::onGetWatchers)
        .onMessage(PipelineFinished.class, this::onPipelineFinished)
        .onMessage(SampleBuffer.class, this::onSampleBuffer)
        .onMessage(Reload.class, this::onReload)
        .onMessage(Reconfigure.class, this::onReconfigure)
        .onMessage(WritersReplaced.class, this::onWritersReplaced)
        .onMessage(LastAcceptedFlushed.class, this::onLastAcceptedFlushed)
        .build();
  }

  private Behavior<Command> onReload(Reload reload) {
    if (reloader == null) {
      getContext().getLog().warn("reload ({}) ignored: this service does not reload its configuration", reload.cause());
      if (reload.replyTo() != null) {
        reload.replyTo().tell(new ConfigReloader.Refused(List.of("this service does not reload its configuration")));
      }
    } else {
      reloader.tell(new ConfigReloader.Reload(reload.cause(), reload.replyTo()));
    }
    return this;
  }

  /**
   * The stages switch at the marker, in stream order; clusters start, stop or restart; after a
   * change of translation every watcher hands its objects over again (to the pipeline only, not
   * the recorder), so each is translated anew behind the marker and only changed results written.
   */
  private Behavior<Command> onReconfigure(Reconfigure r) {
    if (finished || !drainWaiters.isEmpty()) {
      return this; // draining: nothing more is watched
    }
    if (r.rewired().isEmpty()) {
      return onWritersReplaced(new WritersReplaced(r));
    }
    // new writers first, so the full state told behind the marker reaches them, not the old ones
    Map<Target, Behavior<WriterProtocol.Command>> behaviors = new java.util.EnumMap<>(Target.class);
    writerFactory.apply(r.next()).forEach((target, behavior) -> {
      if (r.rewired().contains(target)) {
        behaviors.put(target, behavior);
      }
    });
    getContext().ask(Done.class, pipeline, java.time.Duration.ofSeconds(30),
        replyTo -> new PipelineGuardian.ReplaceWriters(behaviors, r.next().writer().restart(), replyTo),
        (done, failure) -> new WritersReplaced(r));
    return this;
  }

  private Behavior<Command> onWritersReplaced(WritersReplaced replaced) {
    if (finished || !drainWaiters.isEmpty()) {
      return this;
    }
    Reconfigure r = replaced.reconfigure();
    TributarySettings before = current;
    current = r.next();
    buffer.offer(WatchEvent.reconfigured(r.version()));
    before.clusters().keySet().stream().filter(c -> !current.clusters().containsKey(c))
        .forEach(c -> watchers.tell(new WatcherSupervisor.RemoveCluster(c)));
    current.clusters().values().forEach(c -> watchers.tell(new WatcherSupervisor.AddCluster(c)));
    if (r.change().retranslates()) {
      watchers.tell(new WatcherSupervisor.Resync(buffer));
    }
    return this;
  }

  private Behavior<Command> onSampleBuffer(SampleBuffer sample) {
    listener.bufferDepth(buffer.depth());
    return this;
  }

  private Behavior<Command> onDrain(Drain drain) {
    if (finished) {
      drain.replyTo().tell(Done.getInstance());
      return this;
    }
    drainWaiters.add(drain.replyTo());
    if (drainWaiters.size() == 1) {
      getContext().getLog().info("draining: watchers stopped, writing {} pending objects", buffer.depth());
      getContext().stop(watchers);
      if (vmBackends != null) {
        getContext().stop(vmBackends);
      }
      buffer.complete();
    }
    return this;
  }

  private Behavior<Command> onGetPipeline(GetPipeline get) {
    get.replyTo().tell(pipeline);
    return this;
  }

  private Behavior<Command> onGetWatchers(GetWatchers get) {
    get.replyTo().tell(watchers);
    return this;
  }

  private Behavior<Command> onPipelineFinished(PipelineFinished msg) {
    if (msg.failure() != null) {
      finishDrain();
      // the pipeline is the service: without it nothing is written, so stop and let the
      // orchestrator restart us rather than run on silently (the last-accepted store writes as it stops)
      throw new IllegalStateException("routing pipeline failed", msg.failure());
    }
    if (lastAcceptedStore == null) {
      finishDrain();
    } else { // drained: the routes it left in force are in the store's mailbox, written before the reply
      getContext().ask(Done.class, lastAcceptedStore, java.time.Duration.ofSeconds(10), LastAcceptedStore.Flush::new,
          (done, failure) -> new LastAcceptedFlushed());
    }
    return this;
  }

  private Behavior<Command> onLastAcceptedFlushed(LastAcceptedFlushed flushed) {
    finishDrain();
    return this;
  }

  private void finishDrain() {
    finished = true;
    drainWaiters.forEach(w -> w.tell(Done.getInstance()));
    drainWaiters.clear();
  }
}
