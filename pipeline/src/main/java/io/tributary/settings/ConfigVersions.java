package io.tributary.settings;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The configurations a running pipeline has been given, by version (the first is 0). A reload adds
 * one and puts a RECONFIGURED marker naming it into the stream; each stage looks the version up
 * when the marker reaches it. Thread-safe; only recent versions are kept, since a marker is handled
 * within moments of being queued.
 */
public final class ConfigVersions {
  private static final int KEEP = 64;

  private final Map<Long, TributarySettings> byVersion = new ConcurrentHashMap<>();
  private long latest;

  public ConfigVersions(TributarySettings initial) {
    byVersion.put(0L, initial);
  }

  /** Adds {@code settings} as the next version; answers that version. */
  public synchronized long add(TributarySettings settings) {
    latest++;
    byVersion.put(latest, settings);
    byVersion.remove(latest - KEEP);
    return latest;
  }

  /** The settings of {@code version}. */
  public TributarySettings get(long version) {
    TributarySettings s = byVersion.get(version);
    if (s == null) {
      throw new IllegalStateException("configuration version " + version + " is unknown or too old");
    }
    return s;
  }

  /** The newest version. */
  public synchronized long latest() {
    return latest;
  }
}
