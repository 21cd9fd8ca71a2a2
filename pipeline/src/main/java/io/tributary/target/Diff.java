package io.tributary.target;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Desired vs. known state of one target → the minimal ordered list of changes. Pure. */
public final class Diff {

  /** In which order a change list is written. */
  public enum Order {
    /**
     * Creates, then updates, then deletes: a route moving between instances is never absent
     * (Consul, Traefik).
     */
    MAKE_BEFORE_BREAK,
    /**
     * Deletes first: a DNS name can hold a CNAME or addresses, never both, so the old set must go
     * before the new one is added (the batch is still one atomic UPDATE message).
     */
    BREAK_BEFORE_MAKE
  }

  private Diff() {}

  /** The order each target is written in. */
  public static Order orderFor(Target target) {
    return target == Target.DNS ? Order.BREAK_BEFORE_MAKE : Order.MAKE_BEFORE_BREAK;
  }

  /**
   * Changes that turn {@code known} into {@code desired} for {@code keys}; a key whose record is
   * equal in both yields nothing. Within each op, changes are sorted by {@link
   * TargetRecord#writeRank()} (ascending for creates and updates, descending for deletes: what
   * refers to others comes last on the way in and first on the way out), then by key. Targets
   * whose records all rank alike (Consul, DNS) keep the plain key order.
   */
  public static List<Change> between(
      Collection<String> keys,
      Map<String, ? extends TargetRecord> known,
      Map<String, ? extends TargetRecord> desired,
      Order order) {
    List<Change> creates = new ArrayList<>();
    List<Change> updates = new ArrayList<>();
    List<Change> deletes = new ArrayList<>();
    for (String key : new TreeSet<>(keys)) {
      TargetRecord was = known.get(key);
      TargetRecord want = desired.get(key);
      if (was == null && want != null) {
        creates.add(new Change(Op.CREATE, key, want, null));
      } else if (was != null && want == null) {
        deletes.add(new Change(Op.DELETE, key, null, was));
      } else if (was != null && !was.equals(want)) {
        updates.add(new Change(Op.UPDATE, key, want, was));
      }
    }
    // stable sorts: keys stay sorted within a rank
    creates.sort(Comparator.comparingInt(Diff::rank));
    updates.sort(Comparator.comparingInt(Diff::rank));
    deletes.sort(Comparator.comparingInt(Diff::rank).reversed());
    List<Change> all = new ArrayList<>(creates.size() + updates.size() + deletes.size());
    if (order == Order.BREAK_BEFORE_MAKE) {
      all.addAll(deletes);
      all.addAll(creates);
      all.addAll(updates);
    } else {
      all.addAll(creates);
      all.addAll(updates);
      all.addAll(deletes);
    }
    return all;
  }

  private static int rank(Change c) {
    TargetRecord r = c.value() != null ? c.value() : c.previous();
    return r == null ? 0 : r.writeRank();
  }

  /**
   * {@code changes} cut into batches of at most {@code max}, never splitting a {@link
   * TargetRecord#group()} (unless one group alone exceeds {@code max}); each batch keeps the
   * changes' order. Groups are taken in the order their first change appears.
   */
  public static List<List<Change>> batches(List<Change> changes, int max) {
    if (changes.size() <= max) {
      return changes.isEmpty() ? List.of() : List.of(changes);
    }
    Map<Change, Integer> position = new IdentityHashMap<>();
    Map<String, List<Change>> groups = new LinkedHashMap<>();
    for (Change c : changes) {
      position.put(c, position.size());
      groups.computeIfAbsent(c.group(), g -> new ArrayList<>()).add(c);
    }
    List<List<Change>> out = new ArrayList<>();
    List<Change> batch = new ArrayList<>();
    for (List<Change> group : groups.values()) {
      if (!batch.isEmpty() && batch.size() + group.size() > max) {
        out.add(batch);
        batch = new ArrayList<>();
      }
      if (group.size() > max) {
        // a group larger than a batch: the only case that splits one, into batches of its own
        for (int i = 0; i < group.size(); i += max) {
          out.add(new ArrayList<>(group.subList(i, Math.min(group.size(), i + max))));
        }
        continue;
      }
      batch.addAll(group);
    }
    if (!batch.isEmpty()) {
      out.add(batch);
    }
    out.forEach(b -> b.sort(Comparator.comparingInt(position::get)));
    return out;
  }

  /** Every change between two whole states (anti-entropy, final-state checks). */
  public static List<Change> full(
      Map<String, ? extends TargetRecord> known, Map<String, ? extends TargetRecord> desired, Order order) {
    var keys = new TreeSet<String>(known.keySet());
    keys.addAll(desired.keySet());
    return between(keys, known, desired, order);
  }
}
