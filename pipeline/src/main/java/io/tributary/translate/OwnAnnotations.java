package io.tributary.translate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.settings.TranslateSettings;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Tributary's own annotations (prefix {@code translate.annotation-prefix}, default {@code
 * tributary.io/}), applied to the routes of any kind. Pure.
 *
 * <ul>
 *   <li>{@code expose: "false"} — handled by each translator (the object is ignored);
 *   <li>{@code consul-service-name} — the Consul service name of the object's routes;
 *   <li>{@code dns: "false"} — the object's routes get no DNS records;
 *   <li>{@code ttl} — DNS TTL in seconds (30..86400) for the object's hostnames;
 *   <li>{@code strip-prefix: "true"} — strip the path prefix before forwarding;
 *   <li>{@code visibility: public|private} — the entry points {@code translate.visibility-entrypoints}
 *       names for it replace the object's;
 *   <li>{@code weight} — 0..100: the share of the route's traffic Kubernetes gets against the
 *       host's VM backend ({@code translate.vm-backends}); 0 = all VM, 100 = all Kubernetes;
 *   <li>{@code mirror} — 1..100: the share of the VM backend's requests copied to Kubernetes, whose
 *       answers are dropped (a dark launch before the canary);
 *   <li>any other key under the prefix is reported as a likely typo.
 * </ul>
 */
public final class OwnAnnotations {
  private static final java.util.regex.Pattern DNS_LABEL = java.util.regex.Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final Set<String> KNOWN =
      Set.of("expose", "consul-service-name", "dns", "ttl", "strip-prefix", "visibility", "weight", "mirror");

  private OwnAnnotations() {}

  /** Applies the annotations of {@code object} to an accepted translation. */
  public static Translation apply(ObjectNode object, Translation.Accepted accepted, TranslateSettings settings) {
    String prefix = settings.annotationPrefix();
    var annotations = object.path("metadata").path("annotations");
    List<String> problems = new ArrayList<>();
    List<String> warnings = new ArrayList<>(accepted.warnings());
    Set<String> unknown = new TreeSet<>();
    for (Iterator<String> it = annotations.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (name.startsWith(prefix) && !KNOWN.contains(name.substring(prefix.length()))) {
        unknown.add(name);
      }
    }
    unknown.forEach(n -> warnings.add("metadata.annotations[" + n + "]: unknown Tributary annotation (a typo?); known: " + new TreeSet<>(KNOWN)));

    String service = text(annotations, prefix + "consul-service-name");
    if (service != null && !DNS_LABEL.matcher(service).matches()) {
      problems.add(where(prefix + "consul-service-name") + "'" + service + "' is not a lower-case DNS label");
    }
    Boolean dns = bool(annotations, prefix + "dns", problems);
    Boolean strip = bool(annotations, prefix + "strip-prefix", problems);
    Long ttl = null;
    String ttlText = text(annotations, prefix + "ttl");
    if (ttlText != null) {
      try {
        ttl = Long.parseLong(ttlText);
        if (ttl < 30 || ttl > 86_400) {
          problems.add(where(prefix + "ttl") + ttl + " is outside 30..86400 seconds");
        }
      } catch (NumberFormatException e) {
        problems.add(where(prefix + "ttl") + "'" + ttlText + "' is not a number of seconds");
      }
    }
    List<String> visibilityEntrypoints = null;
    String visibility = text(annotations, prefix + "visibility");
    if (visibility != null) {
      visibilityEntrypoints = settings.visibilityEntrypoints().get(visibility);
      if (visibilityEntrypoints == null) {
        problems.add(where(prefix + "visibility") + "'" + visibility + "' is not one of " + new TreeSet<>(settings.visibilityEntrypoints().keySet()));
      }
    }
    Integer weight = share(annotations, prefix + "weight", 0, problems);
    Integer mirror = share(annotations, prefix + "mirror", 1, problems);
    if (!problems.isEmpty()) {
      return new Translation.Rejected(String.join("; ", problems));
    }
    if (service == null && dns == null && strip == null && ttl == null && visibilityEntrypoints == null && weight == null
        && mirror == null) {
      return accepted.with(accepted.routes(), warnings);
    }
    List<Route> routes = new ArrayList<>();
    for (Route r : accepted.routes()) {
      routes.add(r.withOwnOptions(
          visibilityEntrypoints != null ? visibilityEntrypoints : r.entrypoints(),
          strip != null ? strip : r.stripPrefix(),
          Boolean.FALSE.equals(dns) ? List.of() : r.dnsHosts(),
          service,
          ttl,
          weight).withMirrorPercent(mirror));
    }
    return accepted.with(routes, warnings);
  }

  /** A percentage annotation, {@code min}..100, or null when absent. */
  private static Integer share(com.fasterxml.jackson.databind.JsonNode annotations, String name, int min, List<String> problems) {
    String text = text(annotations, name);
    if (text == null) {
      return null;
    }
    try {
      int share = Integer.parseInt(text);
      if (share < min || share > 100) {
        problems.add(where(name) + share + " is outside " + min + "..100");
      }
      return share;
    } catch (NumberFormatException e) {
      problems.add(where(name) + "'" + text + "' is not a number " + min + "..100");
      return null;
    }
  }

  private static String text(com.fasterxml.jackson.databind.JsonNode annotations, String name) {
    var v = annotations.get(name);
    return v == null || v.isNull() ? null : v.asText().trim();
  }

  private static Boolean bool(com.fasterxml.jackson.databind.JsonNode annotations, String name, List<String> problems) {
    String v = text(annotations, name);
    if (v == null) {
      return null;
    }
    if (!v.equals("true") && !v.equals("false")) {
      problems.add(where(name) + "'" + v + "' is neither true nor false");
      return null;
    }
    return Boolean.valueOf(v);
  }

  private static String where(String name) {
    return "metadata.annotations[" + name + "]: ";
  }
}
