package io.tributary.watch;

import io.tributary.concurrent.Failures;
import io.tributary.plan.PipelineListener;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.tributary.settings.ClusterSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * Watches one cluster: one fabric8 informer per watched resource, each started without blocking
 * ({@code runnableInformer(0)} + {@code start()} piped to self). Informer callbacks only convert
 * the object and offer it to the sink. When every resource of a kind has listed and its callbacks
 * have handed every listed object over (they run on the informer's own thread, after its list
 * completes), the kind's SYNCED marker follows, after deletes for objects that vanished while the
 * watch was down.
 *
 * <p>A kind whose CRD is not installed (404) is reported and skipped; the rest is watched. Any
 * other failure (credentials refused, API server unreachable, an informer that stops) is thrown
 * to the supervisor, which restarts this watcher with backoff; other clusters are not affected.
 *
 * <p>A watch can also stall without failing: the connection stays open and nothing arrives (a
 * client bug, a proxy that stops forwarding). Every {@code stall-check-interval}, an informer that
 * delivered nothing since the previous check is compared with the API server (see {@link
 * #probe}); missed changes at two checks in a row are a stall: a warning, a metric, the cluster
 * reported {@code stalled}, and that informer alone restarted with a relist.
 *
 * <p>Or it can drop and not come back (the API server unreachable after the list): fabric8 keeps
 * reconnecting by itself, so nothing fails. A watch found closed at two connection checks in a row
 * makes the cluster {@code disconnected} until every watch is open again ({@link #onCheckConnections}).
 */
public final class ClusterWatcher extends AbstractBehavior<ClusterWatcher.Command> {

  /** The watcher's messages: {@link Resync}, and its own results of informer start and stop and its timers. */
  public sealed interface Command {}

  /**
   * Hand every object the informers hold to {@code to} again, as MODIFIED: after a reload, so each
   * is translated under the new configuration. Not to the recorder: a replay re-translates by itself.
   */
  public record Resync(WatchEventSink to) implements Command {}

  // each result names its informer: results of a previous incarnation's informers (stopped by a
  // restart) reach the restarted actor too, and must not count as new failures
  private record InformerStarted(WatchedResource resource, SharedIndexInformer<?> informer) implements Command {}

  private record InformerFailed(WatchedResource resource, SharedIndexInformer<?> informer, Throwable cause)
      implements Command {}

  private record InformerStopped(WatchedResource resource, SharedIndexInformer<?> informer, Throwable cause)
      implements Command {}

  private record CheckStalls() implements Command {}

  private record CheckConnections() implements Command {}

  /** Time to look again whether every listed object of {@code kind} has been handed over. */
  private record HandOverDue(String kind) implements Command {}

  /** How often a kind's hand-over is looked at until it is complete (a large list takes a while). */
  private static final Duration HAND_OVER_POLL = Duration.ofMillis(20);

  private static final CheckStalls CHECK_STALLS = new CheckStalls();

  private static final CheckConnections CHECK_CONNECTIONS = new CheckConnections();

  /**
   * How often every listed informer is asked whether its watch is open. A look at a flag, so
   * cheap; a watch closed at two looks in a row is reported (the API server closes watches now and
   * then, and fabric8 reopens them at once: those blips are not an outage).
   */
  private static final Duration CONNECTION_CHECK = Duration.ofSeconds(2);

  /** A stall probe's answer for an informer that had been silent at {@code silentAt}. */
  private record Probed(
      WatchedResource resource, SharedIndexInformer<?> informer, String silentAt, Probe probe, Throwable failure)
      implements Command {}

  /**
   * What the API server has that the informer has not delivered: {@code missed} objects whose
   * version differs from the informer's (or that it lacks, or that the server no longer has).
   */
  private record Probe(String serverVersion, int missed, String example) {}

  /** The informer's last delivered version at the previous check, and whether a probe found it behind. */
  private record Health(String seen, boolean behind) {}

  private final ClusterSettings settings;
  private final WatchEventSink sink;
  private final KnownObjects known;
  private final PipelineListener listener;
  private final KubernetesClient client;
  private final Map<WatchedResource, SharedIndexInformer<GenericKubernetesResource>> informers =
      new LinkedHashMap<>();
  private final Map<WatchedResource, Forwarder> forwarders = new HashMap<>();
  private final TimerScheduler<Command> timers;
  private final Set<WatchedResource> listed = new HashSet<>();
  private final Set<WatchedResource> missing = new HashSet<>();
  private final Set<String> syncedKinds = new TreeSet<>();
  private final Executor blocking;
  private final Map<WatchedResource, Health> health = new HashMap<>();
  private final Set<WatchedResource> probing = new HashSet<>();
  /** Listed informers whose watch was found closed, with the check that first found it. */
  private final Map<WatchedResource, Long> closedSince = new HashMap<>();
  private long connectionChecks;
  private boolean disconnected;

  /**
   * Watches {@code settings}' cluster, delivering to {@code sink}; checks for stalled watches every
   * {@code stallCheckInterval} (zero: never).
   */
  public static Behavior<Command> create(
      ClusterSettings settings,
      WatchEventSink sink,
      KubernetesClients clients,
      KnownObjects known,
      PipelineListener listener,
      Duration stallCheckInterval) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(
        timers -> new ClusterWatcher(ctx, timers, settings, sink, clients, known, listener, stallCheckInterval)));
  }

  private ClusterWatcher(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      ClusterSettings settings,
      WatchEventSink sink,
      KubernetesClients clients,
      KnownObjects known,
      PipelineListener listener,
      Duration stallCheckInterval) {
    super(context);
    this.timers = timers;
    this.settings = settings;
    this.sink = sink;
    this.known = known;
    this.listener = listener;
    // fabric8's list calls block: probes run on Pekko's dispatcher for blocking work
    this.blocking = context.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
    listener.clusterState(settings.name(), "starting", "");
    context.getLog().info("cluster {}: watching {} ({})", settings.name(), new TreeSet<>(settings.kinds()),
        settings.inCluster() ? "in-cluster credentials" : "kubeconfig " + settings.kubeconfig()
            + (settings.context() != null ? ", context " + settings.context() : ""));
    try {
      this.client = clients.connect(settings);
    } catch (RuntimeException e) {
      throw failed("cannot connect: " + e.getMessage(), e);
    }
    for (String kind : new TreeSet<>(settings.kinds())) {
      for (WatchedResource resource : WatchedResource.of(kind)) {
        start(resource);
      }
    }
    if (!stallCheckInterval.isZero() && !stallCheckInterval.isNegative()) {
      timers.startTimerWithFixedDelay(CHECK_STALLS, stallCheckInterval);
    }
    timers.startTimerWithFixedDelay(CHECK_CONNECTIONS, CONNECTION_CHECK);
  }

  /** What the informer of {@code resource} watches: every namespace, the label selector if any. */
  private FilterWatchListDeletable<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>>
      watched(WatchedResource resource) {
    var all = client.genericKubernetesResources(resource.context()).inAnyNamespace();
    return settings.labelSelector() != null && resource.selectable() ? all.withLabelSelector(settings.labelSelector()) : all;
  }

  private void start(WatchedResource resource) {
    SharedIndexInformer<GenericKubernetesResource> informer = watched(resource).runnableInformer(0);
    // before the first list succeeds, fail fast so the failure is classified (404, 403, ...);
    // once running, let the informer reconnect and relist by itself
    informer.exceptionHandler((started, t) -> started);
    Forwarder forwarder = new Forwarder(resource);
    informer.addEventHandler(forwarder);
    informers.put(resource, informer);
    forwarders.put(resource, forwarder);
    // Void futures are mapped to Done: a null result piped to an actor that has meanwhile stopped
    // becomes a dead letter that Pekko's dead-letter logger fails on (an ERROR with a stack trace)
    getContext()
        .pipeToSelf(
            informer.start().thenApply(v -> Done.getInstance()),
            (ok, failure) ->
                failure == null
                    ? new InformerStarted(resource, informer)
                    : new InformerFailed(resource, informer, failure));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(InformerStarted.class, this::onInformerStarted)
        .onMessage(InformerFailed.class, this::onInformerFailed)
        .onMessage(InformerStopped.class, this::onInformerStopped)
        .onMessage(Resync.class, this::onResync)
        .onMessage(CheckStalls.class, this::onCheckStalls)
        .onMessage(CheckConnections.class, this::onCheckConnections)
        .onMessage(HandOverDue.class, this::onHandOverDue)
        .onMessage(Probed.class, this::onProbed)
        .onSignal(PreRestart.class, signal -> close())
        .onSignal(PostStop.class, signal -> close())
        .build();
  }

  private Behavior<Command> onResync(Resync resync) {
    int n = 0;
    for (var e : informers.entrySet()) {
      Forwarder forwarder = forwarders.get(e.getKey());
      for (GenericKubernetesResource obj : e.getValue().getStore().list()) {
        WatchEvent event = forwarder == null ? null : forwarder.convert(EventType.MODIFIED, obj);
        if (event != null) {
          resync.to().offer(event);
          n++;
        }
      }
    }
    getContext().getLog().debug("cluster {}: {} objects handed over again for the new configuration", settings.name(), n);
    return this;
  }

  private boolean stale(WatchedResource resource, SharedIndexInformer<?> informer) {
    return informers.get(resource) != informer;
  }

  private Behavior<Command> onInformerStarted(InformerStarted msg) {
    if (stale(msg.resource(), msg.informer())) {
      return this;
    }
    listed.add(msg.resource());
    var informer = informers.get(msg.resource());
    getContext()
        .pipeToSelf(
            informer.stopped().thenApply(v -> Done.getInstance()),
            (ok, failure) -> new InformerStopped(msg.resource(), informer, failure));
    kindDone(msg.resource().kind());
    return this;
  }

  private Behavior<Command> onInformerFailed(InformerFailed msg) {
    if (stale(msg.resource(), msg.informer())) {
      return this;
    }
    Throwable cause = Failures.unwrap(msg.cause());
    if (msg.resource().customResource() && code(cause) == 404) {
      missing.add(msg.resource());
      informers.remove(msg.resource()).stop();
      listener.kindMissing(
          settings.name(), msg.resource().kind(), msg.resource().apiVersion() + " is not served (CRD not installed)");
      getContext().getLog().warn("cluster {}: {} is not served (CRD not installed); watching the rest", settings.name(), msg.resource());
      kindDone(msg.resource().kind());
      return this;
    }
    throw failed("cannot list " + msg.resource() + ": " + describe(cause), cause);
  }

  private Behavior<Command> onInformerStopped(InformerStopped msg) {
    if (stale(msg.resource(), msg.informer())) {
      return this;
    }
    Throwable cause = msg.cause() == null ? null : Failures.unwrap(msg.cause());
    throw failed("the " + msg.resource() + " watch stopped" + (cause == null ? "" : ": " + describe(cause)), cause);
  }

  /**
   * Once listed, an informer whose watch drops reconnects by itself, forever, without failing: so
   * a cluster whose API server went away would otherwise still look synced. A watch found closed
   * at two checks in a row makes the cluster {@code disconnected} (its records stay; only new
   * changes wait) until every watch is open again.
   */
  private Behavior<Command> onCheckConnections(CheckConnections msg) {
    long check = ++connectionChecks;
    closedSince.keySet().retainAll(informers.keySet()); // a relisted informer starts afresh
    String down = null;
    for (var entry : informers.entrySet()) {
      if (!listed.contains(entry.getKey()) || entry.getValue().isWatching()) {
        closedSince.remove(entry.getKey());
        continue;
      }
      long since = closedSince.computeIfAbsent(entry.getKey(), r -> check);
      if (since < check && down == null) {
        down = "the " + entry.getKey() + " watch has been disconnected for "
            + CONNECTION_CHECK.multipliedBy(check - since).toSeconds() + "s; fabric8 is reconnecting";
      }
    }
    if (down != null && !disconnected) {
      disconnected = true;
      getContext().getLog().warn("cluster {}: {}", settings.name(), down);
      listener.clusterState(settings.name(), "disconnected", down);
    } else if (closedSince.isEmpty() && disconnected) {
      disconnected = false;
      if (syncedKinds.containsAll(settings.kinds())) {
        getContext().getLog().info("cluster {}: watching again", settings.name());
        listener.clusterState(settings.name(), "synced", "");
      }
    }
    return this;
  }

  /** Probes every listed informer that has delivered nothing since the previous check. */
  private Behavior<Command> onCheckStalls(CheckStalls msg) {
    for (var entry : informers.entrySet()) {
      WatchedResource resource = entry.getKey();
      SharedIndexInformer<GenericKubernetesResource> informer = entry.getValue();
      if (!listed.contains(resource) || probing.contains(resource)) {
        continue;
      }
      String seen = informer.lastSyncResourceVersion();
      Health previous = health.get(resource);
      if (previous == null || !Objects.equals(previous.seen(), seen)) {
        health.put(resource, new Health(seen, false)); // it delivered something: alive
        continue;
      }
      probing.add(resource);
      getContext().pipeToSelf(
          CompletableFuture.supplyAsync(() -> probe(resource, informer, seen), blocking),
          (probe, failure) -> new Probed(resource, informer, seen, probe, failure));
    }
    return this;
  }

  /**
   * Runs on the blocking dispatcher. A list with limit=1 gives the collection's current
   * resourceVersion cheaply; equal to the informer's, nothing can have been missed. Otherwise the
   * server has moved on, but resourceVersions are cluster-wide (any write of any kind bumps them),
   * so only a full list compared with the informer's cache tells whether this kind changed.
   */
  private Probe probe(WatchedResource resource, SharedIndexInformer<GenericKubernetesResource> informer, String seen) {
    var head = watched(resource).list(new ListOptionsBuilder().withLimit(1L).build());
    String now = head.getMetadata() == null ? null : head.getMetadata().getResourceVersion();
    if (now != null && now.equals(seen)) {
      return new Probe(now, 0, null);
    }
    Map<String, String> cached = new HashMap<>();
    for (GenericKubernetesResource o : informer.getStore().list()) {
      cached.put(describe(o), o.getMetadata().getResourceVersion());
    }
    int missed = 0;
    String example = null;
    for (GenericKubernetesResource o : watched(resource).list().getItems()) {
      String key = describe(o);
      boolean known = cached.containsKey(key);
      if (!known || !Objects.equals(cached.remove(key), o.getMetadata().getResourceVersion())) {
        missed++;
        example = example == null ? key + (known ? " changed" : " created") : example;
      }
    }
    missed += cached.size(); // deleted on the server, still in the informer's cache
    if (example == null && !cached.isEmpty()) {
      example = cached.keySet().iterator().next() + " deleted";
    }
    return new Probe(now, missed, example);
  }

  private static String describe(GenericKubernetesResource o) {
    String ns = o.getMetadata().getNamespace();
    return (ns == null || ns.isEmpty() ? "" : ns + "/") + o.getMetadata().getName();
  }

  /** Missed changes at two probes in a row, with nothing delivered in between, are a stall. */
  private Behavior<Command> onProbed(Probed msg) {
    probing.remove(msg.resource());
    if (stale(msg.resource(), msg.informer())) {
      return this;
    }
    if (msg.failure() != null) {
      // an unreachable API server is the informer's own business (it retries, or stops and we fail)
      getContext().getLog().debug("cluster {}: stall check of {} failed: {}", settings.name(), msg.resource(),
          describe(Failures.unwrap(msg.failure())));
      return this;
    }
    String seen = msg.informer().lastSyncResourceVersion();
    if (!Objects.equals(seen, msg.silentAt()) || msg.probe().missed() == 0) {
      health.put(msg.resource(), new Health(seen, false));
      return this;
    }
    Health previous = health.get(msg.resource());
    if (previous == null || !previous.behind()) {
      // the changes may still be on their way: stalled only if they are still missing next time
      health.put(msg.resource(), new Health(seen, true));
      return this;
    }
    stalled(msg.resource(), msg.probe());
    return this;
  }

  private void stalled(WatchedResource resource, Probe probe) {
    String reason = "the " + resource + " watch has delivered nothing since resourceVersion " + health.get(resource).seen()
        + " while the API server is at " + probe.serverVersion() + " with " + probe.missed() + " changed object(s) ("
        + probe.example() + "); relisting";
    getContext().getLog().warn("cluster {}: {}", settings.name(), reason);
    listener.watchStalled(settings.name(), resource.kind(), reason);
    listener.clusterState(settings.name(), "stalled", reason);
    // a fresh informer lists (objects changed meanwhile are delivered, vanished ones purged by
    // kindDone) and watches from the list's version; the old one's results are stale from now on
    informers.remove(resource).stop();
    forwarders.remove(resource);
    listed.remove(resource);
    health.remove(resource);
    syncedKinds.remove(resource.kind());
    start(resource);
  }

  private Behavior<Command> onHandOverDue(HandOverDue due) {
    if (!syncedKinds.contains(due.kind())) {
      kindDone(due.kind());
    }
    return this;
  }

  /**
   * When every resource of {@code kind} has listed (or is missing) and every listed object has
   * been handed over: purge vanished objects, mark synced. A marker ahead of the objects it closes
   * would let the writers delete, as stale, every object still on its way.
   */
  private void kindDone(String kind) {
    for (WatchedResource r : WatchedResource.of(kind)) {
      if (!listed.contains(r) && !missing.contains(r)) {
        return;
      }
    }
    Set<String> keyKinds = new TreeSet<>();
    Set<ObjectKey> present = new HashSet<>();
    boolean handedOver = true;
    for (WatchedResource r : WatchedResource.of(kind)) {
      keyKinds.add(r.keyKind());
      var informer = informers.get(r);
      if (informer != null) {
        Forwarder forwarder = forwarders.get(r);
        for (GenericKubernetesResource o : informer.getStore().list()) {
          ObjectKey key = keyOf(r, o);
          present.add(key);
          handedOver &= forwarder.handed.contains(key);
        }
      }
    }
    if (!handedOver) {
      timers.startSingleTimer("hand-over-" + kind, new HandOverDue(kind), HAND_OVER_POLL);
      return;
    }
    for (String keyKind : keyKinds) {
      for (ObjectKey k : known.ofKind(keyKind)) {
        if (!present.contains(k)) {
          // deleted while this cluster was not watched: the informer could not have told us
          known.remove(k);
          sink.offer(new WatchEvent(k, EventType.DELETED, null, null));
        }
      }
    }
    sink.offer(WatchEvent.synced(settings.name(), kind));
    syncedKinds.add(kind);
    if (syncedKinds.containsAll(settings.kinds())) {
      listener.clusterState(settings.name(), "synced", "");
      getContext().getLog().info("cluster {}: synced {}", settings.name(), syncedKinds);
    }
  }

  private WatchFailedException failed(String reason, Throwable cause) {
    listener.clusterState(settings.name(), "failed", reason);
    // one clear line per failure; the supervisor's own logging is off (it prints whole stacks)
    getContext().getLog().warn("cluster {}: {}; retrying with backoff", settings.name(), reason);
    return new WatchFailedException("cluster " + settings.name() + ": " + reason, cause);
  }

  private Behavior<Command> close() {
    informers.values().forEach(SharedIndexInformer::stop);
    informers.clear();
    if (client != null) {
      client.close();
    }
    return this;
  }

  private static int code(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof KubernetesClientException k && k.getCode() > 0) {
        return k.getCode();
      }
    }
    return -1;
  }

  /** Status code and reason, never request bodies or credentials. */
  private static String describe(Throwable t) {
    int code = code(t);
    String what = switch (code) {
      case 401 -> "credentials rejected (401)";
      case 403 -> "access denied (403): the service account needs get/list/watch, see docs/operations.md";
      case -1 -> t.getClass().getSimpleName() + (t.getMessage() != null ? ": " + firstLine(t.getMessage()) : "");
      default -> "HTTP " + code;
    };
    return what;
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** The key of {@code obj}, as {@link WatchEvent#of} makes it (a cluster-scoped object has namespace ""). */
  private ObjectKey keyOf(WatchedResource resource, GenericKubernetesResource obj) {
    return new ObjectKey(settings.name(), resource.keyKind(),
        Objects.requireNonNullElse(obj.getMetadata().getNamespace(), ""), obj.getMetadata().getName());
  }

  /** Runs on the informer's serial executor: convert, filter, offer — never blocks. */
  private final class Forwarder implements ResourceEventHandler<GenericKubernetesResource> {
    private final WatchedResource resource;
    /** Objects handed over (offered, filtered out or rejected), for the SYNCED marker to wait for. */
    final Set<ObjectKey> handed = ConcurrentHashMap.newKeySet();

    private final boolean labelsOnly;

    Forwarder(WatchedResource resource) {
      this.resource = resource;
      this.labelsOnly = resource.resourceKind().labelsOnly();
    }

    @Override
    public void onAdd(GenericKubernetesResource obj) {
      forward(EventType.ADDED, obj);
      handed.add(keyOf(resource, obj));
    }

    @Override
    public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
      // same version: a resync, not a change; of a Namespace only a change of its labels matters
      boolean changed = !Objects.equals(oldObj.getMetadata().getResourceVersion(), newObj.getMetadata().getResourceVersion());
      if (changed && (!labelsOnly || !Objects.equals(oldObj.getMetadata().getLabels(), newObj.getMetadata().getLabels()))) {
        forward(EventType.MODIFIED, newObj);
      }
      handed.add(keyOf(resource, newObj));
    }

    @Override
    public void onDelete(GenericKubernetesResource obj, boolean deletedFinalStateUnknown) {
      forward(EventType.DELETED, obj);
      handed.remove(keyOf(resource, obj));
    }

    private void forward(EventType type, GenericKubernetesResource obj) {
      WatchEvent event = convert(type, obj);
      if (event == null) {
        return;
      }
      if (type == EventType.DELETED) {
        known.remove(event.key());
      } else {
        known.add(event.key());
      }
      sink.offer(event);
    }

    /** The event of {@code obj}, or null when it is outside the watched namespaces or unreadable. */
    WatchEvent convert(EventType type, GenericKubernetesResource obj) {
      // a Namespace matters only to the routes of a namespace watched
      if (!settings.watchesNamespace(labelsOnly ? obj.getMetadata().getName() : obj.getMetadata().getNamespace())) {
        return null;
      }
      ObjectNode node;
      try {
        node = client.getKubernetesSerialization().convertValue(obj, ObjectNode.class);
      } catch (RuntimeException e) {
        // one unreadable object is rejected and counted; an exception here would only be logged
        // by fabric8, and the object silently dropped
        listener.rejected(keyOf(resource, obj), "cannot be read: " + describe(e));
        return null;
      }
      if (node.get("metadata") instanceof ObjectNode meta) {
        meta.remove("managedFields"); // large, churny, and never needed downstream
        if (labelsOnly) { // name and labels: all the pipeline (and an event log) keeps of a Namespace
          meta.retain(List.of("name", "resourceVersion", "labels"));
          node.retain(List.of("apiVersion", "kind", "metadata"));
        }
      }
      return WatchEvent.of(settings.name(), type, node);
    }
  }
}
