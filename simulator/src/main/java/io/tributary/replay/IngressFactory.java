package io.tributary.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.kind.ResourceKind;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Builds realistic {@code networking.k8s.io/v1} Ingress objects (as the API server returns them,
 * managedFields and status included) for scenarios and tests.
 */
public final class IngressFactory implements ObjectSource {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String namespace;
  private final String name;
  private Instant created = Instant.parse("2026-01-01T00:00:00Z");
  private String ingressClass = "traefik";
  private final Map<String, String> annotations = new LinkedHashMap<>();
  private final Map<String, String> labels = new LinkedHashMap<>();
  private final List<Rule> rules = new ArrayList<>();
  private final List<String> tlsHosts = new ArrayList<>();
  private String defaultService;
  private int defaultPort;
  private String statusIp = "192.0.2.250";
  private String manager = "kubectl-client-side-apply";
  private long generation = 1;

  /** One {@code rules[].http.paths[]} entry; a null service means "no backend" (malformed). */
  public record Rule(String host, String path, String pathType, String service, int port) {}

  private IngressFactory(String namespace, String name) {
    this.namespace = namespace;
    this.name = name;
    labels.put("app.kubernetes.io/name", name);
  }

  /** Starts an Ingress {@code namespace/name}. */
  public static IngressFactory ingress(String namespace, String name) {
    return new IngressFactory(namespace, name);
  }

  public IngressFactory created(Instant at) {
    this.created = at;
    return this;
  }

  /** {@code spec.ingressClassName}; null leaves it out. */
  public IngressFactory ingressClass(String cls) {
    this.ingressClass = cls;
    return this;
  }

  public IngressFactory annotation(String key, String value) {
    annotations.put(key, value);
    return this;
  }

  public IngressFactory path(String host, String path, String pathType, String service, int port) {
    rules.add(new Rule(host, path, pathType, service, port));
    return this;
  }

  public IngressFactory tls(String... hosts) {
    tlsHosts.addAll(List.of(hosts));
    return this;
  }

  public IngressFactory defaultBackend(String service, int port) {
    this.defaultService = service;
    this.defaultPort = port;
    return this;
  }

  public IngressFactory statusIp(String ip) {
    this.statusIp = ip;
    return this;
  }

  public IngressFactory manager(String fieldManager) {
    this.manager = fieldManager;
    return this;
  }

  public IngressFactory generation(long g) {
    this.generation = g;
    return this;
  }

  /** The object as it would be in {@code cluster} at {@code resourceVersion}. */
  @Override
  public ObjectNode build(String cluster, long resourceVersion) {
    ObjectNode o = JSON.createObjectNode();
    o.put("apiVersion", ResourceKind.INGRESS.current().apiVersion());
    o.put("kind", ResourceKind.INGRESS.kind());
    ObjectNode meta = o.putObject("metadata");
    meta.put("name", name);
    meta.put("namespace", namespace);
    meta.put(
        "uid",
        UUID.nameUUIDFromBytes((cluster + "/" + namespace + "/" + name).getBytes(StandardCharsets.UTF_8)).toString());
    meta.put("resourceVersion", Long.toString(resourceVersion));
    meta.put("generation", generation);
    meta.put("creationTimestamp", DateTimeFormatter.ISO_INSTANT.format(created));
    ObjectNode l = meta.putObject("labels");
    labels.forEach(l::put);
    if (!annotations.isEmpty()) {
      ObjectNode a = meta.putObject("annotations");
      annotations.forEach(a::put);
    }
    ObjectNode mf = meta.putArray("managedFields").addObject();
    mf.put("manager", manager).put("operation", "Update").put("apiVersion", ResourceKind.INGRESS.current().apiVersion());
    mf.put("time", DateTimeFormatter.ISO_INSTANT.format(created)).put("fieldsType", "FieldsV1");
    mf.putObject("fieldsV1").putObject("f:spec").putObject("f:rules");

    ObjectNode spec = o.putObject("spec");
    if (ingressClass != null) {
      spec.put("ingressClassName", ingressClass);
    }
    if (defaultService != null) {
      backend(spec.putObject("defaultBackend"), defaultService, defaultPort);
    }
    if (!tlsHosts.isEmpty()) {
      ObjectNode tls = spec.putArray("tls").addObject();
      ArrayNode hosts = tls.putArray("hosts");
      tlsHosts.forEach(hosts::add);
      tls.put("secretName", name + "-tls");
    }
    if (!rules.isEmpty()) {
      ArrayNode rs = spec.putArray("rules");
      Map<String, ArrayNode> pathsByHost = new LinkedHashMap<>();
      for (Rule r : rules) {
        ArrayNode paths =
            pathsByHost.computeIfAbsent(
                r.host(), h -> rs.addObject().put("host", h).putObject("http").putArray("paths"));
        ObjectNode p = paths.addObject().put("path", r.path()).put("pathType", r.pathType());
        if (r.service() != null) {
          backend(p.putObject("backend"), r.service(), r.port());
        }
      }
    }
    o.putObject("status").putObject("loadBalancer").putArray("ingress").addObject().put("ip", statusIp);
    return o;
  }

  private static void backend(ObjectNode b, String service, int port) {
    b.putObject("service").put("name", service).putObject("port").put("number", port);
  }

  /** A Traefik IngressRoute with one {@code Host} route to {@code service:port}. */
  public static ObjectSource ingressRoute(String group, String namespace, String name, String host, String service, int port) {
    return (cluster, resourceVersion) -> {
      ObjectNode o = traefikObject(ResourceKind.INGRESS_ROUTE.inGroup(group), "ir", cluster, namespace, name, resourceVersion);
      ObjectNode route = o.putObject("spec").putArray("routes").addObject();
      route.put("match", "Host(`" + host + "`)").put("kind", "Rule");
      route.putArray("services").addObject().put("name", service).put("port", port);
      return o;
    };
  }

  /** A Traefik Middleware ({@code traefik.io}) whose {@code spec} is the JSON {@code spec}. */
  public static ObjectSource middleware(String namespace, String name, String spec) {
    return (cluster, resourceVersion) -> {
      ObjectNode o = traefikObject(ResourceKind.MIDDLEWARE.current(), "mw", cluster, namespace, name, resourceVersion);
      try {
        o.set("spec", JSON.readTree(spec));
      } catch (java.io.IOException e) {
        throw new IllegalArgumentException("not JSON: " + spec, e);
      }
      return o;
    };
  }

  /** A Traefik CRD object's envelope, with a uid stable per cluster, kind and name. */
  private static ObjectNode traefikObject(
      ResourceKind.ApiResource api, String uidTag, String cluster, String namespace, String name, long resourceVersion) {
    ObjectNode o = JSON.createObjectNode();
    o.put("apiVersion", api.apiVersion());
    o.put("kind", api.kind());
    ObjectNode meta = o.putObject("metadata");
    meta.put("name", name).put("namespace", namespace);
    meta.put("uid", UUID.nameUUIDFromBytes((cluster + "/" + uidTag + "/" + namespace + "/" + name).getBytes(StandardCharsets.UTF_8)).toString());
    meta.put("resourceVersion", Long.toString(resourceVersion));
    meta.put("creationTimestamp", "2026-01-01T00:00:00Z");
    return o;
  }
}
