package io.tributary.traefik;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Converts between Traefik's KV layout ({@link TraefikEntry} keys under {@code <root>/}) and the
 * same dynamic configuration as one nested document, the shape of a file provider's YAML. Pure.
 *
 * <p>The mapping follows Traefik's dynamic-configuration schema (SchemaStore's {@code
 * traefik-v3-file-provider.json}): numeric key segments become array items in index order; a field
 * segment is matched to the schema's property name regardless of case (Traefik reads KV keys
 * case-insensitively) and spelled as the schema spells it in the document ({@code entrypoints} →
 * {@code entryPoints}); values the schema types as integer, number or boolean become such, when
 * the text is exactly their canonical rendering (anything else stays a string, for the schema to
 * reject); {@code tls = true} and similar "enable with defaults" keys become an empty object.
 * Router, service and middleware names, and the keys of header maps, are kept as written.
 *
 * <p>Back to entries, field segments of schema properties are written in lower case, the spelling
 * {@link TraefikPlanner} uses, so {@code entries(document(e)) == e} for entries in that spelling
 * (sorted by key, array indices contiguous from 0).
 */
public final class TraefikDocument {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Pattern INDEX = Pattern.compile("0|[1-9][0-9]{0,8}");
  private static final Pattern INTEGER = Pattern.compile("0|-?[1-9][0-9]{0,17}");
  private static final Pattern DECIMAL = Pattern.compile("-?(0|[1-9][0-9]{0,17})\\.[0-9]{0,15}[1-9]");

  // every property name of the schema, as it spells them
  private static final Map<String, String> SPELLING = Stream.of(
      "accessControlAllowCredentials", "accessControlAllowHeaders", "accessControlAllowMethods",
      "accessControlAllowOriginList", "accessControlAllowOriginListRegex", "accessControlExposeHeaders",
      "accessControlMaxAge", "addAuthCookiesToResponse", "addPrefix", "addVaryHeader", "address",
      "allowOrigins", "allowedHosts", "amount", "attempts", "authRequestHeaders", "authResponseHeaders",
      "authResponseHeadersRegex", "autoDetect", "average", "basicAuth", "browserXssFilter", "buffering",
      "burst", "ca", "caFiles", "cert", "certFile", "certResolver", "certificates", "chain", "checkPeriod",
      "cipherSuites", "circuitBreaker", "clientAuth", "clientAuthType", "commonName", "compress",
      "contentSecurityPolicy", "contentSecurityPolicyReportOnly", "contentType", "contentTypeNosniff",
      "cookie", "country", "curvePreferences", "customBrowserXSSValue", "customFrameOptionsValue",
      "customRequestHeaders", "customResponseHeaders", "defaultCertificate", "defaultEncoding",
      "defaultGeneratedCert", "depth", "digestAuth", "domain", "domainComponent", "domains", "encodings",
      "entryPoints", "errors", "excludedContentTypes", "excludedIPs", "expression", "failover", "fallback",
      "fallbackDuration", "featurePolicy", "flushInterval", "followRedirects", "forceSTSHeader",
      "forceSlash", "forwardAuth", "forwardBody", "frameDeny", "grpcWeb", "headerField", "headers",
      "healthCheck", "hostname", "hostsProxyHeaders", "http", "httpOnly", "inFlightReq",
      "includedContentTypes", "info", "initialInterval", "insecureSkipVerify", "interval", "ipAllowList",
      "ipStrategy", "ipWhiteList", "isDevelopment", "issuer", "key", "keyFile", "loadBalancer", "locality",
      "main", "maxBodySize", "maxRequestBodyBytes", "maxResponseBodyBytes", "maxResponseBodySize",
      "maxVersion", "memRequestBodyBytes", "memResponseBodyBytes", "method", "middlewares",
      "minResponseBodyBytes", "minVersion", "mirroring", "mirrors", "name", "notAfter", "notBefore",
      "options", "organization", "passHostHeader", "passTLSClientCert", "passthrough", "path", "pem",
      "percent", "period", "permanent", "permissionsPolicy", "plugin", "port", "preferServerCipherSuites",
      "prefix", "prefixes", "preserveLocationHeader", "preserveRequestMethod", "priority", "province",
      "proxyProtocol", "publicKey", "query", "rateLimit", "realm", "recoveryDuration", "redirectRegex",
      "redirectScheme", "referrerPolicy", "regex", "rejectStatusCode", "removeHeader", "replacePath",
      "replacePathRegex", "replacement", "requestHeaderName", "requestHost", "resolver", "responseCode",
      "responseForwarding", "retry", "retryExpression", "routers", "rule", "ruleSyntax", "sameSite", "sans",
      "scheme", "secure", "serialNumber", "servers", "serversTransport", "serversTransports", "service",
      "services", "sniStrict", "sourceCriterion", "sourceRange", "sslForceHost", "sslHost", "sslProxyHeaders",
      "sslRedirect", "sslTemporaryRedirect", "status", "sticky", "stores", "stripPrefix", "stripPrefixRegex",
      "stsIncludeSubdomains", "stsPreload", "stsSeconds", "subject", "tcp", "terminationDelay", "timeout",
      "tls", "trustForwardHeader", "udp", "url", "users", "usersFile", "version", "weight", "weighted")
      .collect(Collectors.toUnmodifiableMap(TraefikDocument::lower, Function.identity()));

  private static final Set<String> INTEGERS = Set.of(
      "accessControlMaxAge", "amount", "attempts", "depth", "maxRequestBodyBytes", "maxResponseBodyBytes",
      "memRequestBodyBytes", "memResponseBodyBytes", "minResponseBodyBytes", "priority", "rejectStatusCode",
      "responseCode", "stsSeconds", "version");
  // "number", "integer or number" and "string or number" in the schema
  private static final Set<String> NUMBERS = Set.of(
      "average", "burst", "maxBodySize", "maxResponseBodySize", "percent", "period", "terminationDelay", "weight");
  private static final Set<String> BOOLEANS = Set.of(
      "accessControlAllowCredentials", "addVaryHeader", "autoDetect", "browserXssFilter", "commonName",
      "contentTypeNosniff", "country", "domainComponent", "followRedirects", "forceSTSHeader", "forceSlash",
      "forwardBody", "frameDeny", "httpOnly", "insecureSkipVerify", "isDevelopment", "locality", "notAfter",
      "notBefore", "organization", "passHostHeader", "passthrough", "pem", "permanent",
      "preferServerCipherSuites", "preserveLocationHeader", "preserveRequestMethod", "province",
      "removeHeader", "requestHost", "secure", "serialNumber", "sniStrict", "sslForceHost", "sslRedirect",
      "sslTemporaryRedirect", "stsIncludeSubdomains", "stsPreload", "trustForwardHeader");
  // objects whose every property is optional: "true" in KV (as in labels) enables them with defaults
  private static final Set<String> ENABLING = Set.of(
      "tls", "sticky", "cookie", "compress", "grpcWeb", "contentType", "passTLSClientCert", "proxyProtocol");
  // sections whose keys are names someone chose
  private static final Set<String> NAMED = Set.of("routers", "services", "middlewares", "serversTransports");
  // maps from header names to values
  private static final Set<String> HEADER_MAPS = Set.of("customRequestHeaders", "customResponseHeaders", "sslProxyHeaders");

  private TraefikDocument() {}

  /** A field name as Traefik's schema spells it ({@code ipallowlist} → {@code ipAllowList}); unknown names as given. */
  public static String spelling(String field) {
    return SPELLING.getOrDefault(lower(field), field);
  }

  /**
   * The document of {@code entries}, each under {@code root + "/"}; fields sorted by name.
   *
   * @throws IllegalArgumentException for a key outside the root, or one that is both a value and
   *     the parent of other keys
   */
  public static ObjectNode document(String root, Collection<TraefikEntry> entries) {
    Tree top = new Tree();
    String prefix = root + "/";
    for (TraefikEntry e : entries) {
      if (!e.key().startsWith(prefix) || e.key().length() == prefix.length()) {
        throw new IllegalArgumentException("key " + e.key() + " is not under " + prefix);
      }
      String[] raw = e.key().substring(prefix.length()).split("/", -1);
      List<String> path = new ArrayList<>();
      Tree node = top;
      for (int i = 0; i < raw.length; i++) {
        Position pos = position(path);
        String segment = raw[i];
        if (segment.isEmpty()) {
          throw new IllegalArgumentException("key " + e.key() + " has an empty segment");
        }
        String name = pos == Position.FIELD && !INDEX.matcher(segment).matches()
            ? SPELLING.getOrDefault(lower(segment), segment) : segment;
        path.add(name);
        node = node.child(name, pos != Position.NAME && INDEX.matcher(segment).matches(), e.key());
      }
      if (node.value != null || !node.children.isEmpty()) {
        throw new IllegalArgumentException("key " + e.key() + " is both a value and a parent of other keys");
      }
      node.value = e.value();
      node.path = List.copyOf(path);
    }
    return (ObjectNode) top.toJson();
  }

  /** The entries of {@code document} under {@code root}, owned by {@code owner}, sorted by key. */
  public static List<TraefikEntry> entries(String root, JsonNode document, String owner) {
    List<TraefikEntry> out = new ArrayList<>();
    if (document != null && !document.isNull() && !document.isMissingNode()) {
      walk(document, root, new ArrayList<>(), owner, out);
    }
    out.sort(Comparator.comparing(TraefikEntry::key));
    return out;
  }

  private static void walk(JsonNode node, String key, List<String> path, String owner, List<TraefikEntry> out) {
    String field = path.isEmpty() ? "" : path.get(path.size() - 1);
    if (node.isObject()) {
      if (node.isEmpty() && ENABLING.contains(field)) {
        out.add(new TraefikEntry(key, "true", owner));
        return;
      }
      Position pos = position(path);
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        String segment = pos == Position.FIELD && SPELLING.containsKey(lower(f.getKey())) ? lower(f.getKey()) : f.getKey();
        path.add(f.getKey());
        walk(f.getValue(), key + "/" + segment, path, owner, out);
        path.remove(path.size() - 1);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        path.add(String.valueOf(i));
        walk(node.get(i), key + "/" + i, path, owner, out);
        path.remove(path.size() - 1);
      }
    } else if (!node.isNull()) {
      out.add(new TraefikEntry(key, node.isNumber() ? node.decimalValue().stripTrailingZeros().toPlainString() : node.asText(), owner));
    }
  }

  private enum Position { FIELD, NAME, FREE }

  /** What the segment below {@code path} (document spelling) is. */
  private static Position position(List<String> path) {
    int depth = path.size();
    if (depth >= 4 && path.get(0).equals("http") && path.get(1).equals("middlewares") && path.get(3).equals("plugin")) {
      return Position.FREE; // a plugin's configuration has its own schema
    }
    if (depth == 2 && NAMED.contains(path.get(1)) && Set.of("http", "tcp", "udp").contains(path.get(0))) {
      return Position.NAME;
    }
    if (depth == 2 && path.get(0).equals("tls") && Set.of("options", "stores").contains(path.get(1))) {
      return Position.NAME;
    }
    if (depth > 0 && (HEADER_MAPS.contains(path.get(depth - 1))
        || depth > 1 && path.get(depth - 1).equals("headers") && path.get(depth - 2).equals("healthCheck"))) {
      return Position.NAME;
    }
    return Position.FIELD;
  }

  /** A value as the schema types the field it sits in; text unless it renders back unchanged. */
  private static JsonNode typed(List<String> path, String value) {
    String field = path.get(path.size() - 1);
    if (position(path.subList(0, path.size() - 1)) != Position.FIELD) {
      return NODES.textNode(value);
    }
    boolean integer = INTEGERS.contains(field) || field.equals("port") && path.size() > 1 && path.get(path.size() - 2).equals("healthCheck");
    // int, long and double: the node types a YAML or JSON parser gives these numbers back as
    if ((integer || NUMBERS.contains(field)) && INTEGER.matcher(value).matches()) {
      long n = Long.parseLong(value);
      return n == (int) n ? NODES.numberNode((int) n) : NODES.numberNode(n);
    }
    if (NUMBERS.contains(field) && DECIMAL.matcher(value).matches()
        && BigDecimal.valueOf(Double.parseDouble(value)).compareTo(new BigDecimal(value)) == 0) {
      return NODES.numberNode(Double.parseDouble(value));
    }
    if (BOOLEANS.contains(field) && (value.equals("true") || value.equals("false"))) {
      return NODES.booleanNode(Boolean.parseBoolean(value));
    }
    if (ENABLING.contains(field) && value.equals("true")) {
      return NODES.objectNode();
    }
    return NODES.textNode(value);
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  /** The keys as a tree before it becomes JSON: children sorted, array or object decided by the segments. */
  private static final class Tree {
    final TreeMap<String, Tree> children = new TreeMap<>();
    Boolean indexed; // children are array indices
    String value;
    List<String> path;

    Tree child(String name, boolean index, String key) {
      if (value != null) {
        throw new IllegalArgumentException("key " + key + " extends a key that holds a value");
      }
      if (indexed != null && indexed != index) {
        throw new IllegalArgumentException("key " + key + " mixes array indices and names at one level");
      }
      indexed = index;
      return children.computeIfAbsent(name, n -> new Tree());
    }

    JsonNode toJson() {
      if (value != null) {
        return typed(path, value);
      }
      if (Boolean.TRUE.equals(indexed)) {
        ArrayNode array = NODES.arrayNode();
        children.entrySet().stream()
            .sorted(Comparator.comparingInt(e -> Integer.parseInt(e.getKey())))
            .forEach(e -> array.add(e.getValue().toJson()));
        return array;
      }
      ObjectNode object = NODES.objectNode();
      children.forEach((name, child) -> object.set(name, child.toJson()));
      return object;
    }
  }
}
