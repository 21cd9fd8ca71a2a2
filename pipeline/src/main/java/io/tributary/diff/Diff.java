package io.tributary.diff;

import java.util.ArrayList;
import java.util.Collection;
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
   * equal in both yields nothing. Within each op, keys are sorted.
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

  /** Every change between two whole states (anti-entropy, final-state checks). */
  public static List<Change> full(
      Map<String, ? extends TargetRecord> known, Map<String, ? extends TargetRecord> desired, Order order) {
    var keys = new TreeSet<String>(known.keySet());
    keys.addAll(desired.keySet());
    return between(keys, known, desired, order);
  }
}
