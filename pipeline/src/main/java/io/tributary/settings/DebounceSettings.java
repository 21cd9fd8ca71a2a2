package io.tributary.settings;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * {@code tributary.debounce}: emit an object once it is quiet for {@code quiet}, but no later than
 * {@code maxDelay} after its first pending change.
 */
public record DebounceSettings(Duration quiet, Duration maxDelay) {

  static DebounceSettings from(Config c, Problems p) {
    var quiet = p.duration(c, "quiet");
    var maxDelay = p.duration(c, "max-delay");
    if (quiet != null && maxDelay != null && maxDelay.compareTo(quiet) < 0) {
      p.add(c, "max-delay", "debounce.max-delay (" + maxDelay + ") must not be shorter than debounce.quiet (" + quiet + ")");
    }
    return new DebounceSettings(quiet, maxDelay);
  }
}
