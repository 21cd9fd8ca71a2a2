package io.tributary.admin;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.plan.ForwardingPipelineListener;
import io.tributary.plan.PipelineListener;
import io.tributary.settings.TargetMode;
import io.tributary.settings.TributarySettings;
import io.tributary.target.Change;
import io.tributary.target.ChangePolicy;
import io.tributary.target.Target;
import io.tributary.translate.Translation;
import io.tributary.watch.EventType;
import io.tributary.watch.ObjectKey;
import io.tributary.watch.WatchEvent;
import io.tributary.writer.WriteObserver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the admin endpoint answers from: the state of the clusters, the targets and the stream,
 * collected from the pipeline's {@link PipelineListener} and the writers' {@link WriteObserver}
 * reports. It sits in front of the existing listener and observer ({@link #listening}, {@link
 * #observing}) and passes every report on, so logging and metrics see exactly what they saw before.
 *
 * <p>Thread-safe: reports come from stream stages, watcher and writer actors; answers from HTTP
 * requests. Every method holds this object's lock briefly and never blocks otherwise.
 */
public final class ServiceStatus {
  /** At most this many rejected objects are listed on {@code /status}; the total is always given. */
  static final int MAX_REJECTED_LISTED = 500;

  private static final String SYNCED = "synced";
  private static final String REMOVED = "removed";
  private static final String STARTING = "starting";

  private final Duration readyGrace;
  private final Clock clock;
  private final Map<String, ClusterStatus> clusters = new TreeMap<>();
  private final Map<Target, TargetStatus> targets = new EnumMap<>(Target.class);
  private final Map<ObjectKey, Rejection> rejected = new TreeMap<>();
  private ConfigVersion config;
  private Instant stoppedAt;
  private String stopFailure;
  private boolean readyOnce;

  /**
   * Why an object is listed as rejected: the whole object, or (with {@code parts}) some of its parts;
   * {@code keptFromBeforeRestart} when routes in force are its last accepted ones from before the restart.
   */
  private record Rejection(String reason, List<Translation.RejectedPart> parts, boolean keptFromBeforeRestart) {}

  /** What one cluster's watch last reported. */
  private static final class ClusterStatus {
    String state = STARTING;
    String detail = "";
    Instant since;
    /** When the watch last left {@code synced} (or the cluster appeared); null while synced. */
    Instant downSince;
    boolean everSynced;
    Instant lastEvent;
    final Set<ObjectKey> objects = new HashSet<>();
    final Set<String> missingKinds = new TreeSet<>();

    ClusterStatus(Instant now) {
      since = now;
      downSince = now;
    }
  }

  /** What one target's writer last reported. */
  private static final class TargetStatus {
    int pending;
    Instant lastWrite;
    Instant lastErrorAt;
    String lastError;
    boolean lastErrorConfiguration;
    boolean failing;
    long failures;
    long refused;
    long withheld;
    long dryRunChanges;
    boolean reconciled;
    TargetMode mode = TargetMode.DEFAULT;
    /** DNS only: each zone's mode, when a zone sets its own. */
    final Map<String, TargetMode> zones = new TreeMap<>();
  }

  /** Whether the service is alive, and if not why: the answer of {@code /healthz}. */
  public record Health(boolean alive, String reason) {}

  /** Whether the service is ready, and if not everything that is missing: {@code /readyz}. */
  public record Readiness(boolean ready, List<String> notReady) {}

  /** Collects for the clusters {@code settings} configures, reading the time from {@code clock}. */
  public ServiceStatus(TributarySettings settings, ConfigVersion config, Clock clock) {
    this.readyGrace = settings.admin().readyGrace();
    this.clock = clock;
    this.config = config;
    Instant now = clock.instant();
    settings.clusters().keySet().forEach(name -> clusters.put(name, new ClusterStatus(now)));
    for (Target t : Target.values()) {
      targets.put(t, new TargetStatus());
    }
    // as started: a policy or dry run needs a restart to change (a reload refuses it)
    Map<String, TargetMode> modes = settings.targetModes();
    targets.forEach((t, status) -> status.mode = modes.getOrDefault(t.id(), TargetMode.DEFAULT));
    modes.forEach((name, mode) -> {
      if (name.startsWith("dns/")) {
        targets.get(Target.DNS).zones.put(name.substring("dns/".length()), mode);
      }
    });
  }

  /** The config now applied (at start, and after a reload). */
  public synchronized void configApplied(ConfigVersion applied) {
    this.config = applied;
  }

  /** The outcome of the last reload, as {@code config.lastReload} shows it. */
  private record LastReload(Instant at, String cause, String result, List<String> problems) {}

  private LastReload lastReload;

  /** A reload ended as {@code result} (applied, unchanged, refused), with the problems of a refusal. */
  public synchronized void reloaded(String cause, String result, List<String> problems) {
    lastReload = new LastReload(clock.instant(), cause, result, List.copyOf(problems));
  }

  /** A listener that records what the status needs, then passes every report on to {@code next}. */
  public PipelineListener listening(PipelineListener next) {
    return new Listening(next);
  }

  /** An observer that records what the status needs, then passes every report on to {@code next}. */
  public WriteObserver observing(WriteObserver next) {
    return new Observing(next);
  }

  /** Alive while the routing stream runs; the HTTP server answering shows the actor system runs. */
  public synchronized Health health() {
    if (stoppedAt == null) {
      return new Health(true, "");
    }
    return new Health(false, stopFailure == null
        ? "the routing pipeline has drained and stopped (the service is shutting down)"
        : "the routing pipeline failed: " + stopFailure);
  }

  /**
   * Ready once every cluster has synced and every target's writer has reconciled once; after that,
   * not ready while a cluster's watch has been down for longer than {@code admin.ready-grace}, and
   * never again once the stream has stopped. Target outages later do not make it unready: they
   * show on {@code /status} and in the metrics.
   */
  public synchronized Readiness readiness() {
    Instant now = clock.instant();
    List<String> notReady = new ArrayList<>();
    if (stoppedAt != null) {
      notReady.add(health().reason());
    }
    clusters.forEach((name, c) -> {
      if (c.state.equals(REMOVED)) {
        return;
      }
      Duration down = c.downSince == null ? Duration.ZERO : Duration.between(c.downSince, now);
      if (!c.everSynced && !readyOnce) {
        notReady.add("cluster " + name + " has not synced yet (" + describe(c) + ")");
      } else if (c.downSince != null && down.compareTo(readyGrace) > 0) {
        notReady.add("cluster " + name + " has not been synced for " + down.toSeconds() + "s, longer than admin.ready-grace "
            + readyGrace.toSeconds() + "s (" + describe(c) + ")");
      }
    });
    if (!readyOnce) {
      targets.forEach((target, t) -> {
        if (!t.reconciled) {
          notReady.add("target " + target.id() + " has not reconciled yet (" + t.pending + " pending"
              + (t.failing ? "; failing: " + t.lastError : "") + ")");
        }
      });
    }
    if (notReady.isEmpty()) {
      readyOnce = true;
    }
    return new Readiness(notReady.isEmpty(), List.copyOf(notReady));
  }

  private static String describe(ClusterStatus c) {
    return c.detail.isEmpty() ? c.state : c.state + ": " + c.detail;
  }

  /** The whole status as JSON: config, readiness, stream, clusters, targets, rejected objects. */
  public synchronized ObjectNode toJson() {
    Instant now = clock.instant();
    var json = JsonNodeFactory.instance.objectNode();
    var cfg = json.putObject("config");
    cfg.put("version", config.version());
    cfg.put("file", config.file());
    if (lastReload != null) {
      var last = cfg.putObject("lastReload");
      last.put("at", lastReload.at().toString());
      last.put("cause", lastReload.cause());
      last.put("ok", !lastReload.result().equals("refused"));
      last.put("result", lastReload.result());
      if (!lastReload.problems().isEmpty()) {
        last.put("error", String.join("; ", lastReload.problems()));
      }
    }
    Readiness readiness = readiness();
    json.put("ready", readiness.ready());
    readiness.notReady().forEach(json.putArray("notReady")::add);
    var pipeline = json.putObject("pipeline");
    pipeline.put("state", stoppedAt == null ? "running" : stopFailure == null ? "drained" : "failed");
    if (stoppedAt != null) {
      pipeline.put("since", stoppedAt.toString());
      pipeline.put("error", stopFailure);
    }
    var cs = json.putObject("clusters");
    clusters.forEach((name, c) -> {
      var n = cs.putObject(name);
      n.put("state", c.state);
      n.put("since", c.since.toString());
      n.put("detail", c.detail);
      if (c.lastEvent == null) {
        n.putNull("lastEventAge");
      } else {
        n.put("lastEventAge", Duration.between(c.lastEvent, now).toMillis() / 1000.0);
      }
      n.put("objects", c.objects.size());
      c.missingKinds.forEach(n.putArray("missingKinds")::add);
    });
    var ts = json.putObject("targets");
    targets.forEach((target, t) -> {
      var n = ts.putObject(target.id());
      n.put("pending", t.pending);
      n.put("lastWrite", t.lastWrite == null ? null : t.lastWrite.toString());
      if (t.lastError == null) {
        n.putNull("lastError");
      } else {
        var e = n.putObject("lastError");
        e.put("at", t.lastErrorAt.toString());
        e.put("kind", t.lastErrorConfiguration ? "configuration" : "unavailable");
        e.put("reason", t.lastError);
      }
      n.put("failing", t.failing);
      n.put("failures", t.failures);
      n.put("refused", t.refused);
      n.put("withheld", t.withheld);
      n.put("reconciled", t.reconciled);
      n.put("policy", t.mode.changePolicy().id());
      n.put("dryRun", t.mode.dryRun());
      if (t.mode.dryRun()) {
        n.put("dryRunChanges", t.dryRunChanges);
      }
      if (!t.zones.isEmpty()) {
        var zones = n.putObject("zones");
        t.zones.forEach((zone, mode) -> zones.putObject(zone)
            .put("policy", mode.changePolicy().id()).put("dryRun", mode.dryRun()));
      }
    });
    var rs = json.putArray("rejected");
    rejected.entrySet().stream().limit(MAX_REJECTED_LISTED).forEach(e -> {
      var r = rs.addObject();
      r.put("object", e.getKey().toString());
      r.put("reason", e.getValue().reason());
      if (e.getValue().keptFromBeforeRestart()) {
        r.put("keptFromBeforeRestart", true); // its last accepted routes from the previous run are in force
      }
      if (!e.getValue().parts().isEmpty()) {
        // partly accepted: its other parts are published; each rejected part with its JSON path
        r.put("partly", true);
        var parts = r.putArray("parts");
        e.getValue().parts().forEach(p -> parts.addObject().put("path", p.path()).put("reason", p.reason()));
      }
    });
    json.put("rejectedTotal", rejected.size());
    json.put("partlyAcceptedTotal", rejected.values().stream().filter(r -> !r.parts().isEmpty()).count());
    json.put("keptFromBeforeRestartTotal", rejected.values().stream().filter(Rejection::keptFromBeforeRestart).count());
    return json;
  }

  private synchronized void clusterState(String cluster, String state, String detail) {
    Instant now = clock.instant();
    ClusterStatus c = clusters.get(cluster);
    if (c != null && c.state.equals(REMOVED) && !state.equals(STARTING)) {
      return; // a stopping watcher's last words; only a new watcher (the cluster re-added) counts
    }
    if (c == null) {
      c = new ClusterStatus(now); // added at runtime
      clusters.put(cluster, c);
    }
    if (!state.equals(c.state)) {
      c.since = now;
    }
    if (state.equals(STARTING)) {
      c.missingKinds.clear(); // a new watcher reports them again
    }
    c.state = state;
    c.detail = detail == null ? "" : detail;
    if (state.equals(SYNCED)) {
      c.everSynced = true;
      c.downSince = null;
    } else if (c.downSince == null) {
      c.downSince = now;
    }
  }

  private synchronized void debounced(WatchEvent event) {
    ClusterStatus c = clusters.get(event.key().cluster());
    if (c == null) {
      return; // not a watched cluster: VM services found in Consul
    }
    c.lastEvent = clock.instant();
    if (event.type() == EventType.DELETED) {
      c.objects.remove(event.key());
    } else {
      c.objects.add(event.key());
    }
  }

  private synchronized void kindMissing(String cluster, String kind) {
    ClusterStatus c = clusters.get(cluster);
    if (c != null) {
      c.missingKinds.add(kind);
    }
  }

  // rejected again, an object keeps its routes in force: those from before the restart stay marked
  private synchronized void rejected(ObjectKey key, String reason) {
    rejected.put(key, new Rejection(reason, List.of(), keptFromBeforeRestart(key)));
  }

  private synchronized void partlyAccepted(ObjectKey key, List<Translation.RejectedPart> parts) {
    rejected.put(key, new Rejection(Translation.RejectedPart.reasons(parts), parts, keptFromBeforeRestart(key)));
  }

  private boolean keptFromBeforeRestart(ObjectKey key) {
    Rejection before = rejected.get(key);
    return before != null && before.keptFromBeforeRestart();
  }

  private synchronized void keptFromBeforeRestart(ObjectKey key, int routes) {
    Rejection r = rejected.get(key);
    if (r != null) {
      rejected.put(key, new Rejection(r.reason(), r.parts(), true));
    }
  }

  private synchronized void notRejected(ObjectKey key) {
    rejected.remove(key);
  }

  private synchronized void pipelineStopped(Throwable failure) {
    stoppedAt = clock.instant();
    stopFailure = failure == null ? null : failure.getClass().getSimpleName()
        + (failure.getMessage() == null ? "" : ": " + failure.getMessage().lines().findFirst().orElse(""));
  }

  private synchronized void written(Instant at, Target target) {
    TargetStatus t = targets.get(target);
    if (t.lastWrite == null || at.isAfter(t.lastWrite)) {
      t.lastWrite = at;
    }
  }

  private synchronized void pending(Target target, int changes) {
    targets.get(target).pending = changes;
  }

  private synchronized void failed(Target target, boolean configuration, String reason) {
    TargetStatus t = targets.get(target);
    t.lastErrorAt = clock.instant();
    t.lastError = reason;
    t.lastErrorConfiguration = configuration;
    t.failing = true;
    t.failures++;
  }

  private synchronized void recovered(Target target) {
    targets.get(target).failing = false;
  }

  private synchronized void reconciled(Target target) {
    targets.get(target).reconciled = true;
  }

  private synchronized void refused(Target target) {
    targets.get(target).refused++;
  }

  private synchronized void withheld(Target target, int changes) {
    targets.get(target).withheld += changes;
  }

  private synchronized void dryRun(Target target) {
    targets.get(target).dryRunChanges++;
  }

  /** Records what the status shows, then passes on; everything else is forwarded as it is. */
  private final class Listening extends ForwardingPipelineListener {
    Listening(PipelineListener next) {
      super(next);
    }

    @Override
    public void debounced(WatchEvent event) {
      ServiceStatus.this.debounced(event);
      super.debounced(event);
    }

    @Override
    public void accepted(ObjectKey key, int routes, List<String> warnings) {
      notRejected(key);
      super.accepted(key, routes, warnings);
    }

    @Override
    public void partlyAccepted(ObjectKey key, int routes, List<String> warnings,
        List<Translation.RejectedPart> rejectedParts, int kept) {
      ServiceStatus.this.partlyAccepted(key, rejectedParts);
      super.partlyAccepted(key, routes, warnings, rejectedParts, kept);
    }

    @Override
    public void keptFromBeforeRestart(ObjectKey key, int routes) {
      ServiceStatus.this.keptFromBeforeRestart(key, routes);
      super.keptFromBeforeRestart(key, routes);
    }

    @Override
    public void ignored(ObjectKey key, String reason) {
      notRejected(key);
      super.ignored(key, reason);
    }

    @Override
    public void rejected(ObjectKey key, String reason) {
      ServiceStatus.this.rejected(key, reason);
      super.rejected(key, reason);
    }

    @Override
    public void deleted(ObjectKey key) {
      notRejected(key);
      super.deleted(key);
    }

    @Override
    public void withheld(Target target, ChangePolicy policy, List<Change> changes) {
      ServiceStatus.this.withheld(target, changes.size());
      super.withheld(target, policy, changes);
    }

    @Override
    public void clusterState(String cluster, String state, String detail) {
      ServiceStatus.this.clusterState(cluster, state, detail);
      super.clusterState(cluster, state, detail);
    }

    @Override
    public void kindMissing(String cluster, String kind, String reason) {
      ServiceStatus.this.kindMissing(cluster, kind);
      super.kindMissing(cluster, kind, reason);
    }

    @Override
    public void pipelineStopped(Throwable failure) {
      ServiceStatus.this.pipelineStopped(failure);
      super.pipelineStopped(failure);
    }
  }

  /** Records, then passes on; every method of the interface is forwarded (a test checks it). */
  private final class Observing implements WriteObserver {
    private final WriteObserver next;

    Observing(WriteObserver next) {
      this.next = next;
    }

    @Override
    public void written(Instant at, Target target, Change change) {
      ServiceStatus.this.written(at, target);
      next.written(at, target, change);
    }

    @Override
    public void dryRun(Instant at, Target target, Change change) {
      ServiceStatus.this.dryRun(target);
      next.dryRun(at, target, change);
    }

    @Override
    public void pending(Target target, int changes) {
      ServiceStatus.this.pending(target, changes);
      next.pending(target, changes);
    }

    @Override
    public void failed(Target target, boolean configuration, String reason) {
      ServiceStatus.this.failed(target, configuration, reason);
      next.failed(target, configuration, reason);
    }

    @Override
    public void recovered(Target target) {
      ServiceStatus.this.recovered(target);
      next.recovered(target);
    }

    @Override
    public void reconciled(Target target) {
      ServiceStatus.this.reconciled(target);
      next.reconciled(target);
    }

    @Override
    public void refused(Target target, String key, String reason) {
      ServiceStatus.this.refused(target);
      next.refused(target, key, reason);
    }

    @Override
    public void withheld(Target target, Change change, ChangePolicy policy) {
      ServiceStatus.this.withheld(target, 1);
      next.withheld(target, change, policy);
    }

    @Override
    public void alreadyHeld(Target target, String key, io.tributary.target.TargetRecord value) {
      next.alreadyHeld(target, key, value);
    }

    /** A zone's writer reports here as the target's, and to {@code next}'s observer of that zone. */
    @Override
    public WriteObserver inZone(Target target, String zone) {
      return new Observing(next.inZone(target, zone));
    }
  }
}
