package io.tributary.translate;

import io.tributary.diff.TranslatedEvent;
import io.tributary.settings.TranslateSettings;
import io.tributary.watch.EventType;
import io.tributary.watch.ObjectKey;
import io.tributary.watch.WatchEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;

/** Chooses the translator for an object's kind. Pure. */
public final class Translator {

  /** Kinds that produce routes; a cluster is synced once each of these it watches has listed. */
  public static final Set<String> KINDS = Set.of("Ingress", "IngressRoute", "Service");

  private Translator() {}

  /**
   * Translates one object of any kind. Never throws: an unexpected failure on one object (a shape
   * nobody anticipated, or a bug) rejects that object instead of stopping routing for everyone.
   */
  public static Translation translate(ObjectKey key, ObjectNode object, TranslateSettings settings) {
    if (object == null) {
      return new Translation.Rejected("event carries no object");
    }
    try {
      Translation t = switch (key.kind()) {
        case "Ingress" -> IngressTranslator.translate(key, object, settings);
        case "IngressRoute", "IngressRoute.traefik.containo.us" -> IngressRouteTranslator.translate(key, object, settings);
        case "Service" -> ServiceTranslator.translate(key, object, settings);
        // Middlewares take effect through the routes that reference them; Nodes carry endpoints
        case "Middleware", "Middleware.traefik.containo.us", "Node" -> new Translation.Accepted(List.of(), List.of());
        default -> new Translation.Ignored("kind " + key.kind() + " is not translated");
      };
      return t instanceof Translation.Accepted a && !a.routes().isEmpty() ? OwnAnnotations.apply(object, a, settings) : t;
    } catch (RuntimeException e) {
      return new Translation.Rejected("could not be translated (" + e + "); please report this as a Tributary bug");
    }
  }

  /** Pairs a debounced event with its translation; deletes and markers need none. */
  public static TranslatedEvent translated(WatchEvent event, TranslateSettings settings) {
    boolean live = event.type() == EventType.ADDED || event.type() == EventType.MODIFIED;
    return new TranslatedEvent(event, live ? translate(event.key(), event.object(), settings) : null);
  }
}
