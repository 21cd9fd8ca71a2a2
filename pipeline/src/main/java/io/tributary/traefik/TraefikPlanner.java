package io.tributary.traefik;

import io.tributary.consul.ServiceNames;
import io.tributary.settings.ConsulSettings;
import io.tributary.settings.TagSyntax;
import io.tributary.settings.TraefikSettings;
import io.tributary.settings.TranslateSettings;
import io.tributary.translate.Route;
import java.util.ArrayList;
import java.util.List;

/**
 * Traefik dynamic config for what Consul Catalog tags cannot express: the strangler canary of seed
 * 000. When a route group's winning route carries a weight and its host has a VM backend ({@code
 * translate.vm-backends}), a weighted service splits the group's traffic between the VM service
 * and the Kubernetes service (both from the Consul Catalog provider), and a router sends the
 * group's requests to it. Pure; entries are sorted by key.
 */
public final class TraefikPlanner {
  private TraefikPlanner() {}

  /** The VM backend of {@code winner}'s group if it runs as a canary, else null. */
  public static String canaryVmService(Route winner, TranslateSettings translate) {
    return canaryVmService(winner, translate.vmBackends()::get);
  }

  /** As above, VM backends by hostname from {@code vmBackendOf} (configured, then discovered). */
  public static String canaryVmService(Route winner, java.util.function.Function<String, String> vmBackendOf) {
    if (winner.weight() == null) {
      return null;
    }
    return vmBackendOf.apply(winner.host());
  }

  /** KV entries of the group whose router options come from {@code winner} (empty if no canary). */
  public static List<TraefikEntry> plan(
      Route winner, TranslateSettings translate, ConsulSettings consul, TraefikSettings traefik, String ownerId) {
    return plan(winner, translate, consul, traefik, ownerId, java.util.Map.of());
  }

  /**
   * As above; {@code middlewareNames} (reference → name) are the names the winner's Middleware
   * objects are defined under in its Consul tags, which the canary's router refers to.
   */
  public static List<TraefikEntry> plan(
      Route winner, TranslateSettings translate, ConsulSettings consul, TraefikSettings traefik, String ownerId,
      java.util.Map<String, String> middlewareNames) {
    return plan(winner, translate.vmBackends()::get, consul, traefik, ownerId, middlewareNames);
  }

  /** As above, VM backends by hostname from {@code vmBackendOf} (configured, then discovered). */
  public static List<TraefikEntry> plan(
      Route winner, java.util.function.Function<String, String> vmBackendOf, ConsulSettings consul, TraefikSettings traefik,
      String ownerId, java.util.Map<String, String> middlewareNames) {
    String vm = canaryVmService(winner, vmBackendOf);
    if (vm == null) {
      return List.of();
    }
    String service = ServiceNames.serviceName(winner, consul);
    String name = TraefikOwnership.name(ownerId, service + "-canary");
    String router = traefik.root() + "/http/routers/" + name + "/";
    String weighted = traefik.root() + "/http/services/" + name + "/weighted/services/";
    TagSyntax syntax = consul.tagSyntax() == TagSyntax.V1 ? TagSyntax.V3 : consul.tagSyntax();
    String rule = winner.rule(syntax);
    List<TraefikEntry> entries = new ArrayList<>();
    entries.add(new TraefikEntry(router + "rule", rule, ownerId));
    entries.add(new TraefikEntry(router + "service", name, ownerId));
    // above the VM's own router for the host, whatever its rule length
    entries.add(new TraefikEntry(router + "priority", String.valueOf(winner.priority() != null ? winner.priority() : rule.length() + 1000), ownerId));
    List<String> eps = winner.entrypoints().isEmpty() ? consul.defaultEntrypoints() : winner.entrypoints();
    for (int i = 0; i < eps.size(); i++) {
      entries.add(new TraefikEntry(router + "entrypoints/" + i, eps.get(i), ownerId));
    }
    if (winner.tls()) {
      entries.add(new TraefikEntry(router + "tls", "true", ownerId));
    }
    List<String> middlewares = new ArrayList<>();
    if (winner.stripPrefix() && !winner.path().equals("/")) {
      middlewares.add(service + "-stripprefix@consulcatalog"); // defined by the service's tags
    }
    // a carried Middleware is defined by the service's tags; a mapped one (translate.middleware-map) names its provider
    winner.middlewares().forEach(ref -> middlewares.add(!middlewareNames.containsKey(ref) ? ref
        : middlewareNames.get(ref).contains("@") ? middlewareNames.get(ref) : middlewareNames.get(ref) + "@consulcatalog"));
    for (int i = 0; i < middlewares.size(); i++) {
      entries.add(new TraefikEntry(router + "middlewares/" + i, middlewares.get(i), ownerId));
    }
    entries.add(new TraefikEntry(weighted + "0/name", vm + "@consulcatalog", ownerId));
    entries.add(new TraefikEntry(weighted + "0/weight", String.valueOf(100 - winner.weight()), ownerId));
    entries.add(new TraefikEntry(weighted + "1/name", service + "@consulcatalog", ownerId));
    entries.add(new TraefikEntry(weighted + "1/weight", String.valueOf(winner.weight()), ownerId));
    entries.sort((a, b) -> a.key().compareTo(b.key()));
    return entries;
  }
}
