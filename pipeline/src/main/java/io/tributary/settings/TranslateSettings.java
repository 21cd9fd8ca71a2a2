package io.tributary.settings;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigUtil;
import io.tributary.kind.ResourceKind;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code tributary.translate}: which objects are ours and how their annotations are read.
 *
 * @param ingressClasses accepted ingress classes; empty accepts every class
 * @param includeUnclassed accept Ingresses that name no class at all
 * @param annotationPrefix prefix of Tributary's own annotations
 * @param serviceOptInLabel {@code key=value} label that opts a Service in (the labelled-Service convention, type=ingress)
 * @param serviceDomain domain of Service hostnames: {@code <service>-<namespace>.<domain>}
 * @param visibilityEntrypoints entry points per {@code tributary.io/visibility} value
 * @param namespaceHosts hostname globs each listed namespace may claim (in every cluster);
 *     namespaces not listed are unrestricted
 * @param prefer which of an Ingress and an IngressRoute declaring the same route wins
 * @param vmBackends strangler migrations (VM services moving to Kubernetes): hostname → the Consul service of the VMs
 *     serving it today; a route of that host with a {@code weight} is split between the two
 * @param allowCrossNamespace IngressRoutes may name services of other namespaces
 * @param middlewareMap Kubernetes Middleware {@code <namespace>/<name>} → a middleware the VM-side Traefik
 *     defines ({@code <name>@<provider>}), used by routes instead of the object, which is never carried
 * @param nginxClasses ingress classes whose Ingresses are translated with their {@code
 *     nginx.ingress.kubernetes.io/*} annotations (an ingress-nginx migration); served even when
 *     {@code ingressClasses} does not list them
 * @param nginxDropSnippets translate an nginx-class Ingress without its snippet annotations (never
 *     carried) instead of holding it back
 * @param gatewayClasses Gateway API: HTTPRoutes attached to Gateways of these {@code gatewayClassName}s are
 *     translated; empty (the default) turns the Gateway API off — its kinds are not even watched
 */
public record TranslateSettings(
    Set<String> ingressClasses,
    boolean includeUnclassed,
    String annotationPrefix,
    String serviceOptInLabel,
    String serviceDomain,
    java.util.Map<String, java.util.List<String>> visibilityEntrypoints,
    java.util.Map<String, java.util.List<String>> namespaceHosts,
    String prefer,
    java.util.Map<String, String> vmBackends,
    boolean allowCrossNamespace,
    java.util.Map<String, String> middlewareMap,
    Set<String> nginxClasses,
    boolean nginxDropSnippets,
    Set<String> gatewayClasses) {

  public TranslateSettings {
    gatewayClasses = Set.copyOf(gatewayClasses);
    ingressClasses = Set.copyOf(ingressClasses);
    nginxClasses = Set.copyOf(nginxClasses);
    visibilityEntrypoints = java.util.Map.copyOf(visibilityEntrypoints);
    namespaceHosts = java.util.Map.copyOf(namespaceHosts);
    vmBackends = java.util.Map.copyOf(vmBackends);
    middlewareMap = java.util.Map.copyOf(middlewareMap);
  }

  /** Without nginx classes, Gateway API off. */
  public TranslateSettings(
      Set<String> ingressClasses, boolean includeUnclassed, String annotationPrefix, String serviceOptInLabel,
      String serviceDomain, java.util.Map<String, java.util.List<String>> visibilityEntrypoints,
      java.util.Map<String, java.util.List<String>> namespaceHosts, String prefer, java.util.Map<String, String> vmBackends,
      boolean allowCrossNamespace, java.util.Map<String, String> middlewareMap) {
    this(ingressClasses, includeUnclassed, annotationPrefix, serviceOptInLabel, serviceDomain, visibilityEntrypoints,
        namespaceHosts, prefer, vmBackends, allowCrossNamespace, middlewareMap, Set.of(), false, Set.of());
  }

  /** These settings with {@code classes} read as ingress-nginx classes. */
  public TranslateSettings withNginxClasses(Set<String> classes, boolean dropSnippets) {
    return new TranslateSettings(ingressClasses, includeUnclassed, annotationPrefix, serviceOptInLabel, serviceDomain,
        visibilityEntrypoints, namespaceHosts, prefer, vmBackends, allowCrossNamespace, middlewareMap, classes, dropSnippets,
        gatewayClasses);
  }

  /** True if Ingresses of {@code ingressClass} are read with their NGINX annotations. */
  public boolean isNginxClass(String ingressClass) {
    return ingressClass != null && nginxClasses.contains(ingressClass);
  }

  /** These settings translating HTTPRoutes attached to Gateways of {@code classes}. */
  public TranslateSettings withGatewayClasses(Set<String> classes) {
    return new TranslateSettings(ingressClasses, includeUnclassed, annotationPrefix, serviceOptInLabel, serviceDomain,
        visibilityEntrypoints, namespaceHosts, prefer, vmBackends, allowCrossNamespace, middlewareMap, nginxClasses,
        nginxDropSnippets, classes);
  }

  /** Whether Gateway API objects are watched and translated: some gateway class is named. */
  public boolean gatewayApi() {
    return !gatewayClasses.isEmpty();
  }

  /** Without a middleware map. */
  public TranslateSettings(
      Set<String> ingressClasses, boolean includeUnclassed, String annotationPrefix, String serviceOptInLabel,
      String serviceDomain, java.util.Map<String, java.util.List<String>> visibilityEntrypoints,
      java.util.Map<String, java.util.List<String>> namespaceHosts, String prefer, java.util.Map<String, String> vmBackends,
      boolean allowCrossNamespace) {
    this(ingressClasses, includeUnclassed, annotationPrefix, serviceOptInLabel, serviceDomain, visibilityEntrypoints,
        namespaceHosts, prefer, vmBackends, allowCrossNamespace, java.util.Map.of());
  }

  /** Without visibility entry points (tests, replays without config). */
  public TranslateSettings(
      Set<String> ingressClasses, boolean includeUnclassed, String annotationPrefix, String serviceOptInLabel, String serviceDomain) {
    this(ingressClasses, includeUnclassed, annotationPrefix, serviceOptInLabel, serviceDomain,
        java.util.Map.of("public", java.util.List.of("web", "websecure"), "private", java.util.List.of("internal")),
        java.util.Map.of(),
        ResourceKind.INGRESS_ROUTE.kind(),
        java.util.Map.of(),
        false);
  }

  /** Class filter and prefix; Services opted in by {@code type=ingress}, no Service domain. */
  public TranslateSettings(Set<String> ingressClasses, boolean includeUnclassed, String annotationPrefix) {
    this(ingressClasses, includeUnclassed, annotationPrefix, "type=ingress", "");
  }

  /** Accept every class, unclassed included, prefix {@code tributary.io/}. */
  public static TranslateSettings defaults() {
    return new TranslateSettings(Set.of(), true, "tributary.io/");
  }

  static TranslateSettings from(Config c, Problems p) {
    List<String> classes = p.stringList(c, "ingress-classes");
    String optIn = p.string(c, "service-opt-in-label");
    if (optIn != null && !optIn.matches("[A-Za-z0-9./_-]+=[A-Za-z0-9._-]*")) {
      p.add(c, "service-opt-in-label", "translate.service-opt-in-label '" + optIn + "' must be key=value");
    }
    var visibility = listsByName(c, "visibility-entrypoints", p);
    return new TranslateSettings(
        classes == null ? Set.of() : new TreeSet<>(classes),
        p.bool(c, "include-unclassed"),
        p.string(c, "annotation-prefix"),
        optIn,
        p.string(c, "service-domain"),
        visibility,
        listsByName(c, "namespace-hosts", p),
        prefer(c, p),
        vmBackends(c, p),
        p.bool(c, "allow-cross-namespace"),
        middlewareMap(c, p),
        classNames(c, p, "nginx-classes", "an IngressClass"),
        p.bool(c, "nginx-drop-snippets"),
        classNames(c, p, "gateway-classes", "a GatewayClass"));
  }

  // IngressClass and GatewayClass objects are cluster-scoped: their names are DNS-1123 subdomains
  private static final java.util.regex.Pattern CLASS_NAME = java.util.regex.Pattern.compile("[a-z0-9]([-.a-z0-9]*[a-z0-9])?");

  private static Set<String> classNames(Config c, Problems p, String key, String what) {
    List<String> classes = c.hasPath(key) ? p.stringList(c, key) : null;
    if (classes == null) {
      return Set.of();
    }
    Set<String> valid = new TreeSet<>();
    for (String name : classes) {
      if (name.length() > 253 || !CLASS_NAME.matcher(name).matches()) {
        p.add(c, key, "translate." + key + ": '" + name + "' is not " + what
            + " name (a lower-case DNS-1123 subdomain, at most 253 characters)");
      } else {
        valid.add(name);
      }
    }
    return valid;
  }

  // a DNS-1123 namespace and Middleware name; a target with its provider, so the KV router of a
  // canary and the Catalog tags resolve it to the same middleware
  private static final java.util.regex.Pattern MAP_KEY = java.util.regex.Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?/[a-z0-9]([-.a-z0-9]*[a-z0-9])?");
  private static final java.util.regex.Pattern MAP_TARGET = java.util.regex.Pattern.compile("[A-Za-z0-9][-A-Za-z0-9_.]*@[A-Za-z0-9][-A-Za-z0-9_]*");

  private static java.util.Map<String, String> middlewareMap(Config c, Problems p) {
    java.util.Map<String, String> map = new java.util.TreeMap<>();
    java.util.Map<String, String> byTraefikName = new java.util.TreeMap<>();
    Config block = p.optionalBlock(c, "middleware-map");
    var pb = p.under("middleware-map");
    for (String key : block.root().keySet()) {
      String path = ConfigUtil.joinPath(key);
      String target = pb.string(block, path);
      if (target == null) {
        continue;
      }
      if (!MAP_KEY.matcher(key).matches()) {
        pb.add(block, path, "translate.middleware-map key '" + key + "' must be <namespace>/<name> of a Middleware object");
      } else if (!MAP_TARGET.matcher(target).matches()) {
        pb.add(block, path, "translate.middleware-map." + path + " '" + target
            + "' must name a middleware with its provider, <name>@<provider> (auth@file)");
      } else if (byTraefikName.putIfAbsent(key.replaceFirst("/", "-"), key) != null) {
        // routes know a Middleware as <namespace>-<name> only: a-b/c and a/b-c are one name to them
        pb.add(block, path, "translate.middleware-map key '" + key + "' names the same Middleware as '"
            + byTraefikName.get(key.replaceFirst("/", "-")) + "' (both are " + key.replaceFirst("/", "-") + "@kubernetescrd)");
      } else {
        map.put(key, target);
      }
    }
    return map;
  }

  private static java.util.Map<String, String> vmBackends(Config c, Problems p) {
    java.util.Map<String, String> backends = new java.util.TreeMap<>();
    Config block = p.optionalBlock(c, "vm-backends");
    var pb = p.under("vm-backends");
    for (String host : block.root().keySet()) {
      String service = pb.string(block, ConfigUtil.joinPath(host));
      if (service != null) {
        backends.put(host.toLowerCase(java.util.Locale.ROOT), service);
      }
    }
    return backends;
  }

  private static String prefer(Config c, Problems p) {
    String prefer = p.string(c, "prefer");
    String ingressRoute = ResourceKind.INGRESS_ROUTE.kind();
    String ingress = ResourceKind.INGRESS.kind();
    if (prefer != null && !prefer.equals(ingressRoute) && !prefer.equals(ingress)) {
      p.add(c, "prefer", "translate.prefer '" + prefer + "' is not one of " + ingressRoute + ", " + ingress);
    }
    return prefer;
  }

  /** A block of user-named string lists ({@code namespace-hosts { shop = [...] }}). */
  private static java.util.Map<String, java.util.List<String>> listsByName(Config c, String path, Problems p) {
    java.util.Map<String, java.util.List<String>> lists = new java.util.TreeMap<>();
    Config block = p.optionalBlock(c, path);
    var pb = p.under(path);
    for (String name : block.root().keySet()) {
      var list = pb.stringList(block, ConfigUtil.joinPath(name));
      if (list != null) {
        lists.put(name, list);
      }
    }
    return lists;
  }
}
