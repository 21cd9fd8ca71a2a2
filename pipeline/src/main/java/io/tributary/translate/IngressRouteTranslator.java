package io.tributary.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.kind.ResourceKind;
import io.tributary.settings.TranslateSettings;
import io.tributary.translate.rule.RuleExpr;
import io.tributary.translate.rule.GoRegexp;
import io.tributary.translate.rule.RuleParser;
import io.tributary.translate.rule.RulePrinter;
import io.tributary.translate.rule.RuleSyntaxException;
import io.tributary.watch.ObjectKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Translates a Traefik IngressRoute ({@code traefik.io/v1alpha1} or {@code
 * traefik.containo.us/v1alpha1}) into routes, one per {@code spec.routes[]} entry. Pure.
 *
 * <ul>
 *   <li>{@code match} is parsed (v2 or v3 syntax) into the canonical rule the VM-side Traefik gets;
 *       a syntax error rejects the object with the route index and column.
 *   <li>DNS hosts are the rule's positive {@code Host} literals, validated; a rule that can match
 *       hosts no literal names (HostRegexp) is routed but gets no DNS record, with a warning.
 *   <li>{@code spec.entryPoints}, {@code priority} and {@code spec.tls} become router options.
 *   <li>Every service is kept ({@link ServiceRef}: kind Service or TraefikService, weight); the
 *       first is the backend. The split between them stays in the cluster, whose Traefik applies
 *       it behind its ingress ({@link SplitResolver}); another kind rejects the object.
 *   <li>Middlewares ({@code name}, {@code namespace} defaulting to the route's; another namespace
 *       only with {@code allow-cross-namespace}) become {@code <namespace>-<name>@kubernetescrd}
 *       references, resolved when the route is planned ({@link Middlewares}); a {@code name}
 *       holding a provider ({@code auth@file}) is kept verbatim.
 *   <li>Each route is judged on its own: a bad one becomes a {@link Translation.RejectedPart}
 *       ({@code spec.routes[i]}) while the good ones are published; only when every route is bad
 *       is the object rejected. Object-wide problems (apiVersion, creationTimestamp, no routes,
 *       {@code spec.parentRefs}) reject the whole object.
 *   <li>Multi-layer routing (Traefik v3.6+: {@code spec.parentRefs}, and parent routes without
 *       services) is refused with the reason: a child's requests are decided by the cluster's Traefik.
 * </ul>
 */
public final class IngressRouteTranslator {
  private IngressRouteTranslator() {}

  /** Translates one IngressRoute. */
  public static Translation translate(ObjectKey key, ObjectNode object, TranslateSettings settings) {
    String apiVersion = object.path("apiVersion").asText("");
    if (!ResourceKind.INGRESS_ROUTE.servedAs(apiVersion)) {
      return new Translation.Rejected("unsupported apiVersion " + apiVersion + " for " + ResourceKind.INGRESS_ROUTE.kind());
    }
    String expose = object.path("metadata").path("annotations").path(settings.annotationPrefix() + "expose").asText("");
    if (expose.equals("false")) {
      return new Translation.Ignored(settings.annotationPrefix() + "expose is false");
    }
    List<String> badTimestamp = new ArrayList<>(1);
    Instant created = Timestamps.created(object.path("metadata"), badTimestamp);
    if (!badTimestamp.isEmpty()) {
      return new Translation.Rejected(badTimestamp.get(0));
    }
    JsonNode spec = object.path("spec");
    String layered = parentRefs(spec.get("parentRefs"), "spec.parentRefs", key);
    if (layered != null) {
      return new Translation.Rejected(layered);
    }
    List<String> entrypoints = new ArrayList<>();
    spec.path("entryPoints").forEach(e -> entrypoints.add(e.asText()));
    boolean tls = spec.has("tls");
    List<Translation.RejectedPart> rejectedParts = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    List<Route> routes = new ArrayList<>();
    List<String> routeParts = new ArrayList<>();
    JsonNode list = spec.path("routes");
    if (!list.isArray() || list.isEmpty()) {
      return new Translation.Rejected("spec.routes: an IngressRoute needs at least one route");
    }
    for (int i = 0; i < list.size(); i++) {
      String at = "spec.routes[" + i + "]";
      List<String> problems = new ArrayList<>();
      Route route = route(key, created, list.get(i), at, entrypoints, tls, settings, problems, warnings);
      if (!problems.isEmpty()) {
        rejectedParts.add(new Translation.RejectedPart(at, String.join("; ", problems)));
      } else if (route != null) {
        routes.add(route);
        routeParts.add(at);
      }
    }
    if (routes.isEmpty()) {
      // every route is bad: the object is rejected with every reason (its last accepted routes stay)
      return new Translation.Rejected(Translation.RejectedPart.reasons(rejectedParts));
    }
    return new Translation.Accepted(routes, warnings, rejectedParts, routeParts);
  }

  /**
   * One {@code spec.routes[]} entry judged on its own: its route, or null with {@code problems}
   * saying why (a Middleware or service it names that cannot be used holds the route back).
   */
  private static Route route(ObjectKey key, Instant created, JsonNode r, String at, List<String> entrypoints,
      boolean tls, TranslateSettings settings, List<String> problems, List<String> warnings) {
    String kind = r.path("kind").asText("Rule");
    if (!kind.equals("Rule")) {
      problems.add(at + ".kind: '" + kind + "' is not Rule");
      return null;
    }
    String layered = parentRefs(r.get("parentRefs"), at + ".parentRefs", key);
    if (layered != null) {
      problems.add(layered);
      return null;
    }
    RuleExpr rule;
    try {
      rule = RuleParser.parse(r.path("match").asText(""));
    } catch (RuleSyntaxException e) {
      problems.add(at + ".match: " + e.getMessage());
      return null;
    }
    List<String> badRegexps = GoRegexp.problems(rule);
    if (!badRegexps.isEmpty()) {
      badRegexps.forEach(p -> problems.add(at + ".match: " + p));
      return null;
    }
    List<String> hosts = RulePrinter.hosts(rule);
    for (String h : hosts) {
      String bad = Hostnames.invalidReason(h);
      if (bad != null) {
        problems.add(at + ".match: host '" + h + "' is not a valid hostname: " + bad);
      }
    }
    if (hosts.isEmpty() && RulePrinter.hasUnknownHosts(rule) && !containsHostMatcher(rule)) {
      problems.add(at + ".match: a rule without Host or HostRegexp would capture its paths on every hostname of the shared Traefik");
      return null;
    }
    List<String> middlewares = new ArrayList<>();
    JsonNode refs = r.path("middlewares");
    for (int j = 0; j < refs.size(); j++) {
      String name = refs.get(j).path("name").asText("");
      String ns = refs.get(j).path("namespace").asText("");
      if (name.isEmpty()) {
        problems.add(at + ".middlewares[" + j + "].name is required");
        break;
      } else if (name.contains("@")) {
        middlewares.add(name); // another provider's middleware (auth@file), as Traefik allows
      } else if (!ns.isEmpty() && !ns.equals(key.namespace()) && !settings.allowCrossNamespace()) {
        problems.add(at + ".middlewares[" + j + "].namespace: '" + ns
            + "' is another namespace; allowed only with translate.allow-cross-namespace (as Traefik's allowCrossNamespace)");
        break;
      } else {
        // resolved against the cluster's Middleware objects when the route is planned
        middlewares.add(Middlewares.reference(ns.isEmpty() ? key.namespace() : ns, name));
      }
    }
    if (!problems.isEmpty()) {
      return null;
    }
    JsonNode services = r.path("services");
    if (!present(services) || (services.isArray() && services.isEmpty())) {
      // Traefik v3.6+ reads a router without a service as the parent of multi-layer routing
      problems.add(at + ".services: none; a route without services is a multi-layer routing parent (Traefik v3.6+:"
          + " child IngressRoutes name it in spec.parentRefs), and " + NOT_CARRIED + " (docs/translation.md §1b)");
      return null;
    }
    if (!services.isArray() || services.get(0).path("name").asText("").isEmpty()) {
      problems.add(at + ".services: at least one service with a name is required");
      return null;
    }
    // every service is kept: the cluster's own Traefik splits the route's requests between them
    List<ServiceRef> serviceRefs = new ArrayList<>();
    for (int j = 0; j < services.size(); j++) {
      String problem = TraefikServices.reference(services.get(j), key.namespace(), serviceRefs);
      if (problem != null) {
        problems.add(at + ".services[" + j + "]" + problem);
        continue;
      }
      String ns = services.get(j).path("namespace").asText("");
      if (!ns.isEmpty() && !ns.equals(key.namespace()) && !settings.allowCrossNamespace()) {
        problems.add(at + ".services[" + j + "].namespace: '" + ns
            + "' is another namespace; allowed only with translate.allow-cross-namespace (as Traefik's allowCrossNamespace)");
      }
    }
    if (!problems.isEmpty()) {
      return null;
    }
    JsonNode first = services.get(0);
    JsonNode port = first.path("port");
    Backend backend = port.isInt() ? new Backend(first.path("name").asText(), port.asInt(), null)
        : new Backend(first.path("name").asText(), null, port.asText(""));
    Integer priority = null;
    if (r.has("priority")) {
      if (!r.path("priority").canConvertToInt() || r.path("priority").asInt() < 0) {
        problems.add(at + ".priority: must be an integer >= 0");
        return null;
      }
      priority = r.path("priority").asInt();
    }
    if (RulePrinter.hasUnknownHosts(rule)) {
      warnings.add(at + ": the rule can match hosts no Host(...) names; it is routed through Consul but gets no DNS record");
    }
    return new Route(key, created, hosts.isEmpty() ? "" : hosts.get(0), RulePrinter.firstPath(rule), PathMatch.PREFIX,
        backend, entrypoints, middlewares, priority, tls, false, false, rule, hosts).withServices(serviceRefs);
  }

  /** Why multi-layer routing is refused, shared by the parent and the child reasons. */
  static final String NOT_CARRIED = "multi-layer routing is not carried to the VM-side Traefik: a child router matches"
      + " only requests its parent matched, after the parent's middlewares changed them, which only the cluster's"
      + " Traefik can decide";

  /**
   * The refusal of a {@code parentRefs} list at {@code at} naming its parents, or null when there is none.
   * A child's rule alone does not say which requests reach it, so it cannot become a VM-side route.
   */
  private static String parentRefs(JsonNode refs, String at, ObjectKey key) {
    if (!present(refs) || (refs.isArray() && refs.isEmpty())) {
      return null;
    }
    List<String> parents = new ArrayList<>();
    if (refs.isArray()) {
      for (JsonNode ref : refs) {
        String ns = ref.path("namespace").asText("");
        parents.add((ns.isEmpty() ? key.namespace() : ns) + "/" + ref.path("name").asText("?"));
      }
    }
    return at + ": " + NOT_CARRIED.replaceFirst("multi-layer routing", "multi-layer routing (parent IngressRoute "
        + String.join(", ", parents) + ")") + " (docs/translation.md §1b)";
  }

  private static boolean present(JsonNode n) {
    return n != null && !n.isMissingNode() && !n.isNull();
  }

  private static boolean containsHostMatcher(RuleExpr e) {
    if (e instanceof RuleExpr.And a) {
      return containsHostMatcher(a.left()) || containsHostMatcher(a.right());
    }
    if (e instanceof RuleExpr.Or o) {
      return containsHostMatcher(o.left()) && containsHostMatcher(o.right());
    }
    if (e instanceof RuleExpr.Matcher m) {
      return m.name().startsWith("Host");
    }
    return false;
  }
}
