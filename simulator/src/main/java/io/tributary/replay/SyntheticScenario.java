package io.tributary.replay;

import io.tributary.eventlog.EventLogWriter;
import io.tributary.kind.ResourceKind;
import io.tributary.eventlog.LogEvent;
import io.tributary.eventlog.LogEventType;
import io.tributary.eventlog.LookaheadIterator;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.SplittableRandom;

/**
 * A seeded load and churn generator: clusters with their initial lists, then random updates,
 * deletes and re-adds, flapping objects, malformed updates and no-op resourceVersion bumps. Events
 * are produced lazily, so a million-event log needs no list. Same {@link Params} ⇒ same events.
 */
public final class SyntheticScenario {

  /**
   * @param objects Ingresses in all, spread round-robin over clusters; about a third of the
   *     hostnames are served from two clusters by the same namespace and service (multi-cluster)
   * @param changesPerSecond rate of churn events after the initial lists
   * @param deleteShare share of churn events that delete (or re-add a deleted) object
   * @param flapShare share of objects that flap: most churn lands on them
   * @param malformedShare share of churn events that write a malformed object (bad host)
   */
  public record Params(
      long seed,
      int clusters,
      int namespaces,
      int objects,
      Duration duration,
      double changesPerSecond,
      double deleteShare,
      double flapShare,
      double malformedShare,
      Instant start) {

    public Params {
      if (clusters < 1 || namespaces < 1 || objects < 1 || changesPerSecond < 0) {
        throw new IllegalArgumentException("clusters, namespaces and objects must be positive, rate non-negative");
      }
    }

    /** 3 clusters, 8 namespaces, 200 objects, 5 minutes at 20 changes/s. */
    public static Params defaults() {
      return new Params(1, 3, 8, 200, Duration.ofMinutes(5), 20, 0.05, 0.02, 0.01, DemoScenario.START);
    }
  }

  private SyntheticScenario() {}

  /** The events of {@code p}, generated as they are iterated. */
  public static Iterator<LogEvent> events(Params p) {
    return new Generator(p, Shape.CHURN, 0, 0, Duration.ZERO);
  }

  /**
   * The initial lists of {@code p}, then only resourceVersion bumps (MODIFIED events whose objects
   * are unchanged) at {@code p}'s rate for its duration: a log that should cost no write at all.
   */
  public static Iterator<LogEvent> noOp(Params p) {
    return new Generator(p, Shape.NO_OP, 0, 0, Duration.ZERO);
  }

  /**
   * The initial lists of {@code p}, then {@link #phaseStart} later a flapping phase: the first
   * {@code flappers} objects each toggle between two states every {@code period}, {@code toggles}
   * times (rounded up to even, so each ends where it began: net change 0), and every other object
   * changes once (net change: one), spread evenly over the phase. {@code p}'s rate and shares are
   * not used; the phase lasts {@code toggles × period}.
   */
  public static Iterator<LogEvent> flapping(Params p, int flappers, int toggles, Duration period) {
    if (flappers < 0 || flappers > p.objects() || toggles < 0 || period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("flappers must be within 0..objects, toggles non-negative, period positive");
    }
    return new Generator(p, Shape.FLAPPING, flappers, toggles + toggles % 2, period);
  }

  /** When the churn (or flapping, no-op) phase of {@code p} starts: after every cluster's initial list. */
  public static Instant churnStart(Params p) {
    return p.start().plusMillis(p.clusters() * listStrideMillis(p));
  }

  /** When the flapping phase of {@link #flapping} starts: far enough after the lists that they have settled. */
  public static Instant phaseStart(Params p) {
    return churnStart(p).plus(FLAP_GAP);
  }

  private static final Duration FLAP_GAP = Duration.ofSeconds(10);

  /** Objects (and the SYNCED marker) of one cluster's initial list are this far apart. */
  private static final long LIST_STEP_NANOS = 200_000L;

  /**
   * How far apart the clusters' initial lists start: one second, or as many whole seconds as the
   * longest list needs, so a list never runs into the next one's start (time stays ordered).
   */
  static long listStrideMillis(Params p) {
    long longest = (p.objects() + p.clusters() - 1) / p.clusters(); // objects of the fullest cluster; SYNCED comes after
    long nanos = longest * LIST_STEP_NANOS;
    return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L) * 1000L;
  }

  private enum Shape { CHURN, NO_OP, FLAPPING }

  /** Writes the events of {@code p} to {@code out}; returns how many. */
  public static long write(Params p, Path out) throws IOException {
    return write(events(p), out);
  }

  /** Writes {@code events} (of any shape) to {@code out}; returns how many. */
  public static long write(Iterator<LogEvent> events, Path out) throws IOException {
    try (var w = EventLogWriter.open(out)) {
      events.forEachRemaining(w::write);
      return w.written();
    }
  }

  private static final class Generator extends LookaheadIterator<LogEvent> {
    private final Params p;
    private final Shape shape;
    private final int flappers;
    private final int toggles;
    private final long periodNanos;
    private final long strideMillis;
    private long flapSlot; // flapping: next toggle, over all flappers
    private long moverSlot; // flapping: next mover's one change
    private final SplittableRandom random;
    private final long[] resourceVersion;
    private final int[] version; // per object: how many meaningful changes so far
    private final boolean[] deleted;
    private final int hosts;
    private int initialIndex; // next object (or marker) of the initial lists
    private int initialCluster;
    private long nanos; // churn clock, since start
    private final long endNanos;

    Generator(Params p, Shape shape, int flappers, int toggles, Duration period) {
      this.p = p;
      this.shape = shape;
      this.flappers = flappers;
      this.toggles = toggles;
      this.periodNanos = period.toNanos();
      this.strideMillis = listStrideMillis(p);
      this.random = new SplittableRandom(p.seed());
      this.resourceVersion = new long[p.clusters()];
      this.version = new int[p.objects()];
      this.deleted = new boolean[p.objects()];
      this.hosts = Math.max(1, p.objects() * 2 / 3);
      this.endNanos = p.duration().toNanos();
    }

    @Override
    protected LogEvent computeNext() {
      if (initialCluster < p.clusters()) {
        return initial();
      }
      if (shape == Shape.FLAPPING) {
        return flap();
      }
      if (p.changesPerSecond() <= 0) {
        return null;
      }
      // exponential inter-arrival times: a Poisson stream of changes
      nanos += (long) (-Math.log(1 - random.nextDouble()) / p.changesPerSecond() * 1e9);
      if (nanos > endNanos) {
        return null;
      }
      Instant at = churnStart().plusNanos(nanos);
      if (shape == Shape.NO_OP) {
        return event(at, random.nextInt(p.objects()), LogEventType.MODIFIED, false); // resourceVersion bump only
      }
      int flappers = Math.max(1, (int) Math.round(p.objects() * p.flapShare()));
      int i = random.nextDouble() < 0.5 && p.flapShare() > 0 ? random.nextInt(flappers) : random.nextInt(p.objects());
      double roll = random.nextDouble();
      if (deleted[i]) {
        deleted[i] = false;
        return event(at, i, LogEventType.ADDED, false);
      }
      if (roll < p.deleteShare()) {
        deleted[i] = true;
        return event(at, i, LogEventType.DELETED, false);
      }
      if (roll < p.deleteShare() + p.malformedShare()) {
        return event(at, i, LogEventType.MODIFIED, true);
      }
      if (roll < p.deleteShare() + p.malformedShare() + 0.2) {
        return event(at, i, LogEventType.MODIFIED, false); // resourceVersion bump only
      }
      version[i]++;
      return event(at, i, LogEventType.MODIFIED, false);
    }

    private LogEvent initial() {
      // objects of cluster c are i ≡ c (mod clusters); each list ends with SYNCED
      int i = initialIndex * p.clusters() + initialCluster;
      Instant at = p.start().plusMillis(initialCluster * strideMillis).plusNanos(initialIndex * LIST_STEP_NANOS);
      if (i >= p.objects()) {
        String cluster = cluster(initialCluster);
        initialCluster++;
        initialIndex = 0;
        return LogEvent.synced(at, cluster, ResourceKind.INGRESS.kind());
      }
      initialIndex++;
      return event(at, i, LogEventType.ADDED, false);
    }

    private Instant churnStart() {
      return SyntheticScenario.churnStart(p);
    }

    /**
     * The flapping phase: flapper {@code s % flappers} toggles at slot {@code s}, the slots
     * {@code period / flappers} apart; mover {@code j} changes once at {@code j / movers} of the
     * phase. The two sequences merged in time order (toggles first at a tie).
     */
    private LogEvent flap() {
      Instant phase = phaseStart(p);
      long flaps = (long) flappers * toggles;
      int movers = p.objects() - flappers;
      long phaseNanos = toggles * periodNanos;
      long flapAt = flapSlot < flaps ? flapSlot * periodNanos / flappers : Long.MAX_VALUE;
      long moverAt = moverSlot < movers ? moverSlot * phaseNanos / movers : Long.MAX_VALUE;
      if (flapAt == Long.MAX_VALUE && moverAt == Long.MAX_VALUE) {
        return null;
      }
      int i;
      long at;
      if (flapAt <= moverAt) {
        i = (int) (flapSlot++ % flappers);
        at = flapAt;
        version[i] = version[i] == 0 ? 1 : 0;
      } else {
        i = flappers + (int) moverSlot++;
        at = moverAt;
        version[i]++;
      }
      return event(phase.plusNanos(at), i, LogEventType.MODIFIED, false);
    }

    private String cluster(int c) {
      return "cluster-" + (c + 1);
    }

    private LogEvent event(Instant at, int i, LogEventType type, boolean malformed) {
      int c = i % p.clusters();
      int h = i % hosts;
      String ns = "ns-" + (h % p.namespaces());
      String service = "svc-" + h;
      String host = malformed ? "Bad_Host-" + h + ".example.com" : "h" + h + ".example.com";
      int v = version[i];
      var f =
          IngressFactory.ingress(ns, "app-" + h)
              .created(p.start())
              .path(host, "/", "Prefix", service, 80)
              .annotation("traefik.ingress.kubernetes.io/router.priority", Integer.toString(10 + v % 5));
      if (v % 3 == 1) {
        f.path(host, "/api", "Prefix", service + "-api", 8080);
      }
      if (v % 4 == 2) {
        f.tls(host);
      }
      return LogEvent.watch(at, cluster(c), type, f.build(cluster(c), ++resourceVersion[c]));
    }
  }
}
