package io.tributary.plan;

import io.tributary.target.Change;
import io.tributary.target.ChangePolicy;
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
import java.util.function.Function;

/**
 * Per target, the records every unit wants ({@code desired}) and what the writers have been told
 * ({@code told}); the diff between them, in batches, with deletes {@code held} while the sync
 * barrier is closed and the changes each target's {@link ChangePolicy} refuses withheld for good
 * (they stay told: the target keeps what it holds). A record key produced by two units (a
 * service-name collision) stays with the first. Pure data.
 */
final class RecordLedger {
  private final Map<Target, Map<String, TargetRecord>> desired = new EnumMap<>(Target.class);
  private final Map<Target, Map<String, TargetRecord>> told = new EnumMap<>(Target.class);
  /** The told keys of each record group, per target: which groups a target holds. */
  private final Map<Target, Map<String, Set<String>>> toldGroups = new EnumMap<>(Target.class);
  private final Map<Target, Set<String>> held = new EnumMap<>(Target.class);
  /** The change each policy withholds now, per target and key: reported when it first appears. */
  private final Map<Target, Map<String, Change>> withheld = new EnumMap<>(Target.class);
  private final Map<String, Set<String>> keysByUnit = new HashMap<>();
  /** Per target, the unit producing each record key. */
  private final Map<Target, Map<String, String>> unitByKey = new EnumMap<>(Target.class);
  private final Function<TargetRecord, ChangePolicy> policyOf;

  /** A ledger whose targets take every change. */
  RecordLedger() {
    this(r -> ChangePolicy.SYNC);
  }

  /** A ledger whose record's changes are as {@code policyOf} that record (its target's or zone's policy) says. */
  RecordLedger(Function<TargetRecord, ChangePolicy> policyOf) {
    this.policyOf = policyOf;
    for (Target t : Target.values()) {
      desired.put(t, new HashMap<>());
      told.put(t, new HashMap<>());
      toldGroups.put(t, new HashMap<>());
      held.put(t, new TreeSet<>());
      withheld.put(t, new HashMap<>());
      unitByKey.put(t, new HashMap<>());
    }
  }

  /** {@link #replace(UnitPlanner.UnitPlan, Map, boolean)} touching only the keys whose record changed. */
  List<String> replace(UnitPlanner.UnitPlan plan, Map<Target, Set<String>> touched) {
    return replace(plan, touched, false);
  }

  /**
   * Makes {@code plan}'s records the whole desired output of its unit; the keys it changes (with
   * {@code everyKey}, every key it has) join {@code touched}. A key whose record is unchanged need
   * not be diffed again: its last diff left the target told that record, or held or withheld the
   * same change. Answers the unit's notes, with the keys it could not have (another unit's).
   */
  List<String> replace(UnitPlanner.UnitPlan plan, Map<Target, Set<String>> touched, boolean everyKey) {
    Map<String, TargetRecord> want = desired.get(plan.target());
    Set<String> touchedKeys = touched.computeIfAbsent(plan.target(), t -> new TreeSet<>());
    Map<String, String> units = unitByKey.get(plan.target());
    Set<String> oldKeys = keysByUnit.getOrDefault(plan.unit(), Set.of());
    Set<String> newKeys = new LinkedHashSet<>();
    List<String> notes = new ArrayList<>(plan.notes());
    for (TargetRecord r : plan.records()) {
      String key = r.key(); // records build their key on each call
      String owner = units.putIfAbsent(key, plan.unit());
      if (owner != null && !owner.equals(plan.unit())) {
        notes.add("record " + key + " is already produced by " + owner + "; left to it");
        continue;
      }
      TargetRecord before = want.put(key, r);
      newKeys.add(key);
      if (everyKey || !r.equals(before)) {
        touchedKeys.add(key);
      }
    }
    for (String k : oldKeys) {
      if (!newKeys.contains(k)) {
        want.remove(k);
        units.remove(k);
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

  /** {@link #diff(Map, boolean, int, List)}, its withheld changes unreported. */
  List<ChangeSet> diff(Map<Target, Set<String>> touched, boolean barrierOpen, int maxBatch) {
    return diff(touched, barrierOpen, maxBatch, new ArrayList<>());
  }

  /**
   * The changes that bring what the writers were told to the desired state for the {@code
   * touched} keys, in batches of at most {@code maxBatch} (a record group never split); deletes
   * are held while {@code barrierOpen} is false, and changes a policy refuses are withheld and
   * joined to {@code reports}.
   */
  List<ChangeSet> diff(Map<Target, Set<String>> touched, boolean barrierOpen, int maxBatch, List<PlanReport> reports) {
    List<ChangeSet> out = new ArrayList<>();
    for (Target target : Target.values()) {
      Set<String> touchedKeys = touched.getOrDefault(target, Set.of());
      if (touchedKeys.isEmpty()) {
        continue;
      }
      Map<String, TargetRecord> have = told.get(target);
      Map<String, TargetRecord> want = desired.get(target);
      Map<String, Set<String>> groups = toldGroups.get(target);
      // a group is diffed whole: told records of it that no unit wants any more (a delete held by
      // the barrier or withheld by a policy) go with its rewrite, so a name never ends up holding
      // its old record set beside the new one
      Set<String> keys = new TreeSet<>(touchedKeys);
      Set<String> expanded = new HashSet<>(); // the touched keys of a group share its members
      for (String k : touchedKeys) {
        TargetRecord r = want.get(k);
        if (r == null) {
          r = have.get(k);
        }
        if (r != null && expanded.add(r.group())) {
          keys.addAll(groups.getOrDefault(r.group(), Set.of()));
        }
      }
      // a delete in a group that keeps a record (a DNS name whose CNAME gives way to addresses) is a
      // replacement, not a removal: it goes with the record that replaces it
      Set<String> kept = new HashSet<>();
      for (String k : keys) {
        TargetRecord r = want.get(k);
        if (r != null) {
          kept.add(r.group());
        }
      }
      List<Change> diffed = Diff.between(keys, have, want, Diff.orderFor(target));
      // the groups the target holds before any of these changes (create-only writes no other)
      Set<String> heldGroups = new HashSet<>();
      diffed.forEach(c -> {
        if (groups.containsKey(c.group())) {
          heldGroups.add(c.group());
        }
      });
      Map<ChangePolicy, List<Change>> fresh = new EnumMap<>(ChangePolicy.class);
      Map<String, Change> withheldHere = withheld.get(target);
      Map<String, Change> before = new HashMap<>();
      keys.forEach(k -> {
        Change c = withheldHere.remove(k); // looked at again below
        if (c != null) {
          before.put(k, c);
        }
      });
      Set<String> heldHere = held.get(target);
      List<Change> changes = new ArrayList<>();
      for (Change c : diffed) {
        heldHere.remove(c.key());
        ChangePolicy policy = policyOf.apply(c.value() != null ? c.value() : c.previous());
        if (!policy.admits(c, heldGroups::contains, kept::contains)) {
          // for good, not until the barrier opens: told stays what the target holds. A difference
          // that stands is reported once, not at every replan of its unit
          if (!c.equals(before.get(c.key()))) {
            fresh.computeIfAbsent(policy, p -> new ArrayList<>()).add(c);
          }
          withheldHere.put(c.key(), c);
          continue;
        }
        if (c.op() == Op.DELETE && !barrierOpen && !kept.contains(c.group())) {
          heldHere.add(c.key());
          continue;
        }
        changes.add(c);
        if (c.op() == Op.DELETE) {
          have.remove(c.key());
          Set<String> members = groups.get(c.group());
          if (members != null && members.remove(c.key()) && members.isEmpty()) {
            groups.remove(c.group());
          }
        } else {
          have.put(c.key(), c.value());
          groups.computeIfAbsent(c.group(), g -> new HashSet<>()).add(c.key());
        }
      }
      // a held delete whose record came back (or is still wanted) is no longer pending
      heldHere.removeIf(k -> want.containsKey(k) && keys.contains(k));
      fresh.forEach((policy, list) -> reports.add(new PlanReport.Withheld(target, policy, list)));
      for (List<Change> batch : Diff.batches(changes, maxBatch)) {
        out.add(new ChangeSet(target, batch));
      }
    }
    return out;
  }

  /**
   * Everything {@code target}'s writer was told, as creates into an empty state, then the complete
   * marker: what a writer started anew for that target (its sink's address, credentials or zones
   * reloaded) needs to know what to hold. It reads its sink and writes only the difference.
   */
  List<ChangeSet> retell(Target target, int maxBatch) {
    Map<String, TargetRecord> have = told.get(target);
    List<ChangeSet> out = new ArrayList<>();
    for (List<Change> batch : Diff.batches(Diff.between(new java.util.TreeSet<>(have.keySet()), Map.of(), have, Diff.orderFor(target)), maxBatch)) {
      out.add(new ChangeSet(target, batch));
    }
    out.add(ChangeSet.complete(target));
    return out;
  }

  /** Takes every held delete out, to be diffed again now that the barrier is open. */
  Map<Target, Set<String>> releaseHeld() {
    Map<Target, Set<String>> release = new EnumMap<>(Target.class);
    held.forEach((t, keys) -> release.put(t, new TreeSet<>(keys)));
    held.values().forEach(Set::clear);
    return release;
  }

  /** Number of changes the targets' policies withhold now (differences between desired and told that stand). */
  int withheld() {
    return withheld.values().stream().mapToInt(Map::size).sum();
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
