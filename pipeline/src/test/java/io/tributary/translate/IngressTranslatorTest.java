package io.tributary.translate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.settings.TranslateSettings;
import io.tributary.watch.ObjectKey;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class IngressTranslatorTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectKey KEY = new ObjectKey("eu-1", "Ingress", "shop", "web");
  private static final TranslateSettings ALL = TranslateSettings.defaults();
  private static final Instant CREATED = Instant.parse("2024-05-01T10:00:00Z");
  private static final String HOST = "shop.example.com";
  private static final Backend WEB = new Backend("web", 80, null);

  // ---------------------------------------------------------------- pathType and path

  @Nested
  class PathTypes {

    @Test
    void exactMapsToExact() {
      Route r = only(translate(ingress().rule(HOST, path("Exact", "/cart", svc("web", 80)))));
      assertThat(r).isEqualTo(route(HOST, "/cart", PathMatch.EXACT, WEB));
    }

    @Test
    void prefixMapsToPrefix() {
      Route r = only(translate(ingress().rule(HOST, path("Prefix", "/shoes", svc("web", 80)))));
      assertThat(r).isEqualTo(route(HOST, "/shoes", PathMatch.PREFIX, WEB));
    }

    @Test
    void implementationSpecificMapsToPrefix() {
      Route r =
          only(
              translate(
                  ingress().rule(HOST, path("ImplementationSpecific", "/api", svc("web", 80)))));
      assertThat(r).isEqualTo(route(HOST, "/api", PathMatch.PREFIX, WEB));
    }

    @Test
    void implementationSpecificWithoutPathMeansRoot() {
      Route r =
          only(
              translate(
                  ingress().rule(HOST, path("ImplementationSpecific", null, svc("web", 80)))));
      assertThat(r).isEqualTo(route(HOST, "/", PathMatch.PREFIX, WEB));
    }

    @Test
    void missingPathTypeIsRejected() {
      assertThat(rejected(translate(ingress().rule(HOST, path(null, "/a", svc("web", 80))))))
          .isEqualTo("spec.rules[0].http.paths[0].pathType is required");
    }

    @Test
    void unknownPathTypeIsRejected() {
      assertThat(rejected(translate(ingress().rule(HOST, path("Regex", "/a", svc("web", 80))))))
          .isEqualTo(
              "spec.rules[0].http.paths[0].pathType: 'Regex' is not one of Exact, Prefix,"
                  + " ImplementationSpecific");
    }
  }

  @Nested
  class Paths {

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
      "Prefix,                 /foo/,   /foo",
      "Prefix,                 /foo,    /foo",
      "Prefix,                 /,       /",
      "Prefix,                 /foo//,  /foo/",
      "ImplementationSpecific, /api/,   /api",
      "ImplementationSpecific, /,       /",
      "Exact,                  /foo/,   /foo/",
      "Exact,                  /,       /",
    })
    void prefixPathsLoseOneTrailingSlash(String type, String in, String out) {
      Route r = only(translate(ingress().rule(HOST, path(type, in, svc("web", 80)))));
      assertThat(r.path()).isEqualTo(out);
    }

    @ParameterizedTest(name = "{0} with path [{1}]")
    @CsvSource(
        value = {"Exact, NULL", "Exact, ''", "Prefix, NULL", "Prefix, ''"},
        nullValues = "NULL")
    void pathIsRequiredForExactAndPrefix(String type, String path) {
      assertThat(rejected(translate(ingress().rule(HOST, path(type, path, svc("web", 80))))))
          .isEqualTo("spec.rules[0].http.paths[0].path is required for pathType " + type);
    }

    @Test
    void pathMustStartWithSlash() {
      assertThat(rejected(translate(ingress().rule(HOST, path("Prefix", "api", svc("web", 80))))))
          .isEqualTo("spec.rules[0].http.paths[0].path: 'api' does not start with '/'");
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(
        strings = {"/a`b", "/a b", "/a\tb", "/a\nb", "/a\u0000b", "/a\u00a0b", "/a\u2028b"})
    void pathThatCannotBeWrittenIntoATraefikRuleIsRejected(String path) {
      assertThat(rejected(translate(ingress().rule(HOST, path("Prefix", path, svc("web", 80))))))
          .startsWith("spec.rules[0].http.paths[0].path: ")
          .endsWith(
              "contains a backtick, whitespace or a control character, which cannot be written"
                  + " into a Traefik rule");
    }

    @Test
    void controlCharactersAreEscapedInTheReason() {
      assertThat(
              rejected(translate(ingress().rule(HOST, path("Prefix", "/a\u0001", svc("w", 80))))))
          .contains("'/a\\u0001'");
    }
  }

  // ---------------------------------------------------------------- TLS

  @Nested
  class Tls {

    @Test
    void ruleHostListedInTlsIsTls() {
      List<Route> routes =
          routes(
              translate(
                  ingress()
                      .tls(HOST)
                      .rule(HOST, path("Prefix", "/", svc("web", 80)))
                      .rule("other.example.com", path("Prefix", "/", svc("web", 80)))));
      assertThat(routes)
          .extracting(Route::host, Route::tls)
          .containsExactly(tuple(HOST, true), tuple("other.example.com", false));
    }

    @Test
    void tlsHostsAreMatchedCaseInsensitively() {
      Route r = only(translate(ingress().tls("Shop.Example.COM").rule(HOST, prefixRoot())));
      assertThat(r.tls()).isTrue();
    }

    @Test
    void wildcardTlsHostCoversOneLabel() {
      List<Route> routes =
          routes(
              translate(
                  ingress()
                      .tls("*.example.com")
                      .rule("a.example.com", prefixRoot())
                      .rule("a.b.example.com", prefixRoot())
                      .rule("example.com", prefixRoot())));
      assertThat(routes).extracting(Route::tls).containsExactly(true, false, false);
    }

    @Test
    void routerTlsAnnotationTrueMakesEveryRouteTls() {
      List<Route> routes =
          routes(
              translate(
                  ingress()
                      .annotate("traefik.ingress.kubernetes.io/router.tls", "true")
                      .rule(HOST, prefixRoot())
                      .rule("b.example.com", prefixRoot())));
      assertThat(routes).extracting(Route::tls).containsExactly(true, true);
    }

    @Test
    void routerTlsAnnotationFalseLeavesSpecTlsInCharge() {
      List<Route> routes =
          routes(
              translate(
                  ingress()
                      .annotate("traefik.ingress.kubernetes.io/router.tls", "false")
                      .tls(HOST)
                      .rule(HOST, prefixRoot())
                      .rule("b.example.com", prefixRoot())));
      assertThat(routes).extracting(Route::tls).containsExactly(true, false);
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "True", "1", ""})
    void routerTlsAnnotationWithAnotherValueIsRejected(String value) {
      assertThat(
              rejected(
                  translate(
                      ingress()
                          .annotate("traefik.ingress.kubernetes.io/router.tls", value)
                          .rule(HOST, prefixRoot()))))
          .isEqualTo(
              "metadata.annotations[traefik.ingress.kubernetes.io/router.tls]: '"
                  + value
                  + "' is neither true nor false");
    }

    @Test
    void invalidTlsHostIsRejected() {
      assertThat(
              rejected(
                  translate(ingress().tls(HOST, "bad_host.example.com").rule(HOST, prefixRoot()))))
          .isEqualTo(
              "spec.tls[0].hosts[1]: 'bad_host.example.com' is not a valid hostname: label"
                  + " 'bad_host' has characters outside a-z 0-9 -");
    }
  }

  // ---------------------------------------------------------------- default backend

  @Nested
  class DefaultBackend {

    @Test
    void addsACatchAllForEveryRuleAndTlsHost() {
      Translation t =
          translate(
              ingress()
                  .defaultBackend(svcPortName("legacy", "http"))
                  .tls("b.example.com", "*.example.com", "a.example.com")
                  .rule("a.example.com", path("Prefix", "/shoes", svc("web", 80)))
                  .rule("b.example.com", path("Exact", "/cart", svc("web", 80))));
      Backend legacy = new Backend("legacy", null, "http");
      assertThat(routes(t))
          .containsExactly(
              tls(route("a.example.com", "/shoes", PathMatch.PREFIX, WEB)),
              tls(route("b.example.com", "/cart", PathMatch.EXACT, WEB)),
              tls(catchAll("a.example.com", legacy)),
              tls(catchAll("b.example.com", legacy)),
              tls(catchAll("*.example.com", legacy)));
    }

    @Test
    void skipsAHostThatAlreadyHasAnExplicitRootPrefix() {
      Translation t =
          translate(
              ingress()
                  .defaultBackend(svc("legacy", 8080))
                  .rule("a.example.com", path("Prefix", "/", svc("web", 80)))
                  .rule("b.example.com", path("Exact", "/", svc("web", 80))));
      assertThat(routes(t))
          .extracting(Route::host, Route::pathMatch, Route::backend, Route::catchAll)
          .containsExactly(
              tuple("a.example.com", PathMatch.PREFIX, WEB, false),
              tuple("b.example.com", PathMatch.EXACT, WEB, false),
              tuple("b.example.com", PathMatch.PREFIX, new Backend("legacy", 8080, null), true));
    }

    @Test
    void servesAHostWhoseRuleHasNoPaths() {
      Translation t = translate(ingress().defaultBackend(svc("legacy", 80)).ruleWithoutHttp(HOST));
      assertThat(routes(t)).containsExactly(catchAll(HOST, new Backend("legacy", 80, null)));
      assertThat(warnings(t)).containsExactly("spec.rules[0]: host " + HOST + " has no paths");
    }

    @Test
    void withoutAnyHostIsRejected() {
      assertThat(rejected(translate(ingress().defaultBackend(svc("legacy", 80)))))
          .isEqualTo(
              "spec.defaultBackend without any host would capture every hostname on the shared"
                  + " Traefik");
    }

    @Test
    void isValidatedLikeARuleBackend() {
      assertThat(
              rejected(
                  translate(ingress().defaultBackend(svc("legacy", 0)).rule(HOST, prefixRoot()))))
          .isEqualTo("spec.defaultBackend.service.port.number: 0 is not a port number in 1..65535");
    }

    @Test
    void catchAllsAreNeverStripped() {
      Translation t =
          translate(
              ingress()
                  .annotate("traefik.frontend.rule.type", "PathPrefixStrip")
                  .defaultBackend(svc("legacy", 80))
                  .rule(HOST, path("Prefix", "/shoes", svc("web", 80))));
      assertThat(routes(t)).extracting(Route::stripPrefix).containsExactly(true, false);
    }
  }

  // ---------------------------------------------------------------- class filter and opt-out

  @Nested
  class ClassFilter {

    private final TranslateSettings traefikOnly =
        new TranslateSettings(Set.of("traefik"), false, "tributary.io/");

    @Test
    void ingressClassNameInTheFilterIsTranslated() {
      assertThat(translate(ingress().className("traefik").rule(HOST, prefixRoot()), traefikOnly))
          .isInstanceOf(Translation.Accepted.class);
    }

    @Test
    void legacyClassAnnotationInTheFilterIsTranslated() {
      assertThat(
              translate(
                  ingress()
                      .annotate("kubernetes.io/ingress.class", "traefik")
                      .rule(HOST, prefixRoot()),
                  traefikOnly))
          .isInstanceOf(Translation.Accepted.class);
    }

    @Test
    void ingressClassNameWinsOverTheLegacyAnnotation() {
      assertThat(
              translate(
                  ingress()
                      .className("nginx")
                      .annotate("kubernetes.io/ingress.class", "traefik")
                      .rule(HOST, prefixRoot()),
                  traefikOnly))
          .isEqualTo(new Translation.Ignored("ingress class 'nginx' is not one of [traefik]"));
    }

    @Test
    void emptyFilterAcceptsEveryClass() {
      TranslateSettings any = new TranslateSettings(Set.of(), false, "tributary.io/");
      assertThat(translate(ingress().className("nginx").rule(HOST, prefixRoot()), any))
          .isInstanceOf(Translation.Accepted.class);
      assertThat(translate(ingress().rule(HOST, prefixRoot()), any))
          .isInstanceOf(Translation.Accepted.class);
    }

    @Test
    void unclassedIsTranslatedWhenIncludeUnclassedIsOn() {
      TranslateSettings include = new TranslateSettings(Set.of("traefik"), true, "tributary.io/");
      assertThat(translate(ingress().rule(HOST, prefixRoot()), include))
          .isInstanceOf(Translation.Accepted.class);
    }

    @Test
    void unclassedIsIgnoredWhenIncludeUnclassedIsOff() {
      assertThat(translate(ingress().rule(HOST, prefixRoot()), traefikOnly))
          .isEqualTo(
              new Translation.Ignored("no ingress class and translate.include-unclassed is off"));
    }

    @Test
    void otherClassIsIgnoredAndTheFilterIsListedSorted() {
      TranslateSettings two =
          new TranslateSettings(Set.of("traefik", "public"), false, "tributary.io/");
      assertThat(translate(ingress().className("nginx").rule(HOST, prefixRoot()), two))
          .isEqualTo(
              new Translation.Ignored("ingress class 'nginx' is not one of [public, traefik]"));
    }

    @Test
    void anIgnoredObjectIsNotValidated() {
      // Another controller's malformed object is not ours to reject.
      assertThat(translate(ingress().className("nginx").rule(null, prefixRoot()), traefikOnly))
          .isInstanceOf(Translation.Ignored.class);
    }
  }

  @Nested
  class Expose {

    @Test
    void exposeFalseIsIgnored() {
      assertThat(
              translate(
                  ingress().annotate("tributary.io/expose", "false").rule(HOST, prefixRoot())))
          .isEqualTo(new Translation.Ignored("tributary.io/expose is false"));
    }

    @Test
    void exposeUsesTheConfiguredPrefix() {
      TranslateSettings custom = new TranslateSettings(Set.of(), true, "routing.acme.io/");
      assertThat(
              translate(
                  ingress().annotate("routing.acme.io/expose", "false").rule(HOST, prefixRoot()),
                  custom))
          .isEqualTo(new Translation.Ignored("routing.acme.io/expose is false"));
      assertThat(
              translate(
                  ingress().annotate("tributary.io/expose", "false").rule(HOST, prefixRoot()),
                  custom))
          .isInstanceOf(Translation.Accepted.class);
    }

    @Test
    void exposeTrueIsTranslated() {
      assertThat(
              translate(ingress().annotate("tributary.io/expose", "true").rule(HOST, prefixRoot())))
          .isInstanceOf(Translation.Accepted.class);
    }

    @Test
    void exposeWithAnotherValueIsRejected() {
      assertThat(
              rejected(
                  translate(
                      ingress().annotate("tributary.io/expose", "no").rule(HOST, prefixRoot()))))
          .isEqualTo("metadata.annotations[tributary.io/expose]: 'no' is neither true nor false");
    }
  }

  // ---------------------------------------------------------------- Traefik annotations

  @Nested
  class TraefikAnnotations {

    private static final String ENTRYPOINTS = "traefik.ingress.kubernetes.io/router.entrypoints";
    private static final String MIDDLEWARES = "traefik.ingress.kubernetes.io/router.middlewares";
    private static final String PRIORITY = "traefik.ingress.kubernetes.io/router.priority";

    @Test
    void withoutAnnotationsTheOptionsAreEmpty() {
      Route r = only(translate(ingress().rule(HOST, prefixRoot())));
      assertThat(r.entrypoints()).isEmpty();
      assertThat(r.middlewares()).isEmpty();
      assertThat(r.priority()).isNull();
    }

    @Test
    void entrypointsAreSplitTrimmedAndAppliedToEveryRoute() {
      List<Route> routes =
          routes(
              translate(
                  ingress()
                      .annotate(ENTRYPOINTS, " web , web_secure-2")
                      .defaultBackend(svc("legacy", 80))
                      .rule(HOST, path("Prefix", "/a", svc("web", 80)))));
      assertThat(routes)
          .extracting(Route::entrypoints)
          .containsExactly(List.of("web", "web_secure-2"), List.of("web", "web_secure-2"));
    }

    @ParameterizedTest(name = "[{0}]")
    @CsvSource(
        delimiter = '|',
        value = {
          "web sec   | entry point 'web sec' has characters outside A-Z a-z 0-9 _ -",
          "web;x     | entry point 'web;x' has characters outside A-Z a-z 0-9 _ -",
          "web.x     | entry point 'web.x' has characters outside A-Z a-z 0-9 _ -",
          "web,,x    | empty entry point in 'web,,x'",
          "web,      | empty entry point in 'web,'",
          "''        | empty entry point in ''",
        })
    void invalidEntrypointsAreRejected(String value, String reason) {
      assertThat(
              rejected(translate(ingress().annotate(ENTRYPOINTS, value).rule(HOST, prefixRoot()))))
          .isEqualTo("metadata.annotations[" + ENTRYPOINTS + "]: " + reason);
    }

    @Test
    void middlewaresOfOtherProvidersAreKeptVerbatim() {
      Route r =
          only(
              translate(
                  ingress()
                      .annotate(MIDDLEWARES, "auth@file, ratelimit@consulcatalog,hdrs@consul")
                      .rule(HOST, prefixRoot())));
      assertThat(r.middlewares())
          .containsExactly("auth@file", "ratelimit@consulcatalog", "hdrs@consul");
    }

    @Test
    void middlewareObjectsAreReferencedForResolutionWhenPlanned() {
      Route r =
          only(translate(ingress().annotate(MIDDLEWARES, "ok@file, default-auth@kubernetescrd,default-strip").rule(HOST, prefixRoot())));
      assertThat(r.middlewares()).containsExactly("ok@file", "default-auth@kubernetescrd", "default-strip@kubernetescrd");
    }

    @Test
    void theIngressProviderDefinesNoMiddlewares() {
      assertThat(rejected(translate(ingress().annotate(MIDDLEWARES, "strip@kubernetesingress").rule(HOST, prefixRoot()))))
          .contains("names the Kubernetes Ingress provider, which defines no middlewares");
    }

    @ParameterizedTest(name = "[{0}]")
    @CsvSource(
        delimiter = '|',
        value = {
          "auth@file,      | empty middleware reference",
          "auth@file,,x@file | empty middleware reference",
          "''              | empty middleware reference",
          "@file           | middleware '@file' needs both a name and a provider (name@provider)",
          "auth@           | middleware 'auth@' needs both a name and a provider (name@provider)",
        })
    void malformedMiddlewareReferencesAreRejected(String value, String reason) {
      assertThat(
              rejected(translate(ingress().annotate(MIDDLEWARES, value).rule(HOST, prefixRoot()))))
          .isEqualTo("metadata.annotations[" + MIDDLEWARES + "]: " + reason);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"0", "42", "2147483647"})
    void validPriorityAppliesToEveryRoute(String value) {
      List<Route> routes =
          routes(
              translate(
                  ingress()
                      .annotate(PRIORITY, value)
                      .rule(HOST, path("Prefix", "/a", svc("web", 80)), prefixRoot())));
      assertThat(routes).extracting(Route::priority).containsOnly(Integer.valueOf(value));
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"-1", "abc", "1.5", "+3", " 3", "2147483648", ""})
    void invalidPriorityIsRejected(String value) {
      assertThat(rejected(translate(ingress().annotate(PRIORITY, value).rule(HOST, prefixRoot()))))
          .isEqualTo(
              "metadata.annotations[" + PRIORITY + "]: '" + value + "' is not an integer ≥ 0");
    }
  }

  @Nested
  class Traefik1RuleType {

    @ParameterizedTest(name = "{0}")
    @ValueSource(
        strings = {"traefik.frontend.rule.type", "traefik.ingress.kubernetes.io/rule-type"})
    void pathPrefixStripStripsEveryNonRootPath(String annotation) {
      List<Route> routes =
          routes(
              translate(
                  ingress()
                      .annotate(annotation, "PathPrefixStrip")
                      .rule(
                          HOST,
                          path("Prefix", "/shoes/", svc("web", 80)),
                          path("Exact", "/cart", svc("web", 80)),
                          prefixRoot())));
      assertThat(routes)
          .extracting(Route::path, Route::stripPrefix)
          .containsExactly(tuple("/shoes", true), tuple("/cart", true), tuple("/", false));
    }

    @Test
    void pathStripStripsAndKeepsThePathType() {
      List<Route> routes =
          routes(
              translate(
                  ingress()
                      .annotate("traefik.frontend.rule.type", "PathStrip")
                      .rule(
                          HOST,
                          path("Exact", "/cart", svc("web", 80)),
                          path("Prefix", "/shoes", svc("web", 80)))));
      assertThat(routes)
          .extracting(Route::pathMatch, Route::stripPrefix)
          .containsExactly(tuple(PathMatch.EXACT, true), tuple(PathMatch.PREFIX, true));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PathPrefix", "Path"})
    void pathPrefixAndPathChangeNothing(String type) {
      Route r =
          only(
              translate(
                  ingress()
                      .annotate("traefik.frontend.rule.type", type)
                      .rule(HOST, path("Prefix", "/shoes", svc("web", 80)))));
      assertThat(r).isEqualTo(route(HOST, "/shoes", PathMatch.PREFIX, WEB));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
      "traefik.frontend.rule.type,              ReplacePath",
      "traefik.frontend.rule.type,              AddPrefix",
      "traefik.frontend.rule.type,              pathprefixstrip",
      "traefik.ingress.kubernetes.io/rule-type, ReplacePathRegex",
    })
    void otherRuleTypesAreRejected(String annotation, String type) {
      assertThat(rejected(translate(ingress().annotate(annotation, type).rule(HOST, prefixRoot()))))
          .isEqualTo(
              "metadata.annotations: "
                  + annotation
                  + " '"
                  + type
                  + "' is not supported"
                  + " (supported: PathPrefixStrip, PathPrefix, PathStrip, Path)");
    }

    @Test
    void bothNamesMustAgree() {
      assertThat(
              rejected(
                  translate(
                      ingress()
                          .annotate("traefik.frontend.rule.type", "PathPrefixStrip")
                          .annotate("traefik.ingress.kubernetes.io/rule-type", "PathPrefix")
                          .rule(HOST, prefixRoot()))))
          .isEqualTo(
              "metadata.annotations: traefik.frontend.rule.type 'PathPrefixStrip' and"
                  + " traefik.ingress.kubernetes.io/rule-type 'PathPrefix' disagree");
    }

    @Test
    void bothNamesWithTheSameValueAreFine() {
      Route r =
          only(
              translate(
                  ingress()
                      .annotate("traefik.frontend.rule.type", "PathPrefixStrip")
                      .annotate("traefik.ingress.kubernetes.io/rule-type", "PathPrefixStrip")
                      .rule(HOST, path("Prefix", "/a", svc("web", 80)))));
      assertThat(r.stripPrefix()).isTrue();
    }
  }

  // ---------------------------------------------------------------- backends

  @Nested
  class Backends {

    @Test
    void portNumber() {
      Route r = only(translate(ingress().rule(HOST, path("Prefix", "/", svc("web", 8080)))));
      assertThat(r.backend()).isEqualTo(new Backend("web", 8080, null));
    }

    @Test
    void portName() {
      Route r =
          only(translate(ingress().rule(HOST, path("Prefix", "/", svcPortName("web", "http")))));
      assertThat(r.backend()).isEqualTo(new Backend("web", null, "http"));
    }

    @Test
    void missingBackendIsRejected() {
      assertThat(rejected(translate(ingress().rule(HOST, path("Prefix", "/", null)))))
          .isEqualTo("spec.rules[0].http.paths[0].backend: required");
    }

    @Test
    void missingServiceNameIsRejectedWithItsPath() {
      ObjectNode noName = JSON.createObjectNode();
      noName.putObject("service").putObject("port").put("number", 80);
      Translation t =
          translate(
              ingress()
                  .rule("a.example.com", prefixRoot())
                  .rule("b.example.com", path("Prefix", "/", noName)));
      // the bad path is rejected on its own, with its path; the good rule is published
      assertThat(rejectedParts(t))
          .containsExactly(
              new Translation.RejectedPart(
                  "spec.rules[1].http.paths[0]",
                  "spec.rules[1].http.paths[0].backend: no service name"));
      assertThat(routes(t)).extracting(Route::host).containsExactly("a.example.com");
    }

    @Test
    void resourceBackendIsRejected() {
      ObjectNode resource = JSON.createObjectNode();
      resource
          .putObject("resource")
          .put("apiGroup", "k8s.example.com")
          .put("kind", "StorageBucket")
          .put("name", "static-assets");
      assertThat(rejected(translate(ingress().rule(HOST, path("Prefix", "/static", resource)))))
          .isEqualTo(
              "spec.rules[0].http.paths[0].backend: resource backends cannot be routed from"
                  + " outside the cluster");
    }

    @Test
    void missingPortIsRejected() {
      ObjectNode noPort = JSON.createObjectNode();
      noPort.putObject("service").put("name", "web");
      assertThat(rejected(translate(ingress().rule(HOST, path("Prefix", "/", noPort)))))
          .isEqualTo(
              "spec.rules[0].http.paths[0].backend.service.port: a port number or name is"
                  + " required");
    }

    @Test
    void portNumberAndNameTogetherAreRejected() {
      ObjectNode both = svc("web", 80);
      ((ObjectNode) both.get("service").get("port")).put("name", "http");
      assertThat(rejected(translate(ingress().rule(HOST, path("Prefix", "/", both)))))
          .isEqualTo(
              "spec.rules[0].http.paths[0].backend.service.port: set either number or name, not"
                  + " both");
    }

    static Stream<Arguments> badPortNumbers() {
      return Stream.of(
          Arguments.of("zero", JSON.getNodeFactory().numberNode(0), "0"),
          Arguments.of("above 65535", JSON.getNodeFactory().numberNode(65536), "65536"),
          Arguments.of("negative", JSON.getNodeFactory().numberNode(-1), "-1"),
          Arguments.of("fraction", JSON.getNodeFactory().numberNode(80.5), "80.5"),
          Arguments.of("string", JSON.getNodeFactory().textNode("80"), "\"80\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badPortNumbers")
    void portNumberOutOfRangeIsRejected(String why, JsonNode number, String shown) {
      ObjectNode b = JSON.createObjectNode();
      b.putObject("service").put("name", "web").putObject("port").set("number", number);
      assertThat(rejected(translate(ingress().rule(HOST, path("Prefix", "/", b)))))
          .isEqualTo(
              "spec.rules[0].http.paths[0].backend.service.port.number: "
                  + shown
                  + " is not a port number in 1..65535");
    }
  }

  // ---------------------------------------------------------------- hosts

  @Nested
  class Hosts {

    @Test
    void hostIsLowerCased() {
      assertThat(only(translate(ingress().rule("Shop.Example.COM", prefixRoot()))).host())
          .isEqualTo(HOST);
    }

    @Test
    void wildcardRuleHostIsAccepted() {
      assertThat(only(translate(ingress().rule("*.Example.com", prefixRoot()))).host())
          .isEqualTo("*.example.com");
    }

    static Stream<Arguments> badHosts() {
      String l64 = "a".repeat(64);
      String tooLong = ("a".repeat(63) + ".").repeat(3) + "b".repeat(62);
      return Stream.of(
          Arguments.of(
              "underscore",
              "Bad_Host.example.com",
              "label 'bad_host' has characters outside a-z 0-9 -"),
          Arguments.of("ipv4", "10.1.2.3", "'10.1.2.3' is an IP address, not a hostname"),
          Arguments.of("ipv6", "fd00::1", "'fd00::1' is an IP address, not a hostname"),
          Arguments.of(
              "label too long",
              l64 + ".example.com",
              "label '" + l64 + "' is 64 characters long; at most 63 are allowed"),
          Arguments.of(
              "name too long", tooLong, "hostname is 254 characters long; at most 253 are allowed"),
          Arguments.of(
              "single label",
              "shop",
              "hostname 'shop' has a single label; at least two are required"),
          Arguments.of(
              "bare wildcard",
              "*",
              "a bare '*' would match every hostname; use a leftmost wildcard such as"
                  + " *.example.com"),
          Arguments.of(
              "wildcard in the middle",
              "a.*.com",
              "label '*': a wildcard is only allowed as the whole leftmost label"),
          Arguments.of(
              "partial wildcard",
              "*a.example.com",
              "label '*a': a wildcard must be the whole leftmost label ('*.'), not part of one"),
          Arguments.of(
              "wildcard over a tld",
              "*.com",
              "a wildcard needs at least two labels after '*.' (*.example.com, not *.com)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badHosts")
    void badHostIsRejected(String why, String host, String reason) {
      assertThat(rejected(translate(ingress().rule(host, prefixRoot()))))
          .isEqualTo("spec.rules[0].host: '" + host + "' is not a valid hostname: " + reason);
    }

    @ParameterizedTest(name = "host [{0}]")
    @CsvSource(
        value = {"NULL", "''"},
        nullValues = "NULL")
    void hostLessRuleIsRejected(String host) {
      Translation t =
          translate(ingress().rule("a.example.com", prefixRoot()).rule(host, prefixRoot()));
      // the host-less rule is rejected with its reason, the good rule is still published
      assertThat(rejectedParts(t))
          .containsExactly(
              new Translation.RejectedPart(
                  "spec.rules[1]",
                  "spec.rules[1]: no host; a host-less rule would capture its paths on every"
                      + " hostname of the shared Traefik"));
      assertThat(routes(t)).extracting(Route::host).containsExactly("a.example.com");
      // alone, it rejects the object (nothing would be left to publish)
      assertThat(rejected(translate(ingress().rule(host, prefixRoot()))))
          .isEqualTo(
              "spec.rules[0]: no host; a host-less rule would capture its paths on every hostname"
                  + " of the shared Traefik");
    }

    @Test
    void hostLessRuleWithoutPathsIsRejectedToo() {
      assertThat(rejected(translate(ingress().ruleWithoutHttp(null))))
          .startsWith("spec.rules[0]: no host;");
    }

    @Test
    void ruleWithoutHttpOrPathsWarns() {
      Translation t =
          translate(
              ingress()
                  .ruleWithoutHttp("a.example.com")
                  .rule("b.example.com")
                  .rule(HOST, prefixRoot()));
      assertThat(routes(t)).extracting(Route::host).containsExactly(HOST);
      assertThat(warnings(t))
          .containsExactly(
              "spec.rules[0]: host a.example.com has no paths",
              "spec.rules[1]: host b.example.com has no paths");
    }
  }

  // ---------------------------------------------------------------- object-level rules

  @Nested
  class ObjectLevel {

    @Test
    void repeatedHostMatchAndPathKeepsTheFirstAndWarns() {
      Translation t =
          translate(
              ingress()
                  .rule(HOST, path("Prefix", "/shoes", svc("first", 80)))
                  .rule(
                      "SHOP.example.com",
                      path("Prefix", "/shoes/", svc("second", 80)),
                      path("Exact", "/shoes", svc("exact", 80)),
                      path("ImplementationSpecific", "/shoes", svc("third", 80))));
      assertThat(routes(t))
          .extracting(Route::pathMatch, r -> r.backend().service())
          .containsExactly(tuple(PathMatch.PREFIX, "first"), tuple(PathMatch.EXACT, "exact"));
      assertThat(warnings(t))
          .containsExactly(
              "spec.rules[1].http.paths[0]: host shop.example.com prefix path /shoes is declared"
                  + " earlier in this object; the first one is kept",
              "spec.rules[1].http.paths[2]: host shop.example.com prefix path /shoes is declared"
                  + " earlier in this object; the first one is kept");
    }

    @Test
    void routesComeInRuleThenPathOrderThenCatchAllsInHostOrder() {
      Translation t =
          translate(
              ingress()
                  .defaultBackend(svc("legacy", 80))
                  .rule(
                      "b.example.com",
                      path("Prefix", "/2", svc("web", 80)),
                      path("Prefix", "/1", svc("web", 80)))
                  .rule("a.example.com", path("Prefix", "/3", svc("web", 80))));
      assertThat(routes(t))
          .extracting(r -> r.host() + r.path() + (r.catchAll() ? " catch-all" : ""))
          .containsExactly(
              "b.example.com/2",
              "b.example.com/1",
              "a.example.com/3",
              "b.example.com/ catch-all",
              "a.example.com/ catch-all");
    }

    @Test
    void everyRouteNamesItsSourceAndCreationTime() {
      List<Route> routes =
          routes(
              translate(
                  ingress()
                      .defaultBackend(svc("legacy", 80))
                      .rule(HOST, path("Exact", "/a", svc("web", 80)))));
      assertThat(routes).extracting(Route::source).containsOnly(KEY);
      assertThat(routes).extracting(Route::created).containsOnly(CREATED);
    }

    @Test
    void objectWithoutRoutesIsAcceptedWithAWarning() {
      Translation t = translate(ingress().ruleWithoutHttp(HOST));
      assertThat(routes(t)).isEmpty();
      assertThat(warnings(t))
          .containsExactly("spec.rules[0]: host " + HOST + " has no paths", "declares no routes");
    }

    @Test
    void objectWithoutSpecIsAcceptedWithAWarning() {
      ObjectNode bare = ingress().node();
      bare.remove("spec");
      Translation t = IngressTranslator.translate(KEY, bare, ALL);
      assertThat(t).isEqualTo(new Translation.Accepted(List.of(), List.of("declares no routes")));
    }

    @Test
    void rejectionNamesTheJsonPathOfEveryProblem() {
      ObjectNode noName = JSON.createObjectNode();
      noName.putObject("service").putObject("port").put("number", 80);
      Translation t =
          translate(
              ingress()
                  .annotate("traefik.ingress.kubernetes.io/router.priority", "high")
                  .rule(HOST, prefixRoot())
                  .rule("bad_host.example.com", path("Exact", "/x", svc("web", 80)))
                  .rule(
                      "ok.example.com",
                      path("Prefix", "/", svc("web", 80)),
                      path("Prefix", "/y", noName)));
      assertThat(rejected(t))
          .isEqualTo(
              String.join(
                  "; ",
                  "metadata.annotations[traefik.ingress.kubernetes.io/router.priority]: 'high' is"
                      + " not an integer ≥ 0",
                  "spec.rules[1].host: 'bad_host.example.com' is not a valid hostname: label"
                      + " 'bad_host' has characters outside a-z 0-9 -",
                  "spec.rules[2].http.paths[1].backend: no service name"));
    }
  }

  // ---------------------------------------------------------------- apiVersion, kind, created

  @Nested
  class Metadata {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"extensions/v1beta1", "networking.k8s.io/v1beta1"})
    void otherApiVersionIsRejected(String apiVersion) {
      Ing ing = ingress().rule(HOST, prefixRoot());
      ing.node().put("apiVersion", apiVersion);
      assertThat(rejected(translate(ing)))
          .isEqualTo(
              "unsupported apiVersion "
                  + apiVersion
                  + "; only networking.k8s.io/v1 Ingress is translated");
    }

    @Test
    void missingApiVersionAndKindAreAccepted() {
      Ing ing = ingress().rule(HOST, prefixRoot());
      ing.node().remove("apiVersion");
      ing.node().remove("kind");
      assertThat(translate(ing)).isInstanceOf(Translation.Accepted.class);
    }

    @Test
    void otherKindIsRejected() {
      Ing ing = ingress().rule(HOST, prefixRoot());
      ing.node().put("kind", "IngressRoute");
      assertThat(rejected(translate(ing)))
          .isEqualTo(
              "unsupported kind IngressRoute; only networking.k8s.io/v1 Ingress is translated");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
      "2024-05-01T10:00:00Z,          2024-05-01T10:00:00Z",
      "2024-05-01T10:00:00.250Z,      2024-05-01T10:00:00.250Z",
      "2024-05-01T12:00:00+02:00,     2024-05-01T10:00:00Z",
    })
    void creationTimestampIsParsed(String text, String expected) {
      Ing ing = ingress().rule(HOST, prefixRoot());
      ((ObjectNode) ing.node().get("metadata")).put("creationTimestamp", text);
      assertThat(only(translate(ing)).created()).isEqualTo(Instant.parse(expected));
    }

    @Test
    void missingCreationTimestampIsTheEpoch() {
      Ing ing = ingress().rule(HOST, prefixRoot());
      ((ObjectNode) ing.node().get("metadata")).remove("creationTimestamp");
      assertThat(only(translate(ing)).created()).isEqualTo(Instant.EPOCH);
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"yesterday", "2024-05-01", "2024-05-01 10:00:00Z", "1714557600"})
    void unparsableCreationTimestampIsRejected(String text) {
      Ing ing = ingress().rule(HOST, prefixRoot());
      ((ObjectNode) ing.node().get("metadata")).put("creationTimestamp", text);
      assertThat(rejected(translate(ing)))
          .isEqualTo("metadata.creationTimestamp: '" + text + "' is not an ISO-8601 timestamp");
    }
  }

  // ---------------------------------------------------------------- a real object

  @Test
  void realisticTraefik1IngressFromAFixture() throws IOException {
    ObjectNode node;
    try (InputStream in = getClass().getResourceAsStream("/ingress/shop-strangler.json")) {
      node = (ObjectNode) JSON.readTree(in);
    }
    ObjectKey key = new ObjectKey("eu-1", "Ingress", "retail", "shop");
    TranslateSettings traefik = new TranslateSettings(Set.of("traefik"), false, "tributary.io/");
    Instant created = Instant.parse("2024-03-18T09:41:07Z");
    List<String> eps = List.of("websecure");
    List<String> mws = List.of("secure-headers@file");
    Backend legacy = new Backend("shop-legacy", null, "http");

    Translation t = IngressTranslator.translate(key, node, traefik);

    assertThat(((Translation.Accepted) t).routeParts())
        .containsExactly(
            "spec.rules[0].http.paths[0]",
            "spec.rules[0].http.paths[1]",
            "spec.rules[1].http.paths[0]",
            "spec.defaultBackend",
            "spec.defaultBackend");
    Translation.Accepted a = (Translation.Accepted) t;
    assertThat(new Translation.Accepted(a.routes(), a.warnings(), a.rejectedParts(), List.of()))
        .isEqualTo(
            new Translation.Accepted(
                List.of(
                    new Route(
                        key,
                        created,
                        "www.shop.example.com",
                        "/shoes",
                        PathMatch.PREFIX,
                        new Backend("shoes", 8080, null),
                        eps,
                        mws,
                        null,
                        true,
                        true,
                        false),
                    new Route(
                        key,
                        created,
                        "www.shop.example.com",
                        "/cart",
                        PathMatch.EXACT,
                        new Backend("cart", 8080, null),
                        eps,
                        mws,
                        null,
                        true,
                        true,
                        false),
                    new Route(
                        key,
                        created,
                        "api.shop.example.com",
                        "/",
                        PathMatch.PREFIX,
                        new Backend("api", null, "grpc-web"),
                        eps,
                        mws,
                        null,
                        true,
                        false,
                        false),
                    new Route(
                        key,
                        created,
                        "www.shop.example.com",
                        "/",
                        PathMatch.PREFIX,
                        legacy,
                        eps,
                        mws,
                        null,
                        true,
                        false,
                        true),
                    new Route(
                        key,
                        created,
                        "*.shop.example.com",
                        "/",
                        PathMatch.PREFIX,
                        legacy,
                        eps,
                        mws,
                        null,
                        true,
                        false,
                        true)),
                List.of()));
  }

  // ---------------------------------------------------------------- helpers

  /** A route with no options, as a plain rule path produces it. */
  private static Route route(String host, String path, PathMatch match, Backend backend) {
    return new Route(
        KEY, CREATED, host, path, match, backend, List.of(), List.of(), null, false, false, false);
  }

  private static Translation translate(Ing ing) {
    return translate(ing, ALL);
  }

  private static Translation translate(Ing ing, TranslateSettings settings) {
    return IngressTranslator.translate(KEY, ing.node(), settings);
  }

  private static List<Route> routes(Translation t) {
    assertThat(t).isInstanceOf(Translation.Accepted.class);
    return ((Translation.Accepted) t).routes();
  }

  private static List<String> warnings(Translation t) {
    assertThat(t).isInstanceOf(Translation.Accepted.class);
    return ((Translation.Accepted) t).warnings();
  }

  private static Route only(Translation t) {
    assertThat(routes(t)).hasSize(1);
    assertThat(warnings(t)).isEmpty();
    return routes(t).get(0);
  }

  private static List<Translation.RejectedPart> rejectedParts(Translation t) {
    assertThat(t).isInstanceOf(Translation.Accepted.class);
    return ((Translation.Accepted) t).rejectedParts();
  }

  private static String rejected(Translation t) {
    assertThat(t).isInstanceOf(Translation.Rejected.class);
    return ((Translation.Rejected) t).reason();
  }

  private static Ing ingress() {
    return new Ing();
  }

  /** A Prefix "/" path to service web:80. */
  private static ObjectNode prefixRoot() {
    return path("Prefix", "/", svc("web", 80));
  }

  /** One {@code http.paths[]} entry; null arguments leave the field out. */
  private static ObjectNode path(String pathType, String path, ObjectNode backend) {
    ObjectNode p = JSON.createObjectNode();
    if (path != null) {
      p.put("path", path);
    }
    if (pathType != null) {
      p.put("pathType", pathType);
    }
    if (backend != null) {
      p.set("backend", backend);
    }
    return p;
  }

  private static ObjectNode svc(String name, int port) {
    ObjectNode b = JSON.createObjectNode();
    b.putObject("service").put("name", name).putObject("port").put("number", port);
    return b;
  }

  private static ObjectNode svcPortName(String name, String port) {
    ObjectNode b = JSON.createObjectNode();
    b.putObject("service").put("name", name).putObject("port").put("name", port);
    return b;
  }

  /** Builds an Ingress object the way the API server serialises it. */
  private static final class Ing {
    private final ObjectNode root = JSON.createObjectNode();

    Ing() {
      root.put("apiVersion", "networking.k8s.io/v1").put("kind", "Ingress");
      root.putObject("metadata")
          .put("name", KEY.name())
          .put("namespace", KEY.namespace())
          .put("creationTimestamp", CREATED.toString());
      root.putObject("spec");
    }

    Ing annotate(String name, String value) {
      ObjectNode md = (ObjectNode) root.get("metadata");
      ObjectNode a =
          md.has("annotations") ? (ObjectNode) md.get("annotations") : md.putObject("annotations");
      a.put(name, value);
      return this;
    }

    Ing className(String c) {
      spec().put("ingressClassName", c);
      return this;
    }

    /** A rule; a null host leaves the field out, no paths gives an empty paths list. */
    Ing rule(String host, ObjectNode... paths) {
      ObjectNode rule = rules().addObject();
      if (host != null) {
        rule.put("host", host);
      }
      ArrayNode list = rule.putObject("http").putArray("paths");
      for (ObjectNode p : paths) {
        list.add(p);
      }
      return this;
    }

    Ing ruleWithoutHttp(String host) {
      ObjectNode rule = rules().addObject();
      if (host != null) {
        rule.put("host", host);
      }
      return this;
    }

    Ing tls(String... hosts) {
      ArrayNode tls = spec().has("tls") ? (ArrayNode) spec().get("tls") : spec().putArray("tls");
      ArrayNode list = tls.addObject().put("secretName", "cert").putArray("hosts");
      for (String h : hosts) {
        list.add(h);
      }
      return this;
    }

    Ing defaultBackend(ObjectNode backend) {
      spec().set("defaultBackend", backend);
      return this;
    }

    ObjectNode node() {
      return root;
    }

    private ObjectNode spec() {
      return (ObjectNode) root.get("spec");
    }

    private ArrayNode rules() {
      return spec().has("rules") ? (ArrayNode) spec().get("rules") : spec().putArray("rules");
    }
  }

  /** A default-backend route as rule 10 produces it, without options. */
  private static Route catchAll(String host, Backend backend) {
    return new Route(
        KEY,
        CREATED,
        host,
        "/",
        PathMatch.PREFIX,
        backend,
        List.of(),
        List.of(),
        null,
        false,
        false,
        true);
  }

  /** The same route with tls set. */
  private static Route tls(Route r) {
    return new Route(
        r.source(),
        r.created(),
        r.host(),
        r.path(),
        r.pathMatch(),
        r.backend(),
        r.entrypoints(),
        r.middlewares(),
        r.priority(),
        true,
        r.stripPrefix(),
        r.catchAll());
  }
}
