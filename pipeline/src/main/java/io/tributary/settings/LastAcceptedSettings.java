package io.tributary.settings;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * {@code tributary.last-accepted}: the file where the running service keeps the last accepted routes
 * of every object, so that after a restart an object that is still rejected keeps routing instead
 * of being withdrawn once every cluster has synced. Restart-only.
 *
 * @param path the file; null = off (the last accepted routes live in the running process only)
 * @param writeInterval the file is written at most this often while routes change (and once more
 *     on a clean shutdown)
 */
public record LastAcceptedSettings(String path, Duration writeInterval) {

  /** True when the last accepted routes are kept in a file. */
  public boolean enabled() {
    return path != null;
  }

  static LastAcceptedSettings from(Config c, Problems p) {
    String path = p.optionalString(c, "path", null);
    Duration every = p.duration(c, "write-interval");
    if (every != null && every.isZero()) {
      p.add(c, "write-interval", "last-accepted.write-interval must be positive (e.g. 5s)");
    }
    return new LastAcceptedSettings(path, every == null || every.isNegative() || every.isZero() ? Duration.ofSeconds(5) : every);
  }
}
