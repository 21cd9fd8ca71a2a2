package io.tributary.replay;

import io.tributary.target.Change;
import io.tributary.target.Target;
import io.tributary.writer.WriteObserver;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a replay's fault events did, for its summary: each target outage ({@code TARGET_DOWN} to
 * {@code TARGET_UP}) with the writer's failed attempts and how long the backlog took to reach the
 * target, and each cluster loss ({@code CLUSTER_LOST} to the end of the relist after {@code
 * CLUSTER_BACK}). Fed by the replay's driver and, as a {@link WriteObserver}, by the writers.
 */
public final class ReplayFaults implements WriteObserver {
  // the first attempts of each outage keep their instants, enough to show the backoff
  private static final int MAX_ATTEMPT_TIMES = 64;

  /**
   * One outage of {@code target}.
   *
   * @param up null while still down at the end of the log
   * @param failedAttempts reads and writes that failed (the writer's retries)
   * @param attempts instants of the first failed attempts (at most 64), spaced by the backoff
   * @param writesAfterUp writes made from {@code up} until the writer held nothing unwritten
   * @param drained when the writer held nothing unwritten again after {@code up}; null: not yet
   * @param writesWhileDown writes that reached the target while down: always 0, or the simulator is wrong
   */
  public record Outage(
      Target target, Instant down, Instant up, long failedAttempts, List<Instant> attempts, long writesAfterUp,
      Instant drained, long writesWhileDown) {}

  /**
   * One loss of {@code cluster}.
   *
   * @param back null while still lost at the end of the log
   * @param unseenEvents the log's events of the cluster while lost: its watch was down, so not delivered
   * @param relisted objects listed again after {@code back}
   * @param deletedOnRelist objects not listed again, deleted when their kind's SYNCED closed the relist
   * @param resynced when every kind had listed again; null: not (yet)
   */
  public record ClusterLoss(
      String cluster, Instant lost, Instant back, long unseenEvents, long relisted, long deletedOnRelist,
      Instant resynced) {}

  private Clock clock = Clock.systemUTC();
  private final List<MutableOutage> outages = new ArrayList<>();
  private final Map<Target, MutableOutage> latest = new EnumMap<>(Target.class);
  private final Map<Target, Integer> pending = new EnumMap<>(Target.class);
  private final List<MutableLoss> losses = new ArrayList<>();
  private final Map<String, MutableLoss> latestLoss = new LinkedHashMap<>();
  private final Map<String, String> clusterStates = new java.util.TreeMap<>();
  private final List<String> ignored = new ArrayList<>();

  private static final class MutableOutage {
    final Target target;
    final Instant down;
    Instant up;
    long failed;
    final List<Instant> attempts = new ArrayList<>();
    long writesAfterUp;
    Instant drained;
    long writesWhileDown;

    MutableOutage(Target target, Instant down) {
      this.target = target;
      this.down = down;
    }

    Outage snapshot() {
      return new Outage(target, down, up, failed, List.copyOf(attempts), writesAfterUp, drained, writesWhileDown);
    }
  }

  private static final class MutableLoss {
    final String cluster;
    final Instant lost;
    Instant back;
    long unseen;
    long relisted;
    long deleted;
    Instant resynced;

    MutableLoss(String cluster, Instant lost) {
      this.cluster = cluster;
      this.lost = lost;
    }

    ClusterLoss snapshot() {
      return new ClusterLoss(cluster, lost, back, unseen, relisted, deleted, resynced);
    }
  }

  /** The replay's virtual clock, which stamps the writers' failed attempts. */
  synchronized void useClock(Clock virtual) {
    this.clock = virtual;
  }

  synchronized void targetDown(Target target, Instant at) {
    MutableOutage o = new MutableOutage(target, at);
    outages.add(o);
    latest.put(target, o);
  }

  synchronized void targetUp(Target target, Instant at) {
    MutableOutage o = latest.get(target);
    o.up = at;
    if (pending.getOrDefault(target, 0) == 0) {
      o.drained = at;
    }
  }

  synchronized void clusterLost(String cluster, Instant at) {
    MutableLoss l = new MutableLoss(cluster, at);
    losses.add(l);
    latestLoss.put(cluster, l);
  }

  synchronized void clusterBack(String cluster, Instant at) {
    latestLoss.get(cluster).back = at;
  }

  synchronized void unseen(String cluster) {
    latestLoss.get(cluster).unseen++;
  }

  synchronized void relisted(String cluster) {
    latestLoss.get(cluster).relisted++;
  }

  synchronized void deletedOnRelist(String cluster, int n) {
    latestLoss.get(cluster).deleted += n;
  }

  synchronized void resynced(String cluster, Instant at) {
    latestLoss.get(cluster).resynced = at;
  }

  /** A fault event that could not be acted on (an unknown target, a target already down, ...). */
  synchronized void ignored(String what) {
    ignored.add(what);
  }

  /** A cluster's state as the replay reports it to the pipeline's listener. */
  synchronized void clusterState(String cluster, String state) {
    clusterStates.put(cluster, state);
  }

  /** True while a target that answers again still has changes its writer has not written. */
  synchronized boolean draining() {
    for (var e : pending.entrySet()) {
      MutableOutage o = latest.get(e.getKey());
      if (e.getValue() > 0 && o != null && o.up != null) {
        return true;
      }
    }
    return false;
  }

  @Override
  public synchronized void written(Instant at, Target target, Change change) {
    MutableOutage o = latest.get(target);
    if (o == null) {
      return;
    }
    if (o.up == null) {
      o.writesWhileDown++;
    } else if (o.drained == null) {
      o.writesAfterUp++;
    }
  }

  @Override
  public synchronized void failed(Target target, boolean configuration, String reason) {
    MutableOutage o = latest.get(target);
    if (o == null) {
      return;
    }
    o.failed++;
    if (o.attempts.size() < MAX_ATTEMPT_TIMES) {
      o.attempts.add(clock.instant());
    }
  }

  @Override
  public synchronized void pending(Target target, int changes) {
    pending.put(target, changes);
    MutableOutage o = latest.get(target);
    if (changes == 0 && o != null && o.up != null && o.drained == null) {
      o.drained = clock.instant();
    }
  }

  /** Every outage, in the order the targets went down. */
  public synchronized List<Outage> outages() {
    return outages.stream().map(MutableOutage::snapshot).toList();
  }

  /** Every cluster loss, in the order the clusters were lost. */
  public synchronized List<ClusterLoss> clusterLosses() {
    return losses.stream().map(MutableLoss::snapshot).toList();
  }

  /** Reads and writes that failed over the whole replay: the writers' retries. */
  public synchronized long failedAttempts() {
    return outages.stream().mapToLong(o -> o.failed).sum();
  }

  /** Changes a target's writer holds unwritten at the end (a target still down, say). */
  public synchronized int pendingAtEnd(Target target) {
    return pending.getOrDefault(target, 0);
  }

  /** The state each cluster was last reported in ({@code disconnected}, {@code starting}, {@code synced}). */
  public synchronized Map<String, String> clusterStates() {
    return new java.util.TreeMap<>(clusterStates);
  }

  /** Fault events that could not be acted on, with why. */
  public synchronized List<String> ignored() {
    return List.copyOf(ignored);
  }

  /** True when the log had fault events at all. */
  public synchronized boolean any() {
    return !outages.isEmpty() || !losses.isEmpty() || !ignored.isEmpty();
  }
}
