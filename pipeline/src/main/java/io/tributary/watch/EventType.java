package io.tributary.watch;

/**
 * What happened to a watched object; SYNCED marks the end of an informer's initial list and
 * RECONFIGURED the point in the stream from which a reloaded configuration applies.
 */
public enum EventType {
  ADDED,
  MODIFIED,
  DELETED,
  SYNCED,
  RECONFIGURED
}
