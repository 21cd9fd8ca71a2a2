package io.tributary.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.kind.ResourceKind;
import io.tributary.watch.ObjectKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Gateway API objects an HTTPRoute is translated against — Gateways (their class and listeners)
 * and ReferenceGrants — read from their JSON into immutable records. Pure.
 *
 * <p>Reading never fails: a shape the Gateway API's own validation would refuse yields a listener
 * that accepts nothing (with the reason), so a broken Gateway withdraws its routes with a note
 * instead of stopping anything.
 */
public final class GatewayApi {
  /** The group of HTTPRoute, Gateway and ReferenceGrant. */
  public static final String GROUP = ResourceKind.GATEWAY_API_GROUP;
  /** The label every namespace carries with its own name (Kubernetes ≥ 1.22): the one namespace label Tributary can evaluate. */
  static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

  private GatewayApi() {}

  /**
   * One listener of a Gateway, as far as HTTPRoutes care.
   *
   * @param hostname lower-case, possibly a wildcard ({@code *.example.com}); "" accepts every hostname
   * @param tls HTTPS (TLS terminated at the Gateway)
   * @param refusesHttpRoutes why no HTTPRoute attaches to it (its protocol or allowedRoutes.kinds), or null
   * @param from allowedRoutes.namespaces.from: {@code Same}, {@code All} or {@code Selector}
   * @param namespaces for {@code Selector}: the namespaces it selects by {@code kubernetes.io/metadata.name}
   * @param selectorProblem for {@code Selector}: why Tributary cannot evaluate it (other labels), or null
   */
  public record Listener(
      String name, int port, boolean tls, String hostname, String refusesHttpRoutes, String from, Set<String> namespaces,
      String selectorProblem) {
    public Listener {
      namespaces = Set.copyOf(namespaces);
    }

    /** Why an HTTPRoute of {@code routeNamespace} may not attach to this listener of a Gateway in {@code gatewayNamespace}, or null. */
    String refuses(String routeNamespace, String gatewayNamespace) {
      if (refusesHttpRoutes != null) {
        return refusesHttpRoutes;
      }
      return switch (from) {
        case "All" -> null;
        case "Selector" -> selectorProblem != null ? selectorProblem
            : namespaces.contains(routeNamespace) ? null
            : "its allowedRoutes selector does not select namespace " + routeNamespace;
        default -> routeNamespace.equals(gatewayNamespace) ? null
            : "it allows routes of its own namespace " + gatewayNamespace + " only (allowedRoutes.namespaces.from: Same)";
      };
    }
  }

  /** A Gateway: its class and listeners. */
  public record Gateway(String namespace, String name, String className, List<Listener> listeners) {
    public Gateway {
      listeners = List.copyOf(listeners);
    }

    /** {@code namespace/name}, as notes show it. */
    public String shown() {
      return namespace + "/" + name;
    }
  }

  /**
   * One ReferenceGrant: which namespaces' objects of which kinds may refer to which objects of its
   * own namespace.
   */
  public record Grant(String namespace, String name, List<From> from, List<To> to) {
    public Grant {
      from = List.copyOf(from);
      to = List.copyOf(to);
    }

    /** {@code spec.from[]}: a group, kind and namespace that may refer. */
    public record From(String group, String kind, String namespace) {}

    /** {@code spec.to[]}: a group and kind (and optionally one name) that may be referred to. */
    public record To(String group, String kind, String name) {}

    /** Whether it lets HTTPRoutes of {@code routeNamespace} name Service {@code service} of its namespace. */
    boolean allowsServiceFrom(String routeNamespace, String service) {
      boolean fromOk = from.stream().anyMatch(f -> f.group().equals(GROUP) && f.kind().equals("HTTPRoute")
          && f.namespace().equals(routeNamespace));
      boolean toOk = to.stream().anyMatch(t -> t.group().isEmpty() && t.kind().equals("Service")
          && (t.name().isEmpty() || t.name().equals(service)));
      return fromOk && toOk;
    }
  }

  /** What the HTTPRoutes of one cluster are translated against: that cluster's Gateways and ReferenceGrants. */
  public interface Parents {
    /** The Gateway {@code namespace/name} of the route's cluster, or null if there is none. */
    Gateway gateway(String namespace, String name);

    /** The ReferenceGrants of {@code namespace} in the route's cluster, in name order. */
    List<Grant> grants(String namespace);

    /**
     * Whether the cluster's Gateways have listed (their SYNCED marker, or the sync barrier open), so
     * that a Gateway not known is missing rather than not delivered yet.
     */
    default boolean gatewaysListed() {
      return true;
    }
  }

  /** Reads a Gateway. */
  public static Gateway gateway(ObjectKey key, ObjectNode object) {
    JsonNode spec = object.path("spec");
    List<Listener> listeners = new ArrayList<>();
    List<JsonNode> list = HttpRouteTranslator.items(spec.path("listeners"));
    for (int i = 0; i < list.size(); i++) {
      listeners.add(listener(list.get(i), i));
    }
    return new Gateway(key.namespace(), key.name(), spec.path("gatewayClassName").asText(""), listeners);
  }

  private static Listener listener(JsonNode l, int index) {
    String name = l.path("name").asText("listeners[" + index + "]");
    String protocol = l.path("protocol").asText("");
    String refuses = null;
    if (!protocol.equals("HTTP") && !protocol.equals("HTTPS")) {
      refuses = "its protocol is " + (protocol.isEmpty() ? "not set" : protocol) + ", and HTTPRoutes attach to HTTP and HTTPS listeners only";
    }
    JsonNode kinds = l.path("allowedRoutes").path("kinds");
    if (refuses == null && kinds.isArray() && !kinds.isEmpty()) {
      boolean http = false;
      for (JsonNode k : kinds) {
        http |= k.path("kind").asText("").equals("HTTPRoute") && k.path("group").asText(GROUP).equals(GROUP);
      }
      if (!http) {
        refuses = "its allowedRoutes.kinds does not name HTTPRoute";
      }
    }
    JsonNode ns = l.path("allowedRoutes").path("namespaces");
    String from = ns.path("from").asText("Same");
    Set<String> selected = new TreeSet<>();
    String selectorProblem = null;
    JsonNode selector = ns.path("selector");
    if (from.equals("Selector") && selector.path("matchLabels").isEmpty() && selector.path("matchExpressions").isEmpty()) {
      from = "All"; // an empty label selector selects every namespace, as everywhere in Kubernetes
    } else if (from.equals("Selector")) {
      selectorProblem = selected(selector, selected);
    } else if (!from.equals("Same") && !from.equals("All")) {
      refuses = refuses != null ? refuses : "its allowedRoutes.namespaces.from '" + from + "' is not Same, All or Selector";
    }
    String hostname = l.path("hostname").asText("").toLowerCase(Locale.ROOT);
    return new Listener(name, l.path("port").asInt(0), protocol.equals("HTTPS"), hostname, refuses, from, selected, selectorProblem);
  }

  /**
   * The namespaces a listener's selector selects by {@code kubernetes.io/metadata.name} into
   * {@code out}; a selector on any other label cannot be evaluated (Tributary does not watch
   * Namespaces), and the reason is answered: attaching routes it may not select would let them claim
   * hostnames the Gateway's owner did not grant.
   */
  private static String selected(JsonNode selector, Set<String> out) {
    JsonNode labels = selector.path("matchLabels");
    JsonNode expressions = selector.path("matchExpressions");
    Set<String> candidates = null;
    for (var it = labels.fields(); it.hasNext(); ) {
      var e = it.next();
      if (!e.getKey().equals(NAMESPACE_NAME_LABEL)) {
        return unevaluable(e.getKey());
      }
      candidates = intersect(candidates, Set.of(e.getValue().asText("")));
    }
    for (JsonNode e : expressions) {
      String label = e.path("key").asText("");
      if (!label.equals(NAMESPACE_NAME_LABEL) || !e.path("operator").asText("").equals("In")) {
        return unevaluable(label + " " + e.path("operator").asText(""));
      }
      Set<String> values = new TreeSet<>();
      e.path("values").forEach(v -> values.add(v.asText("")));
      candidates = intersect(candidates, values);
    }
    if (candidates != null) {
      out.addAll(candidates);
    }
    return null;
  }

  private static Set<String> intersect(Set<String> a, Set<String> b) {
    if (a == null) {
      return new TreeSet<>(b);
    }
    a.retainAll(b);
    return a;
  }

  private static String unevaluable(String label) {
    return "its allowedRoutes selector uses namespace label '" + label + "', which Tributary cannot evaluate (it does not"
        + " watch Namespaces); only " + NAMESPACE_NAME_LABEL + " (matchLabels, or matchExpressions with In) is read";
  }

  /** Reads a ReferenceGrant (v1beta1 or v1: the same shape). */
  public static Grant referenceGrant(ObjectKey key, ObjectNode object) {
    JsonNode spec = object.path("spec");
    List<Grant.From> from = new ArrayList<>();
    spec.path("from").forEach(f -> from.add(new Grant.From(f.path("group").asText(""), f.path("kind").asText(""),
        f.path("namespace").asText(""))));
    List<Grant.To> to = new ArrayList<>();
    spec.path("to").forEach(t -> to.add(new Grant.To(t.path("group").asText(""), t.path("kind").asText(""),
        t.path("name").asText(""))));
    return new Grant(key.namespace(), key.name(), from, to);
  }

  /** Whether a ReferenceGrant among {@code grants} (of the Service's namespace) lets HTTPRoutes of {@code routeNamespace} name {@code service}. */
  static boolean allowed(List<Grant> grants, String routeNamespace, String service) {
    return grants.stream().anyMatch(g -> g.allowsServiceFrom(routeNamespace, service));
  }

  /**
   * The hostname a request must carry to match both a route hostname and a listener hostname, or
   * null if none can: the Gateway API's intersection, where {@code *.example.com} matches any
   * hostname ending in {@code .example.com} — {@code a.example.com}, {@code a.b.example.com},
   * {@code *.b.example.com} — but not {@code example.com}. A listener without hostname accepts
   * every route hostname.
   */
  public static String intersect(String routeHostname, String listenerHostname) {
    if (listenerHostname.isEmpty() || routeHostname.equals(listenerHostname)) {
      return routeHostname;
    }
    if (routeHostname.isEmpty()) {
      return listenerHostname;
    }
    if (listenerHostname.startsWith("*.") && suffixCovers(listenerHostname, routeHostname)) {
      return routeHostname;
    }
    if (routeHostname.startsWith("*.") && suffixCovers(routeHostname, listenerHostname)) {
      return listenerHostname;
    }
    return null;
  }

  private static boolean suffixCovers(String wildcard, String host) {
    String suffix = wildcard.substring(1); // ".example.com"
    return host.endsWith(suffix) && host.length() > suffix.length();
  }
}
