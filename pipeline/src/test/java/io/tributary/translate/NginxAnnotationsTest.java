package io.tributary.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.settings.TagSyntax;
import io.tributary.settings.TranslateSettings;
import io.tributary.watch.ObjectKey;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Ingresses of an nginx class, translated with their {@code nginx.ingress.kubernetes.io/*} annotations. */
class NginxAnnotationsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectKey KEY = new ObjectKey("eu-1", "Ingress", "shop", "web");
  private static final TranslateSettings NGINX =
      new TranslateSettings(Set.of("traefik"), false, "tributary.io/").withNginxClasses(Set.of("nginx"), false);
  private static final TranslateSettings DROP_SNIPPETS = NGINX.withNginxClasses(Set.of("nginx"), true);

  /** An Ingress of class {@code cls} for shop.example.com, one path to web:80, with NGINX annotations {@code a}. */
  private static ObjectNode ingress(String cls, String path, String pathType, Map<String, String> a) {
    try {
      ObjectNode o = (ObjectNode) JSON.readTree(("{'apiVersion':'networking.k8s.io/v1','kind':'Ingress','metadata':{'name':'web',"
          + "'namespace':'shop','annotations':{}},'spec':{'ingressClassName':'" + cls + "','rules':[{'host':'shop.example.com',"
          + "'http':{'paths':[{'path':'" + path + "','pathType':'" + pathType + "','backend':{'service':{'name':'web','port':"
          + "{'number':80}}}}]}}]}}").replace('\'', '"'));
      ObjectNode annotations = (ObjectNode) o.path("metadata").path("annotations");
      a.forEach((k, v) -> annotations.put(k.contains("/") ? k : NginxAnnotations.PREFIX + k, v));
      return o;
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode ingress(Map<String, String> a) {
    return ingress("nginx", "/api", "Prefix", a);
  }

  private static Translation translate(ObjectNode o, TranslateSettings settings) {
    return Translator.translate(KEY, o, settings);
  }

  private static Translation.Accepted accepted(ObjectNode o) {
    Translation t = translate(o, NGINX);
    assertThat(t).isInstanceOf(Translation.Accepted.class);
    return (Translation.Accepted) t;
  }

  private static String rejected(ObjectNode o) {
    Translation t = translate(o, NGINX);
    assertThat(t).isInstanceOf(Translation.Rejected.class);
    return ((Translation.Rejected) t).reason();
  }

  private static Route only(ObjectNode o) {
    var routes = accepted(o).routes();
    assertThat(routes).hasSize(1);
    return routes.get(0);
  }

  // ------------------------------------------------------------------ rewrite-target

  /** NGINX's {@code rewrite "(?i)<path>" <target> break;} for a request under the Ingress's location. */
  @ParameterizedTest(name = "{0} use-regex={1} rewrite-target={2}: {3} → {4}")
  @CsvSource(delimiter = ';', value = {
      // the ingress-nginx documentation's example
      "/something(/|$)(.*) ; true  ; /$2        ; /something          ; /",
      "/something(/|$)(.*) ; true  ; /$2        ; /something/         ; /",
      "/something(/|$)(.*) ; true  ; /$2        ; /something/new      ; /new",
      "/something(/|$)(.*) ; true  ; /$2        ; /something/new/a?b  ; /new/a?b",
      // NGINX's locations are case-insensitive (~*)
      "/something(/|$)(.*) ; true  ; /$2        ; /SOMETHING/x        ; /x",
      // rewrite-target implies use-regex; without a capture group the whole path is replaced
      "/api                ; false ; /          ; /api/users          ; /",
      "/api                ; false ; /v2        ; /api                ; /v2",
      // captures in any order, and a character after $1 stays literal ($1x is not a group named 1x)
      "/(shop|cart)/(.*)   ; true  ; /$2/$1     ; /cart/items/7       ; /items/7/cart",
      "/(a|b)/(.*)         ; true  ; /$1x/$2    ; /a/q                ; /ax/q",
      // a request the location does not match is not rewritten
      "/something(/|$)(.*) ; true  ; /$2        ; /somethingelse      ; /somethingelse",
  })
  void rewriteTargetRewritesAsNginx(String path, boolean useRegex, String target, String request, String expected) {
    var annotations = new TreeMap<String, String>(Map.of("rewrite-target", target));
    if (useRegex) {
      annotations.put("use-regex", "true");
    }
    Route r = only(ingress("nginx", path, "ImplementationSpecific", annotations));
    // the edge routes the location's requests (and only those) to the cluster, which rewrites them
    String rule = r.rule(TagSyntax.V3);
    assertThat(rule).isEqualTo("Host(`shop.example.com`) && PathRegexp(`(?i)^" + path + "`)");
    String rewritten = NginxAnnotations.rewritten(path, target, request.replaceFirst("\\?.*", ""))
        + (request.contains("?") ? request.substring(request.indexOf('?')) : "");
    assertThat(rewritten).isEqualTo(expected);
    // the rewrite is the cluster's, so the edge carries no middleware for it
    assertThat(r.middlewares()).isEmpty();
  }

  @Test
  void theReplacementSpellsGroupsAsGoDoes() {
    assertThat(NginxAnnotations.replacement("/$2")).isEqualTo("/${2}");
    assertThat(NginxAnnotations.replacement("/$1x/$2")).isEqualTo("/${1}x/${2}");
    var finding = NginxAnnotations.read(KEY, Map.of("rewrite-target", "/$2"), NGINX).findings().get(0);
    assertThat(finding.toString()).isEqualTo("nginx.ingress.kubernetes.io/rewrite-target: carried (cluster's controller)"
        + " → replacePathRegex regex `(?i)^<path>.*` replacement `/${2}`; rewritten once, by the cluster, after it matched the"
        + " original path (a rewrite at the edge would make the cluster miss it); Traefik's NGINX provider supports it");
  }

  @Test
  void useRegexAloneMakesThePathARegexAndNothingElse() {
    Route r = only(ingress("nginx", "/v[0-9]+/items", "ImplementationSpecific", Map.of("use-regex", "true")));
    assertThat(r.rule(TagSyntax.V3)).isEqualTo("Host(`shop.example.com`) && PathRegexp(`(?i)^/v[0-9]+/items`)");
    assertThat(r.dnsHosts()).containsExactly("shop.example.com");
  }

  @Test
  void aPathThatIsNoRegexIsRejectedOnItsOwn() {
    assertThat(rejected(ingress("nginx", "/a(b", "Prefix", Map.of("use-regex", "true"))))
        .startsWith("spec.rules[0].http.paths[0]: path '/a(b' (use-regex) is not a regular expression");
    assertThat(rejected(ingress("nginx", "/a(?!b)", "Prefix", Map.of("use-regex", "true"))))
        .contains("uses a lookahead, which Traefik's regular expressions (Go, RE2) do not support");
    assertThat(rejected(ingress("nginx", "/(a)\\\\1", "Prefix", Map.of("use-regex", "true"))))
        .contains("uses a backreference");
    // beside a good path, only the bad one is rejected (rule-by-rule acceptance)
    ObjectNode two = ingress("nginx", "/ok/(.*)", "Prefix", Map.of("use-regex", "true"));
    var paths = (com.fasterxml.jackson.databind.node.ArrayNode) two.path("spec").path("rules").get(0).path("http").path("paths");
    paths.add(((ObjectNode) paths.get(0).deepCopy()).put("path", "/a(b"));
    Translation.Accepted a = accepted(two);
    assertThat(a.routes()).extracting(r -> r.rule(TagSyntax.V3)).containsExactly("Host(`shop.example.com`) && PathRegexp(`(?i)^/ok/(.*)`)");
    assertThat(a.rejectedParts()).extracting(Translation.RejectedPart::path).containsExactly("spec.rules[0].http.paths[1]");
    assertThat(a.routeParts()).containsExactly("spec.rules[0].http.paths[0]");
  }

  @Test
  void aliasRoutesKeepTheirOriginalsParts() {
    Translation.Accepted a = accepted(ingress(Map.of("server-alias", "www.shop.example.com")));
    assertThat(a.routeParts()).containsExactly("spec.rules[0].http.paths[0]", "spec.rules[0].http.paths[0]");
  }

  // ------------------------------------------------------------------ allow lists

  @Test
  void anAllowListBecomesAnIpAllowListAtTheEdge() {
    Route r = only(ingress(Map.of("allowlist-source-range", "10.0.0.0/8, 192.0.2.7,2001:db8::/32")));
    assertThat(r.middlewares()).containsExactly("shop-web_nginx-allowlist@kubernetescrd");
    assertThat(r.definedMiddlewares()).singleElement().satisfies(d -> {
      assertThat(d.name()).isEqualTo("shop-web_nginx-allowlist");
      assertThat(d.type()).isEqualTo("ipallowlist");
      assertThat(d.unusable()).isNull();
      assertThat(d.options()).isEqualTo(Map.of("sourcerange", "10.0.0.0/8,192.0.2.7,2001:db8::/32"));
      assertThat(d.config().toString()).isEqualTo("{\"sourceRange\":[\"10.0.0.0/8\",\"192.0.2.7\",\"2001:db8::/32\"]}");
    });
  }

  @Test
  void theOldWhitelistSpellingToo() {
    assertThat(only(ingress(Map.of("whitelist-source-range", "10.0.0.0/8"))).definedMiddlewares())
        .singleElement().extracting(Middlewares.Definition::type).isEqualTo("ipallowlist");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "10.0.0.0/33  | '10.0.0.0/33' is not an IP address or CIDR range (prefix length '33' is outside 0..32)",
      "10.0.0.256   | '10.0.0.256' is not an IP address or CIDR range (octet 256 is over 255)",
      "office       | 'office' is not an IP address or CIDR range (not an address)",
      "10.0.0.0/8/9 | '10.0.0.0/8/9' is not an IP address or CIDR range (more than one '/')",
      "::1/129      | '::1/129' is not an IP address or CIDR range (prefix length '129' is outside 0..128)",
  })
  void aBadRangeHoldsTheIngressBackWithTheReason(String range, String reason) {
    assertThat(rejected(ingress(Map.of("allowlist-source-range", "192.0.2.7," + range))))
        .isEqualTo("metadata.annotations[nginx.ingress.kubernetes.io/allowlist-source-range]: " + reason
            + "; the Ingress is held back rather than published without its allow list");
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', nullValues = "ok", value = {
      "192.0.2.7; ok", "10.0.0.0/8; ok", "0.0.0.0/0; ok", "2001:db8::/32; ok", "::1; ok", "::; ok", "::/0; ok",
      "::ffff:192.0.2.1; ok", "2001:db8:0:0:0:0:0:1/128; ok", "fe80::1:2:3:4:5:6; ok",
      "2001:db8:0:0:0:0:0:0:1; not an address", "1:2:3:4:5:6:7; not an address", ":::1; not an address",
      "2001:db8::1::2; not an address", "fe80::1%eth0; not an address", "::ffff:192.0.2.300; not an address",
      "12345::1; not an address", "10.0.0; not an address", "10.0.0.0/; prefix length '' is outside 0..32",
  })
  void addressesAndRanges(String range, String problem) {
    assertThat(NginxAnnotations.cidrProblem(range)).isEqualTo(problem);
  }

  // ------------------------------------------------------------------ snippets and unknown annotations

  @Test
  void aSnippetIsNeverCarriedAndHoldsTheIngressBack() {
    String reason = rejected(ingress(Map.of("configuration-snippet", "more_set_headers \"X: y\";", "ssl-redirect", "true")));
    assertThat(reason).isEqualTo("metadata.annotations[nginx.ingress.kubernetes.io/configuration-snippet]: a snippet is raw"
        + " NGINX configuration, which Traefik cannot run; the Ingress is held back until the snippet is replaced (a Middleware,"
        + " or translate.nginx-drop-snippets = true to publish it without the snippet)");
    assertThat(rejected(ingress(Map.of("server-snippet", "x")))).contains("server-snippet");
    assertThat(rejected(ingress(Map.of("modsecurity-snippet", "x")))).contains("modsecurity-snippet");
  }

  @Test
  void withDropSnippetsTheIngressIsTranslatedWithoutItAndAWarning() {
    Translation t = translate(ingress(Map.of("configuration-snippet", "return 403;", "ssl-redirect", "true")), DROP_SNIPPETS);
    assertThat(t).isInstanceOf(Translation.Accepted.class);
    var a = (Translation.Accepted) t;
    assertThat(a.warnings()).containsExactly("metadata.annotations[nginx.ingress.kubernetes.io/configuration-snippet]: not"
        + " carried (a snippet is raw NGINX configuration, which Traefik cannot run); translated without it"
        + " (translate.nginx-drop-snippets)");
    // only the redirect is carried: nothing of the snippet reaches any middleware
    assertThat(a.routes().get(0).definedMiddlewares()).extracting(Middlewares.Definition::type).containsExactly("redirectscheme");
    assertThat(a.routes().get(0).definedMiddlewares().get(0).config().toString()).doesNotContain("403");
  }

  @Test
  void anUnknownAnnotationIsAWarningNamingIt() {
    var a = accepted(ingress(Map.of("limit-rps", "5", "proxy-read-timeout", "30")));
    assertThat(a.warnings()).containsExactly(
        "metadata.annotations[nginx.ingress.kubernetes.io/limit-rps]: not carried (Tributary knows no Traefik equivalent)",
        "metadata.annotations[nginx.ingress.kubernetes.io/proxy-read-timeout]: not carried (Tributary knows no Traefik equivalent)");
    assertThat(a.routes().get(0).middlewares()).isEmpty();
  }

  @Test
  void aDenyListCannotBeDroppedSilently() {
    assertThat(rejected(ingress(Map.of("denylist-source-range", "10.0.0.0/8"))))
        .startsWith("metadata.annotations[nginx.ingress.kubernetes.io/denylist-source-range]: restricts access");
  }

  // ------------------------------------------------------------------ classes

  @Test
  void otherClassesAreNotReadForNginxAnnotations() {
    // class traefik is served, but its nginx annotations mean nothing to it
    Translation t = translate(ingress("traefik", "/api", "Prefix", Map.of("configuration-snippet", "x",
        "allowlist-source-range", "10.0.0.0/8")), NGINX);
    assertThat(t).isInstanceOf(Translation.Accepted.class);
    assertThat(((Translation.Accepted) t).routes().get(0).middlewares()).isEmpty();
    assertThat(((Translation.Accepted) t).warnings()).containsExactly("metadata.annotations: 2 nginx.ingress.kubernetes.io/*"
        + " annotations [allowlist-source-range, configuration-snippet] not read: class 'traefik' is not in translate.nginx-classes");
    // a class in neither list is not ours
    assertThat(translate(ingress("haproxy", "/api", "Prefix", Map.of()), NGINX)).isInstanceOf(Translation.Ignored.class);
    // an nginx class is served even though ingress-classes does not list it
    assertThat(translate(ingress("nginx", "/api", "Prefix", Map.of()), NGINX)).isInstanceOf(Translation.Accepted.class);
  }

  // ------------------------------------------------------------------ redirects, CORS, body size, aliases, protocols

  @Test
  void redirectsAreEdgeMiddlewaresInTheOrderTheyApply() {
    Route r = only(ingress(Map.of("force-ssl-redirect", "true", "allowlist-source-range", "10.0.0.0/8",
        "permanent-redirect", "https://new.example.com/", "enable-cors", "true", "proxy-body-size", "8m")));
    assertThat(r.middlewares()).containsExactly("shop-web_nginx-allowlist@kubernetescrd", "shop-web_nginx-ssl-redirect@kubernetescrd",
        "shop-web_nginx-redirect@kubernetescrd", "shop-web_nginx-cors@kubernetescrd", "shop-web_nginx-body-size@kubernetescrd");
    var byType = new TreeMap<String, String>();
    r.definedMiddlewares().forEach(d -> byType.put(d.type(), d.config().toString()));
    assertThat(byType).containsEntry("redirectscheme", "{\"scheme\":\"https\",\"permanent\":true}")
        .containsEntry("redirectregex", "{\"regex\":\"^.*\",\"replacement\":\"https://new.example.com/\",\"permanent\":true}")
        .containsEntry("buffering", "{\"maxRequestBodyBytes\":8388608}");
    assertThat(byType.get("headers")).contains("\"accessControlAllowOriginList\":[\"*\"]", "\"accessControlMaxAge\":1728000",
        "\"accessControlAllowCredentials\":true", "\"accessControlAllowMethods\":[\"GET\",\"PUT\",\"POST\",\"DELETE\",\"PATCH\",\"OPTIONS\"]");
  }

  @Test
  void aTemporalRedirectWinsAndCorsOptionsAreRead() {
    Route r = only(ingress(Map.of("permanent-redirect", "https://a.example.com", "temporal-redirect", "https://b.example.com",
        "enable-cors", "true", "cors-allow-origin", "https://a.example.com, https://b.example.com", "cors-max-age", "60",
        "cors-allow-credentials", "false")));
    var byType = new TreeMap<String, String>();
    r.definedMiddlewares().forEach(d -> byType.put(d.type(), d.config().toString()));
    assertThat(byType.get("redirectregex")).isEqualTo("{\"regex\":\"^.*\",\"replacement\":\"https://b.example.com\",\"permanent\":false}");
    assertThat(byType.get("headers")).contains("\"accessControlAllowOriginList\":[\"https://a.example.com\",\"https://b.example.com\"]",
        "\"accessControlMaxAge\":60", "\"accessControlAllowCredentials\":false");
    assertThat(NginxAnnotations.read(KEY, Map.of("enable-cors", "true", "cors-max-age", "60"), NGINX).findings())
        .extracting(Object::toString).contains("nginx.ingress.kubernetes.io/cors-max-age: carried (VM-side Traefik)"
            + " → headers.accessControlMaxAge; part of enable-cors");
    assertThat(accepted(ingress(Map.of("enable-cors", "true", "cors-allow-origin", "https://a.example.com"))).warnings()).isEmpty();
  }

  @Test
  void appRootRedirectsTheRootOnly() {
    Route r = only(ingress(Map.of("app-root", "/app1")));
    assertThat(r.definedMiddlewares().get(0).config().toString())
        .isEqualTo("{\"regex\":\"^(https?://[^/]+)/$\",\"replacement\":\"${1}/app1\",\"permanent\":false}");
    assertThat(rejected(ingress(Map.of("app-root", "app1")))).contains("'app1' is not a path");
  }

  @ParameterizedTest
  @CsvSource({"100,100", "8k,8192", "8K,8192", "1m,1048576", "2g,2147483648", "0,0"})
  void bodySizesInNginxUnits(String size, long bytes) {
    assertThat(NginxAnnotations.bytes(size)).isEqualTo(bytes);
  }

  @Test
  void aBadBodySizeIsRejectedAndZeroMeansNoLimit() {
    assertThat(rejected(ingress(Map.of("proxy-body-size", "10mb")))).contains("'10mb' is not a size (bytes, or a number with k, m or g)");
    assertThat(only(ingress(Map.of("proxy-body-size", "0"))).middlewares()).isEmpty();
  }

  @Test
  void serverAliasesGetRoutesAndDnsAndReachTheClusterUnderTheIngressHost() {
    var routes = accepted(ingress(Map.of("server-alias", "www.shop.example.com, shop.example.net"))).routes();
    assertThat(routes).extracting(Route::host).containsExactly("shop.example.com", "www.shop.example.com", "shop.example.net");
    assertThat(routes).extracting(Route::dnsHosts)
        .containsExactly(List.of("shop.example.com"), List.of("www.shop.example.com"), List.of("shop.example.net"));
    Route alias = routes.get(1);
    assertThat(alias.middlewares()).containsExactly("shop-web_nginx-alias-www.shop.example.com@kubernetescrd");
    assertThat(alias.definedMiddlewares().get(0).config().toString()).isEqualTo("{\"customRequestHeaders\":{\"Host\":\"shop.example.com\"}}");
    assertThat(rejected(ingress(Map.of("server-alias", "bad_host.example.com")))).contains("'bad_host.example.com' is not a valid hostname");
  }

  @Test
  void clusterSideAnnotationsAddNothingAtTheEdge() {
    var a = accepted(ingress(Map.of("upstream-vhost", "internal.svc", "auth-url", "http://auth.sso.svc/verify",
        "auth-response-headers", "X-User", "backend-protocol", "HTTPS")));
    assertThat(a.routes().get(0).middlewares()).isEmpty();
    assertThat(a.warnings()).isEmpty();
    assertThat(NginxAnnotations.read(KEY, Map.of("auth-url", "http://auth.sso.svc/verify", "auth-response-headers", "X-User"), NGINX)
        .findings()).extracting(Object::toString).containsExactly(
            "nginx.ingress.kubernetes.io/auth-response-headers: carried (cluster's controller) → forwardAuth.authResponseHeaders",
            "nginx.ingress.kubernetes.io/auth-url: approximated (cluster's controller) → forwardAuth address http://auth.sso.svc/verify"
                + " authResponseHeaders [X-User]; by the cluster, which reaches the auth service; Traefik forwards the original"
                + " request instead of NGINX's sub-request, and caches nothing");
  }

  @Test
  void backendProtocols() {
    assertThat(accepted(ingress(Map.of("backend-protocol", "GRPC"))).warnings()).singleElement().asString()
        .contains("GRPC: the VM-side Traefik must reach the cluster's ingress over HTTP/2");
    assertThat(accepted(ingress(Map.of("backend-protocol", "FCGI"))).warnings()).singleElement().asString()
        .contains("FCGI is not supported by Traefik");
    assertThat(rejected(ingress(Map.of("backend-protocol", "SPDY")))).contains("'SPDY' is not one of HTTP, HTTPS, GRPC, GRPCS");
  }

  // ------------------------------------------------------------------ canary

  @Test
  void aCanaryCarriesItsShareAndNothingElse() {
    Route r = only(ingress(Map.of("canary", "true", "canary-weight", "20", "allowlist-source-range", "10.0.0.0/8")));
    assertThat(r.canary()).isEqualTo(new Canary(20, 100, null, null, null));
    // NGINX applies the primary's annotations to a canary's requests
    assertThat(r.middlewares()).isEmpty();
    assertThat(r.canary().split("web:80", "web-v2:80")).isEqualTo("weighted web:80 80%, web-v2:80 20%");
  }

  @Test
  void aHeaderCanary() {
    Route r = only(ingress(Map.of("canary", "true", "canary-by-header", "X-Canary", "canary-by-header-value", "yes")));
    assertThat(r.canary().split("web:80", "web-v2:80"))
        .isEqualTo("header X-Canary: yes → web-v2:80 (X-Canary: never → web:80), else weighted web:80 100%, web-v2:80 0%");
    assertThat(rejected(ingress(Map.of("canary", "true", "canary-weight", "120")))).contains("120 is outside 0..100");
    assertThat(rejected(ingress(Map.of("canary", "yes")))).contains("'yes' is neither true nor false");
  }
}
