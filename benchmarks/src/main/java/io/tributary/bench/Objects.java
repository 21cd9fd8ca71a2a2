package io.tributary.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import io.tributary.settings.TributarySettings;

/** Realistic routing objects, as a production cluster holds them, and the built-in settings. */
final class Objects {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  static final TributarySettings SETTINGS = TributarySettings.from(ConfigFactory.load());

  private Objects() {}

  /** An Ingress of two hosts with TLS, three paths, Traefik annotations and the noise kubectl leaves. */
  static ObjectNode ingress(int i, int priority) {
    return parse("""
        {"apiVersion":"networking.k8s.io/v1","kind":"Ingress",
         "metadata":{"name":"shop-%1$d","namespace":"shop","uid":"3f2a9c1e-0000-4000-8000-%1$012d","resourceVersion":"%1$d",
           "generation":3,"creationTimestamp":"2026-01-01T00:00:00Z",
           "labels":{"app.kubernetes.io/name":"shop","app.kubernetes.io/instance":"shop-%1$d","team":"checkout"},
           "annotations":{"traefik.ingress.kubernetes.io/router.priority":"%2$d",
             "traefik.ingress.kubernetes.io/router.entrypoints":"websecure",
             "kubectl.kubernetes.io/last-applied-configuration":"{\\"apiVersion\\":\\"networking.k8s.io/v1\\",\\"kind\\":\\"Ingress\\"}"},
           "managedFields":[{"manager":"kubectl","operation":"Update","apiVersion":"networking.k8s.io/v1"}]},
         "spec":{"ingressClassName":"traefik",
           "tls":[{"hosts":["shop-%1$d.example.com","api.shop-%1$d.example.com"],"secretName":"shop-tls"}],
           "rules":[
             {"host":"shop-%1$d.example.com","http":{"paths":[
               {"path":"/","pathType":"Prefix","backend":{"service":{"name":"web","port":{"number":80}}}},
               {"path":"/static","pathType":"Prefix","backend":{"service":{"name":"assets","port":{"name":"http"}}}}]}},
             {"host":"api.shop-%1$d.example.com","http":{"paths":[
               {"path":"/v1","pathType":"Exact","backend":{"service":{"name":"api","port":{"number":8080}}}}]}}]},
         "status":{"loadBalancer":{"ingress":[{"ip":"203.0.113.10"}]}}}
        """.formatted(i, priority));
  }

  /** An IngressRoute with two routes of compound matchers, middlewares, weighted services and TLS. */
  static ObjectNode ingressRoute(int i) {
    return parse("""
        {"apiVersion":"traefik.io/v1alpha1","kind":"IngressRoute",
         "metadata":{"name":"catalog-%1$d","namespace":"catalog","resourceVersion":"%1$d","creationTimestamp":"2026-01-01T00:00:00Z"},
         "spec":{"entryPoints":["websecure"],
           "routes":[
             {"match":"Host(`catalog-%1$d.example.com`) && (PathPrefix(`/api`) || PathPrefix(`/v2`)) && Method(`GET`, `POST`)",
              "kind":"Rule","priority":20,"middlewares":[{"name":"strip"}],
              "services":[{"name":"catalog-api","port":8080}]},
             {"match":"Host(`catalog-%1$d.example.com`) && PathPrefix(`/`)","kind":"Rule",
              "services":[{"name":"catalog-web","port":80}]}],
           "tls":{"secretName":"catalog-tls"}}}
        """.formatted(i));
  }

  private static ObjectNode parse(String json) {
    try {
      return (ObjectNode) MAPPER.readTree(json);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
