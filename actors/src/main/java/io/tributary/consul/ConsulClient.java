package io.tributary.consul;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.concurrent.Failures;
import io.tributary.settings.ConsulHttpSettings;
import io.tributary.writer.TargetConfigurationException;
import io.tributary.writer.TargetUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.event.Logging;
import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.HttpsConnectionContext;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpMethod;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.settings.ConnectionPoolSettings;
import org.apache.pekko.stream.Materializer;

/**
 * Consul's HTTP API over the Pekko HTTP client: catalog, health, KV and {@code /v1/txn}, with the
 * ACL token, TLS, datacenter and timeouts from {@link ConsulHttpSettings}. Every response entity is
 * consumed, including those of requests that timed out. Failures are classified for the writers:
 * unreachable, timeouts, 5xx and 429 are {@link TargetUnavailableException}; 403 and other refusals
 * only an operator can fix are {@link TargetConfigurationException}. Messages never contain the token.
 */
public final class ConsulClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ConsulHttpSettings settings;
  private final String datacenter;
  private final String base;
  private final Http http;
  private final Materializer materializer;
  private final HttpsConnectionContext tls;
  private final ConnectionPoolSettings pool;
  // one pool per request timeout (writes and plain reads; each kind of blocking read), see poolFor
  private final Map<Duration, ConnectionPoolSettings> pools = new java.util.concurrent.ConcurrentHashMap<>();
  private final LoggingAdapter log;

  /** A raw answer: status, {@code X-Consul-Index} (0 if absent), body. */
  public record Response(int status, long index, String body) {}

  /** A read answered by a blocking query: the value and the index to pass to the next one. */
  public record Blocking<T>(T value, long index) {}

  /** One KV entry. */
  public record KvEntry(String key, byte[] value, long flags, long modifyIndex) {}

  /** A transaction's answer: rolled back (with Consul's reasons by operation) or applied. */
  public record TxnResult(boolean applied, List<String> errors, JsonNode results) {}

  public ConsulClient(ClassicActorSystemProvider system, ConsulHttpSettings settings, String datacenter) {
    this.settings = settings;
    this.datacenter = datacenter;
    this.base = settings.address().replaceAll("/+$", "");
    this.http = Http.get(system);
    this.materializer = Materializer.matFromSystem(system);
    this.tls = base.startsWith("https:") ? tls(settings) : null;
    int max = settings.maxConnections();
    // open requests must be a power of two; enough for blocking reads beside the writes
    int open = Integer.highestOneBit(Math.max(8, max * 4) - 1) << 1;
    // the writer decides about retries (with backoff); the pool must not repeat a txn on its own,
    // nor hold requests back on its own: its reconnect backoff (up to 2 min by default) had every
    // request after a minute of refused connections wait in the pool, unsent, for tens of seconds
    // after Consul was back
    this.pool = ConnectionPoolSettings.create(system.classicSystem())
        .withMaxConnections(max)
        .withMaxOpenRequests(open)
        .withMaxRetries(0)
        .withMaxConnectionBackoff(scala.concurrent.duration.FiniteDuration.create(1, TimeUnit.SECONDS));
    this.log = Logging.getLogger(system.classicSystem(), ConsulClient.class);
  }

  /** {@code Consul <dc> at <address>}: for logs and errors; credentials in the URL are never shown. */
  public String describe() {
    return "Consul " + datacenter + " at " + ConsulHttpSettings.withoutCredentials(base);
  }

  // ---- catalog and health ------------------------------------------------------------------------

  /** Nodes whose meta has every pair of {@code nodeMeta}. */
  public CompletionStage<List<JsonNode>> nodes(Map<String, String> nodeMeta) {
    StringBuilder q = new StringBuilder();
    nodeMeta.forEach((k, v) -> q.append("&node-meta=").append(enc(k + ":" + v)));
    return get("/v1/catalog/nodes", q.toString()).thenApply(r -> elements(ok(r, "list nodes")));
  }

  /** A node and its services, or empty if Consul does not know the node. */
  public CompletionStage<Optional<JsonNode>> nodeServices(String node) {
    return get("/v1/catalog/node-services/" + enc(node), "").thenApply(r -> {
      if (r.status() == 404) {
        return Optional.empty();
      }
      JsonNode body = ok(r, "read the services of node " + node);
      return body.isNull() || body.path("Node").isNull() ? Optional.empty() : Optional.of(body);
    });
  }

  /** Registers (or updates) a node without services. */
  public CompletionStage<Void> registerNode(String node, String address, Map<String, String> meta) {
    ObjectNode body = JSON.createObjectNode();
    body.put("Datacenter", datacenter);
    body.put("Node", node);
    body.put("Address", address);
    body.set("NodeMeta", JSON.valueToTree(meta));
    return send(HttpMethods.PUT, "/v1/catalog/register", "", body.toString(), settings.requestTimeout())
        .thenAccept(r -> ok(r, "register node " + node));
  }

  /** Applies {@code ops} atomically (at most 64). */
  public CompletionStage<TxnResult> txn(ArrayNode ops) {
    return send(HttpMethods.PUT, "/v1/txn", "", ops.toString(), settings.requestTimeout()).thenApply(r -> {
      if (r.status() == 409) {
        List<String> errors = new ArrayList<>();
        parse(r.body()).path("Errors").forEach(e -> errors.add("operation " + e.path("OpIndex").asInt() + ": " + e.path("What").asText()));
        return new TxnResult(false, errors, null);
      }
      return new TxnResult(true, List.of(), ok(r, "apply a transaction").path("Results"));
    });
  }

  /** Every service's tags, {@code GET /v1/catalog/services} (blocking when {@code index} > 0). */
  public CompletionStage<Blocking<Map<String, List<String>>>> catalogServices(long index, Duration wait) {
    return blockingRead("/v1/catalog/services", "", index, wait, "list services").thenApply(b -> {
      Map<String, List<String>> tags = new java.util.TreeMap<>();
      b.value().fields().forEachRemaining(e -> {
        List<String> t = new ArrayList<>();
        e.getValue().forEach(tag -> t.add(tag.asText()));
        tags.put(e.getKey(), t);
      });
      return new Blocking<>(tags, b.index());
    });
  }

  /** Instances of {@code service} (blocking when {@code index} > 0). */
  public CompletionStage<Blocking<List<JsonNode>>> catalogService(String service, long index, Duration wait) {
    return blockingGet("/v1/catalog/service/" + enc(service), "", index, wait, "read service " + service);
  }

  /** Instances of {@code service} with their health (blocking when {@code index} > 0). */
  public CompletionStage<Blocking<List<JsonNode>>> healthService(String service, boolean passingOnly, long index, Duration wait) {
    return blockingGet("/v1/health/service/" + enc(service), passingOnly ? "&passing=true" : "", index, wait,
        "read the health of service " + service);
  }

  /**
   * The index to send with the next blocking query after one answered {@code returned}: Consul's
   * rule is to start over when the index goes backwards (snapshot restore, new leader) and never
   * to send less than 1.
   */
  public static long nextIndex(long previous, long returned) {
    if (returned < previous) {
      return 0;
    }
    return Math.max(1, returned);
  }

  // ---- agent ------------------------------------------------------------------------------------

  /**
   * Registers (or replaces) a service on the agent this client talks to: {@code PUT
   * /v1/agent/service/register} with {@code Name}, {@code ID}, {@code Tags}, {@code Address}, {@code Port}, {@code Meta}.
   */
  public CompletionStage<Void> agentRegister(ObjectNode service) {
    return send(HttpMethods.PUT, "/v1/agent/service/register", "", service.toString(), settings.requestTimeout())
        .thenAccept(r -> ok(r, "register service " + service.path("ID").asText() + " with the agent"));
  }

  /** Deregisters a service from the agent; false when the agent did not have it (404). */
  public CompletionStage<Boolean> agentDeregister(String serviceId) {
    return send(HttpMethods.PUT, "/v1/agent/service/deregister/" + enc(serviceId), "", null, settings.requestTimeout())
        .thenApply(r -> {
          if (r.status() == 404) {
            return false;
          }
          ok(r, "deregister service " + serviceId + " from the agent");
          return true;
        });
  }

  /** The agent's local services matching {@code filter} (Consul's filter expression), by ID. */
  public CompletionStage<Map<String, JsonNode>> agentServices(String filter) {
    return get("/v1/agent/services", filter.isEmpty() ? "" : "&filter=" + enc(filter)).thenApply(r -> {
      Map<String, JsonNode> out = new java.util.TreeMap<>();
      ok(r, "list the agent's services").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
      return out;
    });
  }

  // ---- KV ----------------------------------------------------------------------------------------

  /** One key, if present. */
  public CompletionStage<Optional<KvEntry>> kvGet(String key) {
    return get("/v1/kv/" + encPath(key), "").thenApply(r -> {
      if (r.status() == 404) {
        return Optional.empty();
      }
      List<JsonNode> list = elements(ok(r, "read key " + key));
      return list.isEmpty() ? Optional.empty() : Optional.of(kv(list.get(0)));
    });
  }

  /** Every key under {@code prefix}. */
  public CompletionStage<List<KvEntry>> kvList(String prefix) {
    return get("/v1/kv/" + encPath(prefix), "&recurse=true").thenApply(r -> {
      if (r.status() == 404) {
        return List.of();
      }
      List<KvEntry> out = new ArrayList<>();
      elements(ok(r, "list keys under " + prefix)).forEach(n -> out.add(kv(n)));
      return out;
    });
  }

  /** Sets {@code key}; with {@code cas} only if its modify index is still that (0: only if absent). */
  public CompletionStage<Boolean> kvPut(String key, byte[] value, Long cas) {
    String q = cas == null ? "" : "&cas=" + cas;
    return sendBytes(HttpMethods.PUT, "/v1/kv/" + encPath(key), q, value)
        .thenApply(r -> ok(r, "write key " + key).asBoolean());
  }

  /** Deletes {@code key}; with {@code cas} only if its modify index is still that. */
  public CompletionStage<Boolean> kvDelete(String key, Long cas) {
    String q = cas == null ? "" : "&cas=" + cas;
    return send(HttpMethods.DELETE, "/v1/kv/" + encPath(key), q, null, settings.requestTimeout())
        .thenApply(r -> ok(r, "delete key " + key).asBoolean());
  }

  // ---- plumbing ----------------------------------------------------------------------------------

  private CompletionStage<Blocking<List<JsonNode>>> blockingGet(
      String path, String query, long index, Duration wait, String what) {
    return blockingRead(path, query, index, wait, what).thenApply(b -> new Blocking<>(elements(b.value()), b.index()));
  }

  private CompletionStage<Blocking<JsonNode>> blockingRead(String path, String query, long index, Duration wait, String what) {
    String q = query + (index > 0 ? "&index=" + index + "&wait=" + wait.toMillis() + "ms" : "");
    // Consul may hold a blocking read up to wait + wait/16 (its jitter): the timeout allows for it
    Duration timeout = index > 0 ? settings.requestTimeout().plus(wait).plus(wait.dividedBy(16)) : settings.requestTimeout();
    return send(HttpMethods.GET, path, q, null, timeout)
        .thenApply(r -> new Blocking<>(ok(r, what), nextIndex(index, r.index())));
  }

  private CompletionStage<Response> get(String path, String query) {
    return send(HttpMethods.GET, path, query, null, settings.requestTimeout());
  }

  private CompletionStage<Response> send(HttpMethod method, String path, String query, String json, Duration timeout) {
    HttpRequest request;
    try {
      request = request(method, path, query);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e); // an unreadable token fails the call, not the caller
    }
    if (json != null) {
      request = request.withEntity(ContentTypes.APPLICATION_JSON, json.getBytes(StandardCharsets.UTF_8));
    }
    return execute(request, method.value() + " " + path, timeout);
  }

  private CompletionStage<Response> sendBytes(HttpMethod method, String path, String query, byte[] body) {
    HttpRequest request;
    try {
      request = request(method, path, query).withEntity(ContentTypes.APPLICATION_OCTET_STREAM, body);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return execute(request, method.value() + " " + path, settings.requestTimeout());
  }

  private HttpRequest request(HttpMethod method, String path, String query) {
    String q = "dc=" + enc(datacenter) + query;
    HttpRequest request = HttpRequest.create(base + path + "?" + q).withMethod(method);
    Optional<String> token;
    try {
      token = settings.token().read();
    } catch (IllegalStateException e) {
      throw new TargetConfigurationException(describe() + ": no ACL token: " + e.getMessage());
    }
    if (token.isPresent()) {
      request = request.addHeader(RawHeader.create("X-Consul-Token", token.get()));
    }
    return request;
  }

  private CompletionStage<Response> execute(HttpRequest request, String what, Duration timeout) {
    CompletionStage<HttpResponse> sent =
        http.singleRequest(request, tls != null ? tls : http.defaultClientHttpsContext(), poolFor(timeout), log);
    CompletableFuture<Response> answer =
        sent.thenCompose(response -> response.entity()
                .toStrict(timeout.toMillis(), materializer)
                .thenApply(strict -> new Response(
                    response.status().intValue(),
                    response.getHeader("X-Consul-Index").map(h -> parseIndex(h.value())).orElse(0L),
                    strict.getData().utf8String())))
            .toCompletableFuture()
            .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    // an answer that arrives after we gave up must still be drained, or it holds its connection
    sent.whenComplete((response, failure) -> {
      if (response != null && answer.isCompletedExceptionally()) {
        response.discardEntityBytes(materializer);
      }
    });
    return answer.exceptionally(failure -> {
      throw classify(failure, what, timeout);
    });
  }

  /**
   * The pool of requests answered within {@code timeout}: its connections close once silent a
   * second longer. Giving up on an answer does not free the connection it was sent on; without
   * this, a half-open connection (a network partition, a peer gone without closing) keeps its pool
   * slot for the client's default idle minute, and each retry sent on another such connection
   * waits out the request timeout again. A blocking read's long wait gets a pool of its own, never
   * a write's slot.
   */
  private ConnectionPoolSettings poolFor(Duration timeout) {
    return pools.computeIfAbsent(timeout, t -> pool.withConnectionSettings(pool.getConnectionSettings()
        .withIdleTimeout(scala.concurrent.duration.FiniteDuration.create(t.toMillis() + 1000, TimeUnit.MILLISECONDS))));
  }

  private RuntimeException classify(Throwable failure, String what, Duration timeout) {
    Throwable cause = Failures.unwrap(failure);
    if (cause instanceof TargetConfigurationException || cause instanceof TargetUnavailableException) {
      return (RuntimeException) cause;
    }
    if (cause instanceof TimeoutException) {
      return new TargetUnavailableException(describe() + ": no answer to " + what + " within " + timeout);
    }
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof javax.net.ssl.SSLException) {
        // an untrusted or misnamed certificate does not heal by retrying: an operator must fix it
        return new TargetConfigurationException(describe() + ": TLS with the server failed (" + t.getMessage()
            + "); check consul.http.ca-file and consul.http.server-name");
      }
    }
    return new TargetUnavailableException(describe() + ": " + what + " failed: " + cause.getClass().getSimpleName()
        + (cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")"));
  }

  /** The body of a 2xx answer, or the failure that status means. */
  private JsonNode ok(Response r, String what) {
    int s = r.status();
    if (s >= 200 && s < 300) {
      return r.body().isEmpty() ? JSON.nullNode() : parse(r.body());
    }
    String detail = describe() + " answered " + s + " to '" + what + "': " + abbreviate(r.body());
    if (s == 403) {
      throw new TargetConfigurationException(detail + " (the ACL token from " + settings.token()
          + " is missing, unknown or lacks the policy for this; fix the token and Tributary retries)");
    }
    if (s == 429 || s >= 500) {
      throw new TargetUnavailableException(detail);
    }
    throw new TargetConfigurationException(detail);
  }

  private JsonNode parse(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new TargetUnavailableException(describe() + " answered something that is not JSON: " + abbreviate(body));
    }
  }

  private static List<JsonNode> elements(JsonNode n) {
    List<JsonNode> out = new ArrayList<>();
    if (n != null && n.isArray()) {
      n.forEach(out::add);
    }
    return out;
  }

  private static KvEntry kv(JsonNode n) {
    byte[] value = n.hasNonNull("Value") ? Base64.getDecoder().decode(n.get("Value").asText()) : new byte[0];
    return new KvEntry(n.path("Key").asText(), value, n.path("Flags").asLong(), n.path("ModifyIndex").asLong());
  }

  private static long parseIndex(String v) {
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static String abbreviate(String s) {
    String one = s.replaceAll("\\s+", " ").trim();
    return one.length() <= 200 ? one : one.substring(0, 200) + "…";
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** Keys keep their slashes: each segment is encoded on its own. */
  private static String encPath(String key) {
    String[] parts = key.split("/", -1);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        b.append('/');
      }
      b.append(enc(parts[i]).replace("+", "%20"));
    }
    return b.toString();
  }

  private static HttpsConnectionContext tls(ConsulHttpSettings settings) {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      if (settings.caFile().isEmpty()) {
        tmf.init((KeyStore) null);
      } else {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(Path.of(settings.caFile()))) {
          int i = 0;
          for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
            ks.setCertificateEntry("ca-" + i++, cert);
          }
          if (i == 0) {
            throw new IllegalArgumentException("consul.http.ca-file " + settings.caFile() + " holds no PEM certificate");
          }
        }
        tmf.init(ks);
      }
      ctx.init(null, tmf.getTrustManagers(), null);
      String serverName = settings.serverName();
      return ConnectionContext.httpsClient((host, port) -> {
        String name = serverName.isEmpty() ? host : serverName;
        SSLEngine engine = ctx.createSSLEngine(name, port);
        engine.setUseClientMode(true);
        SSLParameters params = engine.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the server
        if (!name.matches("[0-9.]+|.*:.*")) {
          params.setServerNames(List.of(new SNIHostName(name))); // SNI carries names, never addresses
        }
        engine.setSSLParameters(params);
        return engine;
      });
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("consul.http.ca-file " + settings.caFile() + ": " + e.getMessage(), e);
    }
  }
}
