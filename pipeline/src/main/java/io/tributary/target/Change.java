package io.tributary.target;

import java.util.Objects;

/**
 * One write to one record: {@code value} is the new record (null for a delete), {@code previous}
 * what the writer is expected to find (null for a create) — writers use it as a precondition.
 */
public record Change(Op op, String key, TargetRecord value, TargetRecord previous) {

  public Change {
    Objects.requireNonNull(op);
    Objects.requireNonNull(key);
    if ((op == Op.DELETE) != (value == null)) {
      throw new IllegalArgumentException(op + " of " + key + " with value " + value);
    }
  }

  /** The {@link TargetRecord#group()} of the record this change writes or removes. */
  public String group() {
    TargetRecord r = value != null ? value : previous;
    return r == null ? key : r.group();
  }
}
