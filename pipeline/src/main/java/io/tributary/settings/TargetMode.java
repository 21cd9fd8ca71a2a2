package io.tributary.settings;

import com.typesafe.config.Config;
import io.tributary.target.ChangePolicy;

/**
 * How one target (or DNS zone) takes the changes planned for it: which of them ({@code policy})
 * and whether it is written at all ({@code dry-run}).
 *
 * @param changePolicy the {@code policy} key: the changes the plan hands to the target's writer, and
 *     the writer makes itself
 * @param dryRun every change is computed and reported, and the target is only read, never written
 */
public record TargetMode(ChangePolicy changePolicy, boolean dryRun) {

  /** Every change, written: what a target does unless configured otherwise. */
  public static final TargetMode DEFAULT = new TargetMode(ChangePolicy.SYNC, false);

  public TargetMode {
    changePolicy = changePolicy == null ? ChangePolicy.SYNC : changePolicy;
  }

  /** The same policy, in dry run. */
  public TargetMode inDryRun() {
    return new TargetMode(changePolicy, true);
  }

  /** {@code policy upsert-only, dry run}: for the start-up line and status. */
  @Override
  public String toString() {
    return "policy " + changePolicy.id() + (dryRun ? ", dry run" : "");
  }

  /**
   * The {@code policy} and {@code dry-run} keys of block {@code block} (e.g. {@code consul},
   * {@code dns.zones[0]}), each {@code fallback}'s when absent.
   */
  static TargetMode from(Config c, String block, Problems p, TargetMode fallback) {
    ChangePolicy policy = fallback.changePolicy();
    if (c.hasPath("policy")) {
      String id = p.string(c, "policy");
      if (id != null) {
        policy = ChangePolicy.ofId(id);
        if (policy == null) {
          p.add(c, "policy", block + ".policy '" + id + "' must be one of " + ChangePolicy.ids());
          policy = fallback.changePolicy();
        }
      }
    }
    boolean dryRun = c.hasPath("dry-run") ? p.bool(c, "dry-run") : fallback.dryRun();
    return new TargetMode(policy, dryRun);
  }
}
