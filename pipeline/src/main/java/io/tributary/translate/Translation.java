package io.tributary.translate;

import java.util.List;

/** The outcome of translating one Kubernetes object: routes, ignored (not ours), or rejected. */
public sealed interface Translation {

  /** The object is ours and valid; {@code warnings} are worth reporting but block nothing. */
  record Accepted(List<Route> routes, List<String> warnings) implements Translation {
    public Accepted {
      routes = List.copyOf(routes);
      warnings = List.copyOf(warnings);
    }
  }

  /** The object is not for this instance (other ingress class, not opted in). */
  record Ignored(String reason) implements Translation {}

  /** The object is ours but malformed; {@code reason} says what and where. */
  record Rejected(String reason) implements Translation {}
}
