package io.tributary.eventlog;

/**
 * The {@code type} of an event-log line: the four watch types, then the scenario types a
 * simulator scenario may add (config reloads, target faults, cluster loss).
 */
public enum LogEventType {
  ADDED,
  MODIFIED,
  DELETED,
  SYNCED,
  CONFIG,
  TARGET_DOWN,
  TARGET_UP,
  CLUSTER_LOST,
  CLUSTER_BACK;

  /** True for the types an informer produces. */
  public boolean isWatch() {
    return ordinal() <= SYNCED.ordinal();
  }
}
