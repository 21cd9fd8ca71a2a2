package io.tributary.faults;

import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One target's desired and actual state compared record by record: every record missing, every
 * record orphaned (held but not wanted) and every record that differs, each named.
 */
record RecordDiff(String target, SortedMap<String, String> missing, SortedMap<String, String> orphaned,
    SortedMap<String, String[]> differing) {

  /** {@code desired} against {@code actual}, both keyed by record. */
  static RecordDiff between(String target, Map<String, String> desired, Map<String, String> actual) {
    var missing = new TreeMap<String, String>();
    var orphaned = new TreeMap<String, String>();
    var differing = new TreeMap<String, String[]>();
    var keys = new TreeSet<>(desired.keySet());
    keys.addAll(actual.keySet());
    for (String k : keys) {
      String want = desired.get(k);
      String have = actual.get(k);
      if (have == null) {
        missing.put(k, want);
      } else if (want == null) {
        orphaned.put(k, have);
      } else if (!Objects.equals(want, have)) {
        differing.put(k, new String[] {want, have});
      }
    }
    return new RecordDiff(target, missing, orphaned, differing);
  }

  boolean isEmpty() {
    return missing.isEmpty() && orphaned.isEmpty() && differing.isEmpty();
  }

  /** Fails naming every missing, orphaned and differing record. */
  void assertNone() {
    if (!isEmpty()) {
      throw new AssertionError(describe());
    }
  }

  String describe() {
    var out = new StringBuilder(target).append(": ").append(missing.size()).append(" missing, ").append(orphaned.size())
        .append(" orphaned, ").append(differing.size()).append(" differing");
    missing.forEach((k, v) -> out.append("\n  missing  ").append(k).append(" = ").append(v));
    orphaned.forEach((k, v) -> out.append("\n  orphaned ").append(k).append(" = ").append(v));
    differing.forEach((k, v) -> out.append("\n  differs  ").append(k).append("\n    desired ").append(v[0])
        .append("\n    actual  ").append(v[1]));
    return out.toString();
  }
}
