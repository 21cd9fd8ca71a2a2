package io.tributary.translate;

import java.util.ArrayList;
import java.util.List;

/** The outcome of translating one Kubernetes object: routes, ignored (not ours), or rejected. */
public sealed interface Translation {

  /**
   * The object is ours and at least partly valid: {@code routes} are published; {@code warnings}
   * are worth reporting but block nothing; {@code rejectedParts} are the rules, paths or routes
   * judged bad on their own (empty for a wholly accepted object). {@code routeParts} names, for
   * each route in order, the JSON path of the part that declared it (for instance {@code
   * spec.rules[0].http.paths[1]}), or is empty when the translator does not judge parts: it lets
   * a part that turns bad keep the routes it last had.
   */
  record Accepted(
      List<Route> routes, List<String> warnings, List<RejectedPart> rejectedParts, List<String> routeParts)
      implements Translation {
    public Accepted {
      routes = List.copyOf(routes);
      warnings = List.copyOf(warnings);
      rejectedParts = List.copyOf(rejectedParts);
      routeParts = List.copyOf(routeParts);
      if (!routeParts.isEmpty() && routeParts.size() != routes.size()) {
        throw new IllegalArgumentException(
            "routeParts names " + routeParts.size() + " parts for " + routes.size() + " routes");
      }
    }

    /** A wholly accepted object (every part valid). */
    public Accepted(List<Route> routes, List<String> warnings) {
      this(routes, warnings, List.of(), List.of());
    }

    /** True when some parts were rejected while the others are published. */
    public boolean partly() {
      return !rejectedParts.isEmpty();
    }

    /** This translation with {@code routes} (one for one, in order, for the same parts) and {@code warnings}. */
    public Accepted with(List<Route> routes, List<String> warnings) {
      return new Accepted(routes, warnings, rejectedParts, routeParts);
    }

    /** The part that declared route {@code i}, or null when parts are not tracked. */
    public String partOf(int i) {
      return routeParts.isEmpty() ? null : routeParts.get(i);
    }

    /** Every rejected part's reason, as one line (for a log or an object-wide rejection). */
    public String rejectedReasons() {
      return RejectedPart.reasons(rejectedParts);
    }
  }

  /** The object is not for this instance (other ingress class, not opted in). */
  record Ignored(String reason) implements Translation {}

  /** The object is ours but malformed; {@code reason} says what and where. */
  record Rejected(String reason) implements Translation {}

  /**
   * One rule, path or route of an accepted object rejected on its own: {@code path} is its JSON
   * path ({@code spec.rules[2]}, {@code spec.routes[0]}), {@code reason} says what is wrong and
   * where (it starts with the path or a path inside it).
   */
  record RejectedPart(String path, String reason) {
    /** True when {@code part} (a route's part) is this part or lies inside it. */
    public boolean covers(String part) {
      return part != null && (part.equals(path) || part.startsWith(path + ".") || part.startsWith(path + "["));
    }

    /** The reasons of {@code parts}, joined with "; ". */
    public static String reasons(List<RejectedPart> parts) {
      List<String> out = new ArrayList<>(parts.size());
      parts.forEach(p -> out.add(p.reason()));
      return String.join("; ", out);
    }
  }
}
