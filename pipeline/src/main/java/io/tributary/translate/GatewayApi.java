package io.tributary.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.kind.ResourceKind;
import io.tributary.watch.ObjectKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
  /**
   * The label the API server sets on every namespace to its own name (immutable, Kubernetes ≥ 1.22;
   * the Gateway API v1 needs a newer Kubernetes anyway): a selector reading only it is decided by the
   * namespace's name alone, without its Namespace.
   */
  static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

  private GatewayApi() {}

  /**
   * The labels of an HTTPRoute's namespace, as far as its cluster tells them: what a listener's
   * {@code allowedRoutes.namespaces.selector} is evaluated against.
   */
  public sealed interface NamespaceLabels {
    /**
     * The Namespace's labels; none for a namespace its cluster's Namespaces, listed, do not hold
     * (deleted, or its ADDED not delivered yet).
     */
    record Known(Map<String, String> labels) implements NamespaceLabels {
      public Known {
        labels = Map.copyOf(labels);
      }
    }

    /** The cluster's Namespaces have not listed yet and this one has not been seen: it may well have labels. */
    record NotListedYet() implements NamespaceLabels {}

    /** The cluster does not watch Namespaces: only {@value #NAMESPACE_NAME_LABEL} can be evaluated. */
    record NotWatched() implements NamespaceLabels {}
  }

  /**
   * One listener of a Gateway, as far as HTTPRoutes care.
   *
   * @param hostname lower-case, possibly a wildcard ({@code *.example.com}); "" accepts every hostname
   * @param tls HTTPS (TLS terminated at the Gateway)
   * @param refusesHttpRoutes why no HTTPRoute attaches to it (its protocol or allowedRoutes.kinds), or null
   * @param from allowedRoutes.namespaces.from: {@code Same}, {@code All} or {@code Selector}
   * @param selector for {@code Selector}: the namespaces' label selector; null if it is invalid
   * @param selectorProblem for {@code Selector}: why it selects nothing (invalid, or missing), or null
   */
  public record Listener(
      String name, int port, boolean tls, String hostname, String refusesHttpRoutes, String from, LabelSelector selector,
      String selectorProblem) {

    /** Whether routes attach through it by namespace labels other than the namespace's name (its selector needs the Namespace). */
    public boolean selectsByLabels() {
      return refusesHttpRoutes == null && from.equals("Selector") && selector != null
          && !Set.of(NAMESPACE_NAME_LABEL).containsAll(selector.keys());
    }

    /**
     * Whether it must wait for the labels of {@code routeNamespace} to answer a route of it: its
     * selector reads other labels than the name, and the Namespace is not known yet.
     */
    boolean waitsFor(NamespaceLabels labels) {
      return selectsByLabels() && labels instanceof NamespaceLabels.NotListedYet;
    }

    /**
     * Why an HTTPRoute of {@code routeNamespace} in {@code cluster} (the namespace's labels are {@code
     * labels}) may not attach to this listener of a Gateway in {@code gatewayNamespace}, or null.
     */
    String refuses(String cluster, String routeNamespace, String gatewayNamespace, NamespaceLabels labels) {
      if (refusesHttpRoutes != null) {
        return refusesHttpRoutes;
      }
      return switch (from) {
        case "All" -> null;
        case "Selector" -> selectorProblem != null ? selectorProblem : selects(cluster, routeNamespace, labels);
        default -> routeNamespace.equals(gatewayNamespace) ? null
            : "it allows routes of its own namespace " + gatewayNamespace + " only (allowedRoutes.namespaces.from: Same)";
      };
    }

    private String selects(String cluster, String routeNamespace, NamespaceLabels labels) {
      Map<String, String> known = new TreeMap<>();
      if (labels instanceof NamespaceLabels.Known k) {
        known.putAll(k.labels());
      } else if (selectsByLabels()) {
        Set<String> other = new TreeSet<>(selector.keys());
        other.remove(NAMESPACE_NAME_LABEL);
        return "its allowedRoutes selector reads namespace label " + String.join(", ", other) + ", and cluster " + cluster
            + " does not watch Namespaces (Namespace is not in clusters." + cluster + ".kinds); without them only "
            + NAMESPACE_NAME_LABEL + " can be evaluated";
      }
      known.put(NAMESPACE_NAME_LABEL, routeNamespace); // set by the API server on every namespace
      if (selector.matches(known)) {
        return null;
      }
      if (!selectsByLabels()) {
        return "its allowedRoutes selector does not select namespace " + routeNamespace;
      }
      known.remove(NAMESPACE_NAME_LABEL);
      return "its allowedRoutes selector " + shown(selector) + " does not select namespace " + routeNamespace
          + (known.isEmpty() ? " (no labels besides its name)" : " (labels " + known + ")");
    }
  }

  /** A selector as a note shows it, in kubectl's words ({@code a=b,c in (d),!e}). */
  static String shown(LabelSelector selector) {
    List<String> parts = new ArrayList<>();
    new TreeMap<>(selector.matchLabels()).forEach((k, v) -> parts.add(k + "=" + v));
    for (LabelSelector.Requirement r : selector.matchExpressions()) {
      parts.add(switch (r.operator()) {
        case IN -> r.key() + " in (" + String.join(",", new TreeSet<>(r.values())) + ")";
        case NOT_IN -> r.key() + " notin (" + String.join(",", new TreeSet<>(r.values())) + ")";
        case EXISTS -> r.key();
        case DOES_NOT_EXIST -> "!" + r.key();
      });
    }
    return String.join(",", parts);
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

    /** The labels of {@code namespace} in the route's cluster, as far as known. */
    default NamespaceLabels namespaceLabels(String namespace) {
      return new NamespaceLabels.NotWatched();
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
    LabelSelector selector = null;
    String selectorProblem = null;
    if (from.equals("Selector")) {
      JsonNode node = ns.path("selector");
      List<String> problems = new ArrayList<>();
      selector = node.isObject() ? LabelSelector.read(node, "allowedRoutes.namespaces.selector", problems) : null;
      if (!node.isObject()) {
        // the Gateway API requires a selector with Selector: without one, selecting every namespace
        // would let any namespace claim the listener's hostnames
        selectorProblem = "its allowedRoutes.namespaces.from is Selector but it has no selector; it selects no namespace";
      } else if (selector == null) {
        selectorProblem = "its " + String.join("; ", problems) + "; the selector selects no namespace";
      }
    } else if (!from.equals("Same") && !from.equals("All")) {
      refuses = refuses != null ? refuses : "its allowedRoutes.namespaces.from '" + from + "' is not Same, All or Selector";
    }
    String hostname = l.path("hostname").asText("").toLowerCase(Locale.ROOT);
    return new Listener(name, l.path("port").asInt(0), protocol.equals("HTTPS"), hostname, refuses, from, selector, selectorProblem);
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
