package io.tributary.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.watch.ObjectKey;
import java.util.ArrayList;
import java.util.List;

/**
 * Traefik TraefikService objects (CRD, either API group) → what the routes naming them are split
 * into. Pure.
 *
 * <p>The split is never carried to the VM-side Traefik: that one reaches a cluster only through the
 * cluster's ingress, whose own Traefik applies the IngressRoute and its TraefikServices to every
 * request it receives, so a copy on the VM side would split the traffic twice. Tributary resolves
 * the tree to report it and to hold back the routes their cluster could not serve.
 */
public final class TraefikServices {
  private TraefikServices() {}

  /** One TraefikService object's configuration: {@link Weighted}, {@link Mirroring}, {@link Unresolved} or {@link Unusable}. */
  public sealed interface Definition permits Weighted, Mirroring, Unresolved, Unusable {
    /** {@code <namespace>-<name>}, Traefik's name for it. */
    String name();

    /** Every service it sends requests to, in declared order (a mirroring's main service first). */
    List<ServiceRef> services();
  }

  /** {@code spec.weighted}: requests shared between {@code services} by their weights. */
  public record Weighted(String name, List<ServiceRef> services) implements Definition {
    public Weighted {
      services = List.copyOf(services);
    }
  }

  /**
   * {@code spec.mirroring}: requests go to {@code service}, and copies to each mirror.
   *
   * @param mirrorBody whether request bodies are mirrored too (Traefik's default, true)
   * @param maxBodySize the largest body mirrored, in bytes; -1 for no limit (Traefik's default)
   */
  public record Mirroring(String name, ServiceRef service, List<Mirror> mirrors, boolean mirrorBody, long maxBodySize)
      implements Definition {
    public Mirroring {
      mirrors = List.copyOf(mirrors);
    }

    @Override
    public List<ServiceRef> services() {
      List<ServiceRef> all = new ArrayList<>(List.of(service));
      mirrors.forEach(m -> all.add(m.service()));
      return all;
    }
  }

  /** One mirror of a {@link Mirroring}: {@code percent} (0..100) of the requests are copied to {@code service}. */
  public record Mirror(ServiceRef service, int percent) {}

  /**
   * A TraefikService of a type Traefik serves but Tributary does not resolve ({@code
   * highestRandomWeight}, {@code failover}): its members are not checked, and it holds no route
   * back, since the cluster's own Traefik serves it.
   */
  public record Unresolved(String name, String type) implements Definition {
    @Override
    public List<ServiceRef> services() {
      return List.of();
    }
  }

  /** Types Traefik's TraefikService knows besides the two Tributary resolves. */
  private static final List<String> SERVED_UNRESOLVED = List.of("highestRandomWeight", "failover");

  /** A TraefikService no route can be served with, and why. */
  public record Unusable(String name, String reason) implements Definition {
    @Override
    public List<ServiceRef> services() {
      return List.of();
    }
  }

  /** {@code <namespace>-<name>}: the name Traefik gives a TraefikService object. */
  public static String nameOf(ObjectKey key) {
    return key.namespace() + "-" + key.name();
  }

  /**
   * The configuration of a TraefikService object. A member in another namespace than the object's
   * needs {@code allowCrossNamespace} (Traefik's allowCrossNamespace); another provider's service
   * ({@code name@provider}) is taken as written and not checked here.
   */
  public static Definition define(ObjectKey key, ObjectNode object, boolean allowCrossNamespace) {
    String name = nameOf(key);
    JsonNode spec = object.path("spec");
    List<String> types = new ArrayList<>();
    spec.fieldNames().forEachRemaining(types::add);
    if (types.size() == 1 && SERVED_UNRESOLVED.contains(types.get(0))) {
      return new Unresolved(name, types.get(0));
    }
    if (types.size() != 1 || !List.of("weighted", "mirroring").contains(types.get(0))) {
      return new Unusable(name, "spec must hold exactly one of weighted and mirroring (the types Tributary resolves), found " + types);
    }
    JsonNode type = spec.path(types.get(0));
    List<ServiceRef> services = new ArrayList<>();
    if (types.get(0).equals("weighted")) {
      JsonNode list = type.path("services");
      if (!list.isArray() || list.isEmpty()) {
        return new Unusable(name, "weighted.services must be a non-empty list");
      }
      for (int i = 0; i < list.size(); i++) {
        String problem = member(list.get(i), key.namespace(), allowCrossNamespace, services);
        if (problem != null) {
          return new Unusable(name, "weighted.services[" + i + "]" + problem);
        }
      }
      return new Weighted(name, services);
    }
    String problem = member(type, key.namespace(), allowCrossNamespace, services);
    if (problem != null) {
      return new Unusable(name, "mirroring" + problem);
    }
    List<Mirror> mirrors = new ArrayList<>();
    JsonNode list = type.path("mirrors");
    if (!absent(list) && !list.isArray()) {
      // an object's size() counts its fields and its get(i) is null: read as a list, it crashed planning
      return new Unusable(name, "mirroring.mirrors must be a list, found " + list.getNodeType().toString().toLowerCase(java.util.Locale.ROOT));
    }
    for (int i = 0; i < list.size(); i++) {
      JsonNode m = list.get(i);
      String at = "mirroring.mirrors[" + i + "]";
      problem = member(m, key.namespace(), allowCrossNamespace, services);
      if (problem != null) {
        return new Unusable(name, at + problem);
      }
      JsonNode percent = m.path("percent");
      if (!absent(percent) && (!percent.isIntegralNumber() || percent.asInt() < 0 || percent.asInt() > 100)) {
        return new Unusable(name, at + ".percent: " + percent + " is outside 0..100");
      }
      mirrors.add(new Mirror(services.get(services.size() - 1), percent.asInt(0)));
    }
    return new Mirroring(name, services.get(0), mirrors, type.path("mirrorBody").asBoolean(true), type.path("maxBodySize").asLong(-1));
  }

  /** A member of a TraefikService: a reference, which a Kubernetes Service must give a port. */
  private static String member(JsonNode entry, String namespace, boolean allowCrossNamespace, List<ServiceRef> out) {
    String problem = reference(entry, namespace, out);
    if (problem != null) {
      return problem;
    }
    ServiceRef ref = out.get(out.size() - 1);
    if (ref.kind() == ServiceRef.Kind.SERVICE && ref.port().isEmpty()) {
      return ".port: a Kubernetes Service needs a port";
    }
    if (!ref.name().contains("@") && !ref.namespace().equals(namespace) && !allowCrossNamespace) {
      return ".namespace: '" + ref.namespace()
          + "' is another namespace; allowed only with translate.allow-cross-namespace (as Traefik's allowCrossNamespace)";
    }
    return null;
  }

  /**
   * Reads one service reference ({@code name}, {@code namespace}, {@code kind}, {@code port},
   * {@code weight}) of an object of {@code namespace} into {@code out}; answers the problem, a
   * path relative to the entry, or null. Shared by IngressRoute routes and TraefikServices.
   */
  static String reference(JsonNode entry, String namespace, List<ServiceRef> out) {
    String declaredKind = entry.path("kind").asText("");
    var kind = ServiceRef.Kind.of(declaredKind);
    if (kind.isEmpty()) {
      return ".kind: '" + declaredKind + "' is not Service or TraefikService";
    }
    String name = entry.path("name").asText("");
    if (name.isEmpty()) {
      return ".name is required";
    }
    JsonNode weight = entry.path("weight");
    if (!absent(weight) && (!weight.isIntegralNumber() || !weight.canConvertToInt() || weight.asInt() < 0)) {
      return ".weight: must be an integer >= 0, found " + weight;
    }
    String ns = entry.path("namespace").asText("");
    JsonNode port = entry.path("port");
    out.add(new ServiceRef(kind.get(), ns.isEmpty() ? namespace : ns, name,
        port.isIntegralNumber() ? Integer.toString(port.asInt()) : port.asText(""), absent(weight) ? null : weight.asInt()));
    return null;
  }

  private static boolean absent(JsonNode field) {
    return field.isMissingNode() || field.isNull();
  }
}
