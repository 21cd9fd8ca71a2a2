package io.tributary.watch;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;

/**
 * A fake cluster: fabric8's mock API server in CRUD mode (real HTTP, real watches), optionally
 * without the Traefik CRDs (their API groups answer 404, as a real API server does) or refusing
 * every request with 403 (credentials without RBAC).
 */
public final class MockCluster implements AutoCloseable {
  /** What the fake API server serves. */
  public enum Mode { TRAEFIK, NO_TRAEFIK_CRDS, FORBIDDEN }

  /** The API server; {@link #comeBack()} replaces it with one on the same port and objects. */
  public volatile KubernetesMockServer server;
  private final Map<ServerRequest, Queue<ServerResponse>> responses;
  private final Dispatcher dispatcher;
  /** While true, every watch request is answered 410 Gone (the resourceVersion expired). */
  public volatile boolean watchesGone;
  /**
   * While true, a new watch is accepted and then never sent anything: a stalled watch as a client
   * bug or a proxy leaves it (the connection open, no error, no events).
   */
  public volatile boolean watchesSilent;
  public final KubernetesClient client;

  public MockCluster(Mode mode) {
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    List<CustomResourceDefinitionContext> crds = new ArrayList<>();
    if (mode == Mode.TRAEFIK) {
      for (String group : List.of("traefik.io", "traefik.containo.us")) {
        crds.add(crd(group, "IngressRoute", "ingressroutes"));
        crds.add(crd(group, "Middleware", "middlewares"));
        crds.add(crd(group, "TraefikService", "traefikservices"));
      }
    }
    Dispatcher crud = new KubernetesMixedDispatcher(responses, crds);
    Dispatcher dispatcher =
        switch (mode) {
          case TRAEFIK -> crud;
          case NO_TRAEFIK_CRDS -> new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
              return request.getPath().startsWith("/apis/traefik.")
                  ? status(404, "NotFound", "the server could not find the requested resource")
                  : crud.dispatch(request);
            }
          };
          case FORBIDDEN -> new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
              return status(403, "Forbidden", "system:serviceaccount:tributary:tributary cannot list resource");
            }
          };
        };
    Dispatcher modes = dispatcher;
    Dispatcher gone = new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        if (request.getPath().contains("watch=true")) {
          if (watchesGone) {
            return status(410, "Expired", "too old resource version");
          }
          if (watchesSilent) {
            return new MockResponse().withWebSocketUpgrade(new WebSocketListener() {});
          }
        }
        return modes.dispatch(request);
      }
    };
    this.responses = responses;
    this.dispatcher = gone;
    server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(), responses, gone, false);
    server.init();
    client = server.createClient();
  }

  private static CustomResourceDefinitionContext crd(String group, String kind, String plural) {
    return new CustomResourceDefinitionContext.Builder()
        .withGroup(group).withVersion("v1alpha1").withKind(kind).withPlural(plural).withScope("Namespaced").build();
  }

  private static MockResponse status(int code, String reason, String message) {
    return new MockResponse()
        .setResponseCode(code)
        .addHeader("Content-Type", "application/json")
        .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"" + reason
            + "\",\"message\":\"" + message + "\",\"code\":" + code + "}");
  }

  /** Creates or replaces {@code object} (any kind) through the API. */
  public GenericKubernetesResource apply(String json) {
    GenericKubernetesResource r = Serialization.unmarshal(json, GenericKubernetesResource.class);
    var op = client.genericKubernetesResources(r.getApiVersion(), r.getKind()).inNamespace(
        r.getMetadata().getNamespace() == null ? "default" : r.getMetadata().getNamespace());
    if (r.getKind().equals("Node")) {
      return client.genericKubernetesResources(r.getApiVersion(), r.getKind()).resource(r).createOr(o -> o.update());
    }
    return op.resource(r).createOr(o -> o.update());
  }

  /**
   * A kubeconfig file in {@code dir} for this server (context {@code mock}), so a test can connect
   * the way the service does ({@link KubernetesClients#standard()}).
   */
  public Path kubeconfig(Path dir) throws IOException {
    Path file = dir.resolve("kubeconfig-" + server.getPort());
    Files.writeString(file, """
        apiVersion: v1
        kind: Config
        clusters: [{name: mock, cluster: {server: "%s"}}]
        users: [{name: mock, user: {}}]
        contexts: [{name: mock, context: {cluster: mock, user: mock}}]
        current-context: mock
        """.formatted(client.getConfiguration().getMasterUrl()));
    return file;
  }

  /**
   * The API server goes away (a control-plane outage, a network partition): every open watch
   * drops and every reconnect is refused, until {@link #comeBack()}. Its objects are kept.
   */
  public void goAway() {
    server.destroy();
  }

  /**
   * The API server answers again, on the same port, with the objects it had: a new server in front
   * of the same CRUD dispatcher (a stopped mock server cannot be started again).
   */
  public void comeBack() {
    var again = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(), responses, dispatcher, false);
    try {
      again.init(java.net.InetAddress.getByName(server.getHostName()), server.getPort());
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
    server = again;
  }

  public void delete(String apiVersion, String kind, String namespace, String name) {
    var op = client.genericKubernetesResources(apiVersion, kind);
    (namespace == null ? op.withName(name) : op.inNamespace(namespace).withName(name)).delete();
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }

  public static String ingress(String ns, String name, String host, String path, String priority) {
    return """
        {"apiVersion":"networking.k8s.io/v1","kind":"Ingress",
         "metadata":{"name":"%s","namespace":"%s","creationTimestamp":"2026-01-01T00:00:00Z",
                     "annotations":{"traefik.ingress.kubernetes.io/router.priority":"%s"}},
         "spec":{"rules":[{"host":"%s","http":{"paths":[{"path":"%s","pathType":"Prefix",
                 "backend":{"service":{"name":"web","port":{"number":80}}}}]}}]}}
        """.formatted(name, ns, priority, host, path);
  }

  public static String ingressRoute(String group, String ns, String name, String host) {
    return """
        {"apiVersion":"%s/v1alpha1","kind":"IngressRoute","metadata":{"name":"%s","namespace":"%s"},
         "spec":{"entryPoints":["web"],"routes":[{"match":"Host(`%s`)","kind":"Rule",
                 "services":[{"name":"web","port":80}]}]}}
        """.formatted(group, name, ns, host);
  }

  public static String traefikService(String group, String ns, String name, String spec) {
    return """
        {"apiVersion":"%s/v1alpha1","kind":"TraefikService","metadata":{"name":"%s","namespace":"%s"},"spec":%s}
        """.formatted(group, name, ns, spec);
  }

  public static String service(String ns, String name, String host) {
    return """
        {"apiVersion":"v1","kind":"Service","metadata":{"name":"%s","namespace":"%s",
          "labels":{"type":"ingress"},"annotations":{"host":"%s"}},
         "spec":{"ports":[{"port":80}]}}
        """.formatted(name, ns, host);
  }

  public static String node(String name, String ip) {
    return """
        {"apiVersion":"v1","kind":"Node","metadata":{"name":"%s"},
         "status":{"addresses":[{"type":"InternalIP","address":"%s"}],"conditions":[{"type":"Ready","status":"True"}]}}
        """.formatted(name, ip);
  }
}
