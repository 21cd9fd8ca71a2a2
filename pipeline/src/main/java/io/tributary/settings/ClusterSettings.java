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
 * @param includeNamespaces {@code namespaces.allow}: namespaces watched; empty = all
 * @param excludeNamespaces {@code namespaces.deny}: namespaces never watched (wins over allow)
 * @param labelSelector Kubernetes label selector for routing objects (not Nodes); null = all
 * @param allowedHosts hostname globs objects of this cluster may claim; empty = any
 * @param consulAgent consul.registration-mode agent: the URL of the Consul agent this cluster's
 *     instances register through; null = {@code consul.agent-address-template}
 */
public record ClusterSettings(
    String name,
    String kubeconfig,
    String context,
    Set<String> kinds,
    List<String> includeNamespaces,
    List<String> excludeNamespaces,
    String labelSelector,
    EndpointSettings endpointSettings,
    List<String> allowedHosts,
    String consulAgent) {

  /** Every kind a cluster can watch. */
  public static final Set<String> KINDS = Set.of("Ingress", "IngressRoute", "Middleware", "Service", "Node");

  public ClusterSettings {
    kinds = Set.copyOf(kinds);
    includeNamespaces = List.copyOf(includeNamespaces);
    excludeNamespaces = List.copyOf(excludeNamespaces);
    allowedHosts = List.copyOf(allowedHosts);
  }

  /** A cluster without its own Consul agent. */
  public ClusterSettings(
      String name, String kubeconfig, String context, Set<String> kinds, List<String> includeNamespaces,
      List<String> excludeNamespaces, String labelSelector, EndpointSettings endpointSettings, List<String> allowedHosts) {
    this(name, kubeconfig, context, kinds, includeNamespaces, excludeNamespaces, labelSelector, endpointSettings, allowedHosts, null);
  }

  /** This cluster registering through the Consul agent at {@code agent}. */
  public ClusterSettings withConsulAgent(String agent) {
    return new ClusterSettings(name, kubeconfig, context, kinds, includeNamespaces, excludeNamespaces, labelSelector,
        endpointSettings, allowedHosts, agent);
  }

  /** A cluster known only by name and fixed endpoints (replays, tests). */
  public static ClusterSettings of(String name, ClusterEndpoints endpoints) {
    return new ClusterSettings(name, null, null, KINDS, List.of(), List.of(), null, EndpointSettings.fixed(endpoints), List.of());
  }

  /** The fixed endpoints of a load-balancer cluster; for nodes/service clusters, none until resolved. */
  public ClusterEndpoints endpoints() {
    return endpointSettings.type() == EndpointSettings.Type.LOAD_BALANCER
        ? endpointSettings.fixed()
        : new ClusterEndpoints(name, List.of(), endpointSettings.port());
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
    // "allow"/"deny", not "include"/"exclude": include is a HOCON keyword
    List<String> include = c.hasPath("namespaces.allow") ? c.getStringList("namespaces.allow") : List.of();
    List<String> exclude = c.hasPath("namespaces.deny") ? c.getStringList("namespaces.deny") : List.of();
    String selector = c.hasPath("label-selector") && !c.getString("label-selector").isBlank() ? c.getString("label-selector") : null;
    List<String> allowedHosts = c.hasPath("allowed-hosts") ? c.getStringList("allowed-hosts") : List.of();
    String agent = c.hasPath("consul-agent") && !c.getString("consul-agent").isBlank() ? c.getString("consul-agent") : null;
    if (agent != null) {
      ConsulHttpSettings.checkAddress(path + ".consul-agent", agent, p);
    }
    return new ClusterSettings(name, kubeconfig, context, kinds, include, exclude, selector, endpoints(path, c, p), allowedHosts, agent);
  }

  private static EndpointSettings endpoints(String path, Config c, Problems p) {
    String name = path.substring("clusters.".length());
    path += ".endpoints";
    if (!c.hasPath("endpoints")) {
      p.add(path + " is missing (type = load-balancer, nodes or service)");
      return EndpointSettings.fixed(ClusterEndpoints.defaultFor(name));
    }
    Config e = c.getConfig("endpoints");
    String type = e.hasPath("type") ? e.getString("type").toLowerCase(Locale.ROOT) : "load-balancer";
    int port = e.hasPath("port") ? e.getInt("port") : 80;
    switch (type) {
      case "load-balancer" -> {
        List<String> addresses = e.hasPath("addresses") ? e.getStringList("addresses") : List.of();
        if (addresses.isEmpty()) {
          p.add(path + ".addresses must name at least one IP or hostname");
        }
        long hostnames = addresses.stream().filter(a -> !Addresses.isIp(a)).count();
        if (hostnames > 0 && addresses.size() > 1) {
          p.add(path + ".addresses: a load-balancer hostname must be the only address (a CNAME has one target)");
        }
        checkPort(path + ".port", port, p);
        return EndpointSettings.fixed(new ClusterEndpoints(name, addresses, port));
      }
      case "nodes" -> {
        if (!e.hasPath("host-port")) {
          p.add(path + ".host-port is required for type nodes (the ingress controller's hostPort)");
        }
        int hostPort = e.hasPath("host-port") ? e.getInt("host-port") : 80;
        checkPort(path + ".host-port", hostPort, p);
        java.util.Map<String, String> selector = new java.util.TreeMap<>();
        if (e.hasPath("node-selector")) {
          e.getConfig("node-selector").entrySet().forEach(x -> selector.put(x.getKey().replace("\"", ""), String.valueOf(x.getValue().unwrapped())));
        }
        String addressType = e.hasPath("address-type") ? e.getString("address-type") : "InternalIP";
        if (!List.of("InternalIP", "ExternalIP").contains(addressType)) {
          p.add(path + ".address-type '" + addressType + "' is not one of InternalIP, ExternalIP");
        }
        if (kindsWithoutNodes(c)) {
          p.add(path + ".type nodes needs Node in clusters." + name + ".kinds");
        }
        return new EndpointSettings(EndpointSettings.Type.NODES, null, hostPort, selector, addressType, null, null);
      }
      case "service" -> {
        String ns = e.hasPath("namespace") ? e.getString("namespace") : null;
        String svc = e.hasPath("name") ? e.getString("name") : null;
        if (ns == null || svc == null) {
          p.add(path + ": type service needs namespace and name of the ingress controller's Service");
        }
        checkPort(path + ".port", port, p);
        return new EndpointSettings(EndpointSettings.Type.SERVICE, null, port, java.util.Map.of(), "InternalIP", ns, svc);
      }
      default -> {
        p.add(path + ".type '" + type + "' is not one of load-balancer, nodes, service");
        return EndpointSettings.fixed(ClusterEndpoints.defaultFor(name));
      }
    }
  }

  private static boolean kindsWithoutNodes(Config c) {
    return c.hasPath("kinds") && !c.getStringList("kinds").contains("Node");
  }

  private static void checkPort(String path, int port, Problems p) {
    if (port < 1 || port > 65535) {
      p.add(path + " " + port + " is out of range");
    }
  }
}
