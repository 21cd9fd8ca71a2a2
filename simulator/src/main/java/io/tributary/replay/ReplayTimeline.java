package io.tributary.replay;

import io.tributary.eventlog.LogEvent;
import io.tributary.eventlog.LogEventType;
import io.tributary.target.Change;
import io.tributary.target.Target;
import io.tributary.watch.ObjectKey;
import io.tributary.writer.WriteObserver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a replay did over virtual time, for its HTML report: per target the writes and the changes
 * its writer held unwritten, events in and object states emitted, events per cluster and kind, and
 * the log's markers (CONFIG, target outages, cluster losses, SYNCED). Counts go into time buckets
 * whose width doubles whenever there would be more than {@link #MAX_BUCKETS}, so memory stays
 * bounded however long the log; only markers and per-object supersession counts are kept one by one
 * (the first {@link #MAX_MARKERS}, and one counter per object).
 */
public final class ReplayTimeline implements WriteObserver {
  /** At most this many buckets: a figure of ~240 columns reads well at any log length. */
  static final int MAX_BUCKETS = 240;
  /** Markers kept one by one; past these they are only counted. */
  static final int MAX_MARKERS = 400;

  /** What a marker stands for. */
  public enum MarkerKind { CONFIG, TARGET_DOWN, TARGET_UP, CLUSTER_LOST, CLUSTER_BACK, SYNCED }

  /** One event of the log worth a vertical line: when, what, and of which cluster, kind or target. */
  public record Marker(Instant at, MarkerKind kind, String subject) {}

  /** An object whose changes were superseded before they were planned, and how often. */
  public record Flapper(ObjectKey key, long superseded) {}

  private Clock clock = Clock.systemUTC();
  private Instant origin;
  private long widthNanos = Duration.ofSeconds(1).toNanos();
  private int used; // buckets in use: the last one touched + 1
  private final Map<Target, long[]> writes = new EnumMap<>(Target.class);
  // the most changes a target's writer held unwritten within a bucket, and the last it reported
  // there (the level the following quiet buckets keep); -1: no report in the bucket
  private final Map<Target, long[]> pending = new EnumMap<>(Target.class);
  private final Map<Target, long[]> pendingLast = new EnumMap<>(Target.class);
  private long[] eventsIn = new long[MAX_BUCKETS];
  private long[] emitted = new long[MAX_BUCKETS];
  // "cluster/kind" → events of the log per bucket
  private final SortedMap<String, long[]> byClusterKind = new TreeMap<>();
  private final List<Marker> markers = new ArrayList<>();
  private long markersDropped;
  private final Map<ObjectKey, long[]> superseded = new HashMap<>();

  ReplayTimeline() {
    for (Target t : Target.values()) {
      writes.put(t, new long[MAX_BUCKETS]);
      long[] p = new long[MAX_BUCKETS];
      Arrays.fill(p, -1);
      pending.put(t, p);
      long[] last = new long[MAX_BUCKETS];
      Arrays.fill(last, -1);
      pendingLast.put(t, last);
    }
  }

  /** The replay's virtual clock, which stamps reports that carry no instant. */
  synchronized void useClock(Clock virtual) {
    this.clock = virtual;
  }

  /** The driver read {@code e} from the log (at its virtual instant). */
  synchronized void eventRead(LogEvent e) {
    int b = bucket(e.at());
    MarkerKind marker = switch (e.type()) {
      case CONFIG -> MarkerKind.CONFIG;
      case TARGET_DOWN -> MarkerKind.TARGET_DOWN;
      case TARGET_UP -> MarkerKind.TARGET_UP;
      case CLUSTER_LOST -> MarkerKind.CLUSTER_LOST;
      case CLUSTER_BACK -> MarkerKind.CLUSTER_BACK;
      case SYNCED -> MarkerKind.SYNCED;
      default -> null;
    };
    if (marker != null) {
      String subject = switch (marker) {
        case CONFIG -> "";
        case TARGET_DOWN, TARGET_UP -> String.valueOf(e.target());
        case SYNCED -> e.cluster() + "/" + e.kind();
        default -> String.valueOf(e.cluster());
      };
      if (markers.size() < MAX_MARKERS) {
        markers.add(new Marker(e.at(), marker, subject));
      } else {
        markersDropped++;
      }
    }
    if (e.type().isWatch() && e.type() != LogEventType.SYNCED) {
      eventsIn[b]++;
      byClusterKind.computeIfAbsent(e.cluster() + "/" + e.kind(), k -> new long[MAX_BUCKETS])[b]++;
    }
  }

  /** An object's latest state left debounce now. */
  synchronized void stateEmitted() {
    emitted[bucket(clock.instant())]++;
  }

  /** A change of {@code key} was superseded (in the watch buffer or the debounce window). */
  synchronized void superseded(ObjectKey key) {
    superseded.computeIfAbsent(key, k -> new long[1])[0]++;
  }

  @Override
  public synchronized void written(Instant at, Target target, Change change) {
    writes.get(target)[bucket(at)]++;
  }

  @Override
  public synchronized void pending(Target target, int changes) {
    int b = bucket(clock.instant());
    long[] p = pending.get(target);
    p[b] = Math.max(p[b], changes);
    pendingLast.get(target)[b] = changes;
  }

  /** Places {@code at} in a bucket, widening them all until it fits. */
  private int bucket(Instant at) {
    if (origin == null) {
      origin = at;
    }
    long offset = Math.max(0, Duration.between(origin, at).toNanos());
    long index = offset / widthNanos;
    while (index >= MAX_BUCKETS) {
      widen();
      index = offset / widthNanos;
    }
    used = Math.max(used, (int) index + 1);
    return (int) index;
  }

  /** Halves the resolution: bucket i takes buckets 2i and 2i+1. */
  private void widen() {
    widthNanos *= 2;
    writes.values().forEach(ReplayTimeline::sumPairs);
    pending.values().forEach(ReplayTimeline::maxPairs);
    pendingLast.values().forEach(ReplayTimeline::lastPairs);
    sumPairs(eventsIn);
    sumPairs(emitted);
    byClusterKind.values().forEach(ReplayTimeline::sumPairs);
    used = (used + 1) / 2;
  }

  private static void sumPairs(long[] a) {
    for (int i = 0; i < a.length / 2; i++) {
      a[i] = a[2 * i] + a[2 * i + 1];
    }
    Arrays.fill(a, a.length / 2, a.length, 0);
  }

  private static void lastPairs(long[] a) {
    for (int i = 0; i < a.length / 2; i++) {
      a[i] = a[2 * i + 1] >= 0 ? a[2 * i + 1] : a[2 * i];
    }
    Arrays.fill(a, a.length / 2, a.length, -1);
  }

  private static void maxPairs(long[] a) {
    for (int i = 0; i < a.length / 2; i++) {
      a[i] = Math.max(a[2 * i], a[2 * i + 1]);
    }
    Arrays.fill(a, a.length / 2, a.length, -1);
  }

  /** The first instant of the first bucket (null before any event). */
  public synchronized Instant origin() {
    return origin;
  }

  /** The width of every bucket. */
  public synchronized Duration bucketWidth() {
    return Duration.ofNanos(widthNanos);
  }

  /** Buckets in use. */
  public synchronized int buckets() {
    return used;
  }

  /** Writes acknowledged by {@code target} per bucket. */
  public synchronized long[] writes(Target target) {
    return Arrays.copyOf(writes.get(target), used);
  }

  /**
   * The most changes {@code target}'s writer held unwritten in each bucket; a bucket without a
   * report keeps the level of the one before (0 before the first).
   */
  public synchronized long[] pending(Target target) {
    long[] p = Arrays.copyOf(pending.get(target), used);
    long[] last = pendingLast.get(target);
    long level = 0;
    for (int i = 0; i < p.length; i++) {
      if (p[i] < 0) {
        p[i] = level;
      } else {
        level = last[i];
      }
    }
    return p;
  }

  /** Watch events of the log per bucket (SYNCED markers not counted). */
  public synchronized long[] eventsIn() {
    return Arrays.copyOf(eventsIn, used);
  }

  /** Object states that left debounce per bucket. */
  public synchronized long[] emitted() {
    return Arrays.copyOf(emitted, used);
  }

  /** Events of the log per bucket, by {@code cluster/kind}, sorted. */
  public synchronized SortedMap<String, long[]> byClusterKind() {
    var copy = new TreeMap<String, long[]>();
    byClusterKind.forEach((k, v) -> copy.put(k, Arrays.copyOf(v, used)));
    return copy;
  }

  /** The log's markers in log order (the first {@link #MAX_MARKERS}). */
  public synchronized List<Marker> markers() {
    return List.copyOf(markers);
  }

  /** Markers past {@link #MAX_MARKERS}, counted only. */
  public synchronized long markersDropped() {
    return markersDropped;
  }

  /** The {@code n} objects whose changes were superseded most, most first (then by key). */
  public synchronized List<Flapper> topFlappers(int n) {
    return superseded.entrySet().stream()
        .map(e -> new Flapper(e.getKey(), e.getValue()[0]))
        .sorted(Comparator.comparingLong(Flapper::superseded).reversed().thenComparing(Flapper::key))
        .limit(n)
        .toList();
  }

  /** Objects with at least one superseded change. */
  public synchronized int flappers() {
    return superseded.size();
  }
}
