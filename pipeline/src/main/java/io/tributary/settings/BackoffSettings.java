package io.tributary.settings;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * A restart backoff block ({@code min-backoff}, {@code max-backoff}, {@code random-factor}), such as
 * {@code tributary.writer.restart}: the first wait, doubling up to the longest, plus jitter.
 *
 * @param minBackoff first wait before a restart
 * @param maxBackoff longest wait: the waits double up to it
 * @param randomFactor jitter added to each wait (0 to 1), so several actors do not restart in lockstep
 */
public record BackoffSettings(Duration minBackoff, Duration maxBackoff, double randomFactor) {

  /** The block at {@code c} (shown as {@code path} in problems). */
  static BackoffSettings from(Config c, Problems p, String path) {
    var min = p.duration(c, "min-backoff");
    var max = p.duration(c, "max-backoff");
    if (min != null && max != null && (min.isZero() || max.compareTo(min) < 0)) {
      p.add(c, "min-backoff", path + ": min-backoff must be positive and max-backoff at least min-backoff");
    }
    Double random = p.number(c, "random-factor");
    if (random != null && (random < 0 || random > 1)) {
      p.add(c, "random-factor", path + ".random-factor must be between 0 and 1");
    }
    return new BackoffSettings(min, max, random == null ? 0 : random);
  }
}
