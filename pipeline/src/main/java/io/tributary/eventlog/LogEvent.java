package io.tributary.eventlog;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.watch.EventType;
import io.tributary.watch.WatchEvent;
import java.time.Instant;
import java.util.Objects;

/**
 * One line of an event log.
 *
 * @param at when it happened; drives the simulator's virtual clock
 * @param cluster the cluster it came from (null for CONFIG and TARGET_* events)
 * @param type what happened
 * @param kind the object kind for SYNCED (for watch events it is read from {@code object})
 * @param object the full Kubernetes object for ADDED/MODIFIED/DELETED
 * @param config a HOCON fragment for CONFIG
 * @param target the target name for TARGET_DOWN/TARGET_UP
 */
public record LogEvent(
    Instant at,
    String cluster,
    LogEventType type,
    String kind,
    ObjectNode object,
    String config,
    String target) {

  public LogEvent {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(type, "type");
  }

  /** An ADDED, MODIFIED or DELETED line carrying {@code object}. */
  public static LogEvent watch(Instant at, String cluster, LogEventType type, ObjectNode object) {
    return new LogEvent(at, cluster, type, object.path("kind").asText(null), object, null, null);
  }

  /** The SYNCED marker of {@code kind} in {@code cluster}. */
  public static LogEvent synced(Instant at, String cluster, String kind) {
    return new LogEvent(at, cluster, LogEventType.SYNCED, kind, null, null, null);
  }

  /**
   * The line recording {@code event} (a watch event or SYNCED marker) at {@code at}, as the
   * recorder and the edge publisher write it: {@code managedFields} dropped, a delete known only
   * by key given a minimal object (kind + name identify it for replay).
   */
  public static LogEvent recorded(Instant at, WatchEvent event) {
    String cluster = event.key().cluster();
    if (event.isSynced()) {
      return synced(at, cluster, event.key().kind());
    }
    ObjectNode o = event.object();
    if (o == null) {
      o = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
      o.put("kind", event.key().kind());
      o.putObject("metadata").put("name", event.key().name()).put("namespace", event.key().namespace());
    } else if (o.path("metadata").has("managedFields")) {
      o = o.deepCopy();
      ((ObjectNode) o.get("metadata")).remove("managedFields");
    }
    return watch(at, cluster, LogEventType.valueOf(event.type().name()), o);
  }

  /** The watch event this line stands for; only valid when {@code type().isWatch()}. */
  public WatchEvent toWatchEvent() {
    return switch (type) {
      case SYNCED -> WatchEvent.synced(cluster, kind);
      case ADDED, MODIFIED, DELETED -> WatchEvent.of(cluster, EventType.valueOf(type.name()), object);
      default -> throw new IllegalStateException(type + " is not a watch event");
    };
  }
}
