package io.tributary.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.kind.ResourceKind;
import io.tributary.settings.TranslateSettings;
import io.tributary.watch.ObjectKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Translates one {@code networking.k8s.io/v1} Ingress into {@link Route}s; pure, no I/O.
 *
 * <p>The contract, in the order it is applied. Each rule and each path is judged on its own: a bad
 * rule (no or invalid host, paths not a list) or a bad path (pathType, path, backend) becomes a
 * {@link Translation.RejectedPart} with its reason while the good ones are published, and the
 * object is partly accepted. A problem of the object as a whole (apiVersion/kind, annotations, the
 * class, creationTimestamp, spec.tls, spec.defaultBackend) rejects the whole object, since the
 * rest would mean something else without it; so does an object whose every part is bad. Reasons
 * are joined with "; ".
 *
 * <ol>
 *   <li>{@code apiVersion}, if present, must be {@code networking.k8s.io/v1}; {@code kind}, if
 *       present, must be {@code Ingress}.
 *   <li>{@code <prefix>expose: "false"} ignores the object; any value but true/false rejects it.
 *   <li>Class = {@code spec.ingressClassName}, else annotation {@code kubernetes.io/ingress.class}.
 *       An empty class filter passes everything; otherwise an unclassed object passes only with
 *       {@code include-unclassed}, and a class outside the filter is ignored (a class of {@code
 *       translate.nginx-classes} passes too: {@link NginxAnnotations} reads its annotations). Objects
 *       that are ignored are never rejected, since they are not ours.
 *   <li>{@code created} = {@code metadata.creationTimestamp} (ISO-8601; unparsable rejects),
 *       {@link Instant#EPOCH} if absent.
 *   <li>Every rule needs a valid {@link Hostnames hostname}, lower-cased: a host-less rule would
 *       capture its paths on every hostname of the shared Traefik. Such a rule is rejected with
 *       its paths (part {@code spec.rules[i]}).
 *   <li>{@code pathType} is required: Exact → EXACT, Prefix and ImplementationSpecific → PREFIX (as
 *       Traefik treats it). {@code path} defaults to "/" only for ImplementationSpecific, must
 *       start with "/" and hold no backtick, whitespace or control character (it is written into a
 *       Traefik rule). PREFIX paths lose one trailing "/" (Kubernetes prefix matching is
 *       element-wise), except "/" itself.
 *   <li>A backend needs a service name and exactly one of port number (1..65535) or port name;
 *       resource backends cannot be routed from outside the cluster. A bad path or backend rejects
 *       that path only (part {@code spec.rules[i].http.paths[j]}).
 *   <li>A rule without paths contributes no route, with a warning.
 *   <li>A repeated host + match + path keeps the first, with a warning.
 *   <li>{@code spec.defaultBackend} adds a catch-all PREFIX "/" route for every distinct rule and
 *       TLS host that has no PREFIX "/" route already; without any host it is rejected. With a
 *       default backend any rejected part rejects the whole object: the catch-all would take over
 *       the bad part's requests.
 *   <li>A route is TLS if a {@code spec.tls[].hosts} entry covers its host (wildcards cover one
 *       label) or {@code traefik.ingress.kubernetes.io/router.tls} is "true".
 *   <li>{@code router.entrypoints}: comma-separated names of {@code [A-Za-z0-9_-]+}.
 *   <li>{@code router.middlewares}: references to other providers are kept verbatim; Middleware
 *       objects ({@code <namespace>-<name>@kubernetescrd}, or without a provider) are resolved when
 *       the route is planned ({@link Middlewares}).
 *   <li>{@code router.priority}: an integer ≥ 0.
 *   <li>Traefik 1 {@code traefik.frontend.rule.type} or {@code
 *       traefik.ingress.kubernetes.io/rule-type} (they must agree if both are set): PathPrefixStrip
 *       and PathStrip strip the path of every non-"/" route; PathPrefix and Path change nothing;
 *       anything else is rejected.
 *   <li>Routes come rules first, paths in order, then catch-alls in host order.
 *   <li>An object without routes is accepted with a "declares no routes" warning.
 * </ol>
 */
public final class IngressTranslator {

  /** The only Ingress API version translated. */
  public static final String API_VERSION = ResourceKind.INGRESS.current().apiVersion();

  static final String CLASS_ANNOTATION = "kubernetes.io/ingress.class";
  static final String TLS_ANNOTATION = "traefik.ingress.kubernetes.io/router.tls";
  static final String ENTRYPOINTS_ANNOTATION = "traefik.ingress.kubernetes.io/router.entrypoints";
  static final String MIDDLEWARES_ANNOTATION = "traefik.ingress.kubernetes.io/router.middlewares";
  static final String PRIORITY_ANNOTATION = "traefik.ingress.kubernetes.io/router.priority";
  static final String RULE_TYPE_ANNOTATION = "traefik.frontend.rule.type";
  static final String RULE_TYPE_ANNOTATION_V1_INGRESS = "traefik.ingress.kubernetes.io/rule-type";

  private static final Pattern ENTRYPOINT = Pattern.compile("[A-Za-z0-9_-]+");
  private static final Pattern NON_NEGATIVE_INT = Pattern.compile("[0-9]+");
  private static final String ROOT = "/";

  private IngressTranslator() {}

  /** Translates one Ingress; key names the object (cluster/kind/namespace/name). */
  public static Translation translate(
      ObjectKey key, ObjectNode ingress, TranslateSettings settings) {
    String apiVersion = scalar(ingress.get("apiVersion"));
    if (apiVersion != null && !apiVersion.equals(API_VERSION)) {
      return new Translation.Rejected(
          "unsupported apiVersion "
              + apiVersion
              + "; only "
              + API_VERSION
              + " "
              + ResourceKind.INGRESS.kind()
              + " is translated");
    }
    String kind = scalar(ingress.get("kind"));
    if (kind != null && !kind.equals(ResourceKind.INGRESS.kind())) {
      return new Translation.Rejected(
          "unsupported kind " + kind + "; only " + API_VERSION + " " + ResourceKind.INGRESS.kind() + " is translated");
    }

    List<String> problems = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    Map<String, String> annotations = annotations(ingress.path("metadata"), problems);
    JsonNode spec = ingress.path("spec");

    String exposeName = settings.annotationPrefix() + "expose";
    String expose = annotations.get(exposeName);
    if ("false".equals(expose)) {
      return new Translation.Ignored(exposeName + " is false");
    }
    String notOurs = classFilter(spec, annotations, settings);
    if (notOurs != null) {
      return new Translation.Ignored(notOurs);
    }
    if (expose != null && !expose.equals("true")) {
      problems.add(annotationProblem(exposeName, "'" + expose + "' is neither true nor false"));
    }

    Instant created = Timestamps.created(ingress.path("metadata"), problems);
    RouterOptions options = routerOptions(annotations, problems);
    List<String> tlsHosts = tlsHosts(spec.get("tls"), problems);

    List<Draft> drafts = new ArrayList<>();
    Set<String> hosts = new LinkedHashSet<>();
    List<Translation.RejectedPart> rejectedParts = new ArrayList<>();
    rules(spec.get("rules"), drafts, hosts, rejectedParts, problems, warnings);
    hosts.addAll(tlsHosts);

    // Problems found after the rules (spec.defaultBackend), listed after the parts' reasons.
    List<String> laterProblems = new ArrayList<>();
    JsonNode defaultBackendNode = spec.get("defaultBackend");
    if (present(defaultBackendNode)) {
      Backend fallback = backend(defaultBackendNode, "spec.defaultBackend", laterProblems);
      if (hosts.isEmpty()) {
        laterProblems.add(
            "spec.defaultBackend without any host would capture every hostname on the shared"
                + " Traefik");
      } else if (fallback != null) {
        Set<String> rootCovered = new HashSet<>();
        for (Draft d : drafts) {
          if (d.match() == PathMatch.PREFIX && d.path().equals(ROOT)) {
            rootCovered.add(d.host());
          }
        }
        for (String host : hosts) {
          if (!rootCovered.contains(host)) {
            drafts.add(new Draft(host, ROOT, PathMatch.PREFIX, fallback, true, "spec.defaultBackend"));
          }
        }
      }
      if (!rejectedParts.isEmpty() && laterProblems.isEmpty()) {
        // The catch-all would take over the requests of the rejected parts: publishing the rest would
        // divert them to the default backend instead of leaving them as they were.
        laterProblems.add(
            "spec.defaultBackend: with a default backend every rule must be valid (it would catch the"
                + " requests of the rejected ones)");
      }
    }

    if (!problems.isEmpty() || !laterProblems.isEmpty() || (drafts.isEmpty() && !rejectedParts.isEmpty())) {
      // Object-wide problems, or nothing left to publish: the whole object is rejected, every reason listed.
      List<String> all = new ArrayList<>(problems);
      rejectedParts.forEach(p -> all.add(p.reason()));
      all.addAll(laterProblems);
      return new Translation.Rejected(String.join("; ", all));
    }
    List<Route> routes = new ArrayList<>(drafts.size());
    List<String> routeParts = new ArrayList<>(drafts.size());
    for (Draft d : drafts) {
      boolean tls =
          options.tls() || tlsHosts.stream().anyMatch(t -> Hostnames.wildcardCovers(t, d.host()));
      // Stripping "/" is a no-op at best, so only real prefixes are stripped.
      boolean strip = options.strip() && !d.catchAll() && !d.path().equals(ROOT);
      routes.add(
          new Route(
              key,
              created,
              d.host(),
              d.path(),
              d.match(),
              d.backend(),
              options.entrypoints(),
              options.middlewares(),
              options.priority(),
              tls,
              strip,
              d.catchAll()));
      routeParts.add(d.part());
    }
    if (routes.isEmpty()) {
      warnings.add("declares no routes");
    }
    return new Translation.Accepted(routes, warnings, rejectedParts, routeParts);
  }

  /** One route before the object-wide options are known; {@code part} is the JSON path that declared it. */
  private record Draft(
      String host, String path, PathMatch match, Backend backend, boolean catchAll, String part) {}

  /** Annotation-driven options shared by every route of the object. */
  private record RouterOptions(
      List<String> entrypoints,
      List<String> middlewares,
      Integer priority,
      boolean tls,
      boolean strip) {}

  private static String classFilter(
      JsonNode spec, Map<String, String> annotations, TranslateSettings settings) {
    if (settings.ingressClasses().isEmpty()) {
      return null;
    }
    String ingressClass = nonEmpty(scalar(spec.get("ingressClassName")));
    if (ingressClass == null) {
      ingressClass = nonEmpty(annotations.get(CLASS_ANNOTATION));
    }
    if (ingressClass == null) {
      return settings.includeUnclassed()
          ? null
          : "no ingress class and translate.include-unclassed is off";
    }
    if (!settings.ingressClasses().contains(ingressClass) && !settings.isNginxClass(ingressClass)) {
      // Sorted, so the reason is stable across runs.
      return "ingress class '"
          + ingressClass
          + "' is not one of "
          + new TreeSet<>(settings.ingressClasses());
    }
    return null;
  }

  private static Map<String, String> annotations(JsonNode metadata, List<String> problems) {
    Map<String, String> out = new LinkedHashMap<>();
    JsonNode node = metadata.get("annotations");
    if (!present(node)) {
      return out;
    }
    if (!node.isObject()) {
      problems.add("metadata.annotations: not a map");
      return out;
    }
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      String value = scalar(e.getValue());
      if (value == null) {
        problems.add(annotationProblem(e.getKey(), "not a string"));
      } else {
        out.put(e.getKey(), value);
      }
    }
    return out;
  }

  private static RouterOptions routerOptions(Map<String, String> a, List<String> problems) {
    boolean tls = false;
    String tlsValue = a.get(TLS_ANNOTATION);
    if (tlsValue != null) {
      if (tlsValue.equals("true")) {
        tls = true;
      } else if (!tlsValue.equals("false")) {
        problems.add(
            annotationProblem(TLS_ANNOTATION, "'" + tlsValue + "' is neither true nor false"));
      }
    }

    List<String> entrypoints = new ArrayList<>();
    String epValue = a.get(ENTRYPOINTS_ANNOTATION);
    if (epValue != null) {
      for (String item : epValue.split(",", -1)) {
        String ep = item.trim();
        if (ep.isEmpty()) {
          problems.add(
              annotationProblem(ENTRYPOINTS_ANNOTATION, "empty entry point in '" + epValue + "'"));
        } else if (!ENTRYPOINT.matcher(ep).matches()) {
          problems.add(
              annotationProblem(
                  ENTRYPOINTS_ANNOTATION,
                  "entry point '" + ep + "' has characters outside A-Z a-z 0-9 _ -"));
        } else {
          entrypoints.add(ep);
        }
      }
    }

    List<String> middlewares = new ArrayList<>();
    String mwValue = a.get(MIDDLEWARES_ANNOTATION);
    if (mwValue != null) {
      for (String item : mwValue.split(",", -1)) {
        String ref = item.trim();
        String reason = middlewareReason(ref);
        if (reason != null) {
          problems.add(annotationProblem(MIDDLEWARES_ANNOTATION, reason));
        } else {
          // <namespace>-<name> without a provider is a Middleware object too, as in Traefik
          middlewares.add(ref.contains("@") ? ref : ref + Middlewares.KUBERNETES);
        }
      }
    }

    Integer priority = null;
    String prValue = a.get(PRIORITY_ANNOTATION);
    if (prValue != null) {
      try {
        if (!NON_NEGATIVE_INT.matcher(prValue).matches()) {
          throw new NumberFormatException(prValue);
        }
        priority = Integer.parseInt(prValue);
      } catch (NumberFormatException e) {
        problems.add(
            annotationProblem(PRIORITY_ANNOTATION, "'" + prValue + "' is not an integer ≥ 0"));
      }
    }

    boolean strip = ruleTypeStrips(a, problems);
    return new RouterOptions(entrypoints, middlewares, priority, tls, strip);
  }

  private static String middlewareReason(String ref) {
    if (ref.isEmpty()) {
      return "empty middleware reference";
    }
    int at = ref.lastIndexOf('@');
    if (at >= 0 && ref.substring(at + 1).equals("kubernetesingress")) {
      return "middleware '" + ref + "' names the Kubernetes Ingress provider, which defines no middlewares"
          + " (a Middleware object is <namespace>-<name>@kubernetescrd)";
    }
    if (at == 0 || at == ref.length() - 1) {
      return "middleware '" + ref + "' needs both a name and a provider (name@provider)";
    }
    return null;
  }


  private static boolean ruleTypeStrips(Map<String, String> a, List<String> problems) {
    String v1 = a.get(RULE_TYPE_ANNOTATION);
    String v2 = a.get(RULE_TYPE_ANNOTATION_V1_INGRESS);
    if (v1 != null && v2 != null && !v1.equals(v2)) {
      // Traefik 1 read only one of them depending on version; refuse to guess which.
      problems.add(
          "metadata.annotations: "
              + RULE_TYPE_ANNOTATION
              + " '"
              + v1
              + "' and "
              + RULE_TYPE_ANNOTATION_V1_INGRESS
              + " '"
              + v2
              + "' disagree");
      return false;
    }
    String name = v1 != null ? RULE_TYPE_ANNOTATION : RULE_TYPE_ANNOTATION_V1_INGRESS;
    String value = v1 != null ? v1 : v2;
    if (value == null) {
      return false;
    }
    switch (value) {
      case "PathPrefixStrip":
      case "PathStrip":
        return true;
      case "PathPrefix":
      case "Path":
        return false;
      default:
        problems.add(
            "metadata.annotations: "
                + name
                + " '"
                + value
                + "' is not supported (supported:"
                + " PathPrefixStrip, PathPrefix, PathStrip, Path)");
        return false;
    }
  }

  private static List<String> tlsHosts(JsonNode tls, List<String> problems) {
    List<String> out = new ArrayList<>();
    if (!present(tls)) {
      return out;
    }
    if (!tls.isArray()) {
      problems.add("spec.tls: not a list");
      return out;
    }
    for (int k = 0; k < tls.size(); k++) {
      JsonNode hosts = tls.get(k).get("hosts");
      if (!present(hosts)) {
        continue;
      }
      if (!hosts.isArray()) {
        problems.add("spec.tls[" + k + "].hosts: not a list");
        continue;
      }
      for (int m = 0; m < hosts.size(); m++) {
        String host = validHost(hosts.get(m), "spec.tls[" + k + "].hosts[" + m + "]", problems);
        if (host != null && !out.contains(host)) {
          out.add(host);
        }
      }
    }
    return out;
  }

  /**
   * Judges each rule and path on its own: a rule's problem (its host, its paths list) rejects the
   * rule with its paths, a path's problem rejects that path; both become {@code rejectedParts}.
   * Only a rules list that is not a list is an object-wide problem.
   */
  private static void rules(
      JsonNode rules,
      List<Draft> drafts,
      Set<String> hosts,
      List<Translation.RejectedPart> rejectedParts,
      List<String> problems,
      List<String> warnings) {
    if (!present(rules)) {
      return;
    }
    if (!rules.isArray()) {
      problems.add("spec.rules: not a list");
      return;
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < rules.size(); i++) {
      String at = "spec.rules[" + i + "]";
      JsonNode rule = rules.get(i);
      // The rule's own problems first, then those of its paths: the rule is rejected with all of them.
      List<String> ruleProblems = new ArrayList<>();
      JsonNode hostNode = rule.get("host");
      String host = null;
      if (!present(hostNode) || (hostNode.isTextual() && hostNode.textValue().isEmpty())) {
        ruleProblems.add(
            at
                + ": no host; a host-less rule would capture its paths on every hostname of the"
                + " shared Traefik");
      } else {
        host = validHost(hostNode, at + ".host", ruleProblems);
      }
      if (host != null) {
        hosts.add(host);
      }

      JsonNode paths = rule.path("http").get("paths");
      if (!present(paths) || (paths.isArray() && paths.isEmpty())) {
        if (host != null) {
          warnings.add(at + ": host " + host + " has no paths");
        }
        rejectRule(at, ruleProblems, rejectedParts);
        continue;
      }
      if (!paths.isArray()) {
        ruleProblems.add(at + ".http.paths: not a list");
        rejectRule(at, ruleProblems, rejectedParts);
        continue;
      }
      List<Translation.RejectedPart> pathParts = new ArrayList<>();
      for (int j = 0; j < paths.size(); j++) {
        String pat = at + ".http.paths[" + j + "]";
        JsonNode p = paths.get(j);
        List<String> pathProblems = new ArrayList<>();
        PathMatch match = pathMatch(p, pat, pathProblems);
        String path = path(p, pat, pathProblems);
        Backend backend = backend(p.get("backend"), pat + ".backend", pathProblems);
        if (!pathProblems.isEmpty()) {
          pathParts.add(new Translation.RejectedPart(pat, String.join("; ", pathProblems)));
        }
        if (host == null || match == null || path == null || backend == null) {
          continue;
        }
        if (match == PathMatch.PREFIX && path.length() > 1 && path.endsWith("/")) {
          path = path.substring(0, path.length() - 1);
        }
        if (!seen.add(host + " " + match + " " + path)) {
          warnings.add(
              pat
                  + ": host "
                  + host
                  + " "
                  + match.name().toLowerCase(Locale.ROOT)
                  + " path "
                  + path
                  + " is declared earlier in this object; the first one is kept");
          continue;
        }
        drafts.add(new Draft(host, path, match, backend, false, pat));
      }
      if (!ruleProblems.isEmpty()) {
        pathParts.forEach(pp -> ruleProblems.add(pp.reason()));
        rejectRule(at, ruleProblems, rejectedParts);
      } else {
        rejectedParts.addAll(pathParts);
      }
    }
  }

  private static void rejectRule(
      String at, List<String> ruleProblems, List<Translation.RejectedPart> rejectedParts) {
    if (!ruleProblems.isEmpty()) {
      rejectedParts.add(new Translation.RejectedPart(at, String.join("; ", ruleProblems)));
    }
  }

  private static PathMatch pathMatch(JsonNode p, String at, List<String> problems) {
    String type = scalar(p.get("pathType"));
    if (type == null || type.isEmpty()) {
      problems.add(at + ".pathType is required");
      return null;
    }
    switch (type) {
      case "Exact":
        return PathMatch.EXACT;
      case "Prefix":
      case "ImplementationSpecific": // Traefik reads it as a prefix
        return PathMatch.PREFIX;
      default:
        problems.add(
            at + ".pathType: '" + type + "' is not one of Exact, Prefix, ImplementationSpecific");
        return null;
    }
  }

  private static String path(JsonNode p, String at, List<String> problems) {
    String type = scalar(p.get("pathType"));
    String path = scalar(p.get("path"));
    if (path == null || path.isEmpty()) {
      if ("ImplementationSpecific".equals(type)) {
        return ROOT;
      }
      if (type != null && !type.isEmpty()) {
        problems.add(at + ".path is required for pathType " + type);
      }
      // Without a pathType the pathType problem already explains this entry.
      return null;
    }
    if (!path.startsWith("/")) {
      problems.add(at + ".path: '" + path + "' does not start with '/'");
      return null;
    }
    for (int c = 0; c < path.length(); c++) {
      char ch = path.charAt(c);
      if (ch == '`'
          || Character.isWhitespace(ch)
          || Character.isSpaceChar(ch)
          || Character.isISOControl(ch)) {
        problems.add(
            at
                + ".path: "
                + quoteForReason(path)
                + " contains a backtick, whitespace or a control"
                + " character, which cannot be written into a Traefik rule");
        return null;
      }
    }
    return path;
  }

  private static Backend backend(JsonNode b, String at, List<String> problems) {
    if (!present(b) || !b.isObject()) {
      problems.add(at + ": required");
      return null;
    }
    if (present(b.get("resource"))) {
      problems.add(at + ": resource backends cannot be routed from outside the cluster");
      return null;
    }
    JsonNode service = b.path("service");
    String name = scalar(service.get("name"));
    if (name == null || name.isEmpty()) {
      problems.add(at + ": no service name");
      return null;
    }
    JsonNode port = service.get("port");
    JsonNode number = present(port) ? port.get("number") : null;
    String portName = present(port) ? nonEmpty(scalar(port.get("name"))) : null;
    boolean hasNumber = present(number);
    if (hasNumber && portName != null) {
      problems.add(at + ".service.port: set either number or name, not both");
      return null;
    }
    if (!hasNumber && portName == null) {
      problems.add(at + ".service.port: a port number or name is required");
      return null;
    }
    if (hasNumber) {
      if (!number.isIntegralNumber()
          || !number.canConvertToInt()
          || number.intValue() < 1
          || number.intValue() > 65535) {
        problems.add(at + ".service.port.number: " + number + " is not a port number in 1..65535");
        return null;
      }
      return new Backend(name, number.intValue(), null);
    }
    return new Backend(name, null, portName);
  }

  private static String validHost(JsonNode node, String at, List<String> problems) {
    if (!node.isTextual()) {
      problems.add(at + ": not a string");
      return null;
    }
    String host = node.textValue().toLowerCase(Locale.ROOT);
    String reason = Hostnames.invalidReason(host);
    if (reason != null) {
      problems.add(at + ": '" + node.textValue() + "' is not a valid hostname: " + reason);
      return null;
    }
    return host;
  }

  private static String annotationProblem(String name, String what) {
    return "metadata.annotations[" + name + "]: " + what;
  }

  /** Control characters are escaped so the reason stays one readable line. */
  private static String quoteForReason(String s) {
    StringBuilder sb = new StringBuilder("'");
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (Character.isISOControl(ch)) {
        sb.append(String.format("\\u%04x", (int) ch));
      } else {
        sb.append(ch);
      }
    }
    return sb.append('\'').toString();
  }

  private static boolean present(JsonNode n) {
    return n != null && !n.isMissingNode() && !n.isNull();
  }

  /** The text of a scalar node, null for absent, null or structured nodes. */
  private static String scalar(JsonNode n) {
    if (!present(n) || !n.isValueNode()) {
      return null;
    }
    return n.asText();
  }

  private static String nonEmpty(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
