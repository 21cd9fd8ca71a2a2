package io.tributary.consul;

import io.tributary.settings.ConsulSettings;
import io.tributary.settings.TagSyntax;
import io.tributary.translate.Middlewares;
import io.tributary.translate.PathMatch;
import io.tributary.translate.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Traefik Consul Catalog tags for one router, in the configured dialect. Pure. */
public final class TraefikTags {
  private TraefikTags() {}

  /** Sorted tags routing {@code winner}'s host+path to {@code service}. */
  public static List<String> tags(String service, Route winner, ConsulSettings settings) {
    return tags(service, winner, settings, Map.of());
  }

  /**
   * As above, the router's references to Middleware objects replaced by the names their
   * definitions have in the tags ({@code middlewareNames}: reference → name).
   */
  public static List<String> tags(String service, Route winner, ConsulSettings settings, Map<String, String> middlewareNames) {
    return settings.tagSyntax() == TagSyntax.V1 ? v1(winner, settings) : v2v3(service, winner, settings, middlewareNames);
  }

  /**
   * Tags defining Middleware object {@code d} as {@code name} for the Consul Catalog provider:
   * {@code traefik.http.middlewares.<name>.<type>.<option>=<value>}; a type without options is
   * defined by {@code <type>=true}.
   */
  public static List<String> middleware(String name, Middlewares.Definition d, TagSyntax syntax) {
    String prefix = "traefik.http.middlewares." + name + "." + d.typeFor(syntax);
    if (d.options().isEmpty()) {
      return List.of(prefix + "=true");
    }
    List<String> tags = new ArrayList<>();
    d.options().forEach((option, value) -> tags.add(prefix + "." + option + "=" + value));
    return tags;
  }

  /**
   * Tags of a service another router (the canary's, in Traefik's dynamic config, which defines its
   * middlewares beside it) sends traffic to: enabled, and no router of its own.
   */
  public static List<String> serviceOnly() {
    return List.of("traefik.enable=true");
  }

  /**
   * {@code tags} plus the tag naming the port Traefik sends traffic to. Set explicitly because
   * Traefik's Consul Catalog provider otherwise guesses, and a guess that changes with the
   * registration order is an outage.
   */
  public static List<String> withServerPort(List<String> tags, String service, int port, TagSyntax syntax) {
    var out = new TreeSet<>(tags);
    out.add(syntax == TagSyntax.V1
        ? "traefik.port=" + port
        : "traefik.http.services." + service + ".loadbalancer.server.port=" + port);
    return List.copyOf(out);
  }

  /** The Traefik v2/v3 rule of a route. */
  public static String rule(Route r, TagSyntax syntax) {
    return r.rule(syntax);
  }

  private static List<String> entrypoints(Route r, ConsulSettings s) {
    return r.entrypoints().isEmpty() ? s.defaultEntrypoints() : r.entrypoints();
  }

  private static boolean strips(Route r) {
    return r.stripPrefix() && !r.path().equals("/");
  }

  private static List<String> v2v3(String svc, Route r, ConsulSettings s, Map<String, String> middlewareNames) {
    String router = "traefik.http.routers." + svc;
    var tags = new TreeSet<String>();
    tags.add("traefik.enable=true");
    tags.add(router + ".rule=" + rule(r, s.tagSyntax()));
    tags.add(router + ".service=" + svc);
    List<String> eps = entrypoints(r, s);
    if (!eps.isEmpty()) {
      tags.add(router + ".entrypoints=" + String.join(",", eps));
    }
    if (r.priority() != null) {
      tags.add(router + ".priority=" + r.priority());
    } else if (r.catchAll()) {
      tags.add(router + ".priority=1"); // a default backend must lose to every real path
    }
    if (r.tls()) {
      tags.add(router + ".tls=true");
    }
    List<String> middlewares = new ArrayList<>();
    if (strips(r)) {
      String mw = svc + "-stripprefix";
      tags.add("traefik.http.middlewares." + mw + ".stripprefix.prefixes=" + r.path());
      middlewares.add(mw);
    }
    r.middlewares().forEach(ref -> middlewares.add(middlewareNames.getOrDefault(ref, ref)));
    if (!middlewares.isEmpty()) {
      tags.add(router + ".middlewares=" + String.join(",", middlewares));
    }
    return List.copyOf(tags);
  }

  private static List<String> v1(Route r, ConsulSettings s) {
    var tags = new TreeSet<String>();
    tags.add("traefik.enable=true");
    String host =
        r.host().startsWith("*.")
            ? "HostRegexp:{subdomain:[a-z0-9-]+}." + r.host().substring(2)
            : "Host:" + r.host();
    String rule = host;
    if (!(r.pathMatch() == PathMatch.PREFIX && r.path().equals("/") && !strips(r))) {
      String matcher =
          r.pathMatch() == PathMatch.EXACT
              ? (strips(r) ? "PathStrip" : "Path")
              : (strips(r) ? "PathPrefixStrip" : "PathPrefix");
      rule += ";" + matcher + ":" + r.path();
    }
    tags.add("traefik.frontend.rule=" + rule);
    List<String> eps = entrypoints(r, s);
    if (!eps.isEmpty()) {
      tags.add("traefik.frontend.entryPoints=" + String.join(",", eps));
    }
    if (r.priority() != null) {
      tags.add("traefik.frontend.priority=" + r.priority());
    } else if (r.catchAll()) {
      tags.add("traefik.frontend.priority=1");
    }
    return List.copyOf(tags);
  }
}
