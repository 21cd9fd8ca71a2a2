package io.tributary.settings;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * {@code tributary.watch}: how failed cluster watches are retried, how stalled ones are detected,
 * and how long a removed cluster's records survive it.
 *
 * @param minBackoff first retry delay after a watch failed (credentials refused, API server down)
 * @param maxBackoff retry delays double up to this (with 20% jitter)
 * @param removalGrace after a cluster is removed from the config, its records are withdrawn only
 *     after this delay — a cluster re-added meanwhile (a config mistake undone) loses nothing
 * @param stallCheckInterval how often each informer is checked for a watch that has stopped
 *     delivering while the API server has newer versions of its kind; zero turns the check off
 */
public record WatchSettings(Duration minBackoff, Duration maxBackoff, Duration removalGrace, Duration stallCheckInterval) {

  /** Default stall check interval, as in {@code reference.conf}. */
  public static final Duration DEFAULT_STALL_CHECK_INTERVAL = Duration.ofSeconds(60);

  /** Settings with the default stall check interval. */
  public WatchSettings(Duration minBackoff, Duration maxBackoff, Duration removalGrace) {
    this(minBackoff, maxBackoff, removalGrace, DEFAULT_STALL_CHECK_INTERVAL);
  }

  static WatchSettings from(Config c, Problems p) {
    var min = p.duration(c, "min-backoff");
    var max = p.duration(c, "max-backoff");
    if (min != null && max != null && max.compareTo(min) < 0) {
      p.add(c, "max-backoff", "watch.max-backoff must not be shorter than watch.min-backoff");
    }
    if (min != null && min.isZero()) {
      p.add(c, "min-backoff", "watch.min-backoff must be positive (a zero backoff hammers a refusing API server)");
    }
    return new WatchSettings(min, max, p.duration(c, "removal-grace"), p.duration(c, "stall-check-interval"));
  }
}
