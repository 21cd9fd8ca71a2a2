package io.tributary.settings;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * {@code tributary.debounce.damping}: flap damping, as routing protocols damp flapping routes (RFC
 * 2439). Each change of an object that would cost a write adds {@code penalty}; the penalty halves
 * every {@code halfLife}. Once it exceeds {@code suppress} the object is damped: its latest state
 * is held until the penalty has decayed to {@code reuse}, and never longer than {@code maxHold}.
 * Penalty, suppress and reuse share one unit (only their ratios matter).
 *
 * @param enabled off = plain debounce, every change written one quiet window after it
 * @param penalty added by each change that would cost a write
 * @param halfLife time in which a penalty decays to half
 * @param suppress above this penalty an object is damped (at least {@code penalty}, so one change never is)
 * @param reuse a damped object is released once its penalty has decayed to this (below {@code suppress})
 * @param maxHold the longest a damped object is held, however much it keeps flapping
 */
public record DampingSettings(
    boolean enabled, double penalty, Duration halfLife, double suppress, double reuse, Duration maxHold) {

  /** No damping: the debounce of before damping existed. */
  public static final DampingSettings OFF =
      new DampingSettings(false, 1, Duration.ofMinutes(1), 4, 2, Duration.ofMinutes(10));

  /**
   * The highest penalty kept (RFC 2439's ceiling): from it, the penalty decays to {@code reuse}
   * in exactly {@code maxHold}, so an object that stops flapping is released within that.
   */
  public double ceiling() {
    return reuse * StrictMath.pow(2, (double) maxHold.toNanos() / halfLife.toNanos());
  }

  static DampingSettings from(Config c, Problems p) {
    boolean enabled = p.bool(c, "enabled");
    Double penalty = p.number(c, "penalty");
    Duration halfLife = p.duration(c, "half-life");
    Double suppress = p.number(c, "suppress");
    Double reuse = p.number(c, "reuse");
    Duration maxHold = p.duration(c, "max-hold");
    if (penalty != null && !(penalty > 0)) {
      p.add(c, "penalty", "debounce.damping.penalty (" + num(penalty) + ") must be positive");
    }
    if (halfLife != null && halfLife.isZero()) {
      p.add(c, "half-life", "debounce.damping.half-life must be positive");
    }
    if (maxHold != null && maxHold.isZero()) {
      p.add(c, "max-hold", "debounce.damping.max-hold must be positive");
    }
    if (reuse != null && !(reuse > 0)) {
      p.add(c, "reuse", "debounce.damping.reuse (" + num(reuse) + ") must be positive");
    }
    if (suppress != null && reuse != null && !(suppress > reuse)) {
      p.add(c, "suppress", "debounce.damping.suppress (" + num(suppress) + ") must be above debounce.damping.reuse (" + num(reuse)
          + "): a damped object is released once its penalty has decayed to reuse");
    }
    if (suppress != null && penalty != null && suppress < penalty) {
      p.add(c, "suppress", "debounce.damping.suppress (" + num(suppress) + ") must not be below debounce.damping.penalty ("
          + num(penalty) + "): one change of a quiet object would be damped");
    }
    if (penalty == null || halfLife == null || suppress == null || reuse == null || maxHold == null) {
      return OFF; // reported; never used
    }
    return new DampingSettings(enabled, penalty, halfLife, suppress, reuse, maxHold);
  }

  /** 4 rather than 4.0, as a user writes it. */
  private static String num(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }
}
