package io.tributary.settings;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigUtil;
import io.tributary.kind.ResourceKind;
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

  /** Every kind a cluster can watch, by the names {@code kinds} lists them by. */
  public static final Set<String> KINDS = ResourceKind.clusterKindNames();

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

  /** A cluster known only by name and fixed endpoints (replays, tests); the Gateway API off, as by default. */
  public static ClusterSettings of(String name, ClusterEndpoints endpoints) {
    Set<String> kinds = new LinkedHashSet<>(KINDS);
    kinds.removeAll(ResourceKind.gatewayApiKindNames());
    return new ClusterSettings(name, null, null, kinds, List.of(), List.of(), null, EndpointSettings.fixed(endpoints), List.of());
  }

  /**
   * This cluster without the Gateway API kinds (and Namespace, read only for them), for {@code
   * translate.gateway-classes = []}: nothing would translate them, so they are not watched (and need no RBAC). Naming one in {@code kinds}
   * explicitly is then a mistake, reported under {@code c}'s path.
   */
  ClusterSettings withoutGatewayApi(Config c, Problems p) {
    if (c.hasPath("kinds")) {
      List<String> named = p.stringList(c, "kinds");
      if (named != null && named.stream().anyMatch(ResourceKind.gatewayApiKindNames()::contains)) {
        p.add(c, "kinds", "clusters." + name + ".kinds names Gateway API kinds but translate.gateway-classes is empty:"
            + " name the gateway classes to translate, or leave " + ResourceKind.gatewayApiKindNames() + " out (Namespaces are"
            + " watched only for the labels Gateway listeners select routes by)");
      }
    }
    Set<String> without = new LinkedHashSet<>(kinds);
    without.removeAll(ResourceKind.gatewayApiKindNames());
    return new ClusterSettings(name, kubeconfig, context, without, includeNamespaces, excludeNamespaces, labelSelector,
        endpointSettings, allowedHosts, consulAgent);
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

  /** Cluster {@code name}'s block; {@code p} reports under {@code clusters.<name>}. */
  static ClusterSettings from(String name, Config c, Problems p) {
    String path = "clusters." + name;
    String kubeconfig = p.optionalString(c, "kubeconfig", null);
    String context = p.optionalString(c, "context", null);
    if (context != null && kubeconfig == null) {
      p.add(c, "context", path + ".context is set without " + path + ".kubeconfig (in-cluster credentials have no contexts)");
    }
    Set<String> kinds = new LinkedHashSet<>(KINDS);
    List<String> configuredKinds = c.hasPath("kinds") ? p.stringList(c, "kinds") : null;
    if (configuredKinds != null) {
      kinds.clear();
      for (String k : configuredKinds) {
        if (!KINDS.contains(k)) {
          p.add(c, "kinds", path + ".kinds: '" + k + "' is not one of " + new java.util.TreeSet<>(KINDS));
        }
        kinds.add(k);
      }
    }
    // "allow"/"deny", not "include"/"exclude": include is a HOCON keyword
    List<String> include = p.optionalStringList(c, "namespaces.allow");
    List<String> exclude = p.optionalStringList(c, "namespaces.deny");
    String selector = p.optionalString(c, "label-selector", null);
    List<String> allowedHosts = p.optionalStringList(c, "allowed-hosts");
    String agent = p.optionalString(c, "consul-agent", null);
    if (agent != null) {
      ConsulHttpSettings.checkAddress(c, "consul-agent", path + ".consul-agent", agent, p);
    }
    boolean withoutNodes = configuredKinds != null && !configuredKinds.contains(ResourceKind.NODE.kind());
    return new ClusterSettings(name, kubeconfig, context, kinds, orEmpty(include), orEmpty(exclude), selector,
        endpoints(name, c, withoutNodes, p), orEmpty(allowedHosts), agent);
  }

  private static List<String> orEmpty(List<String> list) {
    return list == null ? List.of() : list;
  }

  private static EndpointSettings endpoints(String name, Config c, boolean withoutNodes, Problems cp) {
    String path = "clusters." + name + ".endpoints";
    if (!c.hasPath("endpoints")) {
      cp.at(path, c.root().origin(), path + " is missing (type = load-balancer, nodes or service)");
      return EndpointSettings.fixed(ClusterEndpoints.defaultFor(name));
    }
    Config e = cp.block(c, "endpoints");
    var p = cp.under("endpoints");
    String type = p.optionalString(e, "type", "load-balancer").toLowerCase(Locale.ROOT);
    int port = Problems.or(p.optionalInteger(e, "port", 80), 80);
    switch (type) {
      case "load-balancer" -> {
        List<String> addresses = orEmpty(p.optionalStringList(e, "addresses"));
        if (addresses.isEmpty()) {
          p.add(e, "addresses", path + ".addresses must name at least one IP or hostname");
        }
        long hostnames = addresses.stream().filter(a -> !Addresses.isIp(a)).count();
        if (hostnames > 0 && addresses.size() > 1) {
          p.add(e, "addresses", path + ".addresses: a load-balancer hostname must be the only address (a CNAME has one target)");
        }
        checkPort(e, "port", path + ".port", port, p);
        return EndpointSettings.fixed(new ClusterEndpoints(name, addresses, port));
      }
      case "nodes" -> {
        if (!e.hasPath("host-port")) {
          p.add(e, "type", path + ".host-port is required for type nodes (the ingress controller's hostPort)");
        }
        int hostPort = Problems.or(p.optionalInteger(e, "host-port", 80), 80);
        checkPort(e, "host-port", path + ".host-port", hostPort, p);
        java.util.Map<String, String> selector = new java.util.TreeMap<>();
        Config nodeSelector = p.optionalBlock(e, "node-selector");
        var ps = p.under("node-selector");
        // a label key has dots: quoted it is one key, unquoted a nested path; either way the label
        // is the whole dotted path
        for (var entry : nodeSelector.entrySet()) {
          String value = ps.string(nodeSelector, entry.getKey());
          if (value != null) {
            selector.put(String.join(".", ConfigUtil.splitPath(entry.getKey())), value);
          }
        }
        String addressType = p.optionalString(e, "address-type", "InternalIP");
        if (!List.of("InternalIP", "ExternalIP").contains(addressType)) {
          p.add(e, "address-type", path + ".address-type '" + addressType + "' is not one of InternalIP, ExternalIP");
        }
        if (withoutNodes) {
          p.add(e, "type", path + ".type nodes needs Node in clusters." + name + ".kinds");
        }
        return new EndpointSettings(EndpointSettings.Type.NODES, null, hostPort, selector, addressType, null, null);
      }
      case "service" -> {
        String ns = p.optionalString(e, "namespace", null);
        String svc = p.optionalString(e, "name", null);
        if (ns == null || svc == null) {
          p.add(e, "type", path + ": type service needs namespace and name of the ingress controller's Service");
        }
        checkPort(e, "port", path + ".port", port, p);
        return new EndpointSettings(EndpointSettings.Type.SERVICE, null, port, java.util.Map.of(), "InternalIP", ns, svc);
      }
      default -> {
        p.add(e, "type", path + ".type '" + type + "' is not one of load-balancer, nodes, service");
        return EndpointSettings.fixed(ClusterEndpoints.defaultFor(name));
      }
    }
  }

  private static void checkPort(Config c, String key, String path, int port, Problems p) {
    if (port < 1 || port > 65535) {
      p.add(c, key, path + " " + port + " is out of range");
    }
  }
}
