package io.tributary.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.consul.TraefikTags;
import io.tributary.settings.TagSyntax;
import io.tributary.settings.TranslateSettings;
import io.tributary.watch.ObjectKey;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** IngressRoutes (both groups) and opted-in Services into routes. */
class IngressRouteAndServiceTranslatorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TranslateSettings WITH_DOMAIN =
      new TranslateSettings(Set.of(), true, "tributary.io/", "type=ingress", "apps.example.com");

  private static ObjectNode json(String s) throws Exception {
    return (ObjectNode) JSON.readTree(s.replace('\'', '"'));
  }

  private static ObjectNode ingressRoute(String group, String routes) throws Exception {
    return json("{'apiVersion':'" + group + "/v1alpha1','kind':'IngressRoute','metadata':{'name':'web','namespace':'shop',"
        + "'creationTimestamp':'2026-01-01T00:00:00Z'},'spec':{'entryPoints':['websecure'],'tls':{},'routes':" + routes + "}}");
  }

  private static final ObjectKey IR = new ObjectKey("eu-1", "IngressRoute", "shop", "web");

  @Test
  void eachRouteBecomesARouteWithItsCanonicalRuleHostsAndOptions() throws Exception {
    var t = IngressRouteTranslator.translate(IR, ingressRoute("traefik.io",
        "[{'match':'Host(`a.example.com`, `b.example.com`) && PathPrefix(`/api`)','kind':'Rule','priority':20,"
            + "'services':[{'name':'api','port':8080,'weight':90},{'name':'api-canary','port':8080,'weight':10}]},"
            + "{'match':'Host(`a.example.com`) && Headers(`X-Beta`, `1`)','services':[{'name':'beta','port':'http'}]}]"),
        TranslateSettings.defaults());
    var routes = ((Translation.Accepted) t).routes();
    assertThat(routes).hasSize(2);
    var first = routes.get(0);
    assertThat(first.dnsHosts()).containsExactly("a.example.com", "b.example.com");
    assertThat(TraefikTags.rule(first, TagSyntax.V3)).isEqualTo("(Host(`a.example.com`) || Host(`b.example.com`)) && PathPrefix(`/api`)");
    assertThat(first.entrypoints()).containsExactly("websecure");
    assertThat(first.tls()).isTrue();
    assertThat(first.priority()).isEqualTo(20);
    assertThat(first.backend().service()).isEqualTo("api");
    assertThat(TraefikTags.rule(routes.get(1), TagSyntax.V2)).isEqualTo("Host(`a.example.com`) && Headers(`X-Beta`, `1`)");
    assertThat(routes.get(1).backend().portName()).isEqualTo("http");
  }

  @Test
  void theLegacyGroupTranslatesTheSameAndSameRulesGroupTogether() throws Exception {
    var routes = "[{'match':'Host(`a.example.com`)','services':[{'name':'web','port':80}]}]";
    var modern = (Translation.Accepted) IngressRouteTranslator.translate(IR, ingressRoute("traefik.io", routes), TranslateSettings.defaults());
    var legacy = (Translation.Accepted) IngressRouteTranslator.translate(
        new ObjectKey("eu-2", "IngressRoute.traefik.containo.us", "shop", "web"), ingressRoute("traefik.containo.us", routes), TranslateSettings.defaults());
    assertThat(legacy.routes().get(0).groupKey()).isEqualTo(modern.routes().get(0).groupKey());
  }

  @Test
  void syntaxErrorsBadHostsMiddlewaresAndHostlessRulesAreRejectedWithWhere() throws Exception {
    var t = IngressRouteTranslator.translate(IR, ingressRoute("traefik.io",
        "[{'match':'Host(`a.example.com`) &&','services':[{'name':'x','port':80}]},"
            + "{'match':'Host(`Bad_Host.example.com`)','services':[{'name':'x','port':80}]},"
            + "{'match':'Host(`c.example.com`)','middlewares':[{'name':'auth','namespace':'other'}],'services':[{'name':'x','port':80}]},"
            + "{'match':'PathPrefix(`/x`)','services':[{'name':'x','port':80}]}]"),
        TranslateSettings.defaults());
    assertThat(((Translation.Rejected) t).reason())
        .contains("spec.routes[0].match: expected a matcher, found the end at column")
        .contains("spec.routes[1].match: host 'bad_host.example.com' is not a valid hostname")
        .contains("spec.routes[2].middlewares[0].namespace: 'other' is another namespace")
        .contains("spec.routes[3].match: a rule without Host or HostRegexp");
  }

  @Test
  void aHostRegexpRuleIsRoutedWithoutDnsAndSaysSo() throws Exception {
    var t = (Translation.Accepted) IngressRouteTranslator.translate(IR, ingressRoute("traefik.io",
        "[{'match':'HostRegexp(`^[a-z]+\\\\.example\\\\.com$`)','services':[{'name':'x','port':80}]}]"), TranslateSettings.defaults());
    assertThat(t.routes().get(0).dnsHosts()).isEmpty();
    assertThat(t.warnings()).singleElement().asString().contains("gets no DNS record");
  }

  private static ObjectNode service(String labels, String annotations) throws Exception {
    return json("{'apiVersion':'v1','kind':'Service','metadata':{'name':'webtest1','namespace':'default','labels':{" + labels
        + "},'annotations':{" + annotations + "}},'spec':{'ports':[{'port':80}]}}");
  }

  private static final ObjectKey SVC = new ObjectKey("eu-1", "Service", "default", "webtest1");

  @Test
  void labelledServicesGetTheirHostAndPathAndOthersAreNotRoutingObjects() throws Exception {
    var named = (Translation.Accepted) ServiceTranslator.translate(SVC,
        service("'type':'ingress'", "'host':'myapp.mydomain.com','path':'/mycontext/.*'"), WITH_DOMAIN);
    assertThat(named.routes()).singleElement().satisfies(r -> {
      assertThat(r.host()).isEqualTo("myapp.mydomain.com");
      assertThat(r.path()).isEqualTo("/mycontext");
      assertThat(r.backend().portNumber()).isEqualTo(80);
    });
    var templated = (Translation.Accepted) ServiceTranslator.translate(SVC, service("'type':'ingress'", ""), WITH_DOMAIN);
    assertThat(templated.routes().get(0).host()).isEqualTo("webtest1-default.apps.example.com");
    var override = (Translation.Accepted) ServiceTranslator.translate(SVC, service("'type':'ingress'", "'host':'myservice'"), WITH_DOMAIN);
    assertThat(override.routes().get(0).host()).isEqualTo("myservice-default.apps.example.com");
    var plain = (Translation.Accepted) ServiceTranslator.translate(SVC, service("'app':'web'", "'host':'x.example.com'"), WITH_DOMAIN);
    assertThat(plain.routes()).isEmpty();
  }

  @Test
  void servicesWithoutADomainOrWithARealRegexpPathAreRejected() throws Exception {
    assertThat(ServiceTranslator.translate(SVC, service("'type':'ingress'", ""), TranslateSettings.defaults()))
        .isInstanceOf(Translation.Rejected.class);
    var regex = ServiceTranslator.translate(SVC, service("'type':'ingress'", "'path':'/v[0-9]+/.*'"), WITH_DOMAIN);
    assertThat(((Translation.Rejected) regex).reason()).contains("is not a path prefix");
  }

  @Test
  void publicAndPrivateAnnotationPairsGiveRoutesOnEachVisibilitysEntrypoints() throws Exception {
    var t = (Translation.Accepted) ServiceTranslator.translate(SVC, service("",
        "'publicHosts':'test.example.com','publicPaths':'3000:/nodejs',"
            + "'privateHosts':'my-application.my-namespace','privatePaths':'3000:/nodejs'"), TranslateSettings.defaults());
    assertThat(t.routes()).extracting(r -> r.host() + r.path() + " " + r.entrypoints() + " :" + r.backend().portNumber())
        .containsExactlyInAnyOrder("my-application.my-namespace/nodejs [internal] :3000", "test.example.com/nodejs [web, websecure] :3000");
    var bad = ServiceTranslator.translate(SVC, service("", "'publicHosts':'Bad_Host.example.com'"), TranslateSettings.defaults());
    assertThat(((Translation.Rejected) bad).reason()).contains("metadata.annotations[publicHosts]");
  }

  @Test
  void crossNamespaceServicesNeedTheSettingAndUnevenWeightsAreFine() throws Exception {
    var routes = "[{'match':'Host(`a.example.com`)','services':[{'name':'web','port':80,'weight':3},"
        + "{'name':'web-v2','namespace':'other','port':80,'weight':1}]}]";
    var refused = IngressRouteTranslator.translate(IR, ingressRoute("traefik.io", routes), TranslateSettings.defaults());
    assertThat(((Translation.Rejected) refused).reason()).contains("spec.routes[0].services[1].namespace: 'other' is another namespace");
    var allowing = new TranslateSettings(Set.of(), true, "tributary.io/", "type=ingress", "", java.util.Map.of("public", java.util.List.of("web")),
        java.util.Map.of(), "IngressRoute", java.util.Map.of(), true);
    var allowed = (Translation.Accepted) IngressRouteTranslator.translate(IR, ingressRoute("traefik.io", routes), allowing);
    // weights 3:1 balance inside the cluster; the VM-side route is the same either way
    assertThat(allowed.routes()).singleElement().satisfies(r -> assertThat(r.backend().service()).isEqualTo("web"));
    assertThat(allowed.routes().get(0).services()).extracting(ServiceRef::namespace, ServiceRef::weight)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("shop", 3), org.assertj.core.groups.Tuple.tuple("other", 1));
  }

  @Test
  void everyServiceOfARouteIsKeptWithItsKindAndWeightAndTheFirstIsTheBackend() throws Exception {
    var t = (Translation.Accepted) IngressRouteTranslator.translate(IR, ingressRoute("traefik.io",
        "[{'match':'Host(`a.example.com`)','services':[{'name':'web','port':80,'weight':3},"
            + "{'name':'web-v2','port':'http','kind':'Service','weight':1},{'name':'canary','kind':'TraefikService','weight':0},"
            + "{'name':'api@internal','kind':'TraefikService'}]}]"),
        TranslateSettings.defaults());
    var route = t.routes().get(0);
    assertThat(route.services()).containsExactly(
        new ServiceRef(ServiceRef.Kind.SERVICE, "shop", "web", "80", 3),
        new ServiceRef(ServiceRef.Kind.SERVICE, "shop", "web-v2", "http", 1),
        new ServiceRef(ServiceRef.Kind.TRAEFIK_SERVICE, "shop", "canary", "", 0),
        new ServiceRef(ServiceRef.Kind.TRAEFIK_SERVICE, "shop", "api@internal", "", null));
    // the backend names the Consul service ({service}), exactly as before
    assertThat(route.backend()).isEqualTo(new Backend("web", 80, null));
  }

  @Test
  void aRouteToATraefikServiceHasItAsBackendAndEveryOtherKindRejectsTheRoute() throws Exception {
    var t = (Translation.Accepted) IngressRouteTranslator.translate(IR, ingressRoute("traefik.containo.us",
        "[{'match':'Host(`a.example.com`)','services':[{'name':'canary','kind':'TraefikService'}]}]"), TranslateSettings.defaults());
    assertThat(t.routes().get(0).backend().service()).isEqualTo("canary");
    assertThat(t.routes().get(0).services()).singleElement().satisfies(s -> assertThat(s.traefikName()).isEqualTo("shop-canary"));
    var bad = IngressRouteTranslator.translate(IR, ingressRoute("traefik.io",
        "[{'match':'Host(`a.example.com`)','services':[{'name':'web','port':80}]},"
            + "{'match':'Host(`b.example.com`)','services':[{'name':'web','port':80},{'name':'x','kind':'TraefikServices'}]},"
            + "{'match':'Host(`c.example.com`)','services':[{'name':'web','port':80},{'port':80},{'name':'w','port':80,'weight':-2}]}]"),
        TranslateSettings.defaults());
    // each bad route is rejected on its own, the good one is published
    var partly = (Translation.Accepted) bad;
    assertThat(partly.routes()).extracting(Route::host).containsExactly("a.example.com");
    assertThat(partly.rejectedParts()).containsExactly(
        new Translation.RejectedPart("spec.routes[1]", "spec.routes[1].services[1].kind: 'TraefikServices' is not Service or TraefikService"),
        new Translation.RejectedPart("spec.routes[2]",
            "spec.routes[2].services[1].name is required; spec.routes[2].services[2].weight: must be an integer >= 0, found -2"));
  }

  @Test
  void aTraefikServiceOfAnotherNamespaceNeedsTheSettingAsAServiceDoes() throws Exception {
    var routes = "[{'match':'Host(`a.example.com`)','services':[{'name':'canary','namespace':'other','kind':'TraefikService'}]}]";
    var refused = IngressRouteTranslator.translate(IR, ingressRoute("traefik.io", routes), TranslateSettings.defaults());
    assertThat(((Translation.Rejected) refused).reason()).isEqualTo("spec.routes[0].services[0].namespace: 'other' is another namespace;"
        + " allowed only with translate.allow-cross-namespace (as Traefik's allowCrossNamespace)");
    var allowing = new TranslateSettings(Set.of(), true, "tributary.io/", "type=ingress", "", java.util.Map.of("public", java.util.List.of("web")),
        java.util.Map.of(), "IngressRoute", java.util.Map.of(), true);
    var allowed = (Translation.Accepted) IngressRouteTranslator.translate(IR, ingressRoute("traefik.io", routes), allowing);
    assertThat(allowed.routes().get(0).services()).singleElement().satisfies(s -> assertThat(s.traefikName()).isEqualTo("other-canary"));
  }

  @Test
  void middlewareReferencesBecomeKubernetesCrdReferencesInDeclaredOrder() throws Exception {
    var t = (Translation.Accepted) IngressRouteTranslator.translate(IR, ingressRoute("traefik.io",
        "[{'match':'Host(`a.example.com`)','middlewares':[{'name':'ip-allow'},{'name':'auth@file'},{'name':'hdrs','namespace':'shop'}],"
            + "'services':[{'name':'x','port':80}]}]"),
        TranslateSettings.defaults());
    // resolved against the cluster's Middleware objects when planned (a missing one holds the route back)
    assertThat(t.routes().get(0).middlewares())
        .containsExactly("shop-ip-allow@kubernetescrd", "auth@file", "shop-hdrs@kubernetescrd");
  }

  @Test
  void aServiceWithBothLabelledAndPublicPrivateAnnotationsGetsTheRoutesOfBoth() throws Exception {
    var t = (Translation.Accepted) ServiceTranslator.translate(SVC,
        service("'type':'ingress'", "'host':'myapp.mydomain.com','publicHosts':'test.example.com','publicPaths':'3000:/nodejs'"), WITH_DOMAIN);
    assertThat(t.routes()).extracting(r -> r.host() + r.path()).containsExactlyInAnyOrder("test.example.com/nodejs", "myapp.mydomain.com/");
  }

  @Test
  void creationTimestampsAreReadAsForAnIngressNumericOffsetIncluded() throws Exception {
    var route = ingressRoute("traefik.io", "[{'match':'Host(`a.example.com`)','services':[{'name':'web','port':80}]}]");
    ((ObjectNode) route.get("metadata")).put("creationTimestamp", "2026-01-01T01:00:00+01:00");
    var accepted = (Translation.Accepted) IngressRouteTranslator.translate(IR, route, TranslateSettings.defaults());
    assertThat(accepted.routes().get(0).created()).isEqualTo(java.time.Instant.parse("2026-01-01T00:00:00Z"));
    ((ObjectNode) route.get("metadata")).put("creationTimestamp", "yesterday");
    assertThat(IngressRouteTranslator.translate(IR, route, TranslateSettings.defaults())).isEqualTo(
        new Translation.Rejected("metadata.creationTimestamp: 'yesterday' is not an ISO-8601 timestamp"));

    var svc = service("'type':'ingress'", "");
    ((ObjectNode) svc.get("metadata")).put("creationTimestamp", "2026-01-01T01:00:00+01:00");
    var service = (Translation.Accepted) ServiceTranslator.translate(SVC, svc, WITH_DOMAIN);
    assertThat(service.routes().get(0).created()).isEqualTo(java.time.Instant.parse("2026-01-01T00:00:00Z"));
    ((ObjectNode) svc.get("metadata")).put("creationTimestamp", "yesterday");
    assertThat(ServiceTranslator.translate(SVC, svc, WITH_DOMAIN)).isEqualTo(
        new Translation.Rejected("metadata.creationTimestamp: 'yesterday' is not an ISO-8601 timestamp"));
  }

  @Test
  void aRouteWhoseRegexpTraefikCannotCompileIsRejectedAloneNamingIt() throws Exception {
    var t = (Translation.Accepted) IngressRouteTranslator.translate(IR, ingressRoute("traefik.io",
        "[{'match':'Host(`a.example.com`) && PathRegexp(`^/v(?=1)`)','services':[{'name':'web','port':80}]},"
            + "{'match':'Host(`b.example.com`)','services':[{'name':'web','port':80}]}]"), TranslateSettings.defaults());
    assertThat(t.routes()).singleElement().extracting(Route::host).isEqualTo("b.example.com");
    assertThat(t.rejectedParts()).singleElement().isEqualTo(new Translation.RejectedPart("spec.routes[0]",
        "spec.routes[0].match: PathRegexp: '^/v(?=1)' uses a lookahead, which Traefik's regular expressions (Go, RE2) do not support"));
  }
}
