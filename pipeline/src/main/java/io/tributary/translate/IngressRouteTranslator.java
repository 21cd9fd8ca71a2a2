package io.tributary.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.kind.ResourceKind;
import io.tributary.settings.TranslateSettings;
import io.tributary.translate.rule.RuleExpr;
import io.tributary.translate.rule.RuleParser;
import io.tributary.translate.rule.RulePrinter;
import io.tributary.translate.rule.RuleSyntaxException;
import io.tributary.watch.ObjectKey;
import java.time.Instant;
import java.time.format.DateTimeParseException;
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
    Instant created = Instant.EPOCH;
    String ts = object.path("metadata").path("creationTimestamp").asText("");
    if (!ts.isEmpty()) {
      try {
        created = Timestamps.parse(ts);
      } catch (DateTimeParseException e) {
        return new Translation.Rejected("metadata.creationTimestamp: '" + ts + "' is not an ISO-8601 instant");
      }
    }
    JsonNode spec = object.path("spec");
    List<String> entrypoints = new ArrayList<>();
    spec.path("entryPoints").forEach(e -> entrypoints.add(e.asText()));
    boolean tls = spec.has("tls");
    List<String> problems = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    List<Route> routes = new ArrayList<>();
    JsonNode list = spec.path("routes");
    if (!list.isArray() || list.isEmpty()) {
      return new Translation.Rejected("spec.routes: an IngressRoute needs at least one route");
    }
    for (int i = 0; i < list.size(); i++) {
      JsonNode r = list.get(i);
      String at = "spec.routes[" + i + "]";
      String kind = r.path("kind").asText("Rule");
      if (!kind.equals("Rule")) {
        problems.add(at + ".kind: '" + kind + "' is not Rule");
        continue;
      }
      RuleExpr rule;
      try {
        rule = RuleParser.parse(r.path("match").asText(""));
      } catch (RuleSyntaxException e) {
        problems.add(at + ".match: " + e.getMessage());
        continue;
      }
      List<String> hosts = RulePrinter.hosts(rule);
      for (String h : hosts) {
        String bad = Hostnames.invalidReason(h);
        if (bad != null) {
          problems.add(at + ".match: host '" + h + "' is not a valid hostname: " + bad);
        }
      }
      if (RulePrinter.hasUnknownHosts(rule)) {
        warnings.add(at + ": the rule can match hosts no Host(...) names; it is routed through Consul but gets no DNS record");
      }
      if (hosts.isEmpty() && RulePrinter.hasUnknownHosts(rule) && !containsHostMatcher(rule)) {
        problems.add(at + ".match: a rule without Host or HostRegexp would capture its paths on every hostname of the shared Traefik");
        continue;
      }
      List<String> middlewares = new ArrayList<>();
      String middlewareProblem = null;
      JsonNode refs = r.path("middlewares");
      for (int j = 0; j < refs.size() && middlewareProblem == null; j++) {
        String name = refs.get(j).path("name").asText("");
        String ns = refs.get(j).path("namespace").asText("");
        if (name.isEmpty()) {
          middlewareProblem = at + ".middlewares[" + j + "].name is required";
        } else if (name.contains("@")) {
          middlewares.add(name); // another provider's middleware (auth@file), as Traefik allows
        } else if (!ns.isEmpty() && !ns.equals(key.namespace()) && !settings.allowCrossNamespace()) {
          middlewareProblem = at + ".middlewares[" + j + "].namespace: '" + ns
              + "' is another namespace; allowed only with translate.allow-cross-namespace (as Traefik's allowCrossNamespace)";
        } else {
          // resolved against the cluster's Middleware objects when the route is planned
          middlewares.add(Middlewares.reference(ns.isEmpty() ? key.namespace() : ns, name));
        }
      }
      if (middlewareProblem != null) {
        problems.add(middlewareProblem);
        continue;
      }
      JsonNode services = r.path("services");
      if (!services.isArray() || services.isEmpty() || services.get(0).path("name").asText("").isEmpty()) {
        problems.add(at + ".services: at least one service with a name is required");
        continue;
      }
      // every service is kept: the cluster's own Traefik splits the route's requests between them
      List<ServiceRef> serviceRefs = new ArrayList<>();
      boolean usable = true;
      for (int j = 0; j < services.size(); j++) {
        String problem = TraefikServices.reference(services.get(j), key.namespace(), serviceRefs);
        if (problem != null) {
          problems.add(at + ".services[" + j + "]" + problem);
          usable = false;
          continue;
        }
        String ns = services.get(j).path("namespace").asText("");
        if (!ns.isEmpty() && !ns.equals(key.namespace()) && !settings.allowCrossNamespace()) {
          problems.add(at + ".services[" + j + "].namespace: '" + ns
              + "' is another namespace; allowed only with translate.allow-cross-namespace (as Traefik's allowCrossNamespace)");
          usable = false;
        }
      }
      if (!usable) {
        continue;
      }
      JsonNode first = services.get(0);
      JsonNode port = first.path("port");
      Backend backend = port.isInt() ? new Backend(first.path("name").asText(), port.asInt(), null)
          : new Backend(first.path("name").asText(), null, port.asText(""));
      Integer priority = null;
      if (r.has("priority")) {
        if (!r.path("priority").canConvertToInt() || r.path("priority").asInt() < 0) {
          problems.add(at + ".priority: must be an integer >= 0");
          continue;
        }
        priority = r.path("priority").asInt();
      }
      routes.add(new Route(key, created, hosts.isEmpty() ? "" : hosts.get(0), RulePrinter.firstPath(rule), PathMatch.PREFIX,
          backend, entrypoints, middlewares, priority, tls, false, false, rule, hosts).withServices(serviceRefs));
    }
    if (!problems.isEmpty()) {
      return new Translation.Rejected(String.join("; ", problems));
    }
    return new Translation.Accepted(routes, warnings);
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
