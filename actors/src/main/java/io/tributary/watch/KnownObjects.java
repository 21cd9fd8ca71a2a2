package io.tributary.watch;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The keys of every object a cluster's watcher has reported, kept by the supervisor so they
 * survive watcher restarts: after a restart's relist, keys that were not listed again are objects
 * deleted while the watch was down, and are reported deleted. Memory: one key per object.
 */
final class KnownObjects {
  private final Set<ObjectKey> keys = ConcurrentHashMap.newKeySet();

  void add(ObjectKey key) {
    keys.add(key);
  }

  void remove(ObjectKey key) {
    keys.remove(key);
  }

  /** A snapshot of the keys of one key-kind. */
  Set<ObjectKey> ofKind(String keyKind) {
    Set<ObjectKey> out = new java.util.HashSet<>();
    for (ObjectKey k : keys) {
      if (k.kind().equals(keyKind)) {
        out.add(k);
      }
    }
    return out;
  }

  Set<ObjectKey> all() {
    return Set.copyOf(keys);
  }
}
