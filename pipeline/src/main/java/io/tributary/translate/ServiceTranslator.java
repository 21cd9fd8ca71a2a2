package io.tributary.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.settings.TranslateSettings;
import io.tributary.watch.ObjectKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Translates a Service into routes: the public/private {@code publicHosts}/{@code publicPaths} and
 * {@code privateHosts}/{@code privatePaths} annotation pairs (one visibility each), or, for a
 * Service opted in by the {@code translate.service-opt-in-label} label (the labelled-Service convention, {@code
 * type=ingress}), one route. Services without the label are not routing objects
 * (accepted with no routes, so removing the label withdraws the route). Pure.
 *
 * <ul>
 *   <li>Hostname: the {@code host} annotation when it is a full name (has a dot); otherwise
 *       {@code <host or service>-<namespace>.<translate.service-domain>}.
 *   <li>Path prefix: the {@code path} annotation, as a prefix ({@code /ctx}) or the vulcand-style
 *       regexp {@code /ctx/.*}; other regexps are rejected. Default {@code /}.
 *   <li>Backend: the Service and its first port.
 * </ul>
 */
public final class ServiceTranslator {
  private static final Pattern REGEX_CHARS = Pattern.compile("[*+?()\\[\\]{}|^$\\\\]");

  /** external-dns's hostname annotation, honoured on LoadBalancer Services. */
  static final String EXTERNAL_DNS_HOSTNAME = "external-dns.alpha.kubernetes.io/hostname";

  private ServiceTranslator() {}

  /**
   * A LoadBalancer Service named for DNS the external-dns way: its hostnames point at the Service's
   * own load-balancer address (IPs, else its hostname), not through the VM-side Traefik.
   */
  private static Translation externalDnsRoutes(ObjectKey key, ObjectNode object, String hostnames) {
    var ips = new java.util.TreeSet<String>();
    var names = new java.util.TreeSet<String>();
    for (JsonNode lb : object.path("status").path("loadBalancer").path("ingress")) {
      if (!lb.path("ip").asText("").isEmpty()) {
        ips.add(lb.path("ip").asText());
      } else if (!lb.path("hostname").asText("").isEmpty()) {
        names.add(lb.path("hostname").asText());
      }
    }
    List<String> addresses = !ips.isEmpty() ? List.copyOf(ips) : names.stream().limit(1).toList();
    if (addresses.isEmpty()) {
      return new Translation.Accepted(List.of(), List.of("the LoadBalancer has no address yet; " + EXTERNAL_DNS_HOSTNAME + " waits for it"));
    }
    List<Route> routes = new ArrayList<>();
    for (String raw : hostnames.split(",")) {
      String host = raw.trim().toLowerCase(java.util.Locale.ROOT);
      if (host.isEmpty()) {
        continue;
      }
      String bad = Hostnames.invalidReason(host);
      if (bad != null) {
        return new Translation.Rejected("metadata.annotations[" + EXTERNAL_DNS_HOSTNAME + "]: '" + host + "' is not a valid hostname: " + bad);
      }
      routes.add(Route.dnsOnly(key, Instant.EPOCH, host, addresses));
    }
    return new Translation.Accepted(routes, List.of());
  }

  /**
   * The public/private annotation pairs: for every visibility {@code v} of {@code
   * translate.visibility-entrypoints} (public, private), {@code <v>Hosts: "a.example.com,b.example.com"}
   * and {@code <v>Paths: "3000:/nodejs,/docs"} give a route per host × path on v's entry points,
   * to the Service's port named in the path entry (else its first port).
   */
  private static Translation visibilityRoutes(ObjectKey key, ObjectNode object, TranslateSettings settings) {
    JsonNode annotations = object.path("metadata").path("annotations");
    JsonNode firstPort = object.path("spec").path("ports").path(0).path("port");
    List<Route> routes = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (var v : new java.util.TreeMap<>(settings.visibilityEntrypoints()).entrySet()) {
      String hostsName = v.getKey() + "Hosts";
      String pathsName = v.getKey() + "Paths";
      if (!annotations.has(hostsName)) {
        continue;
      }
      for (String rawHost : annotations.path(hostsName).asText("").split(",")) {
        String host = rawHost.trim().toLowerCase(java.util.Locale.ROOT);
        if (host.isEmpty()) {
          continue;
        }
        String bad = Hostnames.invalidReason(host);
        if (bad != null) {
          problems.add("metadata.annotations[" + hostsName + "]: '" + host + "' is not a valid hostname: " + bad);
          continue;
        }
        for (String entry : annotations.path(pathsName).asText("/").split(",")) {
          String e = entry.trim();
          int colon = e.indexOf(':');
          String path = colon < 0 ? e : e.substring(colon + 1);
          Integer port = null;
          if (colon > 0) {
            try {
              port = Integer.parseInt(e.substring(0, colon));
            } catch (NumberFormatException x) {
              problems.add("metadata.annotations[" + pathsName + "]: '" + e + "' is not port:path");
              continue;
            }
          } else if (firstPort.canConvertToInt()) {
            port = firstPort.asInt();
          }
          if (port == null) {
            problems.add("spec.ports: the Service has no port for " + host + path);
            continue;
          }
          if (path.isEmpty()) {
            path = "/";
          }
          if (!path.startsWith("/") || REGEX_CHARS.matcher(path).find()) {
            problems.add("metadata.annotations[" + pathsName + "]: '" + path + "' is not a path prefix");
            continue;
          }
          routes.add(new Route(key, Instant.EPOCH, host, path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path,
              PathMatch.PREFIX, new Backend(key.name(), port, null), v.getValue(), List.of(), null, false, false, false));
        }
      }
    }
    if (!problems.isEmpty()) {
      return new Translation.Rejected(String.join("; ", problems));
    }
    return new Translation.Accepted(routes, List.of());
  }

  /** Translates one Service. */
  public static Translation translate(ObjectKey key, ObjectNode object, TranslateSettings settings) {
    JsonNode meta = object.path("metadata");
    String externalDns = meta.path("annotations").path(EXTERNAL_DNS_HOSTNAME).asText("");
    if (!externalDns.isBlank() && "LoadBalancer".equals(object.path("spec").path("type").asText())) {
      return externalDnsRoutes(key, object, externalDns);
    }
    boolean pairs = settings.visibilityEntrypoints().keySet().stream().anyMatch(v -> meta.path("annotations").has(v + "Hosts"));
    String[] optIn = settings.serviceOptInLabel().split("=", 2);
    boolean labelled = optIn[1].equals(meta.path("labels").path(optIn[0]).asText(null));
    if (pairs && labelled) {
      // both conventions on one Service: the routes of each, together
      Translation a = visibilityRoutes(key, object, settings);
      Translation b = labelledService(key, object, settings);
      if (a instanceof Translation.Rejected || b instanceof Translation.Rejected) {
        return a instanceof Translation.Rejected ? a : b;
      }
      List<Route> all = new ArrayList<>(((Translation.Accepted) a).routes());
      all.addAll(((Translation.Accepted) b).routes());
      return new Translation.Accepted(all, List.of());
    }
    if (pairs) {
      return visibilityRoutes(key, object, settings);
    }
    if (!labelled) {
      return new Translation.Accepted(List.of(), List.of()); // not a routing object
    }
    return labelledService(key, object, settings);
  }

  /** The labelled-Service convention: one route from the host/path annotations of a labelled Service. */
  private static Translation labelledService(ObjectKey key, ObjectNode object, TranslateSettings settings) {
    JsonNode meta = object.path("metadata");
    JsonNode annotations = meta.path("annotations");
    if (annotations.path(settings.annotationPrefix() + "expose").asText("").equals("false")) {
      return new Translation.Ignored(settings.annotationPrefix() + "expose is false");
    }
    String name = meta.path("name").asText();
    String namespace = meta.path("namespace").asText();
    String hostAnnotation = annotations.path("host").asText("").trim().toLowerCase(java.util.Locale.ROOT);
    String host;
    if (hostAnnotation.contains(".")) {
      host = hostAnnotation;
    } else if (settings.serviceDomain() == null || settings.serviceDomain().isBlank()) {
      return new Translation.Rejected("metadata.annotations[host]: no full hostname, and translate.service-domain is not set to build <service>-<namespace>.<domain>");
    } else {
      host = (hostAnnotation.isEmpty() ? name : hostAnnotation) + "-" + namespace + "." + settings.serviceDomain();
    }
    String bad = Hostnames.invalidReason(host);
    if (bad != null) {
      return new Translation.Rejected("hostname '" + host + "' is not valid: " + bad);
    }
    String path = annotations.path("path").asText("/").trim();
    if (path.endsWith("/.*")) {
      path = path.substring(0, path.length() - 3);
    } else if (path.endsWith(".*")) {
      path = path.substring(0, path.length() - 2);
    }
    if (path.isEmpty()) {
      path = "/";
    }
    if (!path.startsWith("/") || REGEX_CHARS.matcher(path).find() || path.contains("`")) {
      return new Translation.Rejected("metadata.annotations[path]: '" + annotations.path("path").asText()
          + "' is not a path prefix (use /ctx or /ctx/.*)");
    }
    if (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    JsonNode port = object.path("spec").path("ports").path(0).path("port");
    if (!port.canConvertToInt()) {
      return new Translation.Rejected("spec.ports: the Service has no port");
    }
    List<String> badTimestamp = new ArrayList<>(1);
    Instant created = Timestamps.created(meta, badTimestamp);
    if (!badTimestamp.isEmpty()) {
      return new Translation.Rejected(badTimestamp.get(0));
    }
    Route route = new Route(key, created, host, path, PathMatch.PREFIX, new Backend(name, port.asInt(), null),
        List.of(), List.of(), null, false, false, false).asLabelOptIn();
    return new Translation.Accepted(List.of(route), List.of());
  }
}
