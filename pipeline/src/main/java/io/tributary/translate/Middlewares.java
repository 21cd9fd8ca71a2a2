package io.tributary.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.settings.TagSyntax;
import io.tributary.watch.ObjectKey;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Traefik Middleware objects (CRD, either API group) → what the VM-side Traefik needs to apply the
 * same middleware through Consul Catalog tags. Pure.
 *
 * <p>A route refers to a Middleware as {@code <namespace>-<name>@kubernetescrd}, Traefik's own
 * spelling (IngressRoute references are normalised to it). Only types whose whole configuration
 * is plain values are carried over; a type that needs a Kubernetes Secret or Service makes the
 * middleware unusable, and so any route using it. A {@code chain} is carried when all its members
 * are (resolved where the route is planned). A route is never published without one of its
 * middlewares: that could drop authentication or an IP allow list.
 */
public final class Middlewares {
  /** The provider suffix of a reference to a Kubernetes Middleware object. */
  public static final String KUBERNETES = "@kubernetescrd";

  /** Types carried over, by their lower-case Traefik name (ipWhiteList is ipAllowList's old name). */
  private static final Set<String> SUPPORTED = Set.of(
      "stripprefix", "stripprefixregex", "addprefix", "replacepath", "replacepathregex", "ipallowlist", "ipwhitelist",
      "headers", "redirectscheme", "redirectregex", "ratelimit", "inflightreq", "compress", "retry", "buffering",
      "contenttype", "circuitbreaker");

  /** Why the other known types cannot be: what they refer to exists only inside the cluster. */
  private static final Map<String, String> UNSUPPORTED = Map.of(
      "basicauth", "its users live in a Kubernetes Secret the VM-side Traefik cannot read",
      "digestauth", "its users live in a Kubernetes Secret the VM-side Traefik cannot read",
      "forwardauth", "its address is usually a cluster-internal service the VM-side Traefik cannot reach",
      "errors", "its error pages come from a Kubernetes Service",
      "passtlsclientcert", "client certificates of the cluster's TLS options do not reach the VM-side Traefik",
      "plugin", "plugins are installed per Traefik instance");

  /** Map-valued options whose keys are header names, kept as written. */
  private static final Set<String> HEADER_MAPS = Set.of("customrequestheaders", "customresponseheaders", "sslproxyheaders");

  private Middlewares() {}

  /**
   * One Middleware object's configuration.
   *
   * @param name {@code <namespace>-<name>}, how routes refer to it
   * @param type lower-case Traefik type; {@code ipallowlist} for either spelling
   * @param options lower-case option path (header names kept) → value, lists comma-joined, sorted
   * @param unusable why no route may use it, or null
   * @param members a chain's members as route references ({@code <namespace>-<name>@kubernetescrd},
   *     or another provider's name verbatim), in order; empty for every other type
   * @param config the type's configuration as the object spells it (lists and numbers kept), for
   *     Traefik's dynamic configuration, which unlike tags has real lists; empty for a chain or an
   *     unusable definition. A private copy: never changed once made
   */
  public record Definition(
      String name, String type, Map<String, String> options, String unusable, List<String> members, ObjectNode config) {
    public Definition {
      options = Map.copyOf(options);
      members = List.copyOf(members);
      config = config == null ? JsonNodeFactory.instance.objectNode() : config.deepCopy();
    }

    /** A chain, or a definition whose configuration is only known flattened. */
    public Definition(String name, String type, Map<String, String> options, String unusable, List<String> members) {
      this(name, type, options, unusable, members, null);
    }

    /** A definition of a type other than {@code chain}. */
    public Definition(String name, String type, Map<String, String> options, String unusable) {
      this(name, type, options, unusable, List.of());
    }

    /** True for a {@code chain}, whose members must be resolved before it can be carried. */
    public boolean isChain() {
      return type.equals("chain");
    }

    /** The Traefik type name in {@code syntax}'s dialect (v2 knows the allow list as ipWhiteList). */
    public String typeFor(TagSyntax syntax) {
      return type.equals("ipallowlist") && syntax == TagSyntax.V2 ? "ipwhitelist" : type;
    }
  }

  /** {@code <namespace>-<name>}: the name Traefik gives a Middleware object. */
  public static String nameOf(ObjectKey key) {
    return key.namespace() + "-" + key.name();
  }

  /** True if {@code ref} names a Kubernetes Middleware object. */
  public static boolean isKubernetes(String ref) {
    return ref.endsWith(KUBERNETES);
  }

  /** The Middleware name a Kubernetes reference names ({@code shop-auth@kubernetescrd} → {@code shop-auth}). */
  public static String referenced(String ref) {
    return ref.substring(0, ref.length() - KUBERNETES.length());
  }

  /** The reference to Middleware {@code name} of {@code namespace}. */
  public static String reference(String namespace, String name) {
    return namespace + "-" + name + KUBERNETES;
  }

  /**
   * {@code translate.middleware-map} ({@code <namespace>/<name>} → VM-side middleware) keyed by
   * the Traefik name routes use, {@code <namespace>-<name>}.
   */
  public static Map<String, String> byTraefikName(Map<String, String> middlewareMap) {
    Map<String, String> byName = new TreeMap<>();
    middlewareMap.forEach((key, target) -> byName.put(key.replaceFirst("/", "-"), target));
    return byName;
  }

  /** The configuration of a Middleware object. */
  public static Definition define(ObjectKey key, ObjectNode object) {
    String name = nameOf(key);
    JsonNode spec = object.path("spec");
    List<String> types = new ArrayList<>();
    spec.fieldNames().forEachRemaining(types::add);
    if (types.size() != 1) {
      return new Definition(name, "", Map.of(), "spec must hold exactly one middleware type, found " + types);
    }
    String field = types.get(0);
    String type = field.toLowerCase(Locale.ROOT);
    if (UNSUPPORTED.containsKey(type)) {
      return new Definition(name, type, Map.of(), field + " cannot be carried over: " + UNSUPPORTED.get(type));
    }
    if (type.equals("chain")) {
      return chain(key, name, spec.get(field));
    }
    if (!SUPPORTED.contains(type)) {
      return new Definition(name, type, Map.of(), "middleware type " + field + " is not known to Tributary");
    }
    Map<String, String> options = new TreeMap<>();
    String problem = flatten(spec.get(field), "", false, options);
    return new Definition(name, type.equals("ipwhitelist") ? "ipallowlist" : type, options,
        problem == null ? null : field + "." + problem, List.of(),
        problem == null && spec.get(field).isObject() ? (ObjectNode) spec.get(field) : null);
  }

  /** {@code spec.chain.middlewares: [{name, namespace?}]}: a member's namespace defaults to the chain's, as in Traefik. */
  private static Definition chain(ObjectKey key, String name, JsonNode chain) {
    JsonNode list = chain.path("middlewares");
    if (!list.isArray() || list.isEmpty()) {
      return new Definition(name, "chain", Map.of(), "chain.middlewares must be a non-empty list", List.of());
    }
    List<String> members = new ArrayList<>();
    for (JsonNode m : list) {
      String member = m.path("name").asText("");
      if (member.isEmpty()) {
        return new Definition(name, "chain", Map.of(), "chain.middlewares: a member without a name", List.of());
      }
      String namespace = m.path("namespace").asText("");
      // another provider's middleware (auth@file) is named as written; Traefik resolves it
      members.add(member.contains("@") ? member : reference(namespace.isEmpty() ? key.namespace() : namespace, member));
    }
    return new Definition(name, "chain", Map.of(), null, members);
  }

  /** Flattens {@code node} into dotted option paths; answers a problem with a path, or null. */
  private static String flatten(JsonNode node, String path, boolean headerKeys, Map<String, String> out) {
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        var e = fields.next();
        String segment = headerKeys ? e.getKey() : e.getKey().toLowerCase(Locale.ROOT);
        String child = path.isEmpty() ? segment : path + "." + segment;
        if (!headerKeys && (segment.endsWith("secret") || segment.equals("tls"))) {
          return child + ": refers to Kubernetes Secrets the VM-side Traefik cannot read";
        }
        String problem = flatten(e.getValue(), child, !headerKeys && HEADER_MAPS.contains(segment), out);
        if (problem != null) {
          return problem;
        }
      }
      return null;
    }
    if (node.isArray()) {
      List<String> items = new ArrayList<>();
      for (JsonNode item : node) {
        if (!item.isValueNode()) {
          return path + ": a list of objects cannot be written as a tag";
        }
        items.add(item.asText());
      }
      out.put(path, String.join(",", items));
      return null;
    }
    if (path.isEmpty()) {
      return "the type's configuration must be an object";
    }
    out.put(path, node.asText());
    return null;
  }
}
