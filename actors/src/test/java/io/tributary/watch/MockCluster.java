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
import io.fabric8.mockwebserver.http.ByteString;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake cluster: fabric8's mock API server in CRUD mode (real HTTP, real watches) with the Traefik
 * and Gateway API CRDs, optionally without them (their API groups answer 404, as a real API server does) or refusing
 * every request with 403 (credentials without RBAC).
 */
public final class MockCluster implements AutoCloseable {
  /** What the fake API server serves. */
  public enum Mode { TRAEFIK, NO_TRAEFIK_CRDS, FORBIDDEN }

  /** The API server; {@link #comeBack()} replaces it with one on the same port and objects. */
  public volatile KubernetesMockServer server;
  private final Map<ServerRequest, Queue<ServerResponse>> responses;
  private final Dispatcher dispatcher;
  /**
   * While true, every watch request is answered 410 Gone (the resourceVersion expired), as an API
   * server answers it: the watch is accepted, its one event is an ERROR with a 410 Status, then it
   * closes. (A client must relist then; a 410 on the handshake itself a client may just retry.)
   */
  public volatile boolean watchesGone;
  /**
   * While true, a new watch is accepted and then never sent anything: a stalled watch as a client
   * bug or a proxy leaves it (the connection open, no error, no events).
   */
  public volatile boolean watchesSilent;
  /** Watch requests answered 410 Gone so far (while {@link #watchesGone}). */
  public final AtomicInteger watchesRefused = new AtomicInteger();
  /**
   * Watches opened so far, counted once the server has sent the new watch its initial events: from
   * then on, a change is delivered on it (one made earlier could fall between list and watch).
   */
  public final AtomicInteger watchesOpened = new AtomicInteger();
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
      crds.add(crd("gateway.networking.k8s.io", "v1", "Gateway", "gateways"));
      crds.add(crd("gateway.networking.k8s.io", "v1", "HTTPRoute", "httproutes"));
      crds.add(crd("gateway.networking.k8s.io", "v1beta1", "ReferenceGrant", "referencegrants"));
    }
    Dispatcher crud = new KubernetesMixedDispatcher(responses, crds);
    Dispatcher dispatcher =
        switch (mode) {
          case TRAEFIK -> crud;
          case NO_TRAEFIK_CRDS -> new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
              return request.getPath().startsWith("/apis/traefik.") || request.getPath().startsWith("/apis/gateway.networking.k8s.io/")
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
            watchesRefused.incrementAndGet();
            return gone();
          }
          if (watchesSilent) {
            return new MockResponse().withWebSocketUpgrade(new WebSocketListener() {});
          }
          return counted(modes.dispatch(request));
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

  /** A watch whose resourceVersion is too old: one ERROR event with a 410 Status, then closed. */
  private static MockResponse gone() {
    return new MockResponse().withWebSocketUpgrade(new WebSocketListener() {
      @Override
      public void onOpen(WebSocket ws, Response r) {
        ws.send("{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
            + "\"status\":\"Failure\",\"message\":\"too old resource version\",\"reason\":\"Expired\",\"code\":410}}");
        ws.close(1000, "");
      }
    });
  }

  /** {@code response}, its watch (if it is one) counted in {@link #watchesOpened} once open. */
  private MockResponse counted(MockResponse response) {
    WebSocketListener watch = response.getWebSocketListener();
    if (watch == null) {
      return response;
    }
    return response.withWebSocketUpgrade(new WebSocketListener() {
      @Override
      public void onBeforeAccept(WebSocket ws, Response r) {
        watch.onBeforeAccept(ws, r);
      }

      @Override
      public void onOpen(WebSocket ws, Response r) {
        watch.onOpen(ws, r);
        watchesOpened.incrementAndGet();
      }

      @Override
      public void onMessage(WebSocket ws, String text) {
        watch.onMessage(ws, text);
      }

      @Override
      public void onMessage(WebSocket ws, ByteString bytes) {
        watch.onMessage(ws, bytes);
      }

      @Override
      public void onMessage(WebSocket ws, byte[] bytes) {
        watch.onMessage(ws, bytes);
      }

      @Override
      public void onClosing(WebSocket ws, int code, String reason) {
        watch.onClosing(ws, code, reason);
      }

      @Override
      public void onClosed(WebSocket ws, int code, String reason) {
        watch.onClosed(ws, code, reason);
      }

      @Override
      public void onFailure(WebSocket ws, Throwable t, Response r) {
        watch.onFailure(ws, t, r);
      }
    });
  }

  private static CustomResourceDefinitionContext crd(String group, String kind, String plural) {
    return crd(group, "v1alpha1", kind, plural);
  }

  private static CustomResourceDefinitionContext crd(String group, String version, String kind, String plural) {
    return new CustomResourceDefinitionContext.Builder()
        .withGroup(group).withVersion(version).withKind(kind).withPlural(plural).withScope("Namespaced").build();
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
    // cluster-scoped objects (Nodes, Namespaces) are created without a namespace
    if (io.tributary.kind.ResourceKind.ofKey(r.getKind()).map(k -> !k.current().namespaced()).orElse(false)) {
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

  public static String gateway(String ns, String name, String className, String hostname) {
    return """
        {"apiVersion":"gateway.networking.k8s.io/v1","kind":"Gateway","metadata":{"name":"%s","namespace":"%s"},
         "spec":{"gatewayClassName":"%s","listeners":[{"name":"http","port":80,"protocol":"HTTP","hostname":"%s"}]}}
        """.formatted(name, ns, className, hostname);
  }

  public static String httpRoute(String ns, String name, String gateway, String host) {
    return """
        {"apiVersion":"gateway.networking.k8s.io/v1","kind":"HTTPRoute","metadata":{"name":"%s","namespace":"%s"},
         "spec":{"parentRefs":[{"name":"%s"}],"hostnames":["%s"],"rules":[{"backendRefs":[{"name":"web","port":80}]}]}}
        """.formatted(name, ns, gateway, host);
  }

  public static String referenceGrant(String ns, String name, String fromNamespace) {
    return """
        {"apiVersion":"gateway.networking.k8s.io/v1beta1","kind":"ReferenceGrant","metadata":{"name":"%s","namespace":"%s"},
         "spec":{"from":[{"group":"gateway.networking.k8s.io","kind":"HTTPRoute","namespace":"%s"}],
                 "to":[{"group":"","kind":"Service"}]}}
        """.formatted(name, ns, fromNamespace);
  }

  /** A Namespace with {@code labels} (name, value, ...). */
  public static String namespace(String name, String... labels) {
    StringBuilder l = new StringBuilder();
    for (int i = 0; i < labels.length; i += 2) {
      l.append(l.length() == 0 ? "" : ",").append('"').append(labels[i]).append("\":\"").append(labels[i + 1]).append('"');
    }
    return """
        {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"%s","labels":{%s}}}
        """.formatted(name, l);
  }

  public static String node(String name, String ip) {
    return """
        {"apiVersion":"v1","kind":"Node","metadata":{"name":"%s"},
         "status":{"addresses":[{"type":"InternalIP","address":"%s"}],"conditions":[{"type":"Ready","status":"True"}]}}
        """.formatted(name, ip);
  }
}
