package io.tributary.consul;

import io.tributary.concurrent.Failures;
import io.tributary.consul.ConsulClient.Blocking;
import io.tributary.settings.VmDiscoverySettings;
import io.tributary.translate.VmBackends;
import io.tributary.watch.EventType;
import io.tributary.watch.WatchEvent;
import io.tributary.watch.WatchEventSink;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Finds the VM services of strangler migrations in Consul: a blocking read of the service list,
 * again and again, offering the pipeline one {@link VmBackends} snapshot whenever the services
 * tagged {@code <tag-prefix><hostname>} change. A failed read is thrown to the supervisor, which
 * restarts the watcher with backoff; the restarted watcher offers a full snapshot again, so nothing
 * depends on what was offered before.
 */
public final class VmBackendWatcher extends AbstractBehavior<VmBackendWatcher.Command> {

  /** The watcher's messages (its own read results only). */
  public sealed interface Command permits ReadDone, ReadFailed {}

  private record ReadDone(Blocking<Map<String, List<String>>> services) implements Command {}

  private record ReadFailed(Throwable failure) implements Command {}

  private final ConsulClient client;
  private final VmDiscoverySettings settings;
  private final WatchEventSink sink;
  private long index;
  private Map<String, List<String>> offered;

  /** A watcher reading through {@code client} and offering snapshots to {@code sink}. */
  public static Behavior<Command> create(ConsulClient client, VmDiscoverySettings settings, WatchEventSink sink) {
    return Behaviors.setup(ctx -> new VmBackendWatcher(ctx, client, settings, sink));
  }

  private VmBackendWatcher(ActorContext<Command> context, ConsulClient client, VmDiscoverySettings settings, WatchEventSink sink) {
    super(context);
    this.client = client;
    this.settings = settings;
    this.sink = sink;
    read();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(ReadDone.class, this::onReadDone)
        .onMessage(ReadFailed.class, this::onReadFailed)
        .build();
  }

  private Behavior<Command> onReadDone(ReadDone done) {
    Map<String, List<String>> now = VmBackends.discover(done.services().value(), settings.tagPrefix());
    if (!now.equals(offered)) {
      if (offered != null || !now.isEmpty()) {
        getContext().getLog().info("VM backends found in Consul by tag {}*: {}", settings.tagPrefix(), now);
      }
      sink.offer(WatchEvent.of(VmBackends.SOURCE, EventType.MODIFIED, VmBackends.snapshot(now)));
      offered = now;
    }
    index = done.services().index();
    read();
    return this;
  }

  private Behavior<Command> onReadFailed(ReadFailed failed) {
    // the supervisor restarts this watcher with backoff (declared where it is spawned)
    Throwable cause = Failures.unwrap(failed.failure());
    throw cause instanceof RuntimeException r ? r : new IllegalStateException("reading Consul's services failed", cause);
  }

  private void read() {
    getContext().pipeToSelf(client.catalogServices(index, settings.blockingWait()),
        (services, failure) -> failure == null ? new ReadDone(services) : new ReadFailed(failure));
  }
}
