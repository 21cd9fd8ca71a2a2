package io.tributary.replay;

import io.tributary.target.Change;
import io.tributary.target.ChangeSet;
import io.tributary.target.Op;
import io.tributary.target.Target;
import io.tributary.eventlog.LogEvent;
import io.tributary.eventlog.LogEventType;
import io.tributary.watch.ObjectKey;
import io.tributary.plan.PipelineListener;
import io.tributary.writer.WriteObserver;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/** Everything a replay summary reports, gathered from the pipeline's listener and the writers. */
public final class ReplayStats implements PipelineListener, WriteObserver {

  private long eventsRead;
  private final Map<LogEventType, Long> eventsByType = new EnumMap<>(LogEventType.class);
  private final Set<ObjectKey> objects = new HashSet<>();
  private final Set<String> clusters = new TreeSet<>();
  private long coalescedInBuffer;
  private long coalescedInDebounce;
  private long debounced;
  private long changeSets;
  private final Map<Target, Map<Op, Long>> writes = new EnumMap<>(Target.class);
  // hash maps, sorted when read: they change on every planned unit, they are read once at the end
  private final Map<ObjectKey, String> rejected = new HashMap<>();
  private final Map<ObjectKey, List<io.tributary.translate.Translation.RejectedPart>> partlyAccepted = new HashMap<>();
  private long rejections;
  private final Map<ObjectKey, String> ignored = new HashMap<>();
  private final Map<ObjectKey, List<String>> warnings = new HashMap<>();
  private final Map<String, List<String>> notes = new HashMap<>();
  private int heldDeletes;
  // per target and policy, then op: what the targets' policies kept from their writers
  private final SortedMap<String, SortedMap<String, Long>> withheld = new TreeMap<>();
  private Set<String> waitingFor = Set.of();
  private Instant firstAt;
  private Instant lastAt;
  // the end-to-end lag, once the replay's clock exists (null: not measured)
  private volatile ReplayLag lag;

  /** Measures the end-to-end lag from now on, on {@code clock} (the replay's virtual time). */
  void measureLag(java.time.Clock clock) {
    lag = new ReplayLag(clock);
  }

  /** The end-to-end lag of the replay, or null when it was not measured. */
  public ReplayLag lag() {
    return lag;
  }

  @Override
  public void offered(io.tributary.watch.WatchEvent event) {
    ReplayLag l = lag;
    if (l != null) {
      l.times().offered(event);
    }
  }

  @Override
  public void taken(io.tributary.watch.WatchEvent event) {
    ReplayLag l = lag;
    if (l != null) {
      l.times().taken(event);
    }
  }

  @Override
  public void planning(io.tributary.watch.WatchEvent event) {
    ReplayLag l = lag;
    if (l != null) {
      l.times().planning(event);
    }
  }

  /** Lag bookkeeping of the stats' own reports: called first by them. */
  private void lagSuperseded(ObjectKey key) {
    timeline.superseded(key);
    ReplayLag l = lag;
    if (l != null) {
      l.superseded(key);
    }
  }

  synchronized void eventRead(LogEvent e) {
    timeline.eventRead(e);
    eventsRead++;
    eventsByType.merge(e.type(), 1L, Long::sum);
    // VM backends found in Consul come from Consul, not from a cluster
    if (e.cluster() != null && !(io.tributary.translate.VmBackends.KIND.equals(e.kind()))) {
      clusters.add(e.cluster());
    }
    if (firstAt == null) {
      firstAt = e.at();
    }
    lastAt = e.at();
  }

  private final List<String> configChanges = new java.util.ArrayList<>();

  @Override
  public synchronized void coalescedInBuffer(ObjectKey key) {
    lagSuperseded(key);
    coalescedInBuffer++;
  }

  @Override
  public synchronized void coalescedInDebounce(ObjectKey key) {
    lagSuperseded(key);
    coalescedInDebounce++;
  }

  @Override
  public synchronized void debounced(io.tributary.watch.WatchEvent event) {
    if (lag != null) {
      lag.times().debounced(event);
    }
    debounced++;
    timeline.stateEmitted();
    objects.add(event.key());
  }

  // flap damping: changes held per object over the whole replay, and how often each was damped
  private final Map<ObjectKey, long[]> damping = new java.util.HashMap<>();
  private int dampedNow;

  @Override
  public synchronized void damped(ObjectKey key) {
    damping.computeIfAbsent(key, k -> new long[2])[0]++;
    dampedNow++;
  }

  @Override
  public synchronized void released(ObjectKey key, int held, java.time.Duration heldFor) {
    dampedNow--;
  }

  /** Objects damped and not yet released. */
  public synchronized int dampedNow() {
    return dampedNow;
  }

  @Override
  public synchronized void heldByDamping(ObjectKey key) {
    damping.computeIfAbsent(key, k -> new long[2])[1]++;
  }

  /** One object flap damping held: how many times it was damped, how many of its changes were held. */
  public record Damped(ObjectKey key, long times, long held) {}

  /** Every object flap damping held, most changes held first (then by key). */
  public synchronized List<Damped> damped() {
    return damping.entrySet().stream()
        .map(e -> new Damped(e.getKey(), e.getValue()[0], e.getValue()[1]))
        .sorted(java.util.Comparator.comparingLong(Damped::held).reversed().thenComparing(Damped::key))
        .toList();
  }

  @Override
  public synchronized void accepted(ObjectKey key, int routes, List<String> warns) {
    rejected.remove(key);
    partlyAccepted.remove(key);
    ignored.remove(key);
    if (warns.isEmpty()) {
      warnings.remove(key);
    } else {
      warnings.put(key, List.copyOf(warns));
    }
  }

  @Override
  public synchronized void partlyAccepted(ObjectKey key, int routes, List<String> warns,
      List<io.tributary.translate.Translation.RejectedPart> rejectedParts, int kept) {
    accepted(key, routes, warns);
    partlyAccepted.put(key, List.copyOf(rejectedParts));
  }

  @Override
  public synchronized void ignored(ObjectKey key, String reason) {
    rejected.remove(key);
    partlyAccepted.remove(key);
    warnings.remove(key);
    ignored.put(key, reason);
  }

  @Override
  public synchronized void rejected(ObjectKey key, String reason) {
    rejections++;
    rejected.put(key, reason);
  }

  @Override
  public synchronized void deleted(ObjectKey key) {
    rejected.remove(key);
    partlyAccepted.remove(key);
    ignored.remove(key);
    warnings.remove(key);
  }

  @Override
  public synchronized void unitNotes(String unit, List<String> unitNotes) {
    if (unitNotes.isEmpty()) {
      notes.remove(unit);
    } else {
      notes.put(unit, List.copyOf(unitNotes));
    }
  }

  @Override
  public synchronized void deletesHeld(int count, Set<String> clusters) {
    heldDeletes = count;
    waitingFor = Set.copyOf(clusters);
  }

  @Override
  public synchronized void withheld(Target target, io.tributary.target.ChangePolicy policy, List<Change> changes) {
    var byOp = withheld.computeIfAbsent(target.id() + " (" + policy.id() + ")", k -> new TreeMap<>());
    changes.forEach(c -> byOp.merge(c.op().id(), 1L, Long::sum));
  }

  @Override
  public synchronized void planned(ChangeSet set) {
    if (lag != null) {
      lag.times().planned(set);
    }
    changeSets++;
  }

  @Override
  public synchronized void written(Instant at, Target target, Change change) {
    if (lag != null) {
      lag.written(target, change);
    }
    writes.computeIfAbsent(target, t -> new EnumMap<>(Op.class)).merge(change.op(), 1L, Long::sum);
  }

  /** A CONFIG event was applied as configuration {@code version}, changing {@code keys}. */
  public synchronized void configApplied(long version, java.util.Set<String> keys) {
    configChanges.add("version " + version + ": " + String.join(", ", new java.util.TreeSet<>(keys)));
  }

  /** A CONFIG event changed nothing (a recording's CONFIG over the same config). */
  public synchronized void configUnchanged() {
    configChanges.add("unchanged");
  }

  /** A CONFIG event was refused; the running configuration stayed. */
  public synchronized void configRefused(String reason) {
    configChanges.add("refused: " + reason);
  }

  /** What each CONFIG event did, in order. */
  public synchronized List<String> configChanges() {
    return List.copyOf(configChanges);
  }

  public synchronized long eventsRead() {
    return eventsRead;
  }

  public synchronized Map<LogEventType, Long> eventsByType() {
    return new EnumMap<>(eventsByType);
  }

  public synchronized int objects() {
    return objects.size();
  }

  public synchronized Set<String> clusters() {
    return new TreeSet<>(clusters);
  }

  public synchronized long coalescedInBuffer() {
    return coalescedInBuffer;
  }

  public synchronized long coalescedInDebounce() {
    return coalescedInDebounce;
  }

  public synchronized long debounced() {
    return debounced;
  }

  public synchronized long changeSets() {
    return changeSets;
  }

  /** Writes performed per target and op. */
  public synchronized long writes(Target target, Op op) {
    return writes.getOrDefault(target, Map.of()).getOrDefault(op, 0L);
  }

  public synchronized long totalWrites() {
    return writes.values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue).sum();
  }

  /** Objects whose latest state is rejected, with the reason. */
  public synchronized SortedMap<ObjectKey, String> rejected() {
    return new TreeMap<>(rejected);
  }

  /** Objects whose latest state is partly accepted, with their rejected parts. */
  public synchronized SortedMap<ObjectKey, List<io.tributary.translate.Translation.RejectedPart>> partlyAccepted() {
    return new TreeMap<>(partlyAccepted);
  }

  /** Rejections seen over the whole replay, including ones fixed later. */
  public synchronized long rejections() {
    return rejections;
  }

  public synchronized SortedMap<ObjectKey, String> ignored() {
    return new TreeMap<>(ignored);
  }

  public synchronized SortedMap<ObjectKey, List<String>> warnings() {
    return new TreeMap<>(warnings);
  }

  public synchronized SortedMap<String, List<String>> notes() {
    return new TreeMap<>(notes);
  }

  /** Changes withheld by the targets' policies: {@code "consul (upsert-only)" → op → count}. */
  public synchronized SortedMap<String, SortedMap<String, Long>> withheld() {
    var copy = new TreeMap<String, SortedMap<String, Long>>();
    withheld.forEach((k, v) -> copy.put(k, new TreeMap<>(v)));
    return copy;
  }

  public synchronized int heldDeletes() {
    return heldDeletes;
  }

  public synchronized Set<String> waitingFor() {
    return new TreeSet<>(waitingFor);
  }

  public synchronized Instant firstAt() {
    return firstAt;
  }

  public synchronized Instant lastAt() {
    return lastAt;
  }

  // what the log's fault events did: kept apart, so the counting above stays as it is
  private final ReplayFaults faults = new ReplayFaults();
  // the same reports over virtual time, bucketed, for the HTML report
  private final ReplayTimeline timeline = new ReplayTimeline();

  /** Writes, pending changes, events and markers over virtual time. */
  public ReplayTimeline timeline() {
    return timeline;
  }

  /** Target outages and cluster losses the log's fault events made, with their effects. */
  public ReplayFaults faults() {
    return faults;
  }

  @Override
  public void clusterState(String cluster, String state, String detail) {
    faults.clusterState(cluster, state);
  }
}
