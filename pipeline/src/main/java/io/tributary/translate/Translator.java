package io.tributary.translate;

import io.tributary.kind.ResourceKind;
import io.tributary.settings.Globs;
import io.tributary.settings.TranslateSettings;
import io.tributary.settings.TributarySettings;
import io.tributary.watch.EventType;
import io.tributary.watch.ObjectKey;
import io.tributary.watch.WatchEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;

/** Chooses the translator for an object's kind. Pure. */
public final class Translator {

  /** Kinds that produce routes (the sync barrier also waits for the Gateway API kinds: {@link ResourceKind#syncKindNames()}). */
  public static final Set<String> KINDS = ResourceKind.routeKindNames();

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
      ResourceKind kind = ResourceKind.ofKey(key.kind()).orElse(null);
      Translation t = kind == null ? notTranslated(key) : switch (kind) {
        // an nginx-class Ingress is read with its NGINX annotations too
        case INGRESS -> NginxAnnotations.apply(key, object, IngressTranslator.translate(key, object, settings), settings);
        case INGRESS_ROUTE -> IngressRouteTranslator.translate(key, object, settings);
        case SERVICE -> ServiceTranslator.translate(key, object, settings);
        // Middlewares and TraefikServices take effect through the routes that name them; Nodes carry endpoints
        case MIDDLEWARE, TRAEFIK_SERVICE, NODE -> new Translation.Accepted(List.of(), List.of());
        // an HTTPRoute's routes depend on its Gateways and ReferenceGrants: translated where those
        // are known, when planned (translateHttpRoute); Gateways, ReferenceGrants and Namespaces act through it
        case GATEWAY, HTTP_ROUTE, REFERENCE_GRANT, NAMESPACE -> new Translation.Accepted(List.of(), List.of());
        case VM_BACKENDS -> notTranslated(key);
      };
      return t instanceof Translation.Accepted a && !a.routes().isEmpty() ? OwnAnnotations.apply(object, a, settings) : t;
    } catch (RuntimeException | StackOverflowError e) {
      // a StackOverflowError too: a pathologically deep object must cost its own routes, not stop
      // the stream (the stack is unwound by now, nothing else is affected)
      return new Translation.Rejected("could not be translated (" + e + "); please report this as a Tributary bug");
    }
  }

  /**
   * Translates one HTTPRoute against its cluster's Gateways and ReferenceGrants, with Tributary's own
   * annotations and tenancy applied as for every kind. Never throws (as {@link #translate}).
   */
  public static Translation translateHttpRoute(
      ObjectKey key, ObjectNode object, GatewayApi.Parents parents, TributarySettings settings) {
    if (object == null) {
      return new Translation.Rejected("event carries no object");
    }
    Translation t;
    try {
      t = HttpRouteTranslator.translate(key, object, parents, settings.translate());
      if (t instanceof Translation.Accepted a && !a.routes().isEmpty()) {
        t = OwnAnnotations.apply(object, a, settings.translate());
      }
    } catch (RuntimeException | StackOverflowError e) {
      return new Translation.Rejected("could not be translated (" + e + "); please report this as a Tributary bug");
    }
    return t instanceof Translation.Accepted a ? tenancy(key, a, settings) : t;
  }

  private static Translation notTranslated(ObjectKey key) {
    return new Translation.Ignored("kind " + key.kind() + " is not translated");
  }

  /**
   * Pairs a debounced event with its translation, tenancy enforced: a route claiming a hostname
   * outside its cluster's {@code allowed-hosts} or its namespace's {@code namespace-hosts} rejects
   * the object. Deletes and markers need no translation.
   */
  public static TranslatedEvent translated(WatchEvent event, TributarySettings settings) {
    boolean live = event.type() == EventType.ADDED || event.type() == EventType.MODIFIED;
    if (!live) {
      return new TranslatedEvent(event, null);
    }
    Translation t = translate(event.key(), event.object(), settings.translate());
    if (t instanceof Translation.Accepted a) {
      t = tenancy(event.key(), a, settings);
    }
    return new TranslatedEvent(event, t);
  }

  private static Translation tenancy(ObjectKey key, Translation.Accepted accepted, TributarySettings settings) {
    var cluster = settings.clusters().get(key.cluster());
    List<String> clusterHosts = cluster == null ? List.of() : cluster.allowedHosts();
    List<String> namespaceHosts = settings.translate().namespaceHosts().getOrDefault(key.namespace(), List.of());
    var problems = new java.util.TreeSet<String>();
    for (Route r : accepted.routes()) {
      var hosts = new java.util.TreeSet<>(r.dnsHosts());
      if (!r.host().isEmpty()) {
        hosts.add(r.host());
      }
      for (String h : hosts) {
        if (!Globs.allowed(clusterHosts, h)) {
          problems.add("host " + h + " is not allowed in cluster " + key.cluster() + " (allowed-hosts " + clusterHosts + ")");
        }
        if (!Globs.allowed(namespaceHosts, h)) {
          problems.add("host " + h + " is not allowed for namespace " + key.namespace() + " (namespace-hosts " + namespaceHosts + ")");
        }
      }
    }
    return problems.isEmpty() ? accepted : new Translation.Rejected(String.join("; ", problems));
  }
}
