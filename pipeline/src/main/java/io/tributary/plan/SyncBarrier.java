package io.tributary.plan;

import io.tributary.kind.ResourceKind;
import io.tributary.settings.TributarySettings;
import io.tributary.translate.Translator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The sync barrier: open once every known cluster has listed every translated kind it watches
 * (and the Gateway API kinds HTTPRoutes depend on, {@link ResourceKind#awaitedBySync()}).
 * Until then deletes are held, so a restart or reconnect never mass-deregisters. Pure data.
 */
final class SyncBarrier {
  private TributarySettings settings;
  private final Set<String> clusters = new TreeSet<>();
  private final Map<String, Set<String>> syncedKinds = new HashMap<>();
  // translated kinds a cluster the config does not name has shown (its log's objects or markers)
  private final Map<String, Set<String>> seenKinds = new HashMap<>();
  // the writers learn once that the desired state is whole (see ChangeSet.complete)
  private boolean completeSent;

  SyncBarrier(TributarySettings settings) {
    this.settings = settings;
    clusters.addAll(settings.clusters().keySet());
  }

  /**
   * Reloaded settings: a cluster added must list before deletes flow again (a conservative hold,
   * as at start); a cluster removed is no longer waited for.
   */
  void reconfigure(TributarySettings next) {
    clusters.removeIf(c -> settings.clusters().containsKey(c) && !next.clusters().containsKey(c));
    clusters.addAll(next.clusters().keySet());
    settings = next;
  }

  /** {@code cluster} showed an object or marker of {@code keyKind}. */
  void seen(String cluster, String keyKind) {
    clusters.add(cluster);
    ResourceKind.ofKey(keyKind).filter(ResourceKind::awaitedBySync)
        .ifPresent(kind -> seenKinds.computeIfAbsent(cluster, c -> new HashSet<>()).add(kind.kind()));
  }

  /** {@code cluster} has listed {@code kind}; answers whether the barrier is open now. */
  boolean synced(String cluster, String kind) {
    seen(cluster, kind);
    syncedKinds.computeIfAbsent(cluster, c -> new HashSet<>()).add(kind);
    return open();
  }

  /** True once every known cluster has synced every translated kind. */
  boolean open() {
    return waitingFor().isEmpty();
  }

  /** Clusters that have not yet listed every translated kind. */
  Set<String> waitingFor() {
    Set<String> waiting = new TreeSet<>();
    for (String c : clusters) {
      if (!syncedKinds.getOrDefault(c, Set.of()).containsAll(requiredKinds(c))) {
        waiting.add(c);
      }
    }
    return waiting;
  }

  /** True the first time it is asked once the barrier is open: the moment to send the complete markers. */
  boolean completeDue() {
    if (completeSent || !open()) {
      return false;
    }
    completeSent = true;
    return true;
  }

  /**
   * The translated kinds {@code cluster} watches, each of which must list once before deletes
   * flow: the configured kinds, or — for a cluster only a replayed log names — the kinds it showed.
   */
  private Set<String> requiredKinds(String cluster) {
    var configured = settings.clusters().get(cluster);
    if (configured == null) {
      return seenKinds.getOrDefault(cluster, Translator.KINDS);
    }
    // the Gateway API kinds too: an HTTPRoute whose Gateway has not listed yet has no routes
    Set<String> kinds = new HashSet<>(ResourceKind.syncKindNames());
    kinds.retainAll(configured.kinds());
    return kinds;
  }
}
