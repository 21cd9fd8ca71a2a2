package io.tributary.settings;

import com.typesafe.config.Config;

/**
 * {@code tributary.record-to}: tee every watched event of a running service to a rotating event
 * log, so an incident can be replayed later.
 *
 * @param path the live log file; null = recording is off. Rotated files get {@code .1}, {@code .2}…
 * @param maxBytes rotate once the live file (as written, compressed if .gz) exceeds this
 * @param keep rotated files kept besides the live one
 */
public record RecordSettings(String path, long maxBytes, int keep) {

  public boolean enabled() {
    return path != null;
  }

  static RecordSettings from(Config c, Problems p) {
    String path = p.optionalString(c, "path", null);
    Long max = p.bytes(c, "max-bytes");
    Integer keep = p.integer(c, "keep");
    if (max != null && max < 1024) {
      p.add(c, "max-bytes", "record-to.max-bytes must be at least 1KiB");
    }
    if (keep != null && keep < 0) {
      p.add(c, "keep", "record-to.keep must not be negative");
    }
    return new RecordSettings(path, max == null ? 1024 : max, Problems.or(keep, 0));
  }
}
