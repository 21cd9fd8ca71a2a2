package io.tributary.diff;

import java.util.List;

/** An ordered batch of changes for one target, handed to that target's writer as one unit. */
public record ChangeSet(Target target, List<Change> changes) {

  public ChangeSet {
    changes = List.copyOf(changes);
  }

  public int size() {
    return changes.size();
  }
}
