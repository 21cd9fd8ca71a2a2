package io.tributary.settings;

import com.typesafe.config.Config;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code tributary.clusters.<name>}: one watched cluster — how to reach its API server, what to
 * watch there, and where its ingress endpoints are.
 *
 * @param kubeconfig kubeconfig file of a remote cluster; null = in-cluster credentials
 * @param context kubeconfig context; null = the file's current-context
 * @param kinds watched kinds, a subset of {@link #KINDS}
 * @param includeNamespaces namespaces watched; empty = all
 * @param excludeNamespaces namespaces never watched (wins over include)
 * @param labelSelector Kubernetes label selector for routing objects (not Nodes); null = all
 */
public record ClusterSettings(
    String name,
    String kubeconfig,
    String context,
    Set<String> kinds,
    List<String> includeNamespaces,
    List<String> excludeNamespaces,
    String labelSelector,
    ClusterEndpoints endpoints) {

  /** Every kind a cluster can watch. */
  public static final Set<String> KINDS = Set.of("Ingress", "IngressRoute", "Middleware", "Service", "Node");

  public ClusterSettings {
    kinds = Set.copyOf(kinds);
    includeNamespaces = List.copyOf(includeNamespaces);
    excludeNamespaces = List.copyOf(excludeNamespaces);
  }

  /** A cluster known only by name and endpoints (replays, tests). */
  public static ClusterSettings of(String name, ClusterEndpoints endpoints) {
    return new ClusterSettings(name, null, null, KINDS, List.of(), List.of(), null, endpoints);
  }

  /** True when credentials come from the pod's service account. */
  public boolean inCluster() {
    return kubeconfig == null;
  }

  /** Whether objects of {@code namespace} are watched; cluster-scoped objects (no namespace) are. */
  public boolean watchesNamespace(String namespace) {
    if (namespace == null || namespace.isEmpty()) {
      return true;
    }
    if (excludeNamespaces.contains(namespace)) {
      return false;
    }
    return includeNamespaces.isEmpty() || includeNamespaces.contains(namespace);
  }

  static ClusterSettings from(String name, Config c, Problems p) {
    String path = "clusters." + name;
    String kubeconfig = c.hasPath("kubeconfig") && !c.getString("kubeconfig").isBlank() ? c.getString("kubeconfig") : null;
    String context = c.hasPath("context") && !c.getString("context").isBlank() ? c.getString("context") : null;
    if (context != null && kubeconfig == null) {
      p.add(path + ".context is set without " + path + ".kubeconfig (in-cluster credentials have no contexts)");
    }
    Set<String> kinds = new LinkedHashSet<>(KINDS);
    if (c.hasPath("kinds")) {
      kinds.clear();
      for (String k : c.getStringList("kinds")) {
        if (!KINDS.contains(k)) {
          p.add(path + ".kinds: '" + k + "' is not one of " + new java.util.TreeSet<>(KINDS));
        }
        kinds.add(k);
      }
    }
    List<String> include = c.hasPath("namespaces.include") ? c.getStringList("namespaces.include") : List.of();
    List<String> exclude = c.hasPath("namespaces.exclude") ? c.getStringList("namespaces.exclude") : List.of();
    String selector = c.hasPath("label-selector") && !c.getString("label-selector").isBlank() ? c.getString("label-selector") : null;
    return new ClusterSettings(name, kubeconfig, context, kinds, include, exclude, selector, endpoints(path, c, p));
  }

  private static ClusterEndpoints endpoints(String path, Config c, Problems p) {
    String name = path.substring("clusters.".length());
    path += ".endpoints";
    if (!c.hasPath("endpoints")) {
      p.add(path + " is missing");
      return ClusterEndpoints.defaultFor(name);
    }
    Config e = c.getConfig("endpoints");
    String type = e.hasPath("type") ? e.getString("type").toLowerCase(Locale.ROOT) : "load-balancer";
    if (!type.equals("load-balancer")) {
      p.add(path + ".type '" + type + "' is not supported yet (supported: load-balancer)");
    }
    List<String> addresses = e.hasPath("addresses") ? e.getStringList("addresses") : List.of();
    if (addresses.isEmpty()) {
      p.add(path + ".addresses must name at least one IP or hostname");
    }
    long hostnames = addresses.stream().filter(a -> !Addresses.isIp(a)).count();
    if (hostnames > 0 && addresses.size() > 1) {
      p.add(path + ".addresses: a load-balancer hostname must be the only address (a CNAME has one target)");
    }
    int port = e.hasPath("port") ? e.getInt("port") : 80;
    if (port < 1 || port > 65535) {
      p.add(path + ".port " + port + " is out of range");
    }
    return new ClusterEndpoints(name, addresses, port);
  }
}
