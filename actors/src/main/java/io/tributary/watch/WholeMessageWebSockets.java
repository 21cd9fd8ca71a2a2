package io.tributary.watch;

import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.WebSocket;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * fabric8's Vert.x HTTP client with websockets that deliver messages split over several frames.
 *
 * <p>Why: fabric8 7.4.0 pauses a watch's websocket after each message and resumes it with
 * {@code fetch(1)}, which Vert.x counts in <em>frames</em>. A message larger than the server's
 * frame size (64 KiB for a Vert.x server such as fabric8's mock API server; proxies may split
 * too) arrives as several frames: the first one uses up the demand, the rest stay queued, the
 * message is never completed, and the watch stalls silently — no error, no close, until the
 * watch times out and the next one stalls the same way. Message and frame size limits are not
 * the cause: fabric8 already sets both to {@code Integer.MAX_VALUE}. The fix (fabric8 #7347,
 * released in 7.5.0) asks for one more frame after every non-final frame; this class installs
 * the same handler through public Vert.x API, so it can go once fabric8 is upgraded.
 *
 * <p>fabric8 sees the Vert.x instance only through the {@link Vertx} interface (it creates HTTP
 * clients, runs on contexts, closes), so an interface proxy that decorates the websockets of the
 * HTTP clients it creates is enough.
 */
final class WholeMessageWebSockets {
  private WholeMessageWebSockets() {}

  /** A fabric8 HTTP client factory whose clients share one Vert.x instance with the fix. */
  static HttpClient.Factory factory() {
    return new VertxHttpClientFactory(wrap(newVertx()));
  }

  /** {@code vertx}, whose HTTP clients' websockets fetch every frame of a message. */
  static Vertx wrap(Vertx vertx) {
    return proxy(Vertx.class, vertx, (method, result) ->
        result instanceof io.vertx.core.http.HttpClient client && method.getName().equals("createHttpClient")
            ? proxy(io.vertx.core.http.HttpClient.class, client, WholeMessageWebSockets::onClientCall)
            : result);
  }

  @SuppressWarnings("unchecked")
  private static Object onClientCall(Method method, Object result) {
    if (method.getName().equals("webSocket") && result instanceof Future<?> future) {
      // map runs before fabric8's own onSuccess handler, so the frame handler is in place
      // before fabric8 installs its message handlers and asks for the first frame
      return ((Future<WebSocket>) future).map(ws -> {
        ws.frameHandler(frame -> {
          if (!frame.isFinal()) {
            ws.fetch(1);
          }
        });
        return ws;
      });
    }
    return result;
  }

  /** The options fabric8 uses for the Vert.x instance it would otherwise create per client. */
  private static Vertx newVertx() {
    // the JDK resolver, as fabric8 does: Vert.x's own DNS client ignores the JVM's resolution
    // settings (search domains, /etc/hosts overrides in some setups)
    synchronized (WholeMessageWebSockets.class) {
      String key = "vertx.disableDnsResolver";
      String before = System.getProperty(key);
      System.setProperty(key, "true");
      try {
        return Vertx.vertx(new VertxOptions()
            .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false).setClassPathResolvingEnabled(false))
            .setUseDaemonThread(true));
      } finally {
        if (before == null) {
          System.clearProperty(key);
        } else {
          System.setProperty(key, before);
        }
      }
    }
  }

  private interface Decorator {
    Object apply(Method method, Object result);
  }

  private static <T> T proxy(Class<T> type, T delegate, Decorator decorator) {
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (self, method, args) -> {
      try {
        return decorator.apply(method, method.invoke(delegate, args));
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }));
  }
}
