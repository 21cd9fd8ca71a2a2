package io.tributary.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.settings.TranslateSettings;
import io.tributary.watch.ObjectKey;
import org.junit.jupiter.api.Test;

/** Rule-by-rule acceptance: a bad rule, path or route costs itself, not its object (issue 16). */
class PartialAcceptanceTest {
  private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_SINGLE_QUOTES).build();
  private static final ObjectKey ING = new ObjectKey("eu-1", "Ingress", "shop", "web");
  private static final ObjectKey IR = new ObjectKey("eu-1", "IngressRoute", "shop", "web");
  private static final String WEB = "{'pathType':'Prefix','path':'/','backend':{'service':{'name':'web','port':{'number':80}}}}";

  static ObjectNode ingress(String annotations, String spec) throws Exception {
    return (ObjectNode) JSON.readTree("{'apiVersion':'networking.k8s.io/v1','kind':'Ingress','metadata':{'name':'web',"
        + "'namespace':'shop','creationTimestamp':'2026-01-01T00:00:00Z','annotations':" + annotations + "},'spec':" + spec + "}");
  }

  static ObjectNode ingressRoute(String spec) throws Exception {
    return (ObjectNode) JSON.readTree("{'apiVersion':'traefik.io/v1alpha1','kind':'IngressRoute','metadata':{'name':'web',"
        + "'namespace':'shop','creationTimestamp':'2026-01-01T00:00:00Z'},'spec':" + spec + "}");
  }

  /** Two good hosts and a host-less rule: the two hosts are published, the third rule is reported. */
  static final String TWO_HOSTS_AND_A_HOSTLESS_RULE = "{'rules':["
      + "{'host':'a.example.com','http':{'paths':[" + WEB + "]}},"
      + "{'http':{'paths':[" + WEB + "]}},"
      + "{'host':'b.example.com','http':{'paths':[" + WEB + "]}}]}";

  @Test
  void anIngressWithTwoGoodHostsAndAHostLessRulePublishesTheTwoAndReportsTheThird() throws Exception {
    var t = (Translation.Accepted) Translator.translate(ING, ingress("{}", TWO_HOSTS_AND_A_HOSTLESS_RULE), TranslateSettings.defaults());
    assertThat(t.routes()).extracting(Route::host).containsExactly("a.example.com", "b.example.com");
    assertThat(t.partly()).isTrue();
    assertThat(t.rejectedParts()).containsExactly(new Translation.RejectedPart("spec.rules[1]",
        "spec.rules[1]: no host; a host-less rule would capture its paths on every hostname of the shared Traefik"));
    assertThat(t.routeParts()).containsExactly("spec.rules[0].http.paths[0]", "spec.rules[2].http.paths[0]");
  }

  @Test
  void aBadPathCostsThatPathOnlyAndTheRestOfItsRuleIsPublished() throws Exception {
    var t = (Translation.Accepted) Translator.translate(ING, ingress("{}", "{'rules':[{'host':'a.example.com','http':{'paths':["
        + WEB + ",{'pathType':'Prefix','path':'api','backend':{'service':{'name':'api','port':{'number':80}}}},"
        + "{'pathType':'Exact','path':'/x','backend':{'service':{'name':'x'}}},"
        + "{'pathType':'Exact','path':'/ok','backend':{'service':{'name':'ok','port':{'name':'http'}}}}]}}]}"),
        TranslateSettings.defaults());
    assertThat(t.routes()).extracting(Route::path).containsExactly("/", "/ok");
    assertThat(t.rejectedParts()).containsExactly(
        new Translation.RejectedPart("spec.rules[0].http.paths[1]", "spec.rules[0].http.paths[1].path: 'api' does not start with '/'"),
        new Translation.RejectedPart("spec.rules[0].http.paths[2]",
            "spec.rules[0].http.paths[2].backend.service.port: a port number or name is required"));
  }

  @Test
  void anInvalidHostRejectsItsRuleWithTheProblemsOfItsPaths() throws Exception {
    var t = (Translation.Accepted) Translator.translate(ING, ingress("{}", "{'rules':["
        + "{'host':'a.example.com','http':{'paths':[" + WEB + "]}},"
        + "{'host':'bad_host.example.com','http':{'paths':[{'pathType':'Prefix','path':'/'}]}}]}"), TranslateSettings.defaults());
    assertThat(t.rejectedParts()).singleElement().satisfies(p -> {
      assertThat(p.path()).isEqualTo("spec.rules[1]");
      assertThat(p.reason()).startsWith("spec.rules[1].host: 'bad_host.example.com' is not a valid hostname")
          .endsWith("; spec.rules[1].http.paths[0].backend: required");
    });
  }

  @Test
  void objectWideProblemsStillRejectTheWholeObjectWithEveryReason() throws Exception {
    // a TLS section the routes depend on
    var tls = Translator.translate(ING, ingress("{}", "{'tls':[{'hosts':['bad_host.example.com']}],'rules':["
        + "{'host':'a.example.com','http':{'paths':[" + WEB + "]}},{'http':{'paths':[" + WEB + "]}}]}"), TranslateSettings.defaults());
    assertThat(((Translation.Rejected) tls).reason()).startsWith("spec.tls[0].hosts[0]: 'bad_host.example.com' is not a valid hostname")
        .endsWith("; spec.rules[1]: no host; a host-less rule would capture its paths on every hostname of the shared Traefik");
    // an object-wide annotation every route carries
    var mw = Translator.translate(ING, ingress("{'traefik.ingress.kubernetes.io/router.middlewares':'auth@kubernetesingress'}",
        TWO_HOSTS_AND_A_HOSTLESS_RULE), TranslateSettings.defaults());
    assertThat(((Translation.Rejected) mw).reason()).startsWith("metadata.annotations[traefik.ingress.kubernetes.io/router.middlewares]: ")
        .contains("; spec.rules[1]: no host;");
    // Tributary's own annotations are object-wide too
    var own = Translator.translate(ING, ingress("{'tributary.io/ttl':'5'}", TWO_HOSTS_AND_A_HOSTLESS_RULE), TranslateSettings.defaults());
    assertThat(own).isInstanceOf(Translation.Rejected.class);
  }

  @Test
  void withADefaultBackendABadRuleRejectsTheObjectSinceTheCatchAllWouldTakeItsRequests() throws Exception {
    var t = Translator.translate(ING, ingress("{}", "{'defaultBackend':{'service':{'name':'web','port':{'number':80}}},'rules':["
        + "{'host':'a.example.com','http':{'paths':[" + WEB + ",{'pathType':'Prefix','path':'/api'}]}}]}"), TranslateSettings.defaults());
    assertThat(((Translation.Rejected) t).reason()).isEqualTo("spec.rules[0].http.paths[1].backend: required"
        + "; spec.defaultBackend: with a default backend every rule must be valid (it would catch the requests of the rejected ones)");
  }

  @Test
  void anIngressRouteWithOneRouteLackingHostPublishesTheOthers() throws Exception {
    var t = (Translation.Accepted) Translator.translate(IR, ingressRoute("{'routes':["
        + "{'match':'Host(`a.example.com`)','services':[{'name':'web','port':80}]},"
        + "{'match':'PathPrefix(`/admin`)','services':[{'name':'admin','port':80}]},"
        + "{'match':'Host(`b.example.com`) && PathPrefix(`/api`)','services':[{'name':'api','port':80}]}]}"),
        TranslateSettings.defaults());
    assertThat(t.routes()).extracting(Route::host).containsExactly("a.example.com", "b.example.com");
    assertThat(t.routeParts()).containsExactly("spec.routes[0]", "spec.routes[2]");
    assertThat(t.rejectedParts()).containsExactly(new Translation.RejectedPart("spec.routes[1]",
        "spec.routes[1].match: a rule without Host or HostRegexp would capture its paths on every hostname of the shared Traefik"));
  }

  @Test
  void anIngressRouteWhoseEveryRouteIsBadIsRejectedWithEveryReason() throws Exception {
    var t = Translator.translate(IR, ingressRoute("{'routes':["
        + "{'match':'PathPrefix(`/admin`)','services':[{'name':'admin','port':80}]},"
        + "{'match':'Host(`b.example.com`)','middlewares':[{'name':'auth','namespace':'other'}],'services':[{'name':'api','port':80}]}]}"),
        TranslateSettings.defaults());
    assertThat(((Translation.Rejected) t).reason()).isEqualTo(
        "spec.routes[0].match: a rule without Host or HostRegexp would capture its paths on every hostname of the shared Traefik; "
            + "spec.routes[1].middlewares[0].namespace: 'other' is another namespace; allowed only with"
            + " translate.allow-cross-namespace (as Traefik's allowCrossNamespace)");
  }

  @Test
  void aChildIngressRouteOfMultiLayerRoutingIsRefusedNamingItsParent() throws Exception {
    var t = Translator.translate(IR, ingressRoute("{'parentRefs':[{'name':'api','namespace':'gateway'},{'name':'edge'}],'routes':["
        + "{'match':'Header(`X-Role`, `admin`)','services':[{'name':'admin','port':80}]}]}"), TranslateSettings.defaults());
    assertThat(((Translation.Rejected) t).reason()).isEqualTo(
        "spec.parentRefs: multi-layer routing (parent IngressRoute gateway/api, shop/edge) is not carried to the VM-side"
            + " Traefik: a child router matches only requests its parent matched, after the parent's middlewares changed"
            + " them, which only the cluster's Traefik can decide (docs/translation.md §1b)");
  }

  @Test
  void aParentRouteWithoutServicesIsRefusedAsMultiLayerRoutingNotAsAGenericMissingService() throws Exception {
    var t = (Translation.Accepted) Translator.translate(IR, ingressRoute("{'routes':["
        + "{'match':'Host(`a.example.com`)','middlewares':[{'name':'auth'}]},"
        + "{'match':'Host(`b.example.com`)','services':[{'name':'web','port':80}]}]}"), TranslateSettings.defaults());
    assertThat(t.routes()).extracting(Route::host).containsExactly("b.example.com");
    assertThat(t.rejectedParts()).singleElement().satisfies(p -> assertThat(p.reason()).isEqualTo(
        "spec.routes[0].services: none; a route without services is a multi-layer routing parent (Traefik v3.6+: child"
            + " IngressRoutes name it in spec.parentRefs), and multi-layer routing is not carried to the VM-side Traefik:"
            + " a child router matches only requests its parent matched, after the parent's middlewares changed them,"
            + " which only the cluster's Traefik can decide (docs/translation.md §1b)"));
    // services present but nameless is still the plain reason
    var nameless = Translator.translate(IR, ingressRoute("{'routes':[{'match':'Host(`a.example.com`)','services':[{'port':80}]}]}"),
        TranslateSettings.defaults());
    assertThat(((Translation.Rejected) nameless).reason()).isEqualTo("spec.routes[0].services: at least one service with a name is required");
  }

  @Test
  void ownAnnotationsAndTenancyKeepTheRejectedParts() throws Exception {
    var t = (Translation.Accepted) Translator.translate(ING, ingress("{'tributary.io/ttl':'300'}", TWO_HOSTS_AND_A_HOSTLESS_RULE),
        TranslateSettings.defaults());
    assertThat(t.routes()).allSatisfy(r -> assertThat(r.dnsTtlSeconds()).isEqualTo(300L));
    assertThat(t.rejectedParts()).extracting(Translation.RejectedPart::path).containsExactly("spec.rules[1]");
    assertThat(t.routeParts()).hasSize(2);
  }

  @Test
  void aRejectedPartCoversItselfAndWhatLiesInsideItOnly() {
    var rule = new Translation.RejectedPart("spec.rules[1]", "x");
    assertThat(rule.covers("spec.rules[1]")).isTrue();
    assertThat(rule.covers("spec.rules[1].http.paths[0]")).isTrue();
    assertThat(rule.covers("spec.rules[10].http.paths[0]")).isFalse();
    assertThat(rule.covers("spec.rules[0].http.paths[1]")).isFalse();
    assertThat(rule.covers("spec.defaultBackend")).isFalse();
    assertThat(rule.covers(null)).isFalse();
  }

  @Test
  void theTwoArgumentConstructorIsAWhollyAcceptedObject() {
    var t = new Translation.Accepted(java.util.List.of(), java.util.List.of("w"));
    assertThat(t.partly()).isFalse();
    assertThat(t.rejectedParts()).isEmpty();
    assertThat(t.routeParts()).isEmpty();
  }
}
