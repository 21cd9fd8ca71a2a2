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
