package io.tributary.target;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Which changes a target accepts (its {@code policy} setting): every one, never the removal of a
 * record group, or only record groups it does not hold yet. Decided per record group (a Consul
 * instance, a DNS name, a Traefik object), because a group is what a reader of the target sees: a
 * DNS name whose addresses give way to a CNAME, or a Traefik service that changes from a load
 * balancer to a weighted one, is one rewrite of that group, never a removal of it. Pure.
 */
public enum ChangePolicy {
  /** Every change: the target follows the desired state exactly (the default). */
  SYNC,
  /**
   * Creates and updates, never the removal of a group: a deleted route's records stay. A delete
   * inside a group that keeps a record (the old record set of a name whose type changes) is part
   * of that group's update and goes with it, so the group is never left with both.
   */
  UPSERT_ONLY,
  /**
   * Only groups the target does not hold yet are written: no update, no delete, nor any new record
   * of a group it holds (that would be an update of the group).
   */
  CREATE_ONLY;

  /** The config spelling: {@code sync}, {@code upsert-only}, {@code create-only}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The policy spelled {@code id}, or null. */
  public static ChangePolicy ofId(String id) {
    for (ChangePolicy p : values()) {
      if (p.id().equals(id)) {
        return p;
      }
    }
    return null;
  }

  /** Every spelling, for messages. */
  public static String ids() {
    return Arrays.stream(values()).map(ChangePolicy::id).collect(Collectors.joining(", "));
  }

  /**
   * Whether this policy lets {@code change} through. The predicates are asked only when needed.
   *
   * @param groupHeld whether the target holds a record of a group before the change
   * @param groupKept whether a group still has a record once the change is written
   */
  public boolean admits(Change change, Predicate<String> groupHeld, Predicate<String> groupKept) {
    return switch (this) {
      case SYNC -> true;
      case UPSERT_ONLY -> change.op() != Op.DELETE || groupKept.test(change.group());
      case CREATE_ONLY -> change.op() == Op.CREATE && !groupHeld.test(change.group());
    };
  }
}
