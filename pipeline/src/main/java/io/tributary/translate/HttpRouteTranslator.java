package io.tributary.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.kind.ResourceKind;
import io.tributary.settings.TranslateSettings;
import io.tributary.translate.rule.GoRegexp;
import io.tributary.translate.rule.RuleExpr;
import io.tributary.translate.rule.RulePrinter;
import io.tributary.watch.ObjectKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Translates a Gateway API HTTPRoute ({@code gateway.networking.k8s.io/v1}) into routes, against
 * the Gateways and ReferenceGrants of its cluster ({@link GatewayApi.Parents}). Pure.
 *
 * <ul>
 *   <li>It is ours when a {@code parentRefs} entry names a Gateway whose class is in
 *       {@code translate.gateway-classes}; attached only to Gateways of other classes it is ignored;
 *       while none of its Gateways exists it has no routes (held back with a note once the cluster's
 *       Gateways have listed; before that it is simply pending) and is translated again when one appears.
 *   <li>A listener's {@code allowedRoutes.namespaces.selector} is evaluated against the labels of
 *       the route's namespace ({@link GatewayApi.Parents#namespaceLabels}); before the cluster's
 *       Namespaces have listed, a route such a listener would decide is pending as well.
 *   <li>Each parentRef selects listeners ({@code sectionName}, {@code port}); the effective
 *       hostnames are the route's hostnames intersected with each accepting listener's
 *       ({@link GatewayApi#intersect}); a route without hostnames takes the listener's.
 *   <li>One route per effective hostname, rule and match, as an Ingress has one per host and path:
 *       the hostname, path (Exact → {@code Path}, PathPrefix → {@code Path || PathPrefix(p/)} — the
 *       Gateway API's prefix is per path element — RegularExpression → {@code PathRegexp}), headers,
 *       query parameters and method, in one canonical rule. So the same hostname and match merge
 *       across clusters and objects whatever other hostnames each lists.
 *   <li>{@code backendRefs} are kept as {@link ServiceRef}s with their weights: the split stays in
 *       the cluster, whose Gateway applies it, as for IngressRoutes. Another namespace's Service
 *       needs a ReferenceGrant there.
 *   <li>Filters are applied by the cluster's Gateway, which receives every request of the route; the
 *       VM-side Traefik does not repeat them (see docs/translation.md §1j).
 *   <li>Each rule is judged on its own (part {@code spec.rules[i]}): a bad match or backend rejects
 *       its rule with the reason and the other rules are routed; bad hostnames, or every rule bad,
 *       reject the route.
 * </ul>
 */
public final class HttpRouteTranslator {
  private static final Set<String> API_VERSIONS = Set.of(GatewayApi.GROUP + "/v1", GatewayApi.GROUP + "/v1beta1");

  private HttpRouteTranslator() {}

  /** The effective hostnames of one route and whether a listener accepting each terminates TLS. */
  private record Attachment(
      Map<String, Boolean> tlsByHost, List<String> notes, List<String> missing, List<String> otherClasses, boolean waitsForLabels) {}

  /** Translates one HTTPRoute of {@code key}'s cluster against {@code parents}. */
  public static Translation translate(ObjectKey key, ObjectNode object, GatewayApi.Parents parents, TranslateSettings settings) {
    String apiVersion = object.path("apiVersion").asText("");
    if (!API_VERSIONS.contains(apiVersion)) {
      return new Translation.Rejected("unsupported apiVersion " + apiVersion + " for " + ResourceKind.HTTP_ROUTE.kind());
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
    List<String> problems = new ArrayList<>();
    List<String> hostnames = new ArrayList<>();
    List<JsonNode> hn = items(spec.path("hostnames"));
    for (int i = 0; i < hn.size(); i++) {
      String h = hn.get(i).asText("").toLowerCase(Locale.ROOT);
      String bad = Hostnames.invalidReason(h);
      if (bad != null) {
        problems.add("spec.hostnames[" + i + "]: " + bad);
      } else if (!hostnames.contains(h)) {
        hostnames.add(h);
      }
    }
    if (!problems.isEmpty()) {
      return new Translation.Rejected(String.join("; ", problems));
    }
    Attachment attachment = attach(key, spec.path("parentRefs"), hostnames, parents, settings);
    // before the cluster's Gateways have listed, a Gateway not known yet may well exist: the route
    // waits without a note (informers deliver kinds in no fixed order), and is translated again
    // once they have listed
    boolean missingKnown = parents.gatewaysListed();
    if (attachment.tlsByHost().isEmpty()) {
      List<String> notes = new ArrayList<>();
      if (!attachment.missing().isEmpty() && missingKnown) {
        notes.add("held back: its Gateway " + String.join(", ", attachment.missing()) + " does not exist in cluster "
            + key.cluster() + "; it is translated as soon as it appears");
      }
      notes.addAll(attachment.notes());
      if (!settings.gatewayApi()) {
        return new Translation.Ignored("the Gateway API is off (translate.gateway-classes is empty)");
      }
      // likewise before its Namespaces have listed for a listener selecting namespaces by their labels
      if ((!attachment.missing().isEmpty() && !missingKnown) || attachment.waitsForLabels()) {
        return new Translation.Accepted(List.of(), List.of()); // pending: no routes yet, nothing to say yet
      }
      if (notes.isEmpty()) {
        return new Translation.Ignored("attached to no Gateway of translate.gateway-classes " + new TreeSet<>(settings.gatewayClasses())
            + (attachment.otherClasses().isEmpty() ? "" : " (" + String.join(", ", attachment.otherClasses()) + ")"));
      }
      return new Translation.Accepted(List.of(), notes);
    }
    List<String> warnings = new ArrayList<>(attachment.notes());
    if (!attachment.missing().isEmpty() && missingKnown) {
      warnings.add("its Gateway " + String.join(", ", attachment.missing()) + " does not exist in cluster " + key.cluster());
    }
    // one route per effective hostname, as an Ingress has one per host: the same hostname and match
    // declared elsewhere (another cluster, another object, an Ingress) is the same route group, whatever
    // other hostnames each declaration lists. A hostname an HTTPS listener accepts gets a tls route, as
    // an Ingress host listed under spec.tls (the VM side's entry point redirects plain HTTP)
    List<String> hosts = exactFirst(new ArrayList<>(attachment.tlsByHost().keySet()));
    List<Route> routes = new ArrayList<>();
    Set<String> groups = new LinkedHashSet<>();
    List<JsonNode> rules = items(spec.path("rules"));
    if (rules.isEmpty()) {
      return new Translation.Accepted(List.of(), List.of("spec.rules: no rules, nothing to route"));
    }
    // each rule is judged on its own: a bad one is rejected with its reason, the others are routed
    List<String> parts = new ArrayList<>();
    List<Translation.RejectedPart> rejected = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      String at = "spec.rules[" + i + "]";
      int warned = warnings.size();
      List<String> ruleProblems = new ArrayList<>();
      List<Route> ruleRoutes = rule(key, created, rules.get(i), at, hosts, attachment, parents, groups, ruleProblems, warnings);
      if (!ruleProblems.isEmpty()) {
        warnings.subList(warned, warnings.size()).clear(); // a rejected rule's notes would only distract
        rejected.add(new Translation.RejectedPart(at, String.join("; ", ruleProblems)));
        continue;
      }
      for (Route r : ruleRoutes) {
        groups.add(r.groupKey());
        routes.add(r);
        parts.add(at);
      }
    }
    if (routes.isEmpty() && !rejected.isEmpty()) {
      return new Translation.Rejected(Translation.RejectedPart.reasons(rejected));
    }
    return new Translation.Accepted(routes, warnings, rejected, parts);
  }

  /**
   * The routes of rule {@code at}: one per effective hostname × match, leaving out those of a group
   * in {@code taken} (an earlier rule's); its problems go to {@code problems}.
   */
  private static List<Route> rule(ObjectKey key, Instant created, JsonNode rule, String at, List<String> hosts,
      Attachment attachment, GatewayApi.Parents parents, Set<String> taken, List<String> problems, List<String> warnings) {
    List<Route> routes = new ArrayList<>();
    List<ServiceRef> refs = new ArrayList<>();
    Backend backend = backends(key, rule.path("backendRefs"), at, parents, refs, problems, warnings);
    if (backend == null && refs.isEmpty() && rule.path("backendRefs").isEmpty() && hasFilter(rule, "RequestRedirect")) {
      if (redirectsToHttps(rule)) {
        // the usual HTTP listener's redirect beside an HTTPS listener's route of the same hostnames:
        // both would be one route group (the rule is the same), and an Ingress's TLS route is
        // served over TLS only too — the VM side's entry point redirects plain HTTP
        warnings.add(at + ": a redirect to https is not carried: the VM-side Traefik's entry point redirects plain HTTP"
            + " (as for every TLS route); the route's HTTPS rules are");
        return routes;
      }
      // the cluster's Gateway answers with the redirect: the route still has to reach it
      backend = new Backend(key.name(), null, "redirect");
    }
    if (backend == null) {
      if (rule.path("backendRefs").isEmpty()) {
        warnings.add(at + ": no backendRefs and no RequestRedirect: the Gateway answers 500; not routed");
      }
      return routes;
    }
    Set<String> groups = new HashSet<>(taken);
    List<JsonNode> matches = items(rule.path("matches"));
    int count = matches.isEmpty() ? 1 : matches.size();
    for (int m = 0; m < count; m++) {
      String matchAt = at + ".matches[" + m + "]";
      JsonNode match = matches.isEmpty() ? null : matches.get(m);
      Conditions c = conditions(match, matchAt, problems);
      if (c == null) {
        continue;
      }
      boolean duplicate = false;
      for (String host : hosts) {
        Route r = route(key, created, host, attachment.tlsByHost().get(host), c, backend, refs);
        if (groups.add(r.groupKey())) {
          routes.add(r);
        } else {
          duplicate = true;
        }
      }
      if (duplicate) {
        warnings.add(matchAt + ": routes the same requests as an earlier match of this route; the first is kept");
      }
    }
    return routes;
  }

  /** The listeners each parentRef attaches the route to, and the effective hostnames. */
  private static Attachment attach(
      ObjectKey key, JsonNode parentRefNode, List<String> hostnames, GatewayApi.Parents parents, TranslateSettings settings) {
    List<JsonNode> parentRefs = items(parentRefNode);
    Map<String, Boolean> tlsByHost = new TreeMap<>();
    List<String> notes = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    List<String> otherClasses = new ArrayList<>();
    GatewayApi.NamespaceLabels labels = parents.namespaceLabels(key.namespace());
    boolean waits = false;
    for (int i = 0; i < parentRefs.size(); i++) {
      JsonNode ref = parentRefs.get(i);
      String at = "spec.parentRefs[" + i + "]";
      if (!ref.path("group").asText(GatewayApi.GROUP).equals(GatewayApi.GROUP) || !ref.path("kind").asText("Gateway").equals("Gateway")) {
        continue; // a mesh Service or another implementation's parent: not a Gateway
      }
      String ns = ref.path("namespace").asText(key.namespace());
      String name = ref.path("name").asText("");
      GatewayApi.Gateway gw = parents.gateway(ns, name);
      if (gw == null) {
        missing.add(ns + "/" + name);
        continue;
      }
      if (!settings.gatewayClasses().contains(gw.className())) {
        otherClasses.add("Gateway " + gw.shown() + " is of class '" + gw.className() + "'");
        continue;
      }
      String section = ref.path("sectionName").asText("");
      Integer port = ref.path("port").canConvertToInt() ? ref.path("port").asInt() : null;
      List<String> refused = new ArrayList<>();
      boolean any = false;
      for (GatewayApi.Listener l : gw.listeners()) {
        if ((!section.isEmpty() && !section.equals(l.name())) || (port != null && port != l.port())) {
          continue;
        }
        any = true;
        if (l.waitsFor(labels)) {
          waits = true;
          continue;
        }
        String why = l.refuses(key.cluster(), key.namespace(), gw.namespace(), labels);
        if (why != null) {
          refused.add("listener " + l.name() + ": " + why);
          continue;
        }
        List<String> effective = new ArrayList<>();
        for (String h : hostnames.isEmpty() ? List.of("") : hostnames) {
          String e = GatewayApi.intersect(h, l.hostname());
          if (e != null) {
            effective.add(e);
          }
        }
        if (effective.isEmpty()) {
          refused.add("listener " + l.name() + ": none of the route's hostnames " + hostnames + " matches its hostname " + l.hostname());
        } else if (effective.contains("")) {
          refused.add("listener " + l.name() + ": neither it nor the route names a hostname; the route would capture its paths on"
              + " every hostname of the shared Traefik");
        } else {
          effective.forEach(h -> tlsByHost.merge(h, l.tls(), Boolean::logicalOr));
        }
      }
      if (!any) {
        refused.add("Gateway " + gw.shown() + " has no listener" + (section.isEmpty() ? "" : " named " + section)
            + (port == null ? "" : " on port " + port));
      }
      if (!refused.isEmpty()) {
        notes.add(at + " (Gateway " + gw.shown() + ") does not attach to " + String.join("; ", refused));
      }
    }
    return new Attachment(tlsByHost, notes, missing, otherClasses, waits);
  }

  /**
   * The rule's Service backends into {@code refs} (a cross-namespace one only with a
   * ReferenceGrant); answers the backend that names the route (the first with a weight), or null
   * when none is left.
   */
  private static Backend backends(
      ObjectKey key, JsonNode backendRefNode, String at, GatewayApi.Parents parents, List<ServiceRef> refs, List<String> problems,
      List<String> warnings) {
    List<JsonNode> backendRefs = items(backendRefNode);
    for (int j = 0; j < backendRefs.size(); j++) {
      JsonNode b = backendRefs.get(j);
      String bat = at + ".backendRefs[" + j + "]";
      String group = b.path("group").asText("");
      String kind = b.path("kind").asText("Service");
      String name = b.path("name").asText("");
      if (name.isEmpty()) {
        problems.add(bat + ".name is required");
        continue;
      }
      if (!group.isEmpty() || !kind.equals("Service")) {
        warnings.add(bat + ": " + (group.isEmpty() ? "" : group + "/") + kind + " " + name
            + " is not a Service; only Service backends are carried (the cluster's Gateway serves the rest)");
        continue;
      }
      if (!b.path("port").canConvertToInt()) {
        problems.add(bat + ".port: a Service backend needs a port number");
        continue;
      }
      Integer weight = null;
      if (b.has("weight")) {
        if (!b.path("weight").canConvertToInt() || b.path("weight").asInt() < 0 || b.path("weight").asInt() > 1_000_000) {
          problems.add(bat + ".weight: must be an integer 0..1000000");
          continue;
        }
        weight = b.path("weight").asInt();
      }
      String ns = b.path("namespace").asText(key.namespace());
      if (!ns.equals(key.namespace()) && !GatewayApi.allowed(parents.grants(ns), key.namespace(), name)) {
        warnings.add(bat + ": Service " + ns + "/" + name + " is in another namespace and no ReferenceGrant there allows"
            + " HTTPRoutes of namespace " + key.namespace() + " to name it; left out (the Gateway answers 500 for its share)");
        continue;
      }
      refs.add(new ServiceRef(ServiceRef.Kind.SERVICE, ns, name, b.path("port").asText(), weight));
    }
    ServiceRef first = refs.stream().filter(r -> r.weightOrDefault() > 0).findFirst().orElse(refs.isEmpty() ? null : refs.get(0));
    if (first == null) {
      if (!backendRefs.isEmpty()) {
        warnings.add(at + ": no Service backend is left; not routed");
      }
      return null;
    }
    // the route's backend first (the one its Consul service is named after), the others in declared order
    refs.remove(first);
    refs.add(0, first);
    return new Backend(first.name(), Integer.parseInt(first.port()), null);
  }

  /** The elements of a JSON list; none for anything else (the API server's schema allows only lists there). */
  static List<JsonNode> items(JsonNode node) {
    List<JsonNode> out = new ArrayList<>();
    if (node != null && node.isArray()) {
      node.forEach(out::add);
    }
    return out;
  }

  private static boolean redirectsToHttps(JsonNode rule) {
    for (JsonNode f : rule.path("filters")) {
      if (f.path("type").asText("").equals("RequestRedirect") && f.path("requestRedirect").path("scheme").asText("").equals("https")) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasFilter(JsonNode rule, String type) {
    for (JsonNode f : rule.path("filters")) {
      if (f.path("type").asText("").equals(type)) {
        return true;
      }
    }
    return false;
  }

  /**
   * One match as rule conditions (null expr: every request of the hostnames), its path for naming,
   * and whether it is plain: an Exact path or {@code /} and nothing else, as an Ingress path reads.
   */
  private record Conditions(RuleExpr expr, String path, PathMatch pathMatch, boolean plain) {}

  private static Conditions conditions(JsonNode match, String at, List<String> problems) {
    List<RuleExpr> all = new ArrayList<>();
    String path = "/";
    PathMatch pathMatch = PathMatch.PREFIX;
    int before = problems.size();
    if (match != null && match.has("path")) {
      JsonNode p = match.path("path");
      String type = p.path("type").asText("PathPrefix");
      String value = p.path("value").asText("/");
      if (!literal(value, at + ".path.value", problems)) {
        return null;
      }
      switch (type) {
        case "Exact" -> {
          if (!value.startsWith("/")) {
            problems.add(at + ".path.value: '" + value + "' must start with /");
          }
          all.add(matcher("Path", value));
          path = value;
          pathMatch = PathMatch.EXACT;
        }
        case "PathPrefix" -> {
          if (!value.startsWith("/")) {
            problems.add(at + ".path.value: '" + value + "' must start with /");
          }
          String trimmed = value.length() > 1 && value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
          if (!trimmed.equals("/")) {
            // the Gateway API matches prefixes per path element: /foo matches /foo and /foo/bar, never /foobar
            all.add(new RuleExpr.Or(matcher("Path", trimmed), matcher("PathPrefix", trimmed + "/")));
            path = trimmed;
          }
        }
        case "RegularExpression" -> {
          if (regexp(value, at + ".path.value", problems)) {
            all.add(matcher("PathRegexp", value));
          }
        }
        default -> problems.add(at + ".path.type: '" + type + "' is not Exact, PathPrefix or RegularExpression");
      }
    }
    if (match != null) {
      nameValueMatchers(match.path("headers"), at + ".headers", "Header", "HeaderRegexp", all, problems);
      nameValueMatchers(match.path("queryParams"), at + ".queryParams", "Query", "QueryRegexp", all, problems);
      if (match.has("method")) {
        String method = match.path("method").asText("");
        if (!method.matches("[A-Z]+")) {
          problems.add(at + ".method: '" + method + "' is not an HTTP method");
        } else {
          all.add(matcher("Method", method));
        }
      }
    }
    if (problems.size() > before) {
      return null;
    }
    RuleExpr expr = null;
    for (RuleExpr e : all) {
      expr = expr == null ? e : new RuleExpr.And(expr, e);
    }
    boolean plain = pathMatch == PathMatch.EXACT ? all.size() == 1 : all.isEmpty();
    return new Conditions(expr, path, pathMatch, plain);
  }

  /** Rule arguments are written between backticks: a value holding one cannot be expressed. */
  private static boolean literal(String value, String at, List<String> problems) {
    if (value.indexOf('`') >= 0) {
      problems.add(at + ": '" + value + "' holds a backtick, which a Traefik rule cannot express");
      return false;
    }
    return true;
  }

  private static RuleExpr matcher(String name, String... args) {
    return new RuleExpr.Matcher(name, List.of(args));
  }

  /** Exact hostnames first, then wildcards, each sorted: the first names the route. */
  private static List<String> exactFirst(List<String> hostnames) {
    List<String> ordered = new ArrayList<>(hostnames.stream().filter(h -> !h.startsWith("*.")).sorted().toList());
    ordered.addAll(hostnames.stream().filter(h -> h.startsWith("*.")).sorted().toList());
    return ordered;
  }

  /**
   * The route of one effective hostname and one match. A plain one — an exact hostname with a path
   * {@code Exact} or {@code PathPrefix /}, no headers, query parameters or method — is declared as
   * an Ingress path is (host + path, no rule of its own), so it is the same route group, with the
   * same Consul name, as an Ingress of that host and path. Other matches keep their rule: a
   * {@code PathPrefix} other than {@code /} matches per path element, which Traefik's
   * {@code PathPrefix} — an Ingress {@code Prefix} path as Tributary reads it — does not.
   */
  private static Route route(
      ObjectKey key, Instant created, String host, boolean tls, Conditions c, Backend backend, List<ServiceRef> refs) {
    boolean wildcard = host.startsWith("*.");
    RuleExpr hostMatcher = wildcard ? RulePrinter.hostSuffix(host.substring(2)) : matcher("Host", host);
    RuleExpr rule = c.expr() == null ? hostMatcher : new RuleExpr.And(hostMatcher, c.expr());
    if (!wildcard && c.plain()) {
      rule = null;
    }
    return new Route(key, created, host, c.path(), c.pathMatch(), backend, List.of(), List.of(), null, tls, false, false,
        rule, List.of(host)).withServices(refs);
  }

  /** The namespaces whose ReferenceGrants can change this route's translation: those of its cross-namespace backends. */
  public static Set<String> grantNamespaces(ObjectKey key, ObjectNode object) {
    Set<String> out = new TreeSet<>();
    for (JsonNode rule : object.path("spec").path("rules")) {
      for (JsonNode b : rule.path("backendRefs")) {
        String ns = b.path("namespace").asText(key.namespace());
        if (!ns.equals(key.namespace())) {
          out.add(ns);
        }
      }
    }
    return out;
  }

  /** The Gateways ({@code namespace/name}) this route's translation depends on. */
  public static Set<String> gatewayNames(ObjectKey key, ObjectNode object) {
    Set<String> out = new TreeSet<>();
    for (JsonNode ref : object.path("spec").path("parentRefs")) {
      if (ref.path("group").asText(GatewayApi.GROUP).equals(GatewayApi.GROUP) && ref.path("kind").asText("Gateway").equals("Gateway")) {
        out.add(ref.path("namespace").asText(key.namespace()) + "/" + ref.path("name").asText(""));
      }
    }
    return out;
  }

  /** Header or query-parameter matches ({@code name}, {@code value}, {@code type} Exact or RegularExpression) as matchers. */
  private static void nameValueMatchers(JsonNode node, String at, String exact, String regexp, List<RuleExpr> all,
      List<String> problems) {
    List<JsonNode> entries = items(node);
    for (int i = 0; i < entries.size(); i++) {
      JsonNode e = entries.get(i);
      String eat = at + "[" + i + "]";
      String type = e.path("type").asText("Exact");
      String name = e.path("name").asText("");
      String value = e.path("value").asText("");
      if (name.isEmpty()) {
        problems.add(eat + ".name is required");
      } else if (literal(name, eat + ".name", problems) && literal(value, eat + ".value", problems)) {
        switch (type) {
          case "Exact" -> all.add(matcher(exact, name, value));
          case "RegularExpression" -> {
            if (regexp(value, eat + ".value", problems)) {
              all.add(matcher(regexp, name, value));
            }
          }
          default -> problems.add(eat + ".type: '" + type + "' is not Exact or RegularExpression");
        }
      }
    }
  }

  /** True if {@code value} is a regexp Traefik can use; else its problem is added (Traefik would refuse the router). */
  private static boolean regexp(String value, String at, List<String> problems) {
    String bad = GoRegexp.problem(value);
    if (bad != null) {
      problems.add(at + ": '" + value + "' " + bad);
    }
    return bad == null;
  }
}
