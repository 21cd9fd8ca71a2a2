package io.tributary.watch;

/** What happened to a watched object; SYNCED marks the end of an informer's initial list. */
public enum EventType {
  ADDED,
  MODIFIED,
  DELETED,
  SYNCED
}
