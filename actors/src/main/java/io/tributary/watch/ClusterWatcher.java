package io.tributary.watch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.tributary.settings.ClusterSettings;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionException;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Watches one cluster: one fabric8 informer per watched resource, each started without blocking
 * ({@code runnableInformer(0)} + {@code start()} piped to self). Informer callbacks only convert
 * the object and offer it to the sink. When every resource of a kind has listed, its SYNCED
 * marker follows, after deletes for objects that vanished while the watch was down.
 *
 * <p>A kind whose CRD is not installed (404) is reported and skipped; the rest is watched. Any
 * other failure (credentials refused, API server unreachable, an informer that stops) is thrown
 * to the supervisor, which restarts this watcher with backoff; other clusters are not affected.
 */
public final class ClusterWatcher extends AbstractBehavior<ClusterWatcher.Command> {

  /** The watcher's messages are all its own: results of informer start and stop. */
  public sealed interface Command {}

  // each result names its informer: results of a previous incarnation's informers (stopped by a
  // restart) reach the restarted actor too, and must not count as new failures
  private record InformerStarted(WatchedResource resource, SharedIndexInformer<?> informer) implements Command {}

  private record InformerFailed(WatchedResource resource, SharedIndexInformer<?> informer, Throwable cause)
      implements Command {}

  private record InformerStopped(WatchedResource resource, SharedIndexInformer<?> informer, Throwable cause)
      implements Command {}

  private final ClusterSettings settings;
  private final WatchEventSink sink;
  private final KnownObjects known;
  private final PipelineListener listener;
  private final KubernetesClient client;
  private final Map<WatchedResource, SharedIndexInformer<GenericKubernetesResource>> informers =
      new LinkedHashMap<>();
  private final Set<WatchedResource> listed = new HashSet<>();
  private final Set<WatchedResource> missing = new HashSet<>();
  private final Set<String> syncedKinds = new TreeSet<>();

  /** Watches {@code settings}' cluster, delivering to {@code sink}. */
  public static Behavior<Command> create(
      ClusterSettings settings,
      WatchEventSink sink,
      KubernetesClients clients,
      KnownObjects known,
      PipelineListener listener) {
    return Behaviors.setup(ctx -> new ClusterWatcher(ctx, settings, sink, clients, known, listener));
  }

  private ClusterWatcher(
      ActorContext<Command> context,
      ClusterSettings settings,
      WatchEventSink sink,
      KubernetesClients clients,
      KnownObjects known,
      PipelineListener listener) {
    super(context);
    this.settings = settings;
    this.sink = sink;
    this.known = known;
    this.listener = listener;
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
  }

  private void start(WatchedResource resource) {
    var all = client.genericKubernetesResources(resource.context()).inAnyNamespace();
    SharedIndexInformer<GenericKubernetesResource> informer =
        settings.labelSelector() != null && resource.selectable()
            ? all.withLabelSelector(settings.labelSelector()).runnableInformer(0)
            : all.runnableInformer(0);
    // before the first list succeeds, fail fast so the failure is classified (404, 403, ...);
    // once running, let the informer reconnect and relist by itself
    informer.exceptionHandler((started, t) -> started);
    informer.addEventHandler(new Forwarder());
    informers.put(resource, informer);
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
        .onSignal(PreRestart.class, signal -> close())
        .onSignal(PostStop.class, signal -> close())
        .build();
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
    Throwable cause = unwrap(msg.cause());
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
    Throwable cause = msg.cause() == null ? null : unwrap(msg.cause());
    throw failed("the " + msg.resource() + " watch stopped" + (cause == null ? "" : ": " + describe(cause)), cause);
  }

  /** When every resource of {@code kind} has listed (or is missing): purge vanished objects, mark synced. */
  private void kindDone(String kind) {
    for (WatchedResource r : WatchedResource.of(kind)) {
      if (!listed.contains(r) && !missing.contains(r)) {
        return;
      }
    }
    Set<String> keyKinds = new TreeSet<>();
    Set<ObjectKey> present = new HashSet<>();
    for (WatchedResource r : WatchedResource.of(kind)) {
      keyKinds.add(r.keyKind());
      var informer = informers.get(r);
      if (informer != null) {
        for (GenericKubernetesResource o : informer.getStore().list()) {
          present.add(new ObjectKey(settings.name(), r.keyKind(), o.getMetadata().getNamespace(), o.getMetadata().getName()));
        }
      }
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

  private static Throwable unwrap(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
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

  /** Runs on the informer's serial executor: convert, filter, offer — never blocks. */
  private final class Forwarder implements ResourceEventHandler<GenericKubernetesResource> {
    @Override
    public void onAdd(GenericKubernetesResource obj) {
      forward(EventType.ADDED, obj);
    }

    @Override
    public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
      if (Objects.equals(oldObj.getMetadata().getResourceVersion(), newObj.getMetadata().getResourceVersion())) {
        return; // a resync, not a change
      }
      forward(EventType.MODIFIED, newObj);
    }

    @Override
    public void onDelete(GenericKubernetesResource obj, boolean deletedFinalStateUnknown) {
      forward(EventType.DELETED, obj);
    }

    private void forward(EventType type, GenericKubernetesResource obj) {
      if (!settings.watchesNamespace(obj.getMetadata().getNamespace())) {
        return;
      }
      ObjectNode node = client.getKubernetesSerialization().convertValue(obj, ObjectNode.class);
      if (node.get("metadata") instanceof ObjectNode meta) {
        meta.remove("managedFields"); // large, churny, and never needed downstream
      }
      WatchEvent event = WatchEvent.of(settings.name(), type, node);
      if (type == EventType.DELETED) {
        known.remove(event.key());
      } else {
        known.add(event.key());
      }
      sink.offer(event);
    }
  }
}
