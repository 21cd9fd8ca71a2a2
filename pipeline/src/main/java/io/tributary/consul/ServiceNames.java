package io.tributary.consul;

import io.tributary.settings.ConsulSettings;
import io.tributary.translate.PathMatch;
import io.tributary.translate.Route;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** Consul service names and IDs: valid DNS labels, stable, derived from the route group. */
public final class ServiceNames {
  private static final int MAX_LABEL = 63;

  private ServiceNames() {}

  /**
   * A route group's name in Consul for one cluster's instances: the service name, and the tag that
   * makes Consul DNS answer {@code <tag>.<service>.service.consul} (null for an undotted template).
   */
  public record ConsulName(String service, String tag) {
    /**
     * Names the group's Traefik router and service in the tags and its instance IDs: unique per
     * group even when several groups share one Consul service (labelled Services with an environment).
     */
    public String traefikName() {
      return tag == null ? service : tag + "-" + service;
    }
  }

  /** The Traefik name of {@code route}'s group, for the route's own cluster: see {@link #consulName}. */
  public static String serviceName(Route route, ConsulSettings settings) {
    return consulName(route, settings, route.source().cluster()).traefikName();
  }

  /**
   * The Consul name of {@code route}'s group for the instances in {@code cluster}. The
   * {@code consul-service-name} annotation wins; otherwise the template ({@code
   * service-name-template-services} for a label-opted-in Service, else {@code service-name-template})
   * with {@code {host}} ({@code *} → {@code wildcard}), {@code {path}}, {@code {service}} (the
   * backend Service: the same for an Ingress and the IngressRoute replacing it), {@code {namespace}},
   * {@code {cluster}} and {@code {environment}} substituted. A dot in the template splits it into
   * tag and service, each made a DNS label by {@link #slug}; dots inside substituted values are not
   * separators. {@code -exact} (exact paths) and a hash (rules richer than Host + PathPrefix) go on
   * the first part, the one that tells groups apart.
   */
  public static ConsulName consulName(Route route, ConsulSettings settings, String cluster) {
    if (route.consulService() != null) {
      return new ConsulName(slug(route.consulService(), MAX_LABEL), null);
    }
    String template = route.labelOptIn() ? settings.servicesTemplate() : settings.serviceNameTemplate();
    String[] parts = template.split("\\.", 2);
    String first = fill(parts[0], route, settings, cluster);
    if (route.pathMatch() == PathMatch.EXACT) {
      first += "-exact";
    }
    if (route.rule() != null && !isPlainHostAndPrefix(route)) {
      // a richer rule (headers, methods, alternatives) must not share a name with the plain one
      first += "-" + hash6(route.groupKey());
    }
    if (parts.length == 1) {
      return new ConsulName(slug(first, MAX_LABEL), null);
    }
    return new ConsulName(slug(fill(parts[1], route, settings, cluster), MAX_LABEL), slug(first, MAX_LABEL));
  }

  private static String fill(String part, Route route, ConsulSettings settings, String cluster) {
    String h = route.host().isEmpty() ? "rule" : route.host();
    String host = h.startsWith("*.") ? "wildcard." + h.substring(2) : h;
    return part.replace("{host}", host)
        .replace("{path}", route.path())
        .replace("{service}", route.backend().service())
        .replace("{namespace}", route.source().namespace())
        .replace("{cluster}", cluster)
        .replace("{environment}", settings.environment());
  }

  private static boolean isPlainHostAndPrefix(Route r) {
    String plain = "Host(`" + r.host() + "`)" + (r.path().equals("/") ? "" : " && PathPrefix(`" + r.path() + "`)");
    return r.groupKey().equals(plain);
  }

  /**
   * Lower-case, every run of characters outside {@code [a-z0-9]} becomes one {@code -}, trimmed.
   * Longer than {@code maxLen}: cut and suffixed with 6 hex digits of the raw string's SHA-256,
   * so distinct long names stay distinct and the same name always maps to the same label.
   */
  public static String slug(String raw, int maxLen) {
    // a loop rather than two replaceAll calls: this runs for every name of every replanned group
    String lower = raw.toLowerCase(Locale.ROOT);
    StringBuilder b = new StringBuilder(lower.length());
    boolean gap = false;
    for (int i = 0; i < lower.length(); i++) {
      char c = lower.charAt(i);
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        if (gap && b.length() > 0) {
          b.append('-');
        }
        gap = false;
        b.append(c);
      } else {
        gap = true;
      }
    }
    if (b.length() <= maxLen) {
      return b.toString();
    }
    int end = maxLen - 7;
    while (end > 0 && b.charAt(end - 1) == '-') {
      end--;
    }
    return b.substring(0, end) + "-" + hash6(raw);
  }

  /** The first 6 hex digits of {@code s}'s SHA-256: a short, stable disambiguator. */
  static String hash6(String s) {
    return sha256(s).substring(0, 6);
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
