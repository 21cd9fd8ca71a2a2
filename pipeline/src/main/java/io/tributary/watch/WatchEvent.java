package io.tributary.watch;

import com.fasterxml.jackson.databind.node.ObjectNode;
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

  /** The marker that ends the initial list of {@code kind} in {@code cluster}. */
  public static WatchEvent synced(String cluster, String kind) {
    return new WatchEvent(new ObjectKey(cluster, kind, "", ""), EventType.SYNCED, null, null);
  }

  /** Builds an event from a Kubernetes object's own metadata. */
  public static WatchEvent of(String cluster, EventType type, ObjectNode object) {
    var meta = object.path("metadata");
    var key =
        new ObjectKey(
            cluster,
            keyKind(object),
            meta.path("namespace").asText(""),
            meta.path("name").asText(""));
    return new WatchEvent(key, type, meta.path("resourceVersion").asText(null), object);
  }

  /** API group of Traefik's CRDs before Traefik 2.10; still served beside traefik.io. */
  public static final String LEGACY_TRAEFIK_GROUP = "traefik.containo.us";

  /**
   * The kind part of an object's key: its kind, qualified with the group for the legacy Traefik
   * group, so {@code traefik.containo.us} and {@code traefik.io} objects of the same name (both
   * exist during a Traefik migration) never overwrite each other.
   */
  public static String keyKind(ObjectNode object) {
    String kind = object.path("kind").asText("");
    String apiVersion = object.path("apiVersion").asText("");
    return apiVersion.startsWith(LEGACY_TRAEFIK_GROUP + "/") ? kind + "." + LEGACY_TRAEFIK_GROUP : kind;
  }

  public boolean isSynced() {
    return type == EventType.SYNCED;
  }
}
