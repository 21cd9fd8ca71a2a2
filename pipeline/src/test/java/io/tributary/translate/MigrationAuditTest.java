package io.tributary.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.consul.ConsulPlanner;
import io.tributary.settings.ClusterEndpoints;
import io.tributary.settings.ConsulSettings;
import io.tributary.settings.TranslateSettings;
import io.tributary.watch.ObjectKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A Traefik 1 → 2 migration: Ingress and IngressRoute side by side — one route, the duplicate reported, the audit. */
class MigrationAuditTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static ObjectNode ingress(String name, String host, String path, int port, String entrypoints) throws Exception {
    return (ObjectNode) JSON.readTree(("{'apiVersion':'networking.k8s.io/v1','kind':'Ingress','metadata':{'name':'" + name
        + "','namespace':'shop','annotations':{'traefik.ingress.kubernetes.io/router.entrypoints':'" + entrypoints + "'}},"
        + "'spec':{'rules':[{'host':'" + host + "','http':{'paths':[{'path':'" + path + "','pathType':'Prefix',"
        + "'backend':{'service':{'name':'web','port':{'number':" + port + "}}}}]}}]}}").replace('\'', '"'));
  }

  static ObjectNode ingressRoute(String name, String match, int port) throws Exception {
    return (ObjectNode) JSON.readTree(("{'apiVersion':'traefik.io/v1alpha1','kind':'IngressRoute','metadata':{'name':'" + name
        + "','namespace':'shop'},'spec':{'entryPoints':['web'],'routes':[{'match':'" + match
        + "','services':[{'name':'web','port':" + port + "}]}]}}").replace('\'', '"'));
  }

  private static ObjectKey key(String kind, String name) {
    return new ObjectKey("eu-1", kind, "shop", name);
  }

  @Test
  void theAuditListsMissingMismatchedExtraAndInvalid() throws Exception {
    var objects = Map.of(
        key("Ingress", "a"), ingress("a", "a.example.com", "/", 80, "web"),
        key("IngressRoute", "a"), ingressRoute("a", "Host(`a.example.com`)", 80),
        key("Ingress", "b"), ingress("b", "b.example.com", "/api", 80, "web"),
        key("IngressRoute", "b"), ingressRoute("b", "Host(`b.example.com`) && PathPrefix(`/api`)", 8080),
        key("Ingress", "c"), ingress("c", "c.example.com", "/", 80, "web"),
        key("IngressRoute", "d"), ingressRoute("d", "Host(`d.example.com`)", 80),
        key("IngressRoute", "e"), ingressRoute("e", "Host(`e.example.com`) &&", 80));
    var report = MigrationAudit.audit(objects, TranslateSettings.defaults());
    assertThat(report.ingressRoutes()).isEqualTo(3);
    assertThat(report.matched()).isEqualTo(1);
    assertThat(report.findings()).extracting(Object::toString).containsExactly(
        "eu-1 shop: extra: IngressRoute d Host(`d.example.com`) has no Ingress (fine once migrated)",
        "eu-1 shop: invalid: IngressRoute e: spec.routes[0].match: expected a matcher, found the end at column 25",
        "eu-1 shop: mismatch: Ingress b Host(`b.example.com`) && PathPrefix(`/api`) vs IngressRoute b: backend web:80 vs web:8080",
        "eu-1 shop: missing: Ingress c Host(`c.example.com`) has no IngressRoute");
  }

  @Test
  void aPartlyAcceptedObjectIsAuditedWithEachRejectedPartAndItsGoodRoutes() throws Exception {
    ObjectNode partly = ingress("p", "p.example.com", "/", 80, "web");
    ((com.fasterxml.jackson.databind.node.ArrayNode) partly.at("/spec/rules")).addObject().putObject("http").putArray("paths");
    ((ObjectNode) partly.at("/spec/rules/1")).remove("http");
    ((ObjectNode) partly.at("/spec/rules/1")).set("http", partly.at("/spec/rules/0/http").deepCopy());
    var report = MigrationAudit.audit(Map.of(key("Ingress", "p"), partly), TranslateSettings.defaults());
    assertThat(report.ingressRoutes()).isEqualTo(1); // the good rule is audited as usual
    assertThat(report.findings()).extracting(Object::toString).containsExactly(
        "eu-1 shop: missing: Ingress p Host(`p.example.com`) has no IngressRoute",
        "eu-1 shop: partly: Ingress p spec.rules[1] is rejected (the rest is published): spec.rules[1]: no host;"
            + " a host-less rule would capture its paths on every hostname of the shared Traefik");
  }

  @Test
  void anIngressAndItsIngressRouteAreOneRouteWithThePreferredOptionsAndADuplicateNote() throws Exception {
    List<Route> routes = new ArrayList<>();
    routes.addAll(((Translation.Accepted) Translator.translate(key("Ingress", "a"), ingress("a", "a.example.com", "/", 80, "websecure"), TranslateSettings.defaults())).routes());
    routes.addAll(((Translation.Accepted) Translator.translate(key("IngressRoute", "a"), ingressRoute("a", "Host(`a.example.com`)", 80), TranslateSettings.defaults())).routes());
    assertThat(routes.get(0).groupKey()).isEqualTo(routes.get(1).groupKey());
    var endpoints = (java.util.function.Function<String, ClusterEndpoints>) c -> new ClusterEndpoints(c, List.of("192.0.2.1"), 80);

    var preferRoute = ConsulPlanner.plan(routes, endpoints, ConsulSettings.defaults(), "o", "IngressRoute", w -> false,
        ConsulPlanner.MiddlewareLookup.NONE);
    assertThat(preferRoute.registrations()).hasSize(1);
    assertThat(preferRoute.registrations().get(0).tags()).anyMatch(t -> t.endsWith(".entrypoints=web"));
    assertThat(preferRoute.registrations().get(0).meta()).containsEntry("kind", "IngressRoute");
    assertThat(preferRoute.notes()).anySatisfy(n -> assertThat(n).startsWith("duplicate: ").endsWith("using the IngressRoute (translate.prefer)"));

    var preferIngress = ConsulPlanner.plan(routes, endpoints, ConsulSettings.defaults(), "o", "Ingress", w -> false,
        ConsulPlanner.MiddlewareLookup.NONE);
    assertThat(preferIngress.registrations().get(0).tags()).anyMatch(t -> t.endsWith(".entrypoints=websecure"));
  }

  private static ObjectNode nginx(String name, String annotations) throws Exception {
    return (ObjectNode) JSON.readTree(("{'apiVersion':'networking.k8s.io/v1','kind':'Ingress','metadata':{'name':'" + name
        + "','namespace':'shop','annotations':{" + annotations + "}},'spec':{'ingressClassName':'nginx','rules':[{'host':"
        + "'a.example.com','http':{'paths':[{'path':'/','pathType':'Prefix','backend':{'service':{'name':'" + name + "',"
        + "'port':{'number':80}}}}]}}]}}").replace('\'', '"'));
  }

  @Test
  void theNginxAuditGivesEveryAnnotationItsVerdict() throws Exception {
    String n = "'nginx.ingress.kubernetes.io/";
    var objects = Map.of(
        key("Ingress", "web"), nginx("web", n + "whitelist-source-range':'10.0.0.0/8'," + n + "enable-cors':'true',"
            + n + "proxy-buffering':'on'"),
        key("Ingress", "old"), nginx("old", n + "server-snippet':'listen 8080;'"),
        key("Ingress", "plain"), nginx("plain", ""),
        key("IngressRoute", "web"), ingressRoute("web", "Host(`a.example.com`)", 80));
    var report = MigrationAudit.nginx(objects, TranslateSettings.defaults(), java.util.Set.of("nginx"));
    assertThat(report.ingresses()).extracting(i -> i.key().name() + ": " + i.outcome()).containsExactly(
        "old: held back: metadata.annotations[nginx.ingress.kubernetes.io/server-snippet]: a snippet is raw NGINX configuration,"
            + " which Traefik cannot run; the Ingress is held back until the snippet is replaced (a Middleware, or"
            + " translate.nginx-drop-snippets = true to publish it without the snippet)",
        "plain: translated (1 route)",
        "web: translated (1 route)");
    assertThat(report.ingresses().get(2).findings()).extracting(f -> f.annotation() + " " + f.verdict() + " " + f.where())
        .containsExactly("enable-cors approximated VM-side Traefik", "proxy-buffering refused not applied",
            "whitelist-source-range carried VM-side Traefik");
    assertThat(report.count(NginxAnnotations.Verdict.REFUSED)).isEqualTo(2);
    assertThat(report.ready()).isFalse();
    // a host-less rule beside a good one: the Ingress is partly translated, and not ready
    ObjectNode partly = nginx("partly", "");
    var rules = (com.fasterxml.jackson.databind.node.ArrayNode) partly.path("spec").path("rules");
    rules.add(((ObjectNode) rules.get(0).deepCopy()).without("host"));
    var partlyReport = MigrationAudit.nginx(Map.of(key("Ingress", "partly"), partly), TranslateSettings.defaults(), java.util.Set.of("nginx"));
    assertThat(partlyReport.ingresses().get(0).outcome()).startsWith("partly translated (1 route; rejected: spec.rules[1]");
    assertThat(partlyReport.ready()).isFalse();
    // with the snippet dropped and the unknown annotation gone, the move is ready
    var clean = MigrationAudit.nginx(Map.of(key("Ingress", "web"), nginx("web", n + "whitelist-source-range':'10.0.0.0/8'")),
        TranslateSettings.defaults(), java.util.Set.of("nginx"));
    assertThat(clean.ready()).isTrue();
  }
}
