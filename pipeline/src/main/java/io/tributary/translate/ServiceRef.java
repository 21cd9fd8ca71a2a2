package io.tributary.translate;

import java.util.Optional;

/**
 * One service an IngressRoute route or a TraefikService sends requests to, as declared: a
 * Kubernetes Service, or a TraefikService — of the same cluster, or another provider's
 * ({@code name@provider}, which Traefik allows for kind TraefikService).
 *
 * @param kind what {@code name} names
 * @param namespace the namespace of the Kubernetes object, defaulted to the declaring object's
 * @param name as declared: the object's name, or {@code name@provider}
 * @param port a Service's port as declared, number or name; "" when none is given (TraefikServices have none)
 * @param weight its weight among the services of a weighted list as declared, or null (Traefik's default, 1)
 */
public record ServiceRef(Kind kind, String namespace, String name, String port, Integer weight) {

  /** What a reference names: Traefik's {@code kind} field. */
  public enum Kind {
    /** A Kubernetes Service ({@code kind: Service}, or no kind). */
    SERVICE,
    /** A TraefikService ({@code kind: TraefikService}). */
    TRAEFIK_SERVICE;

    /** The kind Traefik reads {@code declared} as ("" is Service); empty for any other value. */
    public static Optional<Kind> of(String declared) {
      return switch (declared) {
        case "", "Service" -> Optional.of(SERVICE);
        case "TraefikService" -> Optional.of(TRAEFIK_SERVICE);
        default -> Optional.empty();
      };
    }
  }

  /** True for a TraefikService object of the same cluster, which must exist for the route to be served. */
  public boolean namesTraefikService() {
    return kind == Kind.TRAEFIK_SERVICE && !name.contains("@");
  }

  /** For a TraefikService object: {@code <namespace>-<name>}, the name Traefik gives it. */
  public String traefikName() {
    return namespace + "-" + name;
  }

  /** The weight Traefik applies: as declared, else 1. */
  public int weightOrDefault() {
    return weight == null ? 1 : weight;
  }

  /**
   * How notes show it, seen from an object of namespace {@code from}: {@code name:port} for a
   * Service (with its namespace when it is another), the Traefik name of a TraefikService, and
   * another provider's service as written.
   */
  public String shown(String from) {
    if (kind == Kind.TRAEFIK_SERVICE) {
      return namesTraefikService() ? traefikName() : name;
    }
    return (namespace.equals(from) ? "" : namespace + "/") + name + (port.isEmpty() ? "" : ":" + port);
  }
}
