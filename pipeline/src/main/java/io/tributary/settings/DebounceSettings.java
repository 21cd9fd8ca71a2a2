package io.tributary.settings;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * {@code tributary.debounce}: emit an object once it is quiet for {@code quiet}, but no later than
 * {@code maxDelay} after its first pending change; an object that keeps flapping slower than that
 * is held by {@code damping}.
 */
public record DebounceSettings(Duration quiet, Duration maxDelay, DampingSettings damping) {

  /** Debounce without damping. */
  public DebounceSettings(Duration quiet, Duration maxDelay) {
    this(quiet, maxDelay, DampingSettings.OFF);
  }

  /** The longest an object can stay in the stage after its last change: a window, or a damping hold. */
  public Duration longestHold() {
    Duration window = maxDelay.compareTo(quiet) >= 0 ? maxDelay : quiet;
    return damping.enabled() && damping.maxHold().compareTo(window) > 0 ? damping.maxHold() : window;
  }

  static DebounceSettings from(Config c, Problems p) {
    var quiet = p.duration(c, "quiet");
    var maxDelay = p.duration(c, "max-delay");
    if (quiet != null && maxDelay != null && maxDelay.compareTo(quiet) < 0) {
      p.add(c, "max-delay", "debounce.max-delay (" + maxDelay + ") must not be shorter than debounce.quiet (" + quiet + ")");
    }
    var damping = DampingSettings.from(p.block(c, "damping"), p.under("damping"));
    return new DebounceSettings(quiet, maxDelay, damping);
  }
}
