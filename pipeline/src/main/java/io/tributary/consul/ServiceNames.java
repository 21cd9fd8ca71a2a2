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
   * The service name of {@code route}'s group: the template with {@code {host}} ({@code *} →
   * {@code wildcard}) and {@code {path}}, {@code -exact} for exact paths, then {@link #slug}.
   */
  public static String serviceName(Route route, ConsulSettings settings) {
    if (route.consulService() != null) {
      return slug(route.consulService(), MAX_LABEL);
    }
    String h = route.host().isEmpty() ? "rule" : route.host();
    String host = h.startsWith("*.") ? "wildcard." + h.substring(2) : h;
    String raw = settings.serviceNameTemplate().replace("{host}", host).replace("{path}", route.path());
    if (route.pathMatch() == PathMatch.EXACT) {
      raw += "-exact";
    }
    if (route.rule() != null && !isPlainHostAndPrefix(route)) {
      // a richer rule (headers, methods, alternatives) must not share a name with the plain one
      raw += "-" + hash6(route.groupKey());
    }
    return slug(raw, MAX_LABEL);
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
    String s = raw.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    if (s.length() <= maxLen) {
      return s;
    }
    String hash = hash6(raw);
    String head = s.substring(0, maxLen - 7).replaceAll("-+$", "");
    return head + "-" + hash;
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
