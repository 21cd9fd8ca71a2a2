package io.tributary.plan;

import io.tributary.target.Change;
import io.tributary.target.ChangeSet;
import io.tributary.target.Diff;
import io.tributary.target.Op;
import io.tributary.target.Target;
import io.tributary.target.TargetRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Per target, the records every unit wants ({@code desired}) and what the writers have been told
 * ({@code told}); the diff between them, in batches, with deletes {@code held} while the sync
 * barrier is closed. A record key produced by two units (a service-name collision) stays with the
 * first. Pure data.
 */
final class RecordLedger {
  private final Map<Target, Map<String, TargetRecord>> desired = new EnumMap<>(Target.class);
  private final Map<Target, Map<String, TargetRecord>> told = new EnumMap<>(Target.class);
  private final Map<Target, Set<String>> held = new EnumMap<>(Target.class);
  private final Map<String, Set<String>> keysByUnit = new HashMap<>();
  private final Map<String, String> unitByKey = new HashMap<>();

  RecordLedger() {
    for (Target t : Target.values()) {
      desired.put(t, new HashMap<>());
      told.put(t, new HashMap<>());
      held.put(t, new TreeSet<>());
    }
  }

  /**
   * Makes {@code plan}'s records the whole desired output of its unit; the keys it changes join
   * {@code touched}. Answers the unit's notes, with the keys it could not have (another unit's).
   */
  List<String> replace(UnitPlanner.UnitPlan plan, Map<Target, Set<String>> touched) {
    Map<String, TargetRecord> want = desired.get(plan.target());
    Set<String> touchedKeys = touched.computeIfAbsent(plan.target(), t -> new TreeSet<>());
    Set<String> oldKeys = keysByUnit.getOrDefault(plan.unit(), Set.of());
    Set<String> newKeys = new LinkedHashSet<>();
    List<String> notes = new ArrayList<>(plan.notes());
    for (TargetRecord r : plan.records()) {
      String qualified = plan.target().id() + "|" + r.key();
      String owner = unitByKey.get(qualified);
      if (owner != null && !owner.equals(plan.unit())) {
        notes.add("record " + r.key() + " is already produced by " + owner + "; left to it");
        continue;
      }
      unitByKey.put(qualified, plan.unit());
      want.put(r.key(), r);
      newKeys.add(r.key());
      touchedKeys.add(r.key());
    }
    for (String k : oldKeys) {
      if (!newKeys.contains(k)) {
        want.remove(k);
        unitByKey.remove(plan.target().id() + "|" + k);
        touchedKeys.add(k);
      }
    }
    if (newKeys.isEmpty()) {
      keysByUnit.remove(plan.unit());
    } else {
      keysByUnit.put(plan.unit(), newKeys);
    }
    return notes;
  }

  /**
   * The changes that bring what the writers were told to the desired state for the {@code
   * touched} keys, in batches of at most {@code maxBatch} (a record group never split); deletes
   * are held while {@code barrierOpen} is false.
   */
  List<ChangeSet> diff(Map<Target, Set<String>> touched, boolean barrierOpen, int maxBatch) {
    List<ChangeSet> out = new ArrayList<>();
    for (Target target : Target.values()) {
      Set<String> keys = touched.getOrDefault(target, Set.of());
      if (keys.isEmpty()) {
        continue;
      }
      Map<String, TargetRecord> have = told.get(target);
      Map<String, TargetRecord> want = desired.get(target);
      // a delete in a group that keeps a record (a DNS name whose CNAME gives way to addresses) is a
      // replacement, not a removal: it goes with the record that replaces it
      Set<String> kept = new HashSet<>();
      for (String k : keys) {
        TargetRecord r = want.get(k);
        if (r != null) {
          kept.add(r.group());
        }
      }
      Set<String> heldHere = held.get(target);
      List<Change> changes = new ArrayList<>();
      for (Change c : Diff.between(keys, have, want, Diff.orderFor(target))) {
        heldHere.remove(c.key());
        if (c.op() == Op.DELETE && !barrierOpen && !kept.contains(c.group())) {
          heldHere.add(c.key());
          continue;
        }
        changes.add(c);
        if (c.op() == Op.DELETE) {
          have.remove(c.key());
        } else {
          have.put(c.key(), c.value());
        }
      }
      // a held delete whose record came back (or is still wanted) is no longer pending
      heldHere.removeIf(k -> want.containsKey(k) && keys.contains(k));
      for (List<Change> batch : Diff.batches(changes, maxBatch)) {
        out.add(new ChangeSet(target, batch));
      }
    }
    return out;
  }

  /** Takes every held delete out, to be diffed again now that the barrier is open. */
  Map<Target, Set<String>> releaseHeld() {
    Map<Target, Set<String>> release = new EnumMap<>(Target.class);
    held.forEach((t, keys) -> release.put(t, new TreeSet<>(keys)));
    held.values().forEach(Set::clear);
    return release;
  }

  /** Number of deletes held back by the sync barrier. */
  int held() {
    return held.values().stream().mapToInt(Set::size).sum();
  }

  /** The records the writers have been told to hold in {@code target} (a read-only view). */
  Map<String, TargetRecord> told(Target target) {
    return Collections.unmodifiableMap(told.get(target));
  }
}
