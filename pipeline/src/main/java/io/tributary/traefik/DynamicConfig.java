package io.tributary.traefik;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The part of Traefik's HTTP dynamic configuration Tributary writes: routers, services and
 * middlewares by name. Pure and immutable.
 *
 * <p>It has one spelling in each sink: {@link #entries} gives the KV keys (Consul KV, etcd) and
 * {@link #document} the file provider's document, the one made from the other through {@link
 * TraefikDocument}, so the file and the KV stores always hold the same configuration. {@link
 * #fromDocument} reads either back into the model (KV through {@link TraefikDocument#document}).
 */
public record DynamicConfig(
    SortedMap<String, Router> routers, SortedMap<String, Service> services, SortedMap<String, Middleware> middlewares) {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  public DynamicConfig {
    routers = immutable(routers);
    services = immutable(services);
    middlewares = immutable(middlewares);
  }

  /** Nothing to write. */
  public static final DynamicConfig EMPTY = new DynamicConfig(new TreeMap<>(), new TreeMap<>(), new TreeMap<>());

  /**
   * A router.
   *
   * @param middlewares names in order, each {@code name@provider} or a name of this configuration
   * @param priority null for Traefik's default (the rule's length)
   */
  public record Router(String rule, List<String> entryPoints, List<String> middlewares, String service, Integer priority, boolean tls) {
    public Router {
      entryPoints = List.copyOf(entryPoints);
      middlewares = List.copyOf(middlewares);
    }
  }

  /** A service: servers, or a split over other services (which cannot come from Catalog tags). */
  public sealed interface Service permits LoadBalancer, Weighted, Mirroring {}

  /** Servers by URL, with their weights (null: Traefik's default of 1). */
  public record LoadBalancer(List<Server> servers) implements Service {
    public LoadBalancer {
      servers = List.copyOf(servers);
    }
  }

  /** One server of a {@link LoadBalancer}. */
  public record Server(String url, Integer weight) {}

  /** Requests shared between services in proportion to their weights. */
  public record Weighted(List<Member> services) implements Service {
    public Weighted {
      services = List.copyOf(services);
    }
  }

  /** A member of a {@link Weighted} service, {@code name@provider} or a name of this configuration. */
  public record Member(String name, int weight) {}

  /** Requests answered by {@code service}; copies of {@code percent} of them sent to each mirror, answers dropped. */
  public record Mirroring(String service, List<Mirror> mirrors) implements Service {
    public Mirroring {
      mirrors = List.copyOf(mirrors);
    }
  }

  /** A mirror of a {@link Mirroring} service. */
  public record Mirror(String name, int percent) {}

  /**
   * A middleware: its Traefik type as the schema spells it ({@code stripPrefix}, {@code ipAllowList},
   * {@code headers}, {@code redirectScheme}, {@code chain}, …) and that type's options, carried with
   * every option a Kubernetes Middleware object gave it.
   */
  public record Middleware(String type, ObjectNode config) {
    public Middleware {
      config = config.deepCopy(); // a private copy: the record stays immutable
    }

    @Override
    public ObjectNode config() {
      return config.deepCopy();
    }

    /** Removes {@code prefixes} from the path before forwarding. */
    public static Middleware stripPrefix(List<String> prefixes) {
      ObjectNode c = NODES.objectNode();
      prefixes.forEach(c.putArray("prefixes")::add);
      return new Middleware("stripPrefix", c);
    }

    /** Applies {@code middlewares} in order. */
    public static Middleware chain(List<String> middlewares) {
      ObjectNode c = NODES.objectNode();
      middlewares.forEach(c.putArray("middlewares")::add);
      return new Middleware("chain", c);
    }
  }

  /** This configuration and {@code other}'s; a name in both keeps this one's definition. */
  public DynamicConfig with(DynamicConfig other) {
    var r = new TreeMap<>(other.routers);
    var s = new TreeMap<>(other.services);
    var m = new TreeMap<>(other.middlewares);
    r.putAll(routers);
    s.putAll(services);
    m.putAll(middlewares);
    return new DynamicConfig(r, s, m);
  }

  /** True if there is nothing to write. */
  public boolean isEmpty() {
    return routers.isEmpty() && services.isEmpty() && middlewares.isEmpty();
  }

  /** The KV entries of this configuration under {@code root}, owned by {@code owner}, sorted by key. */
  public List<TraefikEntry> entries(String root, String owner) {
    return TraefikDocument.entries(root, raw(), owner);
  }

  /** The file provider's document: fields spelled and values typed as Traefik's schema wants them. */
  public ObjectNode document() {
    return TraefikDocument.document("t", entries("t", ""));
  }

  /** The document before the schema's spelling is applied. */
  private ObjectNode raw() {
    ObjectNode doc = NODES.objectNode();
    ObjectNode http = NODES.objectNode();
    if (!routers.isEmpty()) {
      ObjectNode rs = http.putObject("routers");
      routers.forEach((name, r) -> {
        ObjectNode o = rs.putObject(name);
        o.put("rule", r.rule());
        r.entryPoints().forEach(o.withArray("entryPoints")::add);
        r.middlewares().forEach(o.withArray("middlewares")::add);
        o.put("service", r.service());
        if (r.priority() != null) {
          o.put("priority", r.priority());
        }
        if (r.tls()) {
          o.putObject("tls");
        }
      });
    }
    if (!services.isEmpty()) {
      ObjectNode ss = http.putObject("services");
      services.forEach((name, s) -> ss.set(name, serviceNode(s)));
    }
    if (!middlewares.isEmpty()) {
      ObjectNode ms = http.putObject("middlewares");
      middlewares.forEach((name, m) -> ms.putObject(name).set(m.type(), m.config()));
    }
    if (!http.isEmpty()) {
      doc.set("http", http);
    }
    return doc;
  }

  private static ObjectNode serviceNode(Service s) {
    ObjectNode o = NODES.objectNode();
    if (s instanceof LoadBalancer lb) {
      ArrayNode servers = o.putObject("loadBalancer").putArray("servers");
      lb.servers().forEach(v -> {
        ObjectNode server = servers.addObject().put("url", v.url());
        if (v.weight() != null) {
          server.put("weight", v.weight());
        }
      });
    } else if (s instanceof Weighted w) {
      ArrayNode members = o.putObject("weighted").putArray("services");
      w.services().forEach(m -> members.addObject().put("name", m.name()).put("weight", m.weight()));
    } else if (s instanceof Mirroring m) {
      ObjectNode mirroring = o.putObject("mirroring").put("service", m.service());
      ArrayNode mirrors = mirroring.putArray("mirrors");
      m.mirrors().forEach(v -> mirrors.addObject().put("name", v.name()).put("percent", v.percent()));
    }
    return o;
  }

  /** The configuration KV {@code entries} under {@code root} hold. */
  public static DynamicConfig fromEntries(String root, Collection<TraefikEntry> entries) {
    return fromDocument(TraefikDocument.document(root, entries));
  }

  /**
   * The configuration a file provider's document holds (spelled as {@link #document} spells it).
   *
   * @throws IllegalArgumentException for what this model does not hold (a TCP router, a service of
   *     another kind), naming it
   */
  public static DynamicConfig fromDocument(JsonNode document) {
    var routers = new TreeMap<String, Router>();
    var services = new TreeMap<String, Service>();
    var middlewares = new TreeMap<String, Middleware>();
    for (Iterator<String> it = document.fieldNames(); it.hasNext(); ) {
      String section = it.next();
      if (!section.equals("http")) {
        throw new IllegalArgumentException(section + ": only HTTP configuration is modelled");
      }
    }
    JsonNode http = document.path("http");
    http.path("routers").fields().forEachRemaining(e -> routers.put(e.getKey(), router(e.getKey(), e.getValue())));
    http.path("services").fields().forEachRemaining(e -> services.put(e.getKey(), service(e.getKey(), e.getValue())));
    http.path("middlewares").fields().forEachRemaining(e -> {
      if (e.getValue().size() != 1 || !e.getValue().elements().next().isObject()) {
        throw new IllegalArgumentException("middleware " + e.getKey() + ": expected exactly one type");
      }
      Map.Entry<String, JsonNode> type = e.getValue().fields().next();
      middlewares.put(e.getKey(), new Middleware(type.getKey(), (ObjectNode) type.getValue()));
    });
    return new DynamicConfig(routers, services, middlewares);
  }

  private static Router router(String name, JsonNode r) {
    for (Iterator<String> it = r.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!List.of("rule", "entryPoints", "middlewares", "service", "priority", "tls").contains(f)) {
        throw new IllegalArgumentException("router " + name + ": " + f + " is not modelled");
      }
    }
    return new Router(r.path("rule").asText(), texts(r.path("entryPoints")), texts(r.path("middlewares")),
        r.path("service").asText(), r.has("priority") ? r.path("priority").asInt() : null, r.has("tls"));
  }

  private static Service service(String name, JsonNode s) {
    if (s.has("weighted")) {
      List<Member> members = new ArrayList<>();
      s.path("weighted").path("services").forEach(m -> members.add(new Member(m.path("name").asText(), m.path("weight").asInt())));
      return new Weighted(members);
    }
    if (s.has("mirroring")) {
      List<Mirror> mirrors = new ArrayList<>();
      s.path("mirroring").path("mirrors").forEach(m -> mirrors.add(new Mirror(m.path("name").asText(), m.path("percent").asInt())));
      return new Mirroring(s.path("mirroring").path("service").asText(), mirrors);
    }
    if (s.has("loadBalancer")) {
      List<Server> servers = new ArrayList<>();
      s.path("loadBalancer").path("servers").forEach(v -> servers.add(
          new Server(v.path("url").asText(), v.has("weight") ? v.path("weight").asInt() : null)));
      return new LoadBalancer(servers);
    }
    throw new IllegalArgumentException("service " + name + ": only loadBalancer, weighted and mirroring are modelled");
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static <V> SortedMap<String, V> immutable(SortedMap<String, V> m) {
    return java.util.Collections.unmodifiableSortedMap(new TreeMap<>(m));
  }
}
