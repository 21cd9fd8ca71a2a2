package io.tributary.translate;

import io.tributary.watch.ObjectKey;
import java.time.Instant;
import io.tributary.settings.TagSyntax;
import io.tributary.translate.rule.RuleExpr;
import io.tributary.translate.rule.RulePrinter;
import java.util.List;

/**
 * One routable unit declared by one Kubernetes object: host + path → backend, with router options.
 *
 * <p>Routes from several objects and clusters that share {@link #groupKey()} form one Consul
 * service (one router); every route's host gets DNS records.
 *
 * @param source the object that declared the route
 * @param created the object's creationTimestamp; the older claim wins a conflict
 * @param host lower-case hostname, possibly a leftmost wildcard ({@code *.example.com})
 * @param path always starts with {@code /}
 * @param entrypoints Traefik entry points; empty means the configured default
 * @param middlewares Traefik middleware references, verbatim ({@code name@provider})
 * @param priority Traefik router priority, or null for Traefik's default
 * @param stripPrefix strip {@code path} before forwarding (Traefik 1 PathPrefixStrip)
 * @param catchAll a default-backend route: lowest priority within its host
 * @param rule the route's full Traefik rule when it has one (IngressRoute), else null: the rule
 *     is then {@code host} + {@code path}
 * @param dnsHosts the hostnames this route can match, which get DNS records
 * @param consulService the Consul service name the object asks for, or null for the template
 * @param dnsTtlSeconds the DNS TTL the object asks for, or null for {@code dns.ttl}
 * @param weight canary share (0..100) of Kubernetes against the host's VM backend, or null
 * @param mirrorPercent share (1..100) of the VM backend's requests copied to Kubernetes (a dark
 *     launch: answers from Kubernetes are dropped), or null
 * @param dnsAddresses for a DNS-only route (a LoadBalancer Service with an external-dns hostname):
 *     the addresses its hostnames point at; it gets no Consul registration. Null for routed routes
 * @param labelOptIn the one route of a Service opted in by label (the labelled-Service convention): named in Consul by
 *     {@code consul.service-name-template-services}, since the Service alone identifies it
 * @param services an IngressRoute route's services in declared order, the first being {@code backend}; its
 *     cluster's Traefik splits the requests between them. Empty for other kinds: the backend is their one service
 * @param canary for an ingress-nginx canary Ingress ({@code nginx.ingress.kubernetes.io/canary}): how
 *     much of its primary's requests it takes; it joins the primary's route group instead of
 *     conflicting with it. Null for every other route
 * @param definedMiddlewares middlewares the declaring object defines itself (its NGINX annotations),
 *     named in {@code middlewares} as {@code <name>@kubernetescrd} and resolved from here before the
 *     cluster's Middleware objects
 * @param groupKey derived, never passed: the canonical rule (see {@link #groupKey()}), computed once
 *     because the diff stage asks for it on every event
 */
public record Route(
    ObjectKey source,
    Instant created,
    String host,
    String path,
    PathMatch pathMatch,
    Backend backend,
    List<String> entrypoints,
    List<String> middlewares,
    Integer priority,
    boolean tls,
    boolean stripPrefix,
    boolean catchAll,
    RuleExpr rule,
    List<String> dnsHosts,
    String consulService,
    Long dnsTtlSeconds,
    Integer weight,
    Integer mirrorPercent,
    List<String> dnsAddresses,
    boolean labelOptIn,
    List<ServiceRef> services,
    Canary canary,
    List<Middlewares.Definition> definedMiddlewares,
    String groupKey) {

  public Route {
    entrypoints = List.copyOf(entrypoints);
    middlewares = List.copyOf(middlewares);
    dnsHosts = List.copyOf(dnsHosts);
    dnsAddresses = dnsAddresses == null ? null : List.copyOf(dnsAddresses);
    services = services == null ? List.of() : List.copyOf(services);
    definedMiddlewares = definedMiddlewares == null ? List.of() : List.copyOf(definedMiddlewares);
    groupKey = renderRule(rule, host, path, pathMatch, TagSyntax.V3);
  }

  /** A host + path route (Ingress, Service): its DNS host is its host. */
  public Route(
      ObjectKey source, Instant created, String host, String path, PathMatch pathMatch, Backend backend,
      List<String> entrypoints, List<String> middlewares, Integer priority, boolean tls, boolean stripPrefix,
      boolean catchAll) {
    this(source, created, host, path, pathMatch, backend, entrypoints, middlewares, priority, tls, stripPrefix,
        catchAll, null, host.isEmpty() ? List.of() : List.of(host), null, null, null, null, null, false, null, null, null, null);
  }

  /** A rule route (IngressRoute) with its DNS hosts. */
  public Route(
      ObjectKey source, Instant created, String host, String path, PathMatch pathMatch, Backend backend,
      List<String> entrypoints, List<String> middlewares, Integer priority, boolean tls, boolean stripPrefix,
      boolean catchAll, RuleExpr rule, List<String> dnsHosts) {
    this(source, created, host, path, pathMatch, backend, entrypoints, middlewares, priority, tls, stripPrefix,
        catchAll, rule, dnsHosts, null, null, null, null, null, false, null, null, null, null);
  }

  /** This route with the options of Tributary's own annotations applied. */
  public Route withOwnOptions(
      List<String> entrypoints, boolean stripPrefix, List<String> dnsHosts, String consulService, Long dnsTtlSeconds,
      Integer weight) {
    return new Route(source, created, host, path, pathMatch, backend, entrypoints, middlewares, priority, tls,
        stripPrefix, catchAll, rule, dnsHosts, consulService, dnsTtlSeconds, weight, mirrorPercent, dnsAddresses, labelOptIn, services, canary, definedMiddlewares, null);
  }

  /** This route with an IngressRoute route's services, the first being its backend. */
  public Route withServices(List<ServiceRef> services) {
    return new Route(source, created, host, path, pathMatch, backend, entrypoints, middlewares, priority, tls,
        stripPrefix, catchAll, rule, dnsHosts, consulService, dnsTtlSeconds, weight, mirrorPercent, dnsAddresses, labelOptIn, services, canary, definedMiddlewares, null);
  }

  /**
   * Routes with equal group keys route the same requests, wherever and however they were declared:
   * the key is the canonical Traefik rule, so an Ingress and the IngressRoute that replaces it
   * (a Traefik 1 → 2 migration) meet in one group.
   */
  @Override
  public String groupKey() {
    return groupKey;
  }

  /** This route with {@code mirrorPercent} of its VM backend's requests copied to it. */
  public Route withMirrorPercent(Integer mirrorPercent) {
    return new Route(source, created, host, path, pathMatch, backend, entrypoints, middlewares, priority, tls,
        stripPrefix, catchAll, rule, dnsHosts, consulService, dnsTtlSeconds, weight, mirrorPercent, dnsAddresses, labelOptIn, services, canary, definedMiddlewares, null);
  }

  /**
   * This route as an nginx-class Ingress declares it: its rule (a regex path), hosts, middlewares and
   * the middlewares it defines itself, and its canary share (or null).
   */
  public Route withNginx(
      RuleExpr rule, List<String> dnsHosts, List<String> middlewares, List<Middlewares.Definition> defined, Canary canary) {
    return new Route(source, created, host, path, pathMatch, backend, entrypoints, middlewares, priority, tls,
        stripPrefix, catchAll, rule, dnsHosts, consulService, dnsTtlSeconds, weight, mirrorPercent, dnsAddresses, labelOptIn,
        services, canary, defined, null);
  }

  /** This route marked as the one route of a label-opted-in Service. */
  public Route asLabelOptIn() {
    return new Route(source, created, host, path, pathMatch, backend, entrypoints, middlewares, priority, tls,
        stripPrefix, catchAll, rule, dnsHosts, consulService, dnsTtlSeconds, weight, mirrorPercent, dnsAddresses, true, services,
        canary, definedMiddlewares, null);
  }

  /** A hostname that only needs DNS records pointing at {@code addresses} (external-dns style). */
  public static Route dnsOnly(ObjectKey source, Instant created, String host, List<String> addresses) {
    return new Route(source, created, host, "/", PathMatch.PREFIX, new Backend(source.name(), null, "dns"), List.of(),
        List.of(), null, false, false, false, null, List.of(host), null, null, null, null, addresses, false, null, null, null, null);
  }

  /** True for a route that is not routed through the VM-side Traefik, only given DNS records. */
  public boolean isDnsOnly() {
    return dnsAddresses != null;
  }

  /** The route's Traefik rule in {@code syntax} (v2 or v3). */
  public String rule(TagSyntax syntax) {
    return syntax == TagSyntax.V3 ? groupKey : renderRule(rule, host, path, pathMatch, syntax);
  }

  private static String renderRule(RuleExpr rule, String host, String path, PathMatch pathMatch, TagSyntax syntax) {
    if (rule != null) {
      return RulePrinter.print(rule, syntax);
    }
    String hostMatcher;
    if (host.startsWith("*.")) {
      String parent = host.substring(2);
      // validated hostnames hold only [a-z0-9-.]: dots are the only regexp metacharacters
      hostMatcher = syntax == TagSyntax.V3
          ? "HostRegexp(`^[a-z0-9-]+\\." + parent.replace(".", "\\.") + "$`)"
          : "HostRegexp(`{subdomain:[a-z0-9-]+}." + parent + "`)";
    } else {
      hostMatcher = "Host(`" + host + "`)";
    }
    if (pathMatch == PathMatch.PREFIX && path.equals("/")) {
      return hostMatcher;
    }
    return hostMatcher + " && " + (pathMatch == PathMatch.EXACT ? "Path" : "PathPrefix") + "(`" + path + "`)";
  }
}
