package io.tributary.admin;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.extractMethod;
import static org.apache.pekko.http.javadsl.server.Directives.extractUnmatchedPath;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.handleRejections;
import static org.apache.pekko.http.javadsl.server.Directives.onSuccess;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.post;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.tributary.reload.ConfigReloader;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpMethod;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Allow;
import org.apache.pekko.http.javadsl.server.MethodRejection;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The one place the admin endpoint's routes are composed. Every answer is computed from {@link
 * ServiceStatus}; nothing here changes the service. An unknown path is 404 and a known path with
 * another method 405 (with {@code Allow}), each with a one-line message.
 */
public final class AdminRoutes {
  /** The endpoints, for the 404 message and the deploy manifests' test. */
  public static final List<String> PATHS = List.of("/healthz", "/readyz", "/status", "/reload");

  private static final ObjectMapper JSON = new ObjectMapper();

  private AdminRoutes() {}

  /** Reloads the service's config now and answers the outcome (what SIGHUP does, with an answer). */
  @FunctionalInterface
  public interface Reloader {
    CompletionStage<ConfigReloader.Outcome> reload(String cause);

    /** A service that does not reload (tests of the other endpoints). */
    Reloader NONE = cause -> java.util.concurrent.CompletableFuture.completedFuture(
        new ConfigReloader.Refused(List.of("this service does not reload its configuration")));
  }

  /** The admin routes over {@code status}, without reloading. */
  public static Route create(ServiceStatus status) {
    return create(status, Reloader.NONE);
  }

  /** The admin routes over {@code status}; {@code POST /reload} through {@code reloader}. */
  public static Route create(ServiceStatus status, Reloader reloader) {
    return handleRejections(rejections(), () -> concat(
        path("healthz", () -> get(() -> healthz(status))),
        path("readyz", () -> get(() -> readyz(status))),
        path("status", () -> get(() -> complete(json(StatusCodes.OK, status.toJson(), true)))),
        path("reload", () -> post(() -> onSuccess(reloader.reload("POST /reload"), AdminRoutes::reloaded)))));
  }

  /** 200 with the version and the keys changed (or nothing changed); 422 with every problem when refused. */
  private static Route reloaded(ConfigReloader.Outcome outcome) {
    var body = JsonNodeFactory.instance.objectNode();
    if (outcome instanceof ConfigReloader.Applied a) {
      body.put("result", "applied").put("version", a.version());
      a.changed().keySet().forEach(body.putArray("changed")::add); // keys only: values may name secret files
      return complete(json(StatusCodes.OK, body, true));
    }
    if (outcome instanceof ConfigReloader.Unchanged u) {
      body.put("result", "unchanged").put("version", u.version());
      return complete(json(StatusCodes.OK, body, true));
    }
    body.put("result", "refused");
    ((ConfigReloader.Refused) outcome).problems().forEach(body.putArray("problems")::add);
    return complete(json(StatusCodes.UNPROCESSABLE_ENTITY, body, true));
  }

  /** 200 while alive; 503 with the reason once the routing stream has stopped. */
  private static Route healthz(ServiceStatus status) {
    ServiceStatus.Health health = status.health();
    var body = JsonNodeFactory.instance.objectNode().put("alive", health.alive());
    if (!health.alive()) {
      body.put("reason", health.reason());
    }
    return complete(json(health.alive() ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE, body, false));
  }

  /** 200 when ready; 503 with everything that is missing. */
  private static Route readyz(ServiceStatus status) {
    ServiceStatus.Readiness readiness = status.readiness();
    var body = JsonNodeFactory.instance.objectNode().put("ready", readiness.ready());
    if (!readiness.ready()) {
      readiness.notReady().forEach(body.putArray("notReady")::add);
    }
    return complete(json(readiness.ready() ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE, body, false));
  }

  private static HttpResponse json(StatusCode code, JsonNode body, boolean pretty) {
    try {
      String text = (pretty ? JSON.writerWithDefaultPrettyPrinter() : JSON.writer()).writeValueAsString(body) + "\n";
      return HttpResponse.create().withStatus(code).withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, text));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a tree of plain values always renders", e);
    }
  }

  private static HttpResponse text(StatusCode code, String line) {
    return HttpResponse.create().withStatus(code).withEntity(HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8, line + "\n"));
  }

  /** One line for every refusal: the default handler's answers are longer and vary by rejection. */
  private static RejectionHandler rejections() {
    return RejectionHandler.newBuilder()
        .handleAll(MethodRejection.class, rejected -> extractMethod(method -> extractUnmatchedPath(at -> {
          var allowed = rejected.stream().map(MethodRejection::supported).distinct().toList();
          String names = allowed.stream().map(HttpMethod::name).collect(Collectors.joining(", "));
          return complete(text(StatusCodes.METHOD_NOT_ALLOWED, method.name() + " " + at + " is not allowed; use " + names)
              .addHeader(Allow.create(allowed.toArray(new HttpMethod[0]))));
        })))
        .handleNotFound(extractUnmatchedPath(unknown -> complete(text(StatusCodes.NOT_FOUND,
            unknown + " is not an admin endpoint; there are " + String.join(", ", PATHS)))))
        .build()
        .withFallback(RejectionHandler.defaultHandler());
  }
}
