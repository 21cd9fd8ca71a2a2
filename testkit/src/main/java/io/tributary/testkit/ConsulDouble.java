package io.tributary.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * An in-JVM double of Consul's HTTP API, the Consul of every Tributary test and of the live-path
 * benchmark (no Consul binary can be obtained where Tributary is built).
 *
 * <p>It follows Consul's documented semantics for what Tributary uses: the catalog (register,
 * deregister, nodes with node-meta filters, node-services, services, service), health service
 * reads, KV (get/recurse/keys, put with cas and flags, delete with cas and recurse) and {@code
 * /v1/txn} (KV, Node and Service operations, at most 64, atomic: all applied or none, 409 with
 * {@code Errors[].OpIndex/What}). Every write raises one monotonic Raft index; reads answer {@code
 * X-Consul-Index} and honour blocking queries ({@code index} + {@code wait}: return on change or
 * after the wait). With {@link #requireTokens} it enforces ACL tokens ({@code X-Consul-Token} or
 * {@code ?token=}) with Consul's 403. Faults can be injected: error statuses, latency, refused
 * connections, and responses dropped after the request was applied. Every applied transaction and
 * KV write is recorded ({@link #transactions}) so a test can replay the states a reader could have
 * seen one by one. It is a double, not Consul:
 * no Raft, no health checking, one datacenter.
 *
 * <p>{@link #startAgent} adds a client agent: its own HTTP port serving {@code /v1/agent/service/register},
 * {@code /v1/agent/service/deregister/<id>}, {@code /v1/agent/services} (with a {@code filter} of
 * {@code Meta.<key> ==/!= "<value>"} terms joined by {@code and}) and {@code /v1/agent/self}. Services
 * it registers appear in this double's catalog on the agent's node, at once (a real agent syncs
 * them within seconds by anti-entropy). Each agent can refuse connections on its own.
 */
public final class ConsulDouble implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** Consul's limit on operations per transaction. */
  public static final int MAX_TXN_OPS = 64;

  /** One request as the double saw it. */
  public record Request(Instant at, String method, String path, String query, int status) {}

  private record Node(String name, String id, String address, Map<String, String> meta, long createIndex, long modifyIndex) {}

  private record Service(
      String node, String id, String name, List<String> tags, String address, int port, Map<String, String> meta,
      long createIndex, long modifyIndex) {}

  private record KvEntry(String key, byte[] value, long flags, long createIndex, long modifyIndex) {}

  /**
   * One applied write, in commit order: the operations as sent to {@code /v1/txn}, or as the one
   * {@code KV} operation a {@code /v1/kv} PUT or DELETE amounts to ({@code set}, {@code cas},
   * {@code delete}, {@code delete-cas}, {@code delete-tree}, value base64 as in a txn).
   *
   * @param index the Raft index it was committed at (unchanged when it changed nothing)
   */
  public record Transaction(long index, JsonNode ops) {}

  private final String datacenter;
  private final int port;
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "consul-double");
    t.setDaemon(true);
    return t;
  });
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  // state, guarded by this
  private final Map<String, Node> nodes = new TreeMap<>();
  private final Map<String, Map<String, Service>> services = new TreeMap<>(); // node → id → service
  private final Map<String, KvEntry> kv = new TreeMap<>();
  private final Map<String, String> health = new TreeMap<>(); // node/serviceId → status
  private final List<Transaction> transactions = new ArrayList<>();
  private long index = 1;
  private long catalogIndex = 1;
  private long kvIndex = 1;
  private Set<String> tokens; // null: ACLs off
  private int failRemaining;
  private int failStatus;
  private boolean failAlways;
  private Duration latency = Duration.ZERO;
  private int dropRemaining;
  private Duration maxWait = Duration.ofSeconds(10);

  private HttpServer server;
  private final javax.net.ssl.SSLContext tls; // null: plain HTTP

  private ConsulDouble(String datacenter, int port, javax.net.ssl.SSLContext tls) throws IOException {
    this.datacenter = datacenter;
    this.tls = tls;
    this.server = bind(port);
    this.port = server.getAddress().getPort();
  }

  /** Starts a double for datacenter {@code dc1} on a free loopback port. */
  public static ConsulDouble start() {
    return start("dc1");
  }

  /** Starts a double for {@code datacenter} on a free loopback port. */
  public static ConsulDouble start(String datacenter) {
    try {
      return new ConsulDouble(datacenter, 0, null);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the Consul double", e);
    }
  }

  /** Starts a double for {@code dc1} serving HTTPS with {@code tls}'s certificate (Consul's {@code https} port). */
  public static ConsulDouble startTls(javax.net.ssl.SSLContext tls) {
    try {
      return new ConsulDouble("dc1", 0, tls);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the Consul double", e);
    }
  }

  /** {@code http://127.0.0.1:<port>}, or {@code https://} when serving TLS. */
  public URI address() {
    return URI.create((tls == null ? "http" : "https") + "://127.0.0.1:" + port);
  }

  // ---- fault injection and configuration -------------------------------------------------------

  /** Enables ACLs: only these tokens are accepted, anything else is answered 403. */
  public synchronized void requireTokens(String... accepted) {
    tokens = new HashSet<>(List.of(accepted));
  }

  /** Answers the next {@code n} requests with {@code status} (500, 503, 429...) without applying them. */
  public synchronized void failNext(int n, int status) {
    failRemaining = n;
    failStatus = status;
  }

  /** Answers every request with {@code status} until {@link #heal()}. */
  public synchronized void failAll(int status) {
    failAlways = true;
    failStatus = status;
  }

  /** Ends injected failures, latency and drops. */
  public synchronized void heal() {
    failAlways = false;
    failRemaining = 0;
    latency = Duration.ZERO;
    dropRemaining = 0;
  }

  /** Delays every answer by {@code d}. */
  public synchronized void latency(Duration d) {
    latency = d;
  }

  /**
   * Applies the next {@code n} requests but never answers them: the connection is closed after
   * {@code hold} (a response lost after the write happened, the case retries must survive).
   */
  public synchronized void dropNext(int n) {
    dropRemaining = n;
  }

  /** Caps blocking queries' wait (Consul's default is 5 min), so tests do not wait for long. */
  public synchronized void maxWait(Duration d) {
    maxWait = d;
  }

  /** Stops listening: connections are refused until {@link #resume()}. State is kept. */
  public synchronized void refuseConnections() {
    server.stop(0);
  }

  /** Listens again on the same port, with the same state. */
  public synchronized void resume() {
    try {
      server = bind(port);
    } catch (IOException e) {
      throw new IllegalStateException("cannot listen on " + port + " again", e);
    }
  }

  /**
   * Moves every index back to 1, as a snapshot restore or a new leader can: clients must notice
   * the index going backwards and reset their blocking queries.
   */
  public synchronized void resetIndex() {
    index = 1;
    catalogIndex = 1;
    kvIndex = 1;
    notifyAll();
  }

  /** Sets the health of one service instance ({@code passing}, {@code warning}, {@code critical}). */
  public synchronized void setHealth(String node, String serviceId, String status) {
    health.put(node + "/" + serviceId, status);
    catalogIndex = ++index;
    notifyAll();
  }

  // ---- inspection --------------------------------------------------------------------------------

  /** Every request so far, in arrival order. */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** Requests matching {@code method} and a path starting with {@code pathPrefix}. */
  public long count(String method, String pathPrefix) {
    return requests.stream().filter(r -> r.method().equals(method) && r.path().startsWith(pathPrefix)).count();
  }

  /** Requests that changed or could change state (PUT, DELETE). */
  public long writes() {
    return requests.stream().filter(r -> !r.method().equals("GET")).count();
  }

  /** Forgets the request log. */
  public void clearRequests() {
    requests.clear();
  }

  /** The service instances on {@code node}, as Consul's node-services answer lists them. */
  public synchronized List<JsonNode> nodeServices(String node) {
    List<JsonNode> out = new ArrayList<>();
    services.getOrDefault(node, Map.of()).values().forEach(s -> out.add(agentService(s)));
    return out;
  }

  /** Instances of {@code name} on every node, as {@code /v1/catalog/service/<name>} lists them. */
  public synchronized List<JsonNode> catalogService(String name) {
    List<JsonNode> out = new ArrayList<>();
    allServices(s -> s.name().equals(name)).forEach(s -> out.add(catalogService(s)));
    return out;
  }

  /** Number of service instances on every node. */
  public synchronized int instanceCount() {
    return services.values().stream().mapToInt(Map::size).sum();
  }

  /** Every applied write so far, in commit order, for replaying the states a reader could see. */
  public synchronized List<Transaction> transactions() {
    return List.copyOf(transactions);
  }

  /** Every KV key under {@code prefix} with its value (UTF-8). */
  public synchronized Map<String, String> kv(String prefix) {
    Map<String, String> out = new TreeMap<>();
    kv.forEach((k, e) -> {
      if (k.startsWith(prefix)) {
        out.put(k, e.value() == null ? "" : new String(e.value(), StandardCharsets.UTF_8));
      }
    });
    return out;
  }

  /** Sets {@code key} as a person or another tool would (one recorded write, a new index). */
  public synchronized void putKv(String key, String value) {
    Working w = new Working();
    w.kvSet(key, value.getBytes(StandardCharsets.UTF_8), 0, null);
    w.commit(kvOp("set", key, value.getBytes(StandardCharsets.UTF_8), null));
  }

  /** Current Raft index. */
  public synchronized long index() {
    return index;
  }

  @Override
  public void close() {
    synchronized (this) {
      server.stop(0);
      notifyAll();
    }
    executor.shutdownNow();
  }


  /** Starts a client agent of this datacenter on its own loopback port, as Consul node {@code nodeName}. */
  public Agent startAgent(String nodeName, String nodeAddress) {
    synchronized (this) {
      Working w = new Working();
      w.setNode(nodeName, null, nodeAddress, Map.of(), false);
      w.commit();
    }
    try {
      return new Agent(nodeName);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start an agent of the Consul double", e);
    }
  }

  /** A Consul client agent on one node: the agent HTTP API over this double's catalog. */
  public final class Agent implements AutoCloseable {
    private final String node;
    private final int agentPort;
    private HttpServer agentServer;

    private Agent(String node) throws IOException {
      this.node = node;
      this.agentServer = bindAgent(0);
      this.agentPort = agentServer.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:<port>} of this agent. */
    public URI address() {
      return URI.create("http://127.0.0.1:" + agentPort);
    }

    /** The node this agent runs on (where its services appear in the catalog). */
    public String node() {
      return node;
    }

    /** Stops listening (the agent or its node is down); the catalog keeps its services. */
    public synchronized void refuseConnections() {
      agentServer.stop(0);
    }

    /** Listens again on the same port. */
    public synchronized void resume() {
      try {
        agentServer = bindAgent(agentPort);
      } catch (IOException e) {
        throw new IllegalStateException("cannot listen on " + agentPort + " again", e);
      }
    }

    @Override
    public synchronized void close() {
      agentServer.stop(0);
    }

    private HttpServer bindAgent(int p) throws IOException {
      HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), p), 64);
      s.setExecutor(executor);
      s.createContext("/", exchange -> handle(exchange, this));
      s.start();
      return s;
    }
  }

  private Answer agentRoute(Agent agent, String method, String path, Map<String, List<String>> query, byte[] body) {
    if (path.equals("/v1/agent/service/register") && method.equals("PUT")) {
      return agentRegister(agent.node(), parse(body));
    }
    if (path.startsWith("/v1/agent/service/deregister/") && method.equals("PUT")) {
      return agentDeregister(agent.node(), path.substring("/v1/agent/service/deregister/".length()));
    }
    if (path.equals("/v1/agent/services") && method.equals("GET")) {
      return agentServices(agent.node(), first(query, "filter"));
    }
    if (path.equals("/v1/agent/self") && method.equals("GET")) {
      ObjectNode self = NODES.objectNode();
      ObjectNode config = self.putObject("Config");
      config.put("Datacenter", datacenter);
      config.put("NodeName", agent.node());
      return Answer.json(self, -1);
    }
    if (path.startsWith("/v1/agent/")) {
      return Answer.error(404, "no handler for " + path + " in the Consul double's agent");
    }
    return Answer.error(405, "the Consul double's agent serves only /v1/agent endpoints");
  }

  /** The agent API's register: {@code Name} (not the catalog's {@code Service}), ID defaults to the name. */
  private synchronized Answer agentRegister(String node, JsonNode req) {
    String name = text(req, "Name");
    if (name == null || name.isEmpty()) {
      throw new BadRequest("Missing service name");
    }
    ObjectNode svc = NODES.objectNode();
    svc.put("ID", text(req, "ID") == null ? name : text(req, "ID"));
    svc.put("Service", name);
    svc.set("Tags", req.path("Tags").isArray() ? req.get("Tags") : NODES.arrayNode());
    svc.put("Address", req.path("Address").asText(""));
    svc.put("Port", req.path("Port").asInt(0));
    svc.set("Meta", req.path("Meta").isObject() ? req.get("Meta") : NODES.objectNode());
    Working w = new Working();
    w.setService(node, svc);
    w.commit();
    return new Answer(200, "", -1);
  }

  /** Consul answers 404 "Unknown service ID" for an ID the agent does not have. */
  private synchronized Answer agentDeregister(String node, String id) {
    if (!services.getOrDefault(node, Map.of()).containsKey(id)) {
      return Answer.error(404, "Unknown service ID \"" + id + "\". Ensure that the service ID is passed, not the service name.");
    }
    Working w = new Working();
    w.deleteService(node, id);
    w.commit();
    return new Answer(200, "", -1);
  }

  /** ID → service, as the agent lists its local services; {@code filter} of Meta terms only. */
  private synchronized Answer agentServices(String node, String filter) {
    List<String[]> terms = new ArrayList<>();
    if (filter != null && !filter.isBlank()) {
      for (String term : filter.split("\\s+and\\s+")) {
        var m = java.util.regex.Pattern.compile("\\s*Meta\\.([A-Za-z0-9_-]+)\\s*(==|!=)\\s*\"([^\"]*)\"\\s*").matcher(term);
        if (!m.matches()) {
          throw new BadRequest("Failed to create boolean expression evaluator: the double understands only Meta.<key> ==/!= \"<value>\" joined by and: " + term);
        }
        terms.add(new String[] {m.group(1), m.group(2), m.group(3)});
      }
    }
    ObjectNode out = NODES.objectNode();
    for (Service s : services.getOrDefault(node, Map.of()).values()) {
      // a missing key is "not equal", as Consul's filter expressions treat it
      boolean match = terms.stream().allMatch(t -> t[1].equals("==") == t[2].equals(s.meta().get(t[0])));
      if (match) {
        ObjectNode o = agentService(s);
        o.remove("CreateIndex");
        o.remove("ModifyIndex");
        o.put("EnableTagOverride", false);
        out.set(s.id(), o);
      }
    }
    return Answer.json(out, -1);
  }

  // ---- HTTP --------------------------------------------------------------------------------------

  private HttpServer bind(int p) throws IOException {
    HttpServer s;
    if (tls == null) {
      s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), p), 64);
    } else {
      var https = com.sun.net.httpserver.HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), p), 64);
      https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls));
      s = https;
    }
    s.setExecutor(executor);
    s.createContext("/", this::handle);
    s.start();
    return s;
  }

  private record Answer(int status, String body, long index) {
    static Answer json(JsonNode body, long index) {
      return new Answer(200, body.toString(), index);
    }

    static Answer error(int status, String message) {
      return new Answer(status, message, -1);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    handle(exchange, null);
  }

  /** One request to the servers ({@code agent} null) or to {@code agent}: same faults, ACLs and log. */
  private void handle(HttpExchange exchange, Agent agent) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getRawPath();
    String rawQuery = exchange.getRequestURI().getRawQuery();
    Map<String, List<String>> query = parseQuery(rawQuery);
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    Answer answer;
    boolean drop;
    Duration delay;
    synchronized (this) {
      delay = latency;
      drop = false;
      if (failAlways || failRemaining > 0) {
        if (failRemaining > 0) {
          failRemaining--;
        }
        answer = Answer.error(failStatus, "injected failure");
      } else if (tokens != null && !tokens.contains(token(exchange, query))) {
        answer = Answer.error(403, "ACL not found");
      } else {
        drop = dropRemaining > 0;
        if (drop) {
          dropRemaining--;
        }
        answer = null;
      }
    }
    if (answer == null) {
      try {
        String decoded = URLDecoder.decode(path, StandardCharsets.UTF_8);
        answer = agent == null ? route(method, decoded, query, body) : agentRoute(agent, method, decoded, query, body);
      } catch (BadRequest e) {
        answer = Answer.error(400, e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        answer = Answer.error(500, "interrupted");
      } catch (RuntimeException e) {
        answer = Answer.error(400, "Request decode failed: " + e.getMessage());
      }
    }
    requests.add(new Request(Instant.now(), method, path, rawQuery == null ? "" : rawQuery, drop ? -1 : answer.status()));
    if (!delay.isZero()) {
      pause(delay);
    }
    if (drop) {
      // the write happened; the answer is lost: hold the connection past any sane client timeout
      pause(Duration.ofSeconds(30));
      exchange.close();
      return;
    }
    byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", answer.status() == 200 ? "application/json" : "text/plain; charset=utf-8");
    if (answer.index() >= 0) {
      exchange.getResponseHeaders().set("X-Consul-Index", Long.toString(answer.index()));
      exchange.getResponseHeaders().set("X-Consul-KnownLeader", "true");
      exchange.getResponseHeaders().set("X-Consul-LastContact", "0");
    }
    exchange.sendResponseHeaders(answer.status(), out.length == 0 ? -1 : out.length);
    if (out.length > 0) {
      exchange.getResponseBody().write(out);
    }
    exchange.close();
  }

  private static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis()); // a server-side delay, the fault being injected
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String token(HttpExchange exchange, Map<String, List<String>> query) {
    String header = exchange.getRequestHeaders().getFirst("X-Consul-Token");
    if (header != null) {
      return header;
    }
    List<String> q = query.get("token");
    return q == null ? "" : q.get(0);
  }

  private Answer route(String method, String path, Map<String, List<String>> query, byte[] body)
      throws InterruptedException {
    String dc = first(query, "dc");
    if (dc != null && !dc.equals(datacenter)) {
      return Answer.error(500, "No path to datacenter");
    }
    if (path.equals("/v1/txn") && method.equals("PUT")) {
      return txn(parse(body));
    }
    if (path.equals("/v1/catalog/register") && method.equals("PUT")) {
      return register(parse(body));
    }
    if (path.equals("/v1/catalog/deregister") && method.equals("PUT")) {
      return deregister(parse(body));
    }
    if (path.startsWith("/v1/kv/")) {
      String key = path.substring("/v1/kv/".length());
      return switch (method) {
        case "GET" -> kvGet(key, query);
        case "PUT" -> kvPut(key, query, body);
        case "DELETE" -> kvDelete(key, query);
        default -> Answer.error(405, "method " + method + " not allowed");
      };
    }
    if (!method.equals("GET")) {
      return Answer.error(405, "method " + method + " not allowed");
    }
    if (path.equals("/v1/catalog/nodes")) {
      return blocking(query, () -> catalogIndex, () -> nodesMatching(query));
    }
    if (path.startsWith("/v1/catalog/node-services/")) {
      String node = path.substring("/v1/catalog/node-services/".length());
      return blocking(query, () -> catalogIndex, () -> nodeServicesAnswer(node));
    }
    if (path.equals("/v1/catalog/services")) {
      return blocking(query, () -> catalogIndex, this::servicesAnswer);
    }
    if (path.startsWith("/v1/catalog/service/")) {
      String name = path.substring("/v1/catalog/service/".length());
      String tag = first(query, "tag");
      return blocking(query, () -> catalogIndex, () -> {
        ArrayNode arr = NODES.arrayNode();
        allServices(s -> s.name().equals(name) && (tag == null || s.tags().contains(tag)))
            .forEach(s -> arr.add(catalogService(s)));
        return arr;
      });
    }
    if (path.startsWith("/v1/health/service/")) {
      String name = path.substring("/v1/health/service/".length());
      boolean passing = query.containsKey("passing");
      return blocking(query, () -> catalogIndex, () -> healthAnswer(name, passing));
    }
    if (path.equals("/v1/status/leader")) {
      return Answer.json(NODES.textNode("127.0.0.1:8300"), index);
    }
    return Answer.error(404, "no handler for " + path + " in the Consul double");
  }

  // ---- blocking queries --------------------------------------------------------------------------

  private interface IndexSource {
    long get();
  }

  private interface Body {
    JsonNode get();
  }

  /** Consul's blocking query: with ?index=N, answer once the index passes N or the wait is over. */
  private synchronized Answer blocking(Map<String, List<String>> query, IndexSource tableIndex, Body body)
      throws InterruptedException {
    String idx = first(query, "index");
    if (idx != null) {
      long wanted = Long.parseLong(idx);
      Duration wait = parseWait(first(query, "wait"));
      if (wait.compareTo(maxWait) > 0) {
        wait = maxWait;
      }
      long deadline = System.nanoTime() + wait.toNanos();
      // as Consul: block while nothing newer than the client's index exists
      while (tableIndex.get() <= wanted) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        wait(Math.max(1, left / 1_000_000));
      }
    }
    JsonNode b = body.get();
    if (b == null) {
      return new Answer(404, "", tableIndex.get());
    }
    return Answer.json(b, tableIndex.get());
  }

  private static Duration parseWait(String w) {
    if (w == null) {
      return Duration.ofMinutes(5);
    }
    if (w.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(w.substring(0, w.length() - 2)));
    }
    long n = Long.parseLong(w.substring(0, w.length() - 1));
    return switch (w.charAt(w.length() - 1)) {
      case 's' -> Duration.ofSeconds(n);
      case 'm' -> Duration.ofMinutes(n);
      default -> throw new BadRequest("Invalid wait time: " + w);
    };
  }

  // ---- catalog -----------------------------------------------------------------------------------

  private synchronized Answer register(JsonNode req) {
    String node = text(req, "Node");
    if (node == null || node.isEmpty()) {
      throw new BadRequest("Must provide node");
    }
    String address = text(req, "Address");
    if (address == null || address.isEmpty()) {
      throw new BadRequest("Must provide address");
    }
    Working w = new Working();
    w.setNode(node, text(req, "ID"), address, stringMap(req.get("NodeMeta")), req.path("SkipNodeUpdate").asBoolean(false));
    if (req.hasNonNull("Service")) {
      w.setService(node, req.get("Service"));
    }
    w.commit();
    return Answer.json(NODES.booleanNode(true), index);
  }

  private synchronized Answer deregister(JsonNode req) {
    String node = text(req, "Node");
    if (node == null || node.isEmpty()) {
      throw new BadRequest("Must provide node");
    }
    Working w = new Working();
    String serviceId = text(req, "ServiceID");
    if (serviceId != null) {
      w.deleteService(node, serviceId);
    } else {
      w.deleteNode(node);
    }
    w.commit();
    return Answer.json(NODES.booleanNode(true), index);
  }

  private JsonNode nodesMatching(Map<String, List<String>> query) {
    Map<String, String> filter = new LinkedHashMap<>();
    for (String f : query.getOrDefault("node-meta", List.of())) {
      int colon = f.indexOf(':');
      if (colon < 0) {
        throw new BadRequest("Invalid node-meta filter: " + f);
      }
      filter.put(f.substring(0, colon), f.substring(colon + 1));
    }
    ArrayNode arr = NODES.arrayNode();
    for (Node n : nodes.values()) {
      if (filter.entrySet().stream().allMatch(e -> e.getValue().equals(n.meta().get(e.getKey())))) {
        arr.add(nodeJson(n));
      }
    }
    return arr;
  }

  private JsonNode nodeServicesAnswer(String node) {
    Node n = nodes.get(node);
    if (n == null) {
      return null; // 404, as Consul answers for an unknown node
    }
    ObjectNode o = NODES.objectNode();
    o.set("Node", nodeJson(n));
    ArrayNode arr = o.putArray("Services");
    services.getOrDefault(node, Map.of()).values().forEach(s -> arr.add(agentService(s)));
    return o;
  }

  private JsonNode servicesAnswer() {
    Map<String, Set<String>> tags = new TreeMap<>();
    allServices(s -> true).forEach(s -> tags.computeIfAbsent(s.name(), k -> new TreeSet<>()).addAll(s.tags()));
    ObjectNode o = NODES.objectNode();
    tags.forEach((name, t) -> {
      ArrayNode arr = o.putArray(name);
      t.forEach(arr::add);
    });
    return o;
  }

  private JsonNode healthAnswer(String name, boolean passingOnly) {
    ArrayNode arr = NODES.arrayNode();
    for (Service s : allServices(x -> x.name().equals(name))) {
      String status = health.getOrDefault(s.node() + "/" + s.id(), "passing");
      if (passingOnly && !status.equals("passing")) {
        continue;
      }
      ObjectNode entry = arr.addObject();
      entry.set("Node", nodeJson(nodes.get(s.node())));
      entry.set("Service", agentService(s));
      ObjectNode check = entry.putArray("Checks").addObject();
      check.put("Node", s.node());
      check.put("CheckID", "service:" + s.id());
      check.put("ServiceID", s.id());
      check.put("Status", status);
    }
    return arr;
  }

  private List<Service> allServices(Predicate<Service> p) {
    List<Service> out = new ArrayList<>();
    services.values().forEach(m -> m.values().stream().filter(p).forEach(out::add));
    return out;
  }

  private ObjectNode nodeJson(Node n) {
    ObjectNode o = NODES.objectNode();
    o.put("ID", n.id());
    o.put("Node", n.name());
    o.put("Address", n.address());
    o.put("Datacenter", datacenter);
    o.set("Meta", JSON.valueToTree(n.meta()));
    o.put("CreateIndex", n.createIndex());
    o.put("ModifyIndex", n.modifyIndex());
    return o;
  }

  private ObjectNode agentService(Service s) {
    ObjectNode o = NODES.objectNode();
    o.put("ID", s.id());
    o.put("Service", s.name());
    o.set("Tags", JSON.valueToTree(s.tags()));
    o.put("Address", s.address());
    o.put("Port", s.port());
    o.set("Meta", JSON.valueToTree(s.meta()));
    o.put("Datacenter", datacenter);
    o.put("CreateIndex", s.createIndex());
    o.put("ModifyIndex", s.modifyIndex());
    return o;
  }

  private ObjectNode catalogService(Service s) {
    Node n = nodes.get(s.node());
    ObjectNode o = NODES.objectNode();
    o.put("ID", n.id());
    o.put("Node", n.name());
    o.put("Address", n.address());
    o.put("Datacenter", datacenter);
    o.set("NodeMeta", JSON.valueToTree(n.meta()));
    o.put("ServiceID", s.id());
    o.put("ServiceName", s.name());
    o.set("ServiceTags", JSON.valueToTree(s.tags()));
    o.put("ServiceAddress", s.address());
    o.put("ServicePort", s.port());
    o.set("ServiceMeta", JSON.valueToTree(s.meta()));
    o.put("CreateIndex", s.createIndex());
    o.put("ModifyIndex", s.modifyIndex());
    return o;
  }

  // ---- KV ----------------------------------------------------------------------------------------

  private Answer kvGet(String key, Map<String, List<String>> query) throws InterruptedException {
    boolean recurse = query.containsKey("recurse");
    boolean keys = query.containsKey("keys");
    return blocking(query, () -> kvIndex, () -> {
      ArrayNode arr = NODES.arrayNode();
      for (KvEntry e : kv.values()) {
        boolean match = (recurse || keys) ? e.key().startsWith(key) : e.key().equals(key);
        if (match) {
          if (keys) {
            arr.add(e.key());
          } else {
            arr.add(kvJson(e));
          }
        }
      }
      return arr.isEmpty() ? null : arr;
    });
  }

  private synchronized Answer kvPut(String key, Map<String, List<String>> query, byte[] body) {
    Working w = new Working();
    String cas = first(query, "cas");
    String flags = first(query, "flags");
    boolean ok = w.kvSet(key, body, flags == null ? 0 : Long.parseLong(flags), cas == null ? null : Long.parseLong(cas));
    if (ok) {
      w.commit(kvOp(cas == null ? "set" : "cas", key, body, cas == null ? null : Long.parseLong(cas)));
    }
    return Answer.json(NODES.booleanNode(ok), index);
  }

  private synchronized Answer kvDelete(String key, Map<String, List<String>> query) {
    Working w = new Working();
    String cas = first(query, "cas");
    boolean ok;
    JsonNode op;
    if (query.containsKey("recurse")) {
      w.kvDeleteTree(key);
      ok = true;
      op = kvOp("delete-tree", key, null, null);
    } else {
      ok = w.kvDelete(key, cas == null ? null : Long.parseLong(cas));
      op = kvOp(cas == null ? "delete" : "delete-cas", key, null, cas == null ? null : Long.parseLong(cas));
    }
    if (ok) {
      w.commit(op);
    }
    return Answer.json(NODES.booleanNode(ok), index);
  }

  /** A one-operation transaction body, as {@code /v1/txn} would take it. */
  private static ArrayNode kvOp(String verb, String key, byte[] value, Long cas) {
    ArrayNode ops = NODES.arrayNode();
    ObjectNode kvOp = ops.addObject().putObject("KV");
    kvOp.put("Verb", verb);
    kvOp.put("Key", key);
    if (value != null) {
      kvOp.put("Value", Base64.getEncoder().encodeToString(value));
    }
    if (cas != null) {
      kvOp.put("Index", cas);
    }
    return ops;
  }

  private static ObjectNode kvJson(KvEntry e) {
    ObjectNode o = NODES.objectNode();
    o.put("Key", e.key());
    o.put("Flags", e.flags());
    if (e.value() == null) {
      o.putNull("Value");
    } else {
      o.put("Value", Base64.getEncoder().encodeToString(e.value()));
    }
    o.put("CreateIndex", e.createIndex());
    o.put("ModifyIndex", e.modifyIndex());
    o.put("LockIndex", 0);
    return o;
  }

  // ---- transactions ------------------------------------------------------------------------------

  private synchronized Answer txn(JsonNode ops) {
    if (!ops.isArray()) {
      throw new BadRequest("Failed to parse body: expected a JSON array of operations");
    }
    if (ops.size() > MAX_TXN_OPS) {
      return Answer.error(413, "Transaction contains too many operations (" + ops.size() + " > " + MAX_TXN_OPS + ")");
    }
    Working w = new Working();
    ArrayNode results = NODES.arrayNode();
    ArrayNode errors = NODES.arrayNode();
    for (int i = 0; i < ops.size(); i++) {
      JsonNode op = ops.get(i);
      try {
        JsonNode result = w.apply(op);
        if (result != null) {
          results.add(result);
        }
      } catch (TxnError e) {
        ObjectNode err = errors.addObject();
        err.put("OpIndex", i);
        err.put("What", e.getMessage());
      }
    }
    ObjectNode out = NODES.objectNode();
    if (!errors.isEmpty()) {
      out.putNull("Results");
      out.set("Errors", errors);
      return new Answer(409, out.toString(), index);
    }
    w.commit(ops);
    out.set("Results", results);
    out.putNull("Errors");
    return Answer.json(out, index);
  }

  /**
   * A copy of the state that operations are applied to; committed as a whole (one index) or thrown
   * away, which is what makes a transaction atomic.
   */
  private final class Working {
    final Map<String, Node> n = new TreeMap<>(nodes);
    final Map<String, Map<String, Service>> s = new TreeMap<>();
    final Map<String, KvEntry> k = new TreeMap<>(kv);
    final long next = index + 1;
    boolean catalogChanged;
    boolean kvChanged;

    Working() {
      services.forEach((node, m) -> s.put(node, new TreeMap<>(m)));
    }

    JsonNode apply(JsonNode op) {
      if (op.has("KV")) {
        return kvOp(op.get("KV"));
      }
      if (op.has("Node")) {
        return nodeOp(op.get("Node"));
      }
      if (op.has("Service")) {
        return serviceOp(op.get("Service"));
      }
      throw new TxnError("unknown operation type (supported: KV, Node, Service)");
    }

    JsonNode kvOp(JsonNode op) {
      String verb = text(op, "Verb");
      String key = text(op, "Key");
      if (key == null) {
        throw new TxnError("missing key");
      }
      Long casIndex = op.has("Index") ? op.get("Index").asLong() : null;
      byte[] value = op.hasNonNull("Value") ? Base64.getDecoder().decode(op.get("Value").asText()) : null;
      long flags = op.path("Flags").asLong(0);
      switch (verb == null ? "" : verb) {
        case "set" -> kvSet(key, value, flags, null);
        case "cas" -> {
          if (!kvSet(key, value, flags, casIndex == null ? 0 : casIndex)) {
            throw new TxnError("failed to set key \"" + key + "\", index is stale");
          }
        }
        case "get" -> {
          if (!k.containsKey(key)) {
            throw new TxnError("key \"" + key + "\" doesn't exist");
          }
        }
        case "delete" -> kvDelete(key, null);
        case "delete-cas" -> {
          if (!kvDelete(key, casIndex == null ? 0 : casIndex)) {
            throw new TxnError("failed to delete key \"" + key + "\", index is stale");
          }
        }
        case "delete-tree" -> kvDeleteTree(key);
        default -> throw new TxnError("unknown KV verb \"" + verb + "\"");
      }
      KvEntry e = k.get(key);
      if (e == null || verb.startsWith("delete")) {
        return null;
      }
      ObjectNode r = NODES.objectNode();
      r.set("KV", kvJson(e));
      return r;
    }

    JsonNode nodeOp(JsonNode op) {
      String verb = text(op, "Verb");
      JsonNode node = op.path("Node");
      String name = text(node, "Node");
      if (name == null) {
        throw new TxnError("missing node name");
      }
      switch (verb == null ? "" : verb) {
        case "set" -> setNode(name, text(node, "ID"), text(node, "Address"), stringMap(node.get("Meta")), false);
        case "get" -> {
          if (!n.containsKey(name)) {
            throw new TxnError("node \"" + name + "\" doesn't exist");
          }
        }
        case "delete" -> deleteNode(name);
        default -> throw new TxnError("unsupported Node verb \"" + verb + "\"");
      }
      if (!n.containsKey(name)) {
        return null;
      }
      ObjectNode r = NODES.objectNode();
      Node x = n.get(name);
      r.set("Node", nodeJson(x));
      return r;
    }

    JsonNode serviceOp(JsonNode op) {
      String verb = text(op, "Verb");
      String node = text(op, "Node");
      JsonNode svc = op.path("Service");
      String id = svc.hasNonNull("ID") ? svc.get("ID").asText() : text(svc, "Service");
      if (node == null || id == null) {
        throw new TxnError("missing node or service ID");
      }
      switch (verb == null ? "" : verb) {
        case "set" -> setService(node, svc);
        case "cas" -> {
          Service existing = s.getOrDefault(node, Map.of()).get(id);
          long want = svc.path("ModifyIndex").asLong(0);
          if (want == 0 ? existing != null : existing == null || existing.modifyIndex() != want) {
            throw new TxnError("failed to set service \"" + id + "\" on node \"" + node + "\", index is stale");
          }
          setService(node, svc);
        }
        case "get" -> {
          if (!s.getOrDefault(node, Map.of()).containsKey(id)) {
            throw new TxnError("service \"" + id + "\" on node \"" + node + "\" doesn't exist");
          }
        }
        case "delete" -> deleteService(node, id);
        case "delete-cas" -> {
          Service existing = s.getOrDefault(node, Map.of()).get(id);
          if (existing == null || existing.modifyIndex() != svc.path("ModifyIndex").asLong(0)) {
            throw new TxnError("failed to delete service \"" + id + "\" on node \"" + node + "\", index is stale");
          }
          deleteService(node, id);
        }
        default -> throw new TxnError("unknown Service verb \"" + verb + "\"");
      }
      Service now = s.getOrDefault(node, Map.of()).get(id);
      if (now == null) {
        return null;
      }
      ObjectNode r = NODES.objectNode();
      r.set("Service", agentService(now));
      return r;
    }

    void setNode(String name, String id, String address, Map<String, String> meta, boolean skipUpdate) {
      if (address == null || address.isEmpty()) {
        throw new TxnError("Must provide address");
      }
      Node old = n.get(name);
      if (old != null && skipUpdate) {
        return;
      }
      String nodeId = id != null ? id : old != null ? old.id() : java.util.UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
      Node next = new Node(name, nodeId, address, meta, old == null ? this.next : old.createIndex(), this.next);
      if (old == null || !sameNode(old, next)) {
        n.put(name, next);
        catalogChanged = true;
      }
    }

    void setService(String node, JsonNode svc) {
      if (!n.containsKey(node)) {
        throw new TxnError("Missing node registration");
      }
      String name = text(svc, "Service");
      if (name == null || name.isEmpty()) {
        throw new TxnError("Must provide service name");
      }
      String id = svc.hasNonNull("ID") && !svc.get("ID").asText().isEmpty() ? svc.get("ID").asText() : name;
      List<String> tags = new ArrayList<>();
      svc.path("Tags").forEach(t -> tags.add(t.asText()));
      Service old = s.getOrDefault(node, Map.of()).get(id);
      Service next = new Service(node, id, name, List.copyOf(tags), svc.path("Address").asText(""), svc.path("Port").asInt(0),
          stringMap(svc.get("Meta")), old == null ? this.next : old.createIndex(), this.next);
      if (old == null || !sameService(old, next)) {
        s.computeIfAbsent(node, x -> new TreeMap<>()).put(id, next);
        catalogChanged = true;
      }
    }

    void deleteService(String node, String id) {
      Map<String, Service> m = s.get(node);
      if (m != null && m.remove(id) != null) {
        catalogChanged = true;
      }
    }

    void deleteNode(String name) {
      if (n.remove(name) != null) {
        s.remove(name);
        catalogChanged = true;
      }
    }

    boolean kvSet(String key, byte[] value, long flags, Long cas) {
      KvEntry old = k.get(key);
      if (cas != null && (cas == 0 ? old != null : old == null || old.modifyIndex() != cas)) {
        return false;
      }
      k.put(key, new KvEntry(key, value, flags, old == null ? next : old.createIndex(), next));
      kvChanged = true;
      return true;
    }

    boolean kvDelete(String key, Long cas) {
      KvEntry old = k.get(key);
      // as Consul's kvsDeleteCASTxn: a key that is already gone counts as deleted
      if (cas != null && old != null && old.modifyIndex() != cas) {
        return false;
      }
      if (old != null) {
        k.remove(key);
        kvChanged = true;
      }
      return true;
    }

    void kvDeleteTree(String prefix) {
      if (k.keySet().removeIf(key -> key.startsWith(prefix))) {
        kvChanged = true;
      }
    }

    /** Commits, recording {@code ops} as the write that was applied. */
    void commit(JsonNode ops) {
      transactions.add(new Transaction(catalogChanged || kvChanged ? next : index, ops.deepCopy()));
      commit();
    }

    void commit() {
      if (!catalogChanged && !kvChanged) {
        return; // Consul does not raise the index for a write that changes nothing
      }
      nodes.clear();
      nodes.putAll(n);
      services.clear();
      services.putAll(s);
      kv.clear();
      kv.putAll(k);
      index = next;
      if (catalogChanged) {
        catalogIndex = next;
      }
      if (kvChanged) {
        kvIndex = next;
      }
      ConsulDouble.this.notifyAll();
    }
  }

  private static boolean sameNode(Node a, Node b) {
    return a.id().equals(b.id()) && a.address().equals(b.address()) && a.meta().equals(b.meta());
  }

  private static boolean sameService(Service a, Service b) {
    return a.name().equals(b.name()) && a.tags().equals(b.tags()) && a.address().equals(b.address())
        && a.port() == b.port() && a.meta().equals(b.meta());
  }

  // ---- helpers -----------------------------------------------------------------------------------

  private static final class BadRequest extends RuntimeException {
    BadRequest(String message) {
      super(message);
    }
  }

  private static final class TxnError extends RuntimeException {
    TxnError(String message) {
      super(message);
    }
  }

  private static JsonNode parse(byte[] body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new BadRequest("Request decode failed: " + e.getMessage());
    }
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n == null ? null : n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static Map<String, String> stringMap(JsonNode n) {
    Map<String, String> m = new TreeMap<>();
    if (n != null && n.isObject()) {
      n.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
    }
    return m;
  }

  private static String first(Map<String, List<String>> q, String key) {
    List<String> v = q.get(key);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  private static Map<String, List<String>> parseQuery(String raw) {
    Map<String, List<String>> q = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return q;
    }
    for (String part : raw.split("&")) {
      int eq = part.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
      q.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
    }
    return q;
  }
}
