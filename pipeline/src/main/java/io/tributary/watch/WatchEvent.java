package io.tributary.watch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.kind.ResourceKind;
import java.util.Objects;

/**
 * One change of one watched object, as an informer (or the event-log reader) reports it.
 *
 * <p>For {@link EventType#SYNCED} the key names only cluster and kind and {@code object} is null.
 * For DELETED, {@code object} is the last known state (may be null in hand-written logs).
 */
public record WatchEvent(ObjectKey key, EventType type, String resourceVersion, ObjectNode object) {

  public WatchEvent {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(type, "type");
  }

  /** The marker that ends the initial list of {@code kind} (every API group) in {@code cluster}. */
  public static WatchEvent synced(String cluster, String kind) {
    return new WatchEvent(new ObjectKey(cluster, kind, "", ""), EventType.SYNCED, null, null);
  }

  /**
   * The marker from which configuration {@code version} applies: each stage switches to it when the
   * marker passes, so every event before it is handled with the old configuration and every event
   * after it with the new one. Markers share one key, so two reloads queued together coalesce
   * into the newer one.
   */
  public static WatchEvent reconfigured(long version) {
    return new WatchEvent(new ObjectKey("", "", "", ""), EventType.RECONFIGURED, String.valueOf(version), null);
  }

  /** True for a {@link #reconfigured} marker. */
  public boolean isReconfigured() {
    return type == EventType.RECONFIGURED;
  }

  /** The configuration version a {@link #reconfigured} marker names. */
  public long configVersion() {
    if (!isReconfigured()) {
      throw new IllegalStateException("not a reconfiguration marker: " + this);
    }
    return Long.parseLong(resourceVersion);
  }

  /** Builds an event from a Kubernetes object's own metadata. */
  public static WatchEvent of(String cluster, EventType type, ObjectNode object) {
    var meta = object.path("metadata");
    var key =
        new ObjectKey(
            cluster,
            ResourceKind.keyKind(object.path("apiVersion").asText(""), object.path("kind").asText("")),
            meta.path("namespace").asText(""),
            meta.path("name").asText(""));
    return new WatchEvent(key, type, meta.path("resourceVersion").asText(null), object);
  }

  public boolean isSynced() {
    return type == EventType.SYNCED;
  }
}
