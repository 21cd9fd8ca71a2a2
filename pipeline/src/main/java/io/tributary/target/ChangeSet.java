package io.tributary.target;

import java.util.List;

/**
 * An ordered batch of changes for one target, handed to that target's writer as one unit.
 *
 * @param complete true only on the marker sent once, when every cluster has synced: from then on
 *     what the writer has been told is the whole desired state, so records it finds in the target
 *     and was never told about are stale (a restart must not delete them before that point)
 */
public record ChangeSet(Target target, List<Change> changes, boolean complete) {

  public ChangeSet {
    changes = List.copyOf(changes);
  }

  public ChangeSet(Target target, List<Change> changes) {
    this(target, changes, false);
  }

  /** The marker: the desired state sent so far to {@code target} is complete. */
  public static ChangeSet complete(Target target) {
    return new ChangeSet(target, List.of(), true);
  }

  public int size() {
    return changes.size();
  }
}
