package io.tributary.watch;

import io.tributary.plan.PipelineListener;

import io.tributary.settings.ClusterSettings;
import io.tributary.settings.WatchSettings;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * One {@link ClusterWatcher} per configured cluster, each restarted with backoff when it fails.
 * Clusters are added and removed at runtime; a removed cluster's records are withdrawn (its
 * objects reported deleted) after {@code watch.removal-grace}, unless it comes back first.
 */
public final class WatcherSupervisor extends AbstractBehavior<WatcherSupervisor.Command> {

  /** What the supervisor understands. */
  public sealed interface Command {}

  /** Start watching a cluster, or restart its watch with changed settings. */
  public record AddCluster(ClusterSettings settings) implements Command {}

  /** Stop watching a cluster; its records are withdrawn after the grace period. */
  public record RemoveCluster(String name) implements Command {}

  /** Every watcher hands its objects to {@code to} again (see {@link ClusterWatcher.Resync}). */
  public record Resync(WatchEventSink to) implements Command {}

  /** Answer with the clusters being watched. */
  public record GetClusters(ActorRef<Clusters> replyTo) implements Command {}

  /** The clusters being watched, by name. */
  public record Clusters(Set<String> names) {}

  private record WithdrawCluster(String name) implements Command {}

  private final WatchEventSink sink;
  private final KubernetesClients clients;
  private final PipelineListener listener;
  private final WatchSettings settings;
  private final TimerScheduler<Command> timers;
  private final Map<String, ClusterSettings> clusters = new HashMap<>();
  private final Map<String, ActorRef<ClusterWatcher.Command>> watchers = new HashMap<>();
  private final Map<String, KnownObjects> known = new HashMap<>();
  private long generation;

  /** Watches {@code initial} clusters, delivering every event to {@code sink}. */
  public static Behavior<Command> create(
      Collection<ClusterSettings> initial,
      WatchEventSink sink,
      KubernetesClients clients,
      PipelineListener listener,
      WatchSettings settings) {
    return Behaviors.setup(
        ctx -> Behaviors.withTimers(
            timers -> new WatcherSupervisor(ctx, timers, initial, sink, clients, listener, settings)));
  }

  private WatcherSupervisor(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      Collection<ClusterSettings> initial,
      WatchEventSink sink,
      KubernetesClients clients,
      PipelineListener listener,
      WatchSettings settings) {
    super(context);
    this.timers = timers;
    this.sink = sink;
    this.clients = clients;
    this.listener = listener;
    this.settings = settings;
    initial.forEach(this::watch);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(AddCluster.class, this::onAddCluster)
        .onMessage(RemoveCluster.class, this::onRemoveCluster)
        .onMessage(WithdrawCluster.class, this::onWithdrawCluster)
        .onMessage(GetClusters.class, this::onGetClusters)
        .onMessage(Resync.class, this::onResync)
        .build();
  }

  private Behavior<Command> onAddCluster(AddCluster add) {
    String name = add.settings().name();
    timers.cancel(name); // a pending withdrawal of a cluster that came back is off
    if (add.settings().equals(clusters.get(name))) {
      return this;
    }
    stopWatcher(name);
    watch(add.settings());
    return this;
  }

  private Behavior<Command> onRemoveCluster(RemoveCluster remove) {
    if (stopWatcher(remove.name())) {
      clusters.remove(remove.name());
      listener.clusterState(remove.name(), "removed", "records withdrawn in " + settings.removalGrace());
      getContext().getLog().info("cluster {} removed; its records are withdrawn in {}", remove.name(), settings.removalGrace());
      timers.startSingleTimer(remove.name(), new WithdrawCluster(remove.name()), settings.removalGrace());
    }
    return this;
  }

  private Behavior<Command> onWithdrawCluster(WithdrawCluster withdraw) {
    KnownObjects objects = known.remove(withdraw.name());
    if (objects == null || clusters.containsKey(withdraw.name())) {
      return this;
    }
    int n = 0;
    for (ObjectKey key : new TreeSet<>(objects.all())) {
      sink.offer(new WatchEvent(key, EventType.DELETED, null, null));
      n++;
    }
    // the cluster will never list again: let the sync barrier count it as synced
    for (String kind : io.tributary.kind.ResourceKind.syncKindNames()) {
      sink.offer(WatchEvent.synced(withdraw.name(), kind));
    }
    getContext().getLog().info("cluster {}: withdrew {} objects", withdraw.name(), n);
    return this;
  }

  private Behavior<Command> onResync(Resync resync) {
    watchers.values().forEach(w -> w.tell(new ClusterWatcher.Resync(resync.to())));
    return this;
  }

  private Behavior<Command> onGetClusters(GetClusters get) {
    get.replyTo().tell(new Clusters(Set.copyOf(clusters.keySet())));
    return this;
  }

  private void watch(ClusterSettings cluster) {
    clusters.put(cluster.name(), cluster);
    KnownObjects objects = known.computeIfAbsent(cluster.name(), n -> new KnownObjects());
    Behavior<ClusterWatcher.Command> watcher =
        Behaviors.supervise(ClusterWatcher.create(cluster, sink, clients, objects, listener, settings.stallCheckInterval()))
            .onFailure(
                SupervisorStrategy.restartWithBackoff(settings.minBackoff(), settings.maxBackoff(), 0.2)
                    .withLoggingEnabled(false));
    // a generation suffix: a re-added cluster's new watcher must not clash with the old name
    watchers.put(cluster.name(), getContext().spawn(watcher, "cluster-" + cluster.name() + "-" + (++generation)));
  }

  private boolean stopWatcher(String name) {
    ActorRef<ClusterWatcher.Command> watcher = watchers.remove(name);
    if (watcher == null) {
      return false;
    }
    getContext().stop(watcher);
    return true;
  }
}
