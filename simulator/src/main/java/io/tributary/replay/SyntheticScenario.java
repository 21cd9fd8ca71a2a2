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
    return new Generator(p);
  }

  /** Writes the events of {@code p} to {@code out}; returns how many. */
  public static long write(Params p, Path out) throws IOException {
    try (var w = EventLogWriter.open(out)) {
      events(p).forEachRemaining(w::write);
      return w.written();
    }
  }

  private static final class Generator extends LookaheadIterator<LogEvent> {
    private final Params p;
    private final SplittableRandom random;
    private final long[] resourceVersion;
    private final int[] version; // per object: how many meaningful changes so far
    private final boolean[] deleted;
    private final int hosts;
    private int initialIndex; // next object (or marker) of the initial lists
    private int initialCluster;
    private long nanos; // churn clock, since start
    private final long endNanos;

    Generator(Params p) {
      this.p = p;
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
      if (p.changesPerSecond() <= 0) {
        return null;
      }
      // exponential inter-arrival times: a Poisson stream of changes
      nanos += (long) (-Math.log(1 - random.nextDouble()) / p.changesPerSecond() * 1e9);
      if (nanos > endNanos) {
        return null;
      }
      Instant at = churnStart().plusNanos(nanos);
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
      Instant at = p.start().plusMillis(initialCluster * 1000L).plusNanos(initialIndex * 200_000L);
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
      return p.start().plusMillis(p.clusters() * 1000L);
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
