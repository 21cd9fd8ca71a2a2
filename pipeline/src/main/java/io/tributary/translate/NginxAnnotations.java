package io.tributary.translate;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.settings.TagSyntax;
import io.tributary.settings.TranslateSettings;
import io.tributary.translate.rule.GoRegexp;
import io.tributary.translate.rule.RuleParser;
import io.tributary.watch.ObjectKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code nginx.ingress.kubernetes.io/*} annotations of an Ingress of a class in {@code
 * translate.nginx-classes} (an ingress-nginx migration). Pure.
 *
 * <p>Requests reach a cluster through the VM-side Traefik, then the cluster's own controller (its
 * Traefik with the NGINX provider, or ingress-nginx until it is replaced), which reads the same
 * annotations. Each annotation is therefore applied in exactly one place:
 *
 * <ul>
 *   <li><b>edge</b> (a middleware of the VM-side Traefik, defined by the Ingress itself and carried
 *       like a Middleware object, §1g): what must see the client or can answer without the cluster —
 *       source-range allow lists (only the edge sees the client's address), redirects
 *       (ssl/force-ssl, permanent/temporal, app-root), CORS and the body-size limit;
 *   <li><b>cluster</b> (the cluster's controller, not repeated at the edge): what changes the
 *       request the cluster routes on or talks to the pods — rewrite-target (rewritten twice, or
 *       rewritten before the cluster matches the original path, the request would miss), upstream-vhost
 *       (the cluster routes on Host), auth-url (its address is usually cluster-internal),
 *       backend-protocol, and the canary split (the edge reaches the cluster's ingress, never a
 *       Service);
 *   <li><b>route</b>: what shapes the route itself — use-regex (a {@code PathRegexp} rule),
 *       server-alias (more hosts, with DNS), canary (joins its primary's route group).
 * </ul>
 *
 * <p>Snippets (raw NGINX configuration) are never carried: they hold the object back unless {@code
 * translate.nginx-drop-snippets}. An allow list or redirect that cannot be read holds it back too
 * (published without it, the route would lose what it enforces). Unknown annotations are reported.
 */
public final class NginxAnnotations {
  /** The annotation prefix of ingress-nginx. */
  public static final String PREFIX = "nginx.ingress.kubernetes.io/";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String TRAEFIK_DOC = "Traefik's NGINX provider supports it";

  /** How an annotation fares: as NGINX applies it, close to it, or not at all. */
  public enum Verdict {
    CARRIED, APPROXIMATED, REFUSED;

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Where an annotation takes effect. */
  public enum Where {
    EDGE("VM-side Traefik"), CLUSTER("cluster's controller"), ROUTE("route"), NOWHERE("not applied");

    private final String shown;

    Where(String shown) {
      this.shown = shown;
    }

    @Override
    public String toString() {
      return shown;
    }
  }

  /** One annotation's verdict: {@code traefik} is what it becomes, {@code note} why or how. */
  public record Finding(String annotation, String value, Verdict verdict, Where where, String traefik, String note) {
    @Override
    public String toString() {
      return PREFIX + annotation + ": " + verdict + " (" + where + ")"
          + (traefik.isEmpty() ? "" : " → " + traefik) + (note.isEmpty() ? "" : "; " + note);
    }
  }

  /**
   * What the annotations of one Ingress mean.
   *
   * @param findings one per annotation, sorted by name
   * @param holdBack reasons the object must not be published (snippets, unreadable allow lists, …)
   * @param warnings worth reporting, block nothing
   * @param edge middlewares of the VM-side Traefik for every route, in the order they apply
   * @param regex paths are regular expressions (use-regex, or implied by rewrite-target)
   * @param aliases server-alias hostnames: every route is also declared for each
   * @param canary the canary share, or null when not a canary
   */
  public record Reading(
      List<Finding> findings, List<String> holdBack, List<String> warnings, List<Middlewares.Definition> edge,
      boolean regex, List<String> aliases, Canary canary) {}

  /** Annotations the cluster's Traefik applies as NGINX does (its NGINX provider's support table). */
  private static final Map<String, String> IN_CLUSTER = Map.ofEntries(
      Map.entry("auth-type", "basicAuth/digestAuth from the Secret"),
      Map.entry("auth-secret", "basicAuth users"),
      Map.entry("auth-secret-type", "basicAuth users"),
      Map.entry("auth-realm", "basicAuth realm"),
      Map.entry("auth-signin", "redirect to the sign-in URL on 401"),
      Map.entry("auth-method", "forwardAuth method"),
      Map.entry("auth-tls-secret", "client certificate CA"),
      Map.entry("auth-tls-verify-client", "client certificate check"),
      Map.entry("auth-tls-pass-certificate-to-upstream", "passTLSClientCert"),
      Map.entry("proxy-ssl-server-name", "serversTransport serverName"),
      Map.entry("proxy-ssl-name", "serversTransport serverName"),
      Map.entry("proxy-ssl-verify", "serversTransport insecureSkipVerify"),
      Map.entry("proxy-ssl-secret", "serversTransport certificates"),
      Map.entry("affinity", "sticky cookie"),
      Map.entry("affinity-mode", "sticky cookie (persistent only)"),
      Map.entry("session-cookie-name", "sticky cookie"),
      Map.entry("session-cookie-secure", "sticky cookie"),
      Map.entry("session-cookie-path", "sticky cookie"),
      Map.entry("session-cookie-domain", "sticky cookie"),
      Map.entry("session-cookie-samesite", "sticky cookie"),
      Map.entry("session-cookie-max-age", "sticky cookie"),
      Map.entry("session-cookie-expires", "sticky cookie"),
      Map.entry("load-balance", "round robin only"),
      Map.entry("service-upstream", "the Service's cluster IP"),
      Map.entry("custom-headers", "headers from a ConfigMap"),
      Map.entry("from-to-www-redirect", "www redirect (no wildcard hosts)"),
      Map.entry("proxy-connect-timeout", "serversTransport dialTimeout"));

  /** The headers middleware option each cors-* annotation sets. */
  private static final Map<String, String> CORS_FIELDS = Map.of(
      "cors-allow-origin", "accessControlAllowOriginList",
      "cors-allow-methods", "accessControlAllowMethods",
      "cors-allow-headers", "accessControlAllowHeaders",
      "cors-expose-headers", "accessControlExposeHeaders",
      "cors-allow-credentials", "accessControlAllowCredentials",
      "cors-max-age", "accessControlMaxAge");

  /** Annotations whose absence would loosen access: refused, and the object held back. */
  private static final Set<String> SECURITY = Set.of("denylist-source-range", "auth-tls-match-cn", "satisfy", "enable-global-auth");

  private static final Pattern SIZE = Pattern.compile("([0-9]+)([kKmMgG]?)");
  private static final Pattern STATUS = Pattern.compile("3[0-9][0-9]");
  private static final Pattern GROUP = Pattern.compile("\\$([0-9])");
  private static final Pattern ABSOLUTE_URL = Pattern.compile("https?://[A-Za-z0-9.\\[\\]:_-]+([/?#][^\\s`]*)?");

  private NginxAnnotations() {}

  /** The ingress class an Ingress names ({@code spec.ingressClassName}, else the legacy annotation), or null. */
  public static String ingressClass(ObjectNode ingress) {
    String c = ingress.path("spec").path("ingressClassName").asText("");
    if (c.isEmpty()) {
      c = ingress.path("metadata").path("annotations").path(IngressTranslator.CLASS_ANNOTATION).asText("");
    }
    return c.isEmpty() ? null : c;
  }

  /** The {@code nginx.ingress.kubernetes.io/*} annotations of {@code ingress}, without the prefix, sorted. */
  public static Map<String, String> of(ObjectNode ingress) {
    Map<String, String> out = new TreeMap<>();
    ingress.path("metadata").path("annotations").fields().forEachRemaining(e -> {
      if (e.getKey().startsWith(PREFIX) && e.getValue().isValueNode()) {
        out.put(e.getKey().substring(PREFIX.length()), e.getValue().asText());
      }
    });
    return out;
  }

  /**
   * Applies the NGINX annotations of an nginx-class Ingress to its translation: the object held back
   * with the reasons, or its routes with their edge middlewares, regex rules, alias hosts and
   * canary share. Other objects pass unchanged.
   */
  public static Translation apply(ObjectKey key, ObjectNode ingress, Translation translation, TranslateSettings settings) {
    if (!(translation instanceof Translation.Accepted accepted)) {
      return translation;
    }
    String ingressClass = ingressClass(ingress);
    if (!settings.isNginxClass(ingressClass)) {
      Map<String, String> unread = of(ingress);
      if (unread.isEmpty()) {
        return translation;
      }
      // an allow list nobody applies is worth a line in the log
      List<String> warnings = new ArrayList<>(accepted.warnings());
      warnings.add("metadata.annotations: " + unread.size() + " " + PREFIX + "* annotation" + (unread.size() == 1 ? "" : "s")
          + " " + unread.keySet() + " not read: class " + (ingressClass == null ? "(none)" : "'" + ingressClass + "'")
          + " is not in translate.nginx-classes");
      return accepted.with(accepted.routes(), warnings);
    }
    Reading reading = read(key, of(ingress), settings);
    if (!reading.holdBack().isEmpty()) {
      return new Translation.Rejected(String.join("; ", reading.holdBack()));
    }
    List<String> warnings = new ArrayList<>(accepted.warnings());
    warnings.addAll(reading.warnings());
    List<Route> routes = new ArrayList<>();
    List<String> parts = new ArrayList<>();
    List<Translation.RejectedPart> rejected = new ArrayList<>(accepted.rejectedParts());
    List<String> problems = new ArrayList<>();
    // the Ingress's own routes, then each alias's copy of them; a copy is declared by its original's part
    List<String> hosts = new ArrayList<>(List.of(""));
    hosts.addAll(reading.aliases());
    for (String alias : hosts) {
      for (int i = 0; i < accepted.routes().size(); i++) {
        Route r = accepted.routes().get(i);
        Route route;
        if (alias.isEmpty()) {
          route = r;
        } else if (r.host().equals(alias)) {
          continue; // declared already
        } else {
          route = new Route(r.source(), r.created(), alias, r.path(), r.pathMatch(), r.backend(), r.entrypoints(),
              r.middlewares(), r.priority(), r.tls(), r.stripPrefix(), r.catchAll());
        }
        // the cluster's controller knows the Ingress's own host only (Traefik's NGINX provider does
        // not read server-alias): an alias's requests reach it under that host
        List<Middlewares.Definition> extra = alias.isEmpty() ? List.of()
            : List.of(define(key, "alias-" + alias, "headers", hostHeader(r.host())));
        String part = accepted.partOf(i);
        String problem = regexProblem(route, reading);
        if (problem == null) {
          routes.add(nginxRoute(route, reading, extra));
          if (part != null) {
            parts.add(part);
          }
        } else if (part != null) {
          // judged on its own, like any other bad path of the object
          if (rejected.stream().noneMatch(p -> p.path().equals(part))) {
            rejected.add(new Translation.RejectedPart(part, part + ": " + problem));
          }
        } else {
          problems.add(problem);
        }
      }
    }
    if (!problems.isEmpty()) {
      return new Translation.Rejected(String.join("; ", problems));
    }
    if (routes.isEmpty() && !rejected.isEmpty()) {
      return new Translation.Rejected(Translation.RejectedPart.reasons(rejected));
    }
    return new Translation.Accepted(routes, warnings, rejected, parts);
  }

  /** Why the route's path cannot be read as NGINX's regex when use-regex applies, or null. */
  private static String regexProblem(Route r, Reading reading) {
    if (!usesRegex(r, reading)) {
      return null;
    }
    String bad = GoRegexp.problem(regexOf(r.path()));
    return bad == null ? null : "path '" + r.path() + "' (use-regex) " + bad;
  }

  private static boolean usesRegex(Route r, Reading reading) {
    return reading.regex() && r.pathMatch() == PathMatch.PREFIX && !r.catchAll() && !r.path().equals("/");
  }

  private static Route nginxRoute(Route r, Reading reading, List<Middlewares.Definition> extra) {
    List<Middlewares.Definition> defined = new ArrayList<>(reading.edge());
    defined.addAll(extra);
    List<String> refs = new ArrayList<>();
    defined.forEach(d -> refs.add(d.name() + Middlewares.KUBERNETES));
    refs.addAll(r.middlewares());
    var rule = r.rule();
    if (usesRegex(r, reading)) {
      String hostOnly = new Route(r.source(), r.created(), r.host(), "/", PathMatch.PREFIX, r.backend(), List.of(), List.of(),
          null, false, false, false).rule(TagSyntax.V3);
      rule = RuleParser.parse(hostOnly + " && PathRegexp(`" + regexOf(r.path()) + "`)");
    }
    return r.withNginx(rule, r.dnsHosts().isEmpty() ? List.of() : List.of(r.host()), refs, defined, reading.canary());
  }

  /** The regular expression NGINX matches a use-regex path with: case-insensitive, anchored at the start. */
  static String regexOf(String path) {
    return "(?i)^" + path;
  }

  /**
   * Reads the annotations ({@code annotations}: names without the prefix → values) of one
   * nginx-class Ingress named {@code key}.
   */
  public static Reading read(ObjectKey key, Map<String, String> annotations, TranslateSettings settings) {
    var a = new TreeMap<>(annotations);
    List<Finding> findings = new ArrayList<>();
    List<String> holdBack = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    Map<String, Middlewares.Definition> edge = new LinkedHashMap<>();
    List<String> aliases = new ArrayList<>();

    boolean canary = bool(a, "canary", false, holdBack);
    Canary share = null;
    if (canary) {
      share = canary(a, findings, holdBack);
    }
    boolean regex = bool(a, "use-regex", false, holdBack) || a.containsKey("rewrite-target");

    for (var e : a.entrySet()) {
      String name = e.getKey();
      String value = e.getValue();
      if (name.startsWith("canary")) {
        if (!canary) {
          findings.add(new Finding(name, value, Verdict.REFUSED, Where.NOWHERE, "", "has no effect without canary: \"true\""));
          if (!name.equals("canary")) {
            warnings.add(where(name) + "has no effect without " + PREFIX + "canary: \"true\"");
          }
        }
        continue; // a canary's own annotations were read above
      }
      // use-regex shapes the path, which must stay the primary's for the canary to join it
      if (canary && !Set.of("use-regex", "load-balance", "upstream-hash-by", "affinity", "session-cookie-name").contains(name)
          && !name.endsWith("-snippet")) {
        // NGINX takes everything else from the primary Ingress
        findings.add(new Finding(name, value, Verdict.REFUSED, Where.NOWHERE, "", "ignored on a canary Ingress: NGINX applies the primary's"));
        continue;
      }
      if (name.endsWith("-snippet")) {
        String why = "a snippet is raw NGINX configuration, which Traefik cannot run";
        findings.add(new Finding(name, value, Verdict.REFUSED, Where.NOWHERE, "", why));
        if (settings.nginxDropSnippets()) {
          warnings.add(where(name) + "not carried (" + why + "); translated without it (translate.nginx-drop-snippets)");
        } else {
          holdBack.add(where(name) + why + "; the Ingress is held back until the snippet is replaced"
              + " (a Middleware, or translate.nginx-drop-snippets = true to publish it without the snippet)");
        }
        continue;
      }
      int problems = holdBack.size();
      Finding f = switch (name) {
        case "rewrite-target" -> rewrite(value, holdBack);
        case "use-regex" -> new Finding(name, value, Verdict.CARRIED, Where.ROUTE, regex ? "PathRegexp(`(?i)^<path>`)" : "",
            regex ? "paths are case-insensitive regular expressions anchored at the start, as NGINX's ~* locations" : "");
        case "ssl-redirect", "force-ssl-redirect" -> sslRedirect(key, name, value, a, edge, holdBack);
        case "whitelist-source-range", "allowlist-source-range" -> allowList(key, name, value, a, edge, holdBack, warnings);
        case "permanent-redirect", "temporal-redirect" -> redirect(key, name, value, a, edge, holdBack);
        case "permanent-redirect-code", "temporal-redirect-code" -> redirectCode(name, value, a, holdBack);
        case "app-root" -> appRoot(key, value, edge, holdBack);
        case "enable-cors" -> cors(key, value, a, edge, holdBack);
        case "cors-allow-origin", "cors-allow-methods", "cors-allow-headers", "cors-expose-headers", "cors-allow-credentials",
            "cors-max-age" -> new Finding(name, value, Verdict.CARRIED, Where.EDGE, "headers." + CORS_FIELDS.get(name), "part of enable-cors");
        case "server-alias" -> serverAlias(value, aliases, holdBack);
        case "upstream-vhost" -> new Finding(name, value, Verdict.CARRIED, Where.CLUSTER, "headers.customRequestHeaders.Host=" + value,
            "set by the cluster, which routes on the original Host; " + TRAEFIK_DOC);
        case "auth-url" -> authUrl(value, a, holdBack);
        case "auth-response-headers" -> new Finding(name, value, a.containsKey("auth-url") ? Verdict.CARRIED : Verdict.REFUSED,
            a.containsKey("auth-url") ? Where.CLUSTER : Where.NOWHERE, a.containsKey("auth-url") ? "forwardAuth.authResponseHeaders" : "",
            a.containsKey("auth-url") ? "" : "has no effect without auth-url");
        case "backend-protocol" -> backendProtocol(value, holdBack, warnings);
        case "proxy-body-size" -> bodySize(key, value, edge, holdBack);
        default -> other(name, value, holdBack, warnings);
      };
      if (holdBack.size() > problems && f.verdict() != Verdict.REFUSED) {
        f = new Finding(name, value, Verdict.REFUSED, Where.NOWHERE, "", "cannot be read; the Ingress is held back");
      }
      if (name.startsWith("cors-") && !"true".equals(a.get("enable-cors"))) {
        f = new Finding(name, value, Verdict.REFUSED, Where.NOWHERE, "", "has no effect without enable-cors: \"true\"");
        warnings.add(where(name) + "has no effect without " + PREFIX + "enable-cors: \"true\"");
      }
      findings.add(f);
    }
    findings.sort((x, y) -> x.annotation().compareTo(y.annotation()));
    // the allow list first: a refused client is never redirected or answered
    List<Middlewares.Definition> ordered = new ArrayList<>();
    for (String type : List.of("ipallowlist", "redirectscheme", "redirectregex", "headers", "buffering")) {
      edge.values().stream().filter(d -> d.type().equals(type)).forEach(ordered::add);
    }
    return new Reading(findings, holdBack, warnings, ordered, regex, aliases, share);
  }

  private static Canary canary(Map<String, String> a, List<Finding> findings, List<String> holdBack) {
    Integer total = integer(a, "canary-weight-total", 100, 1, Integer.MAX_VALUE, holdBack);
    Integer weight = integer(a, "canary-weight", 0, 0, total == null ? 100 : total, holdBack);
    String header = a.get("canary-by-header");
    String value = a.get("canary-by-header-value");
    String pattern = a.get("canary-by-header-pattern");
    if (pattern != null) {
      try {
        Pattern.compile(pattern);
      } catch (RuntimeException e) {
        holdBack.add(where("canary-by-header-pattern") + "'" + pattern + "' is not a regular expression");
      }
    }
    String split = "split in the cluster with the primary Ingress of the same host and path";
    findings.add(new Finding("canary", a.get("canary"), Verdict.APPROXIMATED, Where.CLUSTER, "joins the primary's route group",
        split + "; Traefik's NGINX provider lists canary as unsupported, so the cluster's controller must split (ingress-nginx does)"));
    if (a.containsKey("canary-weight")) {
      findings.add(new Finding("canary-weight", a.get("canary-weight"), Verdict.APPROXIMATED, Where.CLUSTER,
          "weighted " + (weight == null ? "?" : (total == null ? 100 : total) - weight) + "/" + weight, split));
    }
    if (a.containsKey("canary-weight-total")) {
      findings.add(new Finding("canary-weight-total", a.get("canary-weight-total"), Verdict.APPROXIMATED, Where.CLUSTER, "", split));
    }
    for (String h : List.of("canary-by-header", "canary-by-header-value", "canary-by-header-pattern")) {
      if (a.containsKey(h)) {
        findings.add(new Finding(h, a.get(h), h.equals("canary-by-header") || header != null ? Verdict.APPROXIMATED : Verdict.REFUSED,
            header != null ? Where.CLUSTER : Where.NOWHERE, header != null ? "header-matched canary" : "",
            header != null ? "the cluster's controller matches the header" : "has no effect without canary-by-header"));
      }
    }
    if (a.containsKey("canary-by-cookie")) {
      findings.add(new Finding("canary-by-cookie", a.get("canary-by-cookie"), Verdict.REFUSED, Where.NOWHERE, "",
          "a cookie-selected canary is not carried; the weight alone decides"));
    }
    return weight == null || total == null ? null : new Canary(weight, total, header, value, pattern);
  }

  private static Finding rewrite(String target, List<String> holdBack) {
    if (!target.startsWith("/") && !target.startsWith("http://") && !target.startsWith("https://")) {
      holdBack.add(where("rewrite-target") + "'" + target + "' is neither a path nor a URL");
    }
    return new Finding("rewrite-target", target, Verdict.CARRIED, Where.CLUSTER,
        "replacePathRegex regex `" + regexOf("<path>") + ".*` replacement `" + replacement(target) + "`",
        "rewritten once, by the cluster, after it matched the original path (a rewrite at the edge would make the cluster miss it); "
            + TRAEFIK_DOC);
  }

  /**
   * NGINX's {@code rewrite "(?i)<path>" <target> break;} as Traefik's replacePathRegex: the whole
   * path is replaced when it matches, {@code $n} are the path's capture groups (Go spells them
   * {@code ${n}} so a digit or letter after one stays literal).
   */
  public static String replacement(String target) {
    return GROUP.matcher(target).replaceAll("\\${$1}");
  }

  /** The path NGINX forwards for {@code request} under a rewrite-target: the replacePathRegex applied. */
  public static String rewritten(String path, String target, String request) {
    Matcher m = Pattern.compile(regexOf(path) + ".*").matcher(request);
    if (!m.matches()) {
      return request; // not this location's request
    }
    // Go's ${n} → Java's ${n} is a named group; numbered groups are $n here
    String java = replacement(target).replaceAll("\\$\\{([0-9])}", "\\$$1");
    return m.replaceFirst(java);
  }

  private static Finding sslRedirect(
      ObjectKey key, String name, String value, Map<String, String> a, Map<String, Middlewares.Definition> edge, List<String> holdBack) {
    boolean on = bool(a, name, false, holdBack);
    if (!on) {
      return new Finding(name, value, Verdict.CARRIED, Where.EDGE, "", "no redirect");
    }
    ObjectNode c = NODES.objectNode().put("scheme", "https").put("permanent", true);
    edge.put("redirectscheme", define(key, "ssl-redirect", "redirectScheme", c));
    return new Finding(name, value, Verdict.CARRIED, Where.EDGE, "redirectScheme https (permanent)",
        "at the edge, which sees the client's scheme (behind it every request is plain HTTP)"
            + (name.equals("ssl-redirect") ? "; NGINX's implicit redirect of TLS hosts is not assumed: only an explicit \"true\"" : ""));
  }

  private static Finding allowList(
      ObjectKey key, String name, String value, Map<String, String> a, Map<String, Middlewares.Definition> edge,
      List<String> holdBack, List<String> warnings) {
    if (name.equals("whitelist-source-range") && a.containsKey("allowlist-source-range")) {
      warnings.add(where(name) + "ignored: allowlist-source-range is set too and wins");
      return new Finding(name, value, Verdict.REFUSED, Where.NOWHERE, "", "allowlist-source-range wins");
    }
    List<String> ranges = new ArrayList<>();
    List<String> bad = new ArrayList<>();
    for (String item : value.split(",")) {
      String r = item.trim();
      if (r.isEmpty()) {
        continue;
      }
      String problem = cidrProblem(r);
      if (problem != null) {
        bad.add(r);
        holdBack.add(where(name) + "'" + r + "' is not an IP address or CIDR range (" + problem
            + "); the Ingress is held back rather than published without its allow list");
      } else {
        ranges.add(r);
      }
    }
    if (ranges.isEmpty() && bad.isEmpty()) {
      holdBack.add(where(name) + "lists no source range; the Ingress is held back rather than published without its allow list");
    }
    if (!bad.isEmpty() || ranges.isEmpty()) {
      return new Finding(name, value, Verdict.REFUSED, Where.NOWHERE, "", "not a list of IP addresses or CIDR ranges: " + bad);
    }
    ObjectNode c = NODES.objectNode();
    ranges.forEach(c.putArray("sourceRange")::add);
    edge.put("ipallowlist", define(key, "allowlist", "ipAllowList", c));
    return new Finding(name, value, Verdict.CARRIED, Where.EDGE, "ipAllowList sourceRange " + ranges,
        "at the edge, the only hop that sees the client's address");
  }

  /** Why {@code s} is not an IPv4/IPv6 address or CIDR range, or null. */
  static String cidrProblem(String s) {
    String[] parts = s.split("/", -1);
    if (parts.length > 2) {
      return "more than one '/'";
    }
    String address = parts[0];
    boolean v6 = address.contains(":");
    String bad = v6 ? ipv6Problem(address) : ipv4Problem(address);
    if (bad != null) {
      return bad;
    }
    if (parts.length == 2 && (!parts[1].matches("[0-9]{1,3}") || Integer.parseInt(parts[1]) > (v6 ? 128 : 32))) {
      return "prefix length '" + parts[1] + "' is outside 0.." + (v6 ? 128 : 32);
    }
    return null;
  }

  private static String ipv4Problem(String address) {
    if (!address.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
      return "not an address";
    }
    for (String octet : address.split("\\.")) {
      if (Integer.parseInt(octet) > 255) {
        return "octet " + octet + " is over 255";
      }
    }
    return null;
  }

  /** RFC 4291 text form: eight groups of 1..4 hex digits, one "::" for a run of zero groups, an IPv4 tail. */
  private static String ipv6Problem(String address) {
    String a = address;
    int groups = 0;
    if (a.matches(".*:[0-9]+(\\.[0-9]+){3}")) {
      String v4 = a.substring(a.lastIndexOf(':') + 1);
      if (ipv4Problem(v4) != null) {
        return "not an address";
      }
      a = a.substring(0, a.lastIndexOf(':') + 1) + "0:0"; // the IPv4 tail is two groups
    }
    int gap = a.indexOf("::");
    if (gap >= 0 && a.indexOf("::", gap + 1) >= 0) {
      return "not an address";
    }
    String[] sides = gap >= 0 ? new String[] {a.substring(0, gap), a.substring(gap + 2)} : new String[] {a};
    for (String side : sides) {
      if (side.isEmpty()) {
        continue;
      }
      for (String g : side.split(":", -1)) {
        if (!g.matches("[0-9A-Fa-f]{1,4}")) {
          return "not an address";
        }
        groups++;
      }
    }
    return gap >= 0 ? (groups <= 7 ? null : "not an address") : (groups == 8 ? null : "not an address");
  }

  private static Finding redirect(
      ObjectKey key, String name, String url, Map<String, String> a, Map<String, Middlewares.Definition> edge, List<String> holdBack) {
    boolean temporal = name.equals("temporal-redirect");
    if (!temporal && a.containsKey("temporal-redirect")) {
      return new Finding(name, url, Verdict.REFUSED, Where.NOWHERE, "", "temporal-redirect takes precedence (as in NGINX)");
    }
    if (!absoluteUrl(url)) {
      holdBack.add(where(name) + "'" + url + "' is not an absolute http(s) URL");
      return new Finding(name, url, Verdict.REFUSED, Where.NOWHERE, "", "not an absolute URL");
    }
    String code = a.getOrDefault(name + "-code", temporal ? "302" : "301");
    ObjectNode c = NODES.objectNode().put("regex", "^.*").put("replacement", url).put("permanent", !temporal);
    edge.put("redirectregex", define(key, "redirect", "redirectRegex", c));
    boolean exact = temporal ? code.equals("302") || code.equals("307") : code.equals("301") || code.equals("308");
    return new Finding(name, url, exact ? Verdict.CARRIED : Verdict.APPROXIMATED, Where.EDGE,
        "redirectRegex ^.* → " + url + (temporal ? "" : " (permanent)"),
        exact ? "" : "Traefik answers " + (temporal ? "302/307" : "301/308") + ", not " + code);
  }

  private static Finding redirectCode(String name, String code, Map<String, String> a, List<String> holdBack) {
    if (!STATUS.matcher(code).matches()) {
      holdBack.add(where(name) + "'" + code + "' is not a 3xx status code");
    }
    String of = name.substring(0, name.length() - "-code".length());
    return new Finding(name, code, a.containsKey(of) ? Verdict.APPROXIMATED : Verdict.REFUSED, a.containsKey(of) ? Where.EDGE : Where.NOWHERE,
        "", a.containsKey(of) ? "redirectRegex's permanent flag picks the code (see " + of + ")" : "has no effect without " + of);
  }

  private static Finding appRoot(ObjectKey key, String root, Map<String, Middlewares.Definition> edge, List<String> holdBack) {
    if (!root.startsWith("/") || root.contains("`") || root.chars().anyMatch(Character::isWhitespace)) {
      holdBack.add(where("app-root") + "'" + root + "' is not a path");
      return new Finding("app-root", root, Verdict.REFUSED, Where.NOWHERE, "", "not a path");
    }
    if (edge.containsKey("redirectregex")) {
      return new Finding("app-root", root, Verdict.REFUSED, Where.NOWHERE, "", "a permanent or temporal redirect of every path wins");
    }
    ObjectNode c = NODES.objectNode().put("regex", "^(https?://[^/]+)/$").put("replacement", "${1}" + root).put("permanent", false);
    edge.put("redirectregex", define(key, "app-root", "redirectRegex", c));
    return new Finding("app-root", root, Verdict.CARRIED, Where.EDGE, "redirectRegex ^(https?://[^/]+)/$ → ${1}" + root, "302, as NGINX");
  }

  private static Finding cors(ObjectKey key, String value, Map<String, String> a, Map<String, Middlewares.Definition> edge, List<String> holdBack) {
    if (!bool(a, "enable-cors", false, holdBack)) {
      return new Finding("enable-cors", value, Verdict.CARRIED, Where.EDGE, "", "CORS off");
    }
    ObjectNode c = NODES.objectNode();
    list(c, "accessControlAllowOriginList", a.getOrDefault("cors-allow-origin", "*"));
    list(c, "accessControlAllowMethods", a.getOrDefault("cors-allow-methods", "GET, PUT, POST, DELETE, PATCH, OPTIONS"));
    list(c, "accessControlAllowHeaders", a.getOrDefault("cors-allow-headers",
        "DNT,Keep-Alive,User-Agent,X-Requested-With,If-Modified-Since,Cache-Control,Content-Type,Range,Authorization"));
    if (a.containsKey("cors-expose-headers")) {
      list(c, "accessControlExposeHeaders", a.get("cors-expose-headers"));
    }
    c.put("accessControlAllowCredentials", bool(a, "cors-allow-credentials", true, holdBack));
    Integer maxAge = integer(a, "cors-max-age", 1728000, 0, Integer.MAX_VALUE, holdBack);
    c.put("accessControlMaxAge", maxAge == null ? 1728000 : maxAge);
    edge.put("headers", define(key, "cors", "headers", c));
    return new Finding("enable-cors", value, Verdict.APPROXIMATED, Where.EDGE, "headers accessControl* (with cors-* or NGINX's defaults)",
        "Traefik answers pre-flight and plain requests differently from NGINX, which always sends every header");
  }

  private static void list(ObjectNode c, String field, String commaList) {
    var array = c.putArray(field);
    for (String item : commaList.split(",")) {
      if (!item.trim().isEmpty()) {
        array.add(item.trim());
      }
    }
  }

  private static Finding serverAlias(String value, List<String> aliases, List<String> holdBack) {
    for (String item : value.split(",")) {
      String host = item.trim().toLowerCase(Locale.ROOT);
      if (host.isEmpty()) {
        continue;
      }
      String bad = Hostnames.invalidReason(host);
      if (bad != null) {
        holdBack.add(where("server-alias") + "'" + item.trim() + "' is not a valid hostname: " + bad);
      } else if (!aliases.contains(host)) {
        aliases.add(host);
      }
    }
    return new Finding("server-alias", value, Verdict.APPROXIMATED, Where.ROUTE, "routes and DNS for " + aliases,
        "the alias's requests reach the cluster with the Ingress's own host (Traefik's NGINX provider does not read server-alias)");
  }

  private static Finding authUrl(String url, Map<String, String> a, List<String> holdBack) {
    if (!absoluteUrl(url)) {
      holdBack.add(where("auth-url") + "'" + url + "' is not an absolute http(s) URL");
    }
    String headers = a.getOrDefault("auth-response-headers", "");
    return new Finding("auth-url", url, Verdict.APPROXIMATED, Where.CLUSTER,
        "forwardAuth address " + url + (headers.isEmpty() ? "" : " authResponseHeaders [" + headers + "]"),
        "by the cluster, which reaches the auth service; Traefik forwards the original request instead of NGINX's sub-request, and caches nothing");
  }

  private static Finding backendProtocol(String value, List<String> holdBack, List<String> warnings) {
    String p = value.toUpperCase(Locale.ROOT);
    return switch (p) {
      case "HTTP" -> new Finding("backend-protocol", value, Verdict.CARRIED, Where.CLUSTER, "", "plain HTTP, the default");
      case "HTTPS", "GRPCS" -> new Finding("backend-protocol", value, Verdict.CARRIED, Where.CLUSTER,
          "service scheme " + (p.equals("HTTPS") ? "https" : "https (HTTP/2)"), "between the cluster and the pods; " + TRAEFIK_DOC);
      case "GRPC" -> {
        warnings.add(where("backend-protocol") + "GRPC: the VM-side Traefik must reach the cluster's ingress over HTTP/2"
            + " (an h2c or TLS entry point there) for gRPC to pass");
        yield new Finding("backend-protocol", value, Verdict.APPROXIMATED, Where.CLUSTER, "service scheme h2c",
            "between the cluster and the pods; the hop from the edge must carry HTTP/2 too");
      }
      case "AUTO_HTTP", "FCGI" -> {
        warnings.add(where("backend-protocol") + p + " is not supported by Traefik; the cluster speaks HTTP to the pods");
        yield new Finding("backend-protocol", value, Verdict.REFUSED, Where.NOWHERE, "", "Traefik supports neither FCGI nor AUTO_HTTP");
      }
      default -> {
        holdBack.add(where("backend-protocol") + "'" + value + "' is not one of HTTP, HTTPS, GRPC, GRPCS, AUTO_HTTP, FCGI");
        yield new Finding("backend-protocol", value, Verdict.REFUSED, Where.NOWHERE, "", "unknown protocol");
      }
    };
  }

  private static Finding bodySize(ObjectKey key, String value, Map<String, Middlewares.Definition> edge, List<String> holdBack) {
    Long bytes = bytes(value);
    if (bytes == null) {
      holdBack.add(where("proxy-body-size") + "'" + value + "' is not a size (bytes, or a number with k, m or g)");
      return new Finding("proxy-body-size", value, Verdict.REFUSED, Where.NOWHERE, "", "not a size");
    }
    if (bytes == 0) {
      return new Finding("proxy-body-size", value, Verdict.CARRIED, Where.EDGE, "", "0: no limit");
    }
    edge.put("buffering", define(key, "body-size", "buffering", NODES.objectNode().put("maxRequestBodyBytes", bytes)));
    return new Finding("proxy-body-size", value, Verdict.APPROXIMATED, Where.EDGE, "buffering maxRequestBodyBytes " + bytes,
        "413 for larger bodies at the edge; Traefik buffers the whole body before forwarding");
  }

  /** NGINX's size syntax: bytes, or k/m/g (powers of 1024), any case; null if it is not one. */
  public static Long bytes(String value) {
    Matcher m = SIZE.matcher(value.trim());
    if (!m.matches() || m.group(1).length() > 12) {
      return null;
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "k" -> n << 10;
      case "m" -> n << 20;
      case "g" -> n << 30;
      default -> n;
    };
  }

  private static Finding other(String name, String value, List<String> holdBack, List<String> warnings) {
    if (IN_CLUSTER.containsKey(name)) {
      return new Finding(name, value, Verdict.CARRIED, Where.CLUSTER, IN_CLUSTER.get(name), "by the cluster; " + TRAEFIK_DOC);
    }
    if (SECURITY.contains(name)) {
      holdBack.add(where(name) + "restricts access and can be applied neither by Traefik nor at the edge; the Ingress is held back"
          + " rather than published more open than declared");
      return new Finding(name, value, Verdict.REFUSED, Where.NOWHERE, "", "restricts access; not supported by Traefik");
    }
    warnings.add(where(name) + "not carried (Tributary knows no Traefik equivalent)");
    return new Finding(name, value, Verdict.REFUSED, Where.NOWHERE, "", "no Traefik equivalent known to Tributary");
  }

  private static boolean absoluteUrl(String url) {
    return ABSOLUTE_URL.matcher(url).matches();
  }

  private static ObjectNode hostHeader(String host) {
    ObjectNode c = NODES.objectNode();
    c.putObject("customRequestHeaders").put("Host", host);
    return c;
  }

  /**
   * A middleware the Ingress defines, named {@code <namespace>-<name>_nginx-<what>}: the '_' no
   * Kubernetes name holds keeps it apart from every Middleware object.
   */
  private static Middlewares.Definition define(ObjectKey key, String what, String type, ObjectNode config) {
    ObjectNode object = NODES.objectNode();
    object.putObject("spec").set(type, config);
    ObjectKey named = new ObjectKey(key.cluster(), key.kind(), key.namespace(), key.name() + "_nginx-" + what);
    return Middlewares.define(named, object);
  }

  private static boolean bool(Map<String, String> a, String name, boolean absent, List<String> holdBack) {
    String v = a.get(name);
    if (v == null) {
      return absent;
    }
    if (!v.equals("true") && !v.equals("false")) {
      holdBack.add(where(name) + "'" + v + "' is neither true nor false");
      return absent;
    }
    return v.equals("true");
  }

  private static Integer integer(Map<String, String> a, String name, int absent, int min, int max, List<String> holdBack) {
    String v = a.get(name);
    if (v == null) {
      return absent;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n < min || n > max) {
        holdBack.add(where(name) + n + " is outside " + min + ".." + max);
        return null;
      }
      return n;
    } catch (NumberFormatException e) {
      holdBack.add(where(name) + "'" + v + "' is not an integer");
      return null;
    }
  }

  private static String where(String name) {
    return "metadata.annotations[" + PREFIX + name + "]: ";
  }
}
