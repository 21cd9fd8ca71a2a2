package io.tributary.faults;

import io.tributary.watch.MockCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Seeded creates, updates and deletes of Ingresses in mock API servers, as a burst of real
 * changes: new hosts, hosts two clusters share (one DNS name, both addresses), host changes (the
 * old name's records must go) and path changes (the Consul service is renamed). Not thread-safe:
 * one thread drives it.
 */
final class Churn {
  private static final String NS = "shop";
  private static final List<String> PATHS = List.of("/", "/api", "/v2");

  private final Random random;
  private final Map<String, MockCluster> clusters;
  private final List<String> names;
  /** cluster → object name → host, path. */
  private final Map<String, Map<String, String[]>> live = new TreeMap<>();
  private int next;
  final AtomicInteger creates = new AtomicInteger();
  final AtomicInteger updates = new AtomicInteger();
  final AtomicInteger deletes = new AtomicInteger();

  Churn(long seed, Map<String, MockCluster> clusters) {
    this.random = new Random(seed);
    this.clusters = clusters;
    this.names = List.copyOf(clusters.keySet());
    names.forEach(c -> live.put(c, new TreeMap<>()));
  }

  /** {@code n} new objects in every cluster, a fifth of them on a host another cluster serves too. */
  void seed(int n) {
    for (int i = 0; i < n; i++) {
      for (String c : names) {
        create(c);
      }
    }
  }

  /** One change in a random cluster: create (40 %), update (35 %) or delete (25 %). */
  void step() {
    String c = names.get(random.nextInt(names.size()));
    int dice = random.nextInt(100);
    if (dice < 40 || live.get(c).size() < 3) {
      create(c);
    } else if (dice < 75) {
      update(c);
    } else {
      delete(c);
    }
  }

  /** {@code n} creates in a row. */
  void creates(int n) {
    for (int i = 0; i < n; i++) {
      create(names.get(random.nextInt(names.size())));
    }
  }

  /** {@code n} updates in a row. */
  void updates(int n) {
    for (int i = 0; i < n; i++) {
      update(names.get(random.nextInt(names.size())));
    }
  }

  /** {@code n} deletes in a row (fewer if the clusters run out of objects). */
  void deletes(int n) {
    for (int i = 0; i < n; i++) {
      String c = names.get(random.nextInt(names.size()));
      if (!live.get(c).isEmpty()) {
        delete(c);
      }
    }
  }

  int operations() {
    return creates.get() + updates.get() + deletes.get();
  }

  private void create(String cluster) {
    String name = "obj-" + next++;
    String host = random.nextInt(5) == 0 ? sharedHost(cluster) : "h-" + next + ".example.com";
    put(cluster, name, host, PATHS.get(random.nextInt(PATHS.size())));
    creates.incrementAndGet();
  }

  private void update(String cluster) {
    var objects = live.get(cluster);
    if (objects.isEmpty()) {
      create(cluster);
      return;
    }
    String name = pick(objects);
    String[] now = objects.get(name);
    if (random.nextBoolean()) {
      put(cluster, name, "h-" + next++ + ".example.com", now[1]); // a new host: the old name's records go
    } else {
      String path = PATHS.get((PATHS.indexOf(now[1]) + 1) % PATHS.size());
      put(cluster, name, now[0], path);
    }
    updates.incrementAndGet();
  }

  private void delete(String cluster) {
    var objects = live.get(cluster);
    String name = pick(objects);
    clusters.get(cluster).delete("networking.k8s.io/v1", "Ingress", NS, name);
    objects.remove(name);
    deletes.incrementAndGet();
  }

  private void put(String cluster, String name, String host, String path) {
    clusters.get(cluster).apply(MockCluster.ingress(NS, name, host, path, "10"));
    live.get(cluster).put(name, new String[] {host, path});
  }

  /** A host some other cluster's object has, or a new one if none has any. */
  private String sharedHost(String cluster) {
    for (String other : names) {
      if (!other.equals(cluster) && !live.get(other).isEmpty()) {
        return live.get(other).get(pick(live.get(other)))[0];
      }
    }
    return "h-" + next + ".example.com";
  }

  private String pick(Map<String, String[]> objects) {
    var keys = new ArrayList<>(objects.keySet());
    return keys.get(random.nextInt(keys.size()));
  }
}
