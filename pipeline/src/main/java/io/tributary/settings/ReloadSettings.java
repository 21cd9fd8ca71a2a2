package io.tributary.settings;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * {@code tributary.reload}: how a running service notices that its configuration changed.
 *
 * @param checkInterval how often the config file and its includes are compared with what was
 *     loaded; zero = only on SIGHUP or an explicit request
 */
public record ReloadSettings(Duration checkInterval) {

  /** True if the files are looked at periodically. */
  public boolean watchesFiles() {
    return !checkInterval.isZero();
  }

  static ReloadSettings from(Config c, Problems p) {
    Duration every = p.duration(c, "check-interval");
    if (every != null && every.isNegative()) {
      p.add(c, "check-interval", "reload.check-interval must not be negative");
    }
    return new ReloadSettings(every == null || every.isNegative() ? Duration.ofSeconds(2) : every);
  }
}
