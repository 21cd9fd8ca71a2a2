package io.tributary.replay;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded mutations of real object shapes: Traefik's own manifests (IngressRoute, TraefikService,
 * Service), the generator's Ingresses, Middlewares and labelled Services. Each mutation breaks an
 * object the way a buggy controller, a hand edit or an attacker could: wrong JSON types, nulls,
 * missing fields, huge annotations, invalid hosts and rules, unicode (RTL, zero-width, emoji,
 * homoglyphs), deep nesting, huge arrays. Same seed, same objects.
 */
final class ObjectFuzzer {
  static final Path MANIFESTS = Path.of("../pipeline/src/test/resources/manifests/traefik");
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** Serialises what the reader's parser then refuses (nesting past its limit): the writer must not refuse first. */
  static final ObjectMapper WRITER = new ObjectMapper(JsonFactory.builder()
      .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(100_000).build()).build());

  private static final String[] BAD_HOSTS = {
    "", " ", ".", "..", "-bad-.fuzz.example.net", "a..b.fuzz.example.net", "*.*.fuzz.example.net", "exa mple.fuzz.example.net",
    "x".repeat(64) + ".fuzz.example.net", ("abcdefghij".repeat(6) + ".").repeat(5) + "fuzz.example.net", "ex_ample.fuzz.example.net",
    "192.0.2.1", "[::1]", "::1", "xn--.fuzz.example.net", "xn--80ak6aa92e.fuzz.example.net", "localhost", "fuzz.example.net.",
    "FUZZ.EXAMPLE.NET", "fuzz.example.net:8080", "http://fuzz.example.net/", "fuzz.example.net/path", "fuzz\u0000.example.net",
    "f\u200Buzz.example.net", "\u202Eten.elpmaxe.zzuf", "fuzz.ex\u0430mple.net", "\uD83D\uDE00.fuzz.example.net", "ｆｕｚｚ.example.net",
    "fuzz.example.net`) || Host(`evil.fuzz.example.net", "*", "*.fuzz.example.net", "fu*zz.example.net", "\t\n", "null", "true",
    "é.fuzz.example.net", "fuzz.example.net\n", "%66uzz.example.net", "fuzz.example.net;rm -rf",
  };

  private static final String[] BAD_RULES = {
    "", "Host(", "Host(`", "Host(`a.fuzz.example.net`) &&", "&& Host(`a.fuzz.example.net`)", "Host(`a.fuzz.example.net`,`b.fuzz.example.net`)",
    "!Host(`a.fuzz.example.net`)", "Host(`a.fuzz.example.net`) || PathPrefix(`/x`)", "HostRegexp(`{sub:[a-z]+}.fuzz.example.net`)",
    "HostRegexp(`^.+\\.fuzz\\.example\\.net$`)", "PathPrefix(`/`)", "Path(`/a`) && Path(`/b`)", "Query(`a=b`)", "Method(`GET`)",
    "Host(\"a.fuzz.example.net\")", "Host(a.fuzz.example.net)", "Host(`a.fuzz.example.net`) && (PathPrefix(`/a`) || PathPrefix(`/b`))",
    "(".repeat(2000) + "Host(`a.fuzz.example.net`)" + ")".repeat(2000), "Host(`a.fuzz.example.net`) && ".repeat(3000) + "Path(`/`)",
    "Host(`" + "a".repeat(5000) + "`)", "PathPrefix(`/\u202E\u200B🙂`)", "Host(`ａ.fuzz.example.net`)", "Host(``)", "Headers(`X`, `y`)",
    "HostSNI(`*`)", "ClientIP(`10.0.0.0/8`)", "Host(`a.fuzz.example.net`) && !PathPrefix(`/admin`)", "Host(`a.fuzz.example.net`)))",
    "Host(`a.fuzz.example.net`) ^^ Path(`/`)", "\u0000", "Host(`a.fuzz.example.net`) && PathRegexp(`[`)",
  };

  private static final String[] UNICODE = {
    "\u202E", "\u202D", "\u200B", "\u200C", "\u200D", "\uFEFF", "\u0301", "\uD83D\uDE00", "\uD83C\uDDFA\uD83C\uDDF8", "👩‍👩‍👧‍👦",
    "\u0430", "\u0435", "\u043E", "\u0440", "\u0441", "\u0131", "\uFF41", "\u00A0", "\u2028", "\u0000", "\u001F", "\\", "\"", "`",
    "\u05D0\u05D1", "\u0627\u0644", "\u4E2D\u6587", "\uFFFD", "\uFFFF",
  };

  private static final String[] ANNOTATION_KEYS = {
    "traefik.ingress.kubernetes.io/router.priority", "traefik.ingress.kubernetes.io/router.entrypoints",
    "traefik.ingress.kubernetes.io/router.middlewares", "traefik.ingress.kubernetes.io/router.tls", "traefik.frontend.rule.type",
    "kubernetes.io/ingress.class", "host", "path", "tributary.io/expose", "tributary.io/dns-ttl", "tributary.io/weight",
    "external-dns.alpha.kubernetes.io/hostname", "publicHosts", "publicPaths", "privateHosts", "kubectl.kubernetes.io/last-applied-configuration",
  };

  /** The mutations, each with its weight: the costly ones (huge, deep) rarer, so a run stays small. */
  private enum Mutation {
    WRONG_TYPE(6), NULL(3), MISSING(4), UNICODE(6), BAD_HOST(6), BAD_RULE(4), HUGE_ANNOTATION(1), DEEP(1), HUGE_ARRAY(1),
    BAD_ANNOTATION(4), NUMBER(3);

    final int weight;

    Mutation(int weight) {
      this.weight = weight;
    }

    static final int TOTAL = java.util.Arrays.stream(values()).mapToInt(m -> m.weight).sum();
  }

  private final SplittableRandom random;
  private final List<ObjectNode> templates;

  ObjectFuzzer(long seed) {
    this.random = new SplittableRandom(seed);
    this.templates = templates();
  }

  /** What was mutated, for a failure message. */
  record Mutant(ObjectNode object, List<String> mutations) {}

  /** A mutated copy of a random template, as {@code namespace/name} before its mutations. */
  Mutant next(String cluster, String namespace, String name, long resourceVersion) {
    ObjectNode o = templates.get(random.nextInt(templates.size())).deepCopy();
    ObjectNode meta = o.with("metadata");
    meta.put("namespace", namespace).put("name", name).put("resourceVersion", Long.toString(resourceVersion));
    List<String> applied = new ArrayList<>();
    int n = 1 + random.nextInt(3);
    for (int i = 0; i < n; i++) {
      Mutation m = pickMutation();
      applied.add(m + " " + mutate(o, m));
    }
    // the reader needs a name and a kind; missing ones are the reader's rejections, not every other line's
    if (random.nextInt(20) != 0) {
      if (!(o.path("metadata") instanceof ObjectNode)) {
        o.putObject("metadata");
      }
      if (!o.path("metadata").path("name").isTextual() || o.path("metadata").path("name").asText().isEmpty()) {
        ((ObjectNode) o.get("metadata")).put("name", name);
      }
      if (!o.path("kind").isTextual() || o.path("kind").asText().isEmpty()) {
        o.put("kind", templates.get(random.nextInt(templates.size())).path("kind").asText());
      }
    }
    return new Mutant(o, applied);
  }

  private Mutation pickMutation() {
    int r = random.nextInt(Mutation.TOTAL);
    for (Mutation m : Mutation.values()) {
      if ((r -= m.weight) < 0) {
        return m;
      }
    }
    throw new IllegalStateException();
  }

  private String mutate(ObjectNode root, Mutation m) {
    switch (m) {
      case HUGE_ANNOTATION -> {
        String key = random.nextBoolean() ? pick(ANNOTATION_KEYS) : "fuzz.example.net/" + random.nextInt(1000);
        int size = 100_000 + random.nextInt(20_000);
        annotations(root).put(key, hugeString(size));
        return key + " (" + size + " chars)";
      }
      case BAD_ANNOTATION -> {
        String key = pick(ANNOTATION_KEYS);
        String value = random.nextBoolean() ? pick(BAD_HOSTS) : pick(BAD_RULES);
        annotations(root).put(key, value);
        return key + "=" + abbreviate(value);
      }
      default -> {
        List<Location> all = new ArrayList<>();
        locations(root, "", all, 0);
        if (all.isEmpty()) {
          return "(nothing to mutate)";
        }
        Location at = choose(all, m);
        JsonNode now = at.get();
        JsonNode next = switch (m) {
          case WRONG_TYPE -> wrongType(now);
          case NULL -> NODES.nullNode();
          case MISSING -> null;
          case UNICODE -> NODES.textNode(unicode(now.isTextual() ? now.asText() : text(now)));
          case BAD_HOST -> NODES.textNode(pick(BAD_HOSTS));
          case BAD_RULE -> NODES.textNode(pick(BAD_RULES));
          case DEEP -> deep(5 + random.nextInt(random.nextBoolean() ? 100 : 1500));
          case HUGE_ARRAY -> hugeArray(now);
          case NUMBER -> number();
          default -> throw new IllegalStateException(m.name());
        };
        at.set(next);
        return at.path() + (next == null ? "" : " = " + abbreviate(text(next)));
      }
    }
  }

  /** Where a value sits: a field of an object or an element of an array. */
  private record Location(String path, ObjectNode parent, String field, ArrayNode array, int index) {
    JsonNode get() {
      return parent != null ? parent.get(field) : array.get(index);
    }

    void set(JsonNode value) {
      if (parent != null) {
        if (value == null) {
          parent.remove(field);
        } else {
          parent.set(field, value);
        }
      } else if (value == null) {
        array.remove(index);
      } else {
        array.set(index, value);
      }
    }
  }

  private static void locations(JsonNode node, String path, List<Location> out, int depth) {
    if (depth > 12) {
      return;
    }
    if (node instanceof ObjectNode o) {
      var names = new ArrayList<String>();
      o.fieldNames().forEachRemaining(names::add);
      for (String f : names) {
        String p = path + "." + f;
        out.add(new Location(p, o, f, null, -1));
        locations(o.get(f), p, out, depth + 1);
      }
    } else if (node instanceof ArrayNode a) {
      for (int i = 0; i < Math.min(a.size(), 20); i++) {
        String p = path + "[" + i + "]";
        out.add(new Location(p, null, null, a, i));
        locations(a.get(i), p, out, depth + 1);
      }
    }
  }

  /** Host-like fields for host mutations, rules for rule mutations, arrays for huge arrays; any field otherwise. */
  private Location choose(List<Location> all, Mutation m) {
    List<Location> fit = new ArrayList<>();
    for (Location l : all) {
      String p = l.path();
      boolean fits = switch (m) {
        case BAD_HOST -> p.endsWith(".host") || p.contains(".hosts[") || p.endsWith(".match") || p.endsWith("Hosts");
        case BAD_RULE -> p.endsWith(".match") || p.endsWith(".rule");
        case HUGE_ARRAY -> l.get() instanceof ArrayNode;
        default -> true;
      };
      if (fits) {
        fit.add(l);
      }
    }
    List<Location> from = fit.isEmpty() ? all : fit;
    return from.get(random.nextInt(from.size()));
  }

  private JsonNode wrongType(JsonNode now) {
    List<JsonNode> other = new ArrayList<>();
    if (!now.isTextual()) other.add(NODES.textNode(random.nextBoolean() ? "80" : "true"));
    if (!now.isNumber()) other.add(number());
    if (!now.isBoolean()) other.add(NODES.booleanNode(random.nextBoolean()));
    if (!now.isArray()) other.add(NODES.arrayNode().add(now.deepCopy()).add("x"));
    if (!now.isObject()) other.add(NODES.objectNode().set("value", now.deepCopy()));
    if (!now.isNull()) other.add(NODES.nullNode());
    return other.get(random.nextInt(other.size()));
  }

  private JsonNode number() {
    return switch (random.nextInt(9)) {
      case 0 -> NODES.numberNode(-1);
      case 1 -> NODES.numberNode(0);
      case 2 -> NODES.numberNode(65536);
      case 3 -> NODES.numberNode(2147483648L);
      case 4 -> NODES.numberNode(Long.MIN_VALUE);
      case 5 -> NODES.numberNode(new java.math.BigInteger("1" + "0".repeat(400)));
      case 6 -> NODES.numberNode(1.5e308);
      case 7 -> NODES.numberNode(80.5);
      default -> NODES.numberNode(new java.math.BigDecimal("-0.000000000000000000001"));
    };
  }

  private JsonNode deep(int depth) {
    JsonNode n = NODES.textNode("bottom");
    for (int i = 0; i < depth; i++) {
      n = i % 2 == 0 ? NODES.arrayNode().add(n) : NODES.objectNode().set("n", n);
    }
    return n;
  }

  private JsonNode hugeArray(JsonNode now) {
    ArrayNode a = NODES.arrayNode();
    int size = 500 + random.nextInt(1500);
    JsonNode element = now instanceof ArrayNode arr && !arr.isEmpty() ? arr.get(0) : NODES.textNode("x");
    if (text(element).length() > 2000) {
      element = NODES.textNode("x"); // thousands of copies of something huge or deep would only measure the heap
    }
    for (int i = 0; i < size; i++) {
      a.add(element.deepCopy());
    }
    return a;
  }

  private String unicode(String s) {
    var b = new StringBuilder(s);
    int inserts = 1 + random.nextInt(4);
    for (int i = 0; i < inserts; i++) {
      int at = b.length() == 0 ? 0 : random.nextInt(b.length() + 1);
      // never between the halves of a surrogate pair: a lone surrogate cannot be written as UTF-8
      if (at > 0 && at < b.length() && Character.isLowSurrogate(b.charAt(at))) {
        at--;
      }
      b.insert(at, pick(UNICODE));
    }
    if (random.nextInt(4) == 0) {
      // homoglyphs: Latin letters swapped for Cyrillic look-alikes
      return b.toString().replace('a', '\u0430').replace('e', '\u0435').replace('o', '\u043E');
    }
    return b.toString();
  }

  private String hugeString(int size) {
    var b = new StringBuilder(size + 16);
    while (b.length() < size) {
      b.append(random.nextInt(10) == 0 ? pick(UNICODE) : "fuzz.example.net,");
    }
    return b.toString();
  }

  private static ObjectNode annotations(ObjectNode root) {
    if (!(root.get("metadata") instanceof ObjectNode)) {
      root.putObject("metadata");
    }
    ObjectNode meta = (ObjectNode) root.get("metadata");
    if (!(meta.get("annotations") instanceof ObjectNode)) {
      meta.putObject("annotations");
    }
    return (ObjectNode) meta.get("annotations");
  }

  private String pick(String[] from) {
    return from[random.nextInt(from.length)];
  }

  /** The node as JSON, even nested deeper than Jackson's default writer allows. */
  private static String text(JsonNode node) {
    try {
      return WRITER.writeValueAsString(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "… (" + s.length() + " chars)";
  }

  /**
   * The real shapes: every object of Traefik's copied manifests, the generator's Ingresses (plain,
   * TLS, annotated, default backend), Middlewares and labelled or external-dns Services, all in the
   * fuzz domain {@code fuzz.example.net} or the manifests' own hosts.
   */
  static List<ObjectNode> templates() {
    List<ObjectNode> t = new ArrayList<>();
    YAMLMapper yaml = new YAMLMapper();
    try (var files = Files.list(MANIFESTS)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yml")).sorted().toList()) {
        try (var parser = yaml.getFactory().createParser(f.toFile())) {
          var docs = yaml.readValues(parser, ObjectNode.class);
          while (docs.hasNext()) {
            ObjectNode o = docs.next();
            if (o != null) {
              t.add(o);
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the manifests in " + MANIFESTS.toAbsolutePath(), e);
    }
    t.add(IngressFactory.ingress("fuzz", "plain").path("plain.fuzz.example.net", "/", "Prefix", "web", 80).build("eu-1", 1));
    t.add(IngressFactory.ingress("fuzz", "tls").path("tls.fuzz.example.net", "/api", "Prefix", "api", 8080)
        .path("tls.fuzz.example.net", "/exact", "Exact", "api", 8080).tls("tls.fuzz.example.net")
        .annotation("traefik.ingress.kubernetes.io/router.tls", "true").build("eu-1", 1));
    t.add(IngressFactory.ingress("fuzz", "annotated").path("annotated.fuzz.example.net", "/", "ImplementationSpecific", "web", 80)
        .annotation("traefik.ingress.kubernetes.io/router.priority", "10")
        .annotation("traefik.ingress.kubernetes.io/router.entrypoints", "web,websecure")
        .annotation("traefik.ingress.kubernetes.io/router.middlewares", "fuzz-strip@kubernetescrd")
        .annotation("traefik.frontend.rule.type", "PathPrefixStrip").build("eu-1", 1));
    t.add(IngressFactory.ingress("fuzz", "default").defaultBackend("web", 80).ingressClass(null)
        .annotation("kubernetes.io/ingress.class", "traefik").build("eu-1", 1));
    t.add(IngressFactory.ingress("fuzz", "wild").path("*.wild.fuzz.example.net", "/", "Prefix", "web", 80).build("eu-1", 1));
    t.add(IngressFactory.ingressRoute("traefik.io", "fuzz", "route", "route.fuzz.example.net", "web", 80).build("eu-1", 1));
    t.add(IngressFactory.ingressRoute("traefik.containo.us", "fuzz", "legacy", "legacy.fuzz.example.net", "web", 80).build("eu-1", 1));
    t.add(IngressFactory.middleware("fuzz", "strip", "{\"stripPrefix\":{\"prefixes\":[\"/api\"]}}").build("eu-1", 1));
    t.add(IngressFactory.middleware("fuzz", "allow", "{\"ipAllowList\":{\"sourceRange\":[\"10.0.0.0/8\",\"192.0.2.0/24\"]}}").build("eu-1", 1));
    t.add(IngressFactory.middleware("fuzz", "headers",
        "{\"headers\":{\"customRequestHeaders\":{\"X-Fuzz\":\"1\"},\"stsSeconds\":31536000}}").build("eu-1", 1));
    t.add(json("{'apiVersion':'v1','kind':'Service','metadata':{'name':'svc','namespace':'fuzz','labels':{'type':'ingress'},"
        + "'annotations':{'host':'svc.fuzz.example.net','path':'/ctx/.*'}},'spec':{'type':'ClusterIP','ports':[{'name':'http','port':8080}]}}"));
    t.add(json("{'apiVersion':'v1','kind':'Service','metadata':{'name':'lb','namespace':'fuzz','annotations':"
        + "{'external-dns.alpha.kubernetes.io/hostname':'lb.fuzz.example.net,lb2.fuzz.example.net'}},'spec':{'type':'LoadBalancer',"
        + "'ports':[{'port':443}]},'status':{'loadBalancer':{'ingress':[{'ip':'198.51.100.7'}]}}}"));
    t.add(json("{'apiVersion':'v1','kind':'Service','metadata':{'name':'vis','namespace':'fuzz','annotations':"
        + "{'publicHosts':'vis.fuzz.example.net','publicPaths':'8080:/'}},'spec':{'ports':[{'port':8080}]}}"));
    t.add(json("{'apiVersion':'traefik.io/v1alpha1','kind':'TraefikService','metadata':{'name':'mirror','namespace':'fuzz'},"
        + "'spec':{'mirroring':{'name':'web','port':80,'mirrors':[{'name':'shadow','port':80,'percent':10}]}}}"));
    return t;
  }

  private static ObjectNode json(String json) {
    try {
      return (ObjectNode) WRITER.readTree(json.replace('\'', '"'));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
