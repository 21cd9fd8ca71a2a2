package io.tributary.settings;

import io.tributary.target.Target;
import java.util.Map;
import java.util.Set;
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
  private final Map<Long, Set<Target>> rewiredByVersion = new ConcurrentHashMap<>();
  private long latest;

  public ConfigVersions(TributarySettings initial) {
    byVersion.put(0L, initial);
  }

  /** Adds {@code settings} as the next version, no writer started anew; answers that version. */
  public synchronized long add(TributarySettings settings) {
    return add(settings, Set.of());
  }

  /** Adds {@code settings} as the next version, whose {@code rewired} targets got new writers. */
  public synchronized long add(TributarySettings settings, Set<Target> rewired) {
    latest++;
    byVersion.put(latest, settings);
    rewiredByVersion.put(latest, Set.copyOf(rewired));
    byVersion.remove(latest - KEEP);
    rewiredByVersion.remove(latest - KEEP);
    return latest;
  }

  /** The targets whose writers were started anew for {@code version}. */
  public Set<Target> rewired(long version) {
    return rewiredByVersion.getOrDefault(version, Set.of());
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
