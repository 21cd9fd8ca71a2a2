package io.tributary.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.consul.ServiceNames;
import io.tributary.settings.ConsulSettings;
import io.tributary.settings.TagSyntax;
import io.tributary.settings.TranslateSettings;
import io.tributary.watch.ObjectKey;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** HTTPRoute → routes against its cluster's Gateways and ReferenceGrants, rule by rule. */
class HttpRouteTranslatorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TranslateSettings SETTINGS = TranslateSettings.defaults().withGatewayClasses(Set.of("traefik"));
  private static final ObjectKey KEY = new ObjectKey("eu-1", "HTTPRoute", "shop", "web");

  private static ObjectNode json(String s) {
    try {
      return (ObjectNode) JSON.readTree(s.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** A cluster holding the given Gateways (namespace infra) and ReferenceGrants. */
  private static GatewayApi.Parents parents(List<ObjectNode> gateways, List<ObjectNode> grants) {
    Map<String, GatewayApi.Gateway> gws = new HashMap<>();
    gateways.forEach(g -> {
      var k = new ObjectKey("eu-1", "Gateway", g.path("metadata").path("namespace").asText("infra"), g.path("metadata").path("name").asText());
      gws.put(k.namespace() + "/" + k.name(), GatewayApi.gateway(k, g));
    });
    return new GatewayApi.Parents() {
      public GatewayApi.Gateway gateway(String namespace, String name) {
        return gws.get(namespace + "/" + name);
      }

      public List<GatewayApi.Grant> grants(String namespace) {
        return grants.stream().filter(g -> g.path("metadata").path("namespace").asText().equals(namespace))
            .map(g -> GatewayApi.referenceGrant(new ObjectKey("eu-1", "ReferenceGrant", namespace, g.path("metadata").path("name").asText()), g))
            .toList();
      }
    };
  }

  private static ObjectNode gateway(String className, String listeners) {
    return json("{'apiVersion':'gateway.networking.k8s.io/v1','kind':'Gateway','metadata':{'name':'gw','namespace':'infra'},"
        + "'spec':{'gatewayClassName':'" + className + "','listeners':" + listeners + "}}");
  }

  private static final String OPEN_HTTP = "[{'name':'http','port':80,'protocol':'HTTP','allowedRoutes':{'namespaces':{'from':'All'}}}]";

  private static ObjectNode route(String spec) {
    return json("{'apiVersion':'gateway.networking.k8s.io/v1','kind':'HTTPRoute','metadata':{'name':'web','namespace':'shop'},"
        + "'spec':{'parentRefs':[{'name':'gw','namespace':'infra'}]," + spec + "}}");
  }

  private static Translation translate(ObjectNode route, ObjectNode... gateways) {
    return HttpRouteTranslator.translate(KEY, route, parents(List.of(gateways), List.of()), SETTINGS);
  }

  private static List<String> rules(Translation t) {
    assertThat(t).isInstanceOf(Translation.Accepted.class);
    return ((Translation.Accepted) t).routes().stream().map(r -> r.rule(TagSyntax.V3) + (r.tls() ? " tls" : "")).toList();
  }

  @ParameterizedTest(name = "{0} ∩ {1} = {2}")
  @CsvSource(nullValues = "none", value = {
      "foo.example.com,     '',                  foo.example.com",
      "foo.example.com,     foo.example.com,     foo.example.com",
      "foo.example.com,     *.example.com,       foo.example.com",
      "a.b.example.com,     *.example.com,       a.b.example.com",  // any number of labels
      "example.com,         *.example.com,       none",
      "*.example.com,       foo.example.com,     foo.example.com",
      "*.example.com,       *.example.com,       *.example.com",
      "*.example.com,       *.foo.example.com,   *.foo.example.com", // the more specific wildcard
      "*.foo.example.com,   *.example.com,       *.foo.example.com",
      "foo.example.net,     *.example.com,       none",
      "'',                  *.example.com,       *.example.com",     // a route without hostnames takes the listener's
      "foo.example.com,     bar.example.com,     none"})
  void hostnamesIntersectAsTheGatewayApiDefines(String route, String listener, String effective) {
    assertThat(GatewayApi.intersect(route, listener)).isEqualTo(effective);
  }

  @Test
  void aWildcardHostnameMatchesAnyNumberOfLabelsInBothSyntaxes() {
    var t = translate(route("'rules':[{'backendRefs':[{'name':'web','port':80}]}]"),
        gateway("traefik", "[{'name':'http','port':80,'protocol':'HTTP','hostname':'*.shop.example.com','allowedRoutes':{'namespaces':{'from':'All'}}}]"));
    Route r = ((Translation.Accepted) t).routes().get(0);
    assertThat(r.rule(TagSyntax.V3)).isEqualTo("HostRegexp(`^[a-z0-9-]+(?:\\.[a-z0-9-]+)*\\.shop\\.example\\.com$`)");
    assertThat(r.rule(TagSyntax.V2)).isEqualTo("HostRegexp(`{subdomain:[a-z0-9-]+(?:\\.[a-z0-9-]+)*}.shop.example.com`)");
    assertThat(r.dnsHosts()).containsExactly("*.shop.example.com");
    assertThat("a.b.shop.example.com").matches("^[a-z0-9-]+(?:\\.[a-z0-9-]+)*\\.shop\\.example\\.com$");
    assertThat("shop.example.com").doesNotMatch("^[a-z0-9-]+(?:\\.[a-z0-9-]+)*\\.shop\\.example\\.com$");
  }

  @Test
  void matchesBecomeOneRulePerMatch() {
    var t = translate(route("'hostnames':['shop.example.com'],'rules':[{'matches':["
        + "{'path':{'type':'Exact','value':'/a'},'method':'POST'},"
        + "{'path':{'type':'PathPrefix','value':'/b/'},'headers':[{'name':'x-env','value':'canary'},{'type':'RegularExpression','name':'x-v','value':'2.*'}]},"
        + "{'path':{'type':'RegularExpression','value':'/c/[0-9]+'},'queryParams':[{'name':'q','value':'1'},{'type':'RegularExpression','name':'p','value':'a.*'}]},"
        + "{'path':{'type':'PathPrefix','value':'/'}}],"
        + "'backendRefs':[{'name':'web','port':80}]}]"), gateway("traefik", OPEN_HTTP));
    assertThat(rules(t)).containsExactly(
        "Host(`shop.example.com`) && Path(`/a`) && Method(`POST`)",
        "Host(`shop.example.com`) && (Path(`/b`) || PathPrefix(`/b/`)) && Header(`x-env`, `canary`) && HeaderRegexp(`x-v`, `2.*`)",
        "Host(`shop.example.com`) && PathRegexp(`/c/[0-9]+`) && Query(`q`, `1`) && QueryRegexp(`p`, `a.*`)",
        "Host(`shop.example.com`)");
    Route exact = ((Translation.Accepted) t).routes().get(0);
    assertThat(exact.pathMatch()).isEqualTo(PathMatch.EXACT);
    assertThat(exact.path()).isEqualTo("/a");
    // v2 spells headers and queries its own way
    assertThat(((Translation.Accepted) t).routes().get(1).rule(TagSyntax.V2)).contains("Headers(`x-env`, `canary`)", "HeadersRegexp(`x-v`, `2.*`)");
    assertThat(((Translation.Accepted) t).routes().get(2).rule(TagSyntax.V2)).contains("Query(`q=1`)");
  }

  @Test
  void backendsKeepTheirWeightsAndTheFirstWeightedOneNamesTheRoute() {
    var t = translate(route("'hostnames':['shop.example.com'],'rules':[{'backendRefs':["
        + "{'name':'drained','port':80,'weight':0},{'name':'web','port':8080,'weight':3},{'name':'next','port':8080}]}]"),
        gateway("traefik", OPEN_HTTP));
    Route r = ((Translation.Accepted) t).routes().get(0);
    assertThat(r.backend()).isEqualTo(new Backend("web", 8080, null));
    assertThat(r.services()).containsExactly(
        new ServiceRef(ServiceRef.Kind.SERVICE, "shop", "web", "8080", 3),
        new ServiceRef(ServiceRef.Kind.SERVICE, "shop", "drained", "80", 0),
        new ServiceRef(ServiceRef.Kind.SERVICE, "shop", "next", "8080", null));
  }

  @Test
  void aCrossNamespaceBackendNeedsAReferenceGrantNamingTheRoutesNamespaceAndTheService() {
    var route = route("'hostnames':['shop.example.com'],'rules':[{'backendRefs':[{'name':'api','namespace':'backend','port':80}]}]");
    var gw = gateway("traefik", OPEN_HTTP);
    String grant = "{'apiVersion':'gateway.networking.k8s.io/v1beta1','kind':'ReferenceGrant','metadata':{'name':'g','namespace':'backend'},"
        + "'spec':{'from':[{'group':'gateway.networking.k8s.io','kind':'HTTPRoute','namespace':'%s'}],'to':[{'group':'','kind':'Service'%s}]}}";
    var none = HttpRouteTranslator.translate(KEY, route, parents(List.of(gw), List.of()), SETTINGS);
    assertThat(((Translation.Accepted) none).routes()).isEmpty();
    assertThat(((Translation.Accepted) none).warnings()).anyMatch(w -> w.contains("no ReferenceGrant there allows HTTPRoutes of namespace shop"));
    var otherNamespace = HttpRouteTranslator.translate(KEY, route, parents(List.of(gw), List.of(json(grant.formatted("intruder", "")))), SETTINGS);
    assertThat(((Translation.Accepted) otherNamespace).routes()).isEmpty();
    var otherService = HttpRouteTranslator.translate(KEY, route, parents(List.of(gw), List.of(json(grant.formatted("shop", ",'name':'db'")))), SETTINGS);
    assertThat(((Translation.Accepted) otherService).routes()).isEmpty();
    var granted = HttpRouteTranslator.translate(KEY, route, parents(List.of(gw), List.of(json(grant.formatted("shop", ",'name':'api'")))), SETTINGS);
    assertThat(((Translation.Accepted) granted).routes()).singleElement()
        .satisfies(r -> assertThat(r.services()).containsExactly(new ServiceRef(ServiceRef.Kind.SERVICE, "backend", "api", "80", null)));
  }

  @Test
  void listenersAreSelectedBySectionAndPortAndRefuseWhatTheyMayNotCarry() {
    String listeners = "[{'name':'tcp','port':9000,'protocol':'TCP','allowedRoutes':{'namespaces':{'from':'All'}}},"
        + "{'name':'same','port':80,'protocol':'HTTP','hostname':'a.example.com'},"
        + "{'name':'grpc-only','port':81,'protocol':'HTTP','hostname':'b.example.com','allowedRoutes':{'kinds':[{'kind':'GRPCRoute'}],'namespaces':{'from':'All'}}},"
        + "{'name':'tls','port':443,'protocol':'HTTPS','hostname':'c.example.com','allowedRoutes':{'namespaces':{'from':'All'}}}]";
    var gw = gateway("traefik", listeners);
    var all = (Translation.Accepted) translate(route("'rules':[{'backendRefs':[{'name':'web','port':80}]}]"), gw);
    assertThat(rules(all)).containsExactly("Host(`c.example.com`) tls");
    assertThat(all.warnings()).singleElement().satisfies(w -> assertThat(w)
        .contains("listener tcp: its protocol is TCP, and HTTPRoutes attach to HTTP and HTTPS listeners only")
        .contains("listener same: it allows routes of its own namespace infra only (allowedRoutes.namespaces.from: Same)")
        .contains("listener grpc-only: its allowedRoutes.kinds does not name HTTPRoute"));
    var missingSection = json(route("'rules':[{'backendRefs':[{'name':'web','port':80}]}]").toString());
    ((ObjectNode) missingSection.path("spec").path("parentRefs").get(0)).put("sectionName", "nope");
    var none = (Translation.Accepted) translate(missingSection, gw);
    assertThat(none.routes()).isEmpty();
    assertThat(none.warnings()).containsExactly("spec.parentRefs[0] (Gateway infra/gw) does not attach to Gateway infra/gw has no listener named nope");
  }

  @Test
  void eachEffectiveHostnameIsItsOwnRouteNamedAsAnIngressHostAndPathWouldBe() {
    var r = route("'hostnames':['store.example.test','new.example.test'],'rules':[{'matches':["
        + "{'path':{'type':'Exact','value':'/cart'}},{'path':{'type':'PathPrefix','value':'/'}},"
        + "{'path':{'type':'PathPrefix','value':'/api'}},{'path':{'type':'Exact','value':'/a'},'method':'GET'}],"
        + "'backendRefs':[{'name':'web','port':80}]}]");
    var routes = ((Translation.Accepted) translate(r, gateway("traefik", OPEN_HTTP))).routes();
    assertThat(routes).extracting(rt -> rt.rule(TagSyntax.V3)).containsExactly(
        "Host(`new.example.test`) && Path(`/cart`)", "Host(`store.example.test`) && Path(`/cart`)",
        "Host(`new.example.test`)", "Host(`store.example.test`)",
        "Host(`new.example.test`) && (Path(`/api`) || PathPrefix(`/api/`))",
        "Host(`store.example.test`) && (Path(`/api`) || PathPrefix(`/api/`))",
        "Host(`new.example.test`) && Path(`/a`) && Method(`GET`)", "Host(`store.example.test`) && Path(`/a`) && Method(`GET`)");
    assertThat(routes).allSatisfy(rt -> assertThat(rt.dnsHosts()).containsExactly(rt.host()));
    // a plain match is the route group an Ingress of that host and path is, with the same Consul name
    var ingressKey = new ObjectKey("eu-2", "Ingress", "shop", "web");
    var exact = new Route(ingressKey, Instant.EPOCH, "store.example.test", "/cart", PathMatch.EXACT, new Backend("web", 80, null),
        List.of(), List.of(), null, false, false, false);
    var root = new Route(ingressKey, Instant.EPOCH, "store.example.test", "/", PathMatch.PREFIX, new Backend("web", 80, null),
        List.of(), List.of(), null, false, false, false);
    assertThat(routes.get(1).groupKey()).isEqualTo(exact.groupKey());
    assertThat(routes.get(3).groupKey()).isEqualTo(root.groupKey());
    var consul = ConsulSettings.defaults();
    assertThat(routes).extracting(rt -> ServiceNames.serviceName(rt, consul)).containsExactly(
        "new-example-test-cart-exact", ServiceNames.serviceName(exact, consul),
        "new-example-test", ServiceNames.serviceName(root, consul),
        // per path element: not the rule of an Ingress Prefix path (Traefik's PathPrefix), so not its name either
        "new-example-test-api-" + hash("Host(`new.example.test`) && (Path(`/api`) || PathPrefix(`/api/`))"),
        "store-example-test-api-" + hash("Host(`store.example.test`) && (Path(`/api`) || PathPrefix(`/api/`))"),
        "new-example-test-a-exact-" + hash("Host(`new.example.test`) && Path(`/a`) && Method(`GET`)"),
        "store-example-test-a-exact-" + hash("Host(`store.example.test`) && Path(`/a`) && Method(`GET`)"));
    assertThat(ServiceNames.serviceName(exact, consul)).isEqualTo("store-example-test-cart-exact");
  }

  private static String hash(String rule) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(rule.getBytes(java.nio.charset.StandardCharsets.UTF_8))).substring(0, 6);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aRouteWhoseGatewayIsNotKnownBeforeTheGatewaysHaveListedIsPendingWithoutNote() {
    var r = route("'hostnames':['shop.example.com'],'rules':[{'backendRefs':[{'name':'web','port':80}]}]");
    var notListed = new GatewayApi.Parents() {
      public GatewayApi.Gateway gateway(String namespace, String name) {
        return null;
      }

      public List<GatewayApi.Grant> grants(String namespace) {
        return List.of();
      }

      @Override
      public boolean gatewaysListed() {
        return false;
      }
    };
    assertThat(HttpRouteTranslator.translate(KEY, r, notListed, SETTINGS)).isEqualTo(new Translation.Accepted(List.of(), List.of()));
    // once listed, the same route is held back with the note
    assertThat(translate(r)).isEqualTo(new Translation.Accepted(List.of(), List.of(
        "held back: its Gateway infra/gw does not exist in cluster eu-1; it is translated as soon as it appears")));
  }

  @Test
  void aRouteOfAnotherClassIsIgnoredAndOneWithoutItsGatewayHeldBack() {
    var r = route("'hostnames':['shop.example.com'],'rules':[{'backendRefs':[{'name':'web','port':80}]}]");
    assertThat(translate(r, gateway("istio", OPEN_HTTP))).isEqualTo(new Translation.Ignored(
        "attached to no Gateway of translate.gateway-classes [traefik] (Gateway infra/gw is of class 'istio')"));
    assertThat(HttpRouteTranslator.translate(KEY, r, parents(List.of(gateway("traefik", OPEN_HTTP)), List.of()), TranslateSettings.defaults()))
        .isEqualTo(new Translation.Ignored("the Gateway API is off (translate.gateway-classes is empty)"));
    assertThat(translate(r)).isEqualTo(new Translation.Accepted(List.of(), List.of(
        "held back: its Gateway infra/gw does not exist in cluster eu-1; it is translated as soon as it appears")));
  }

  @Test
  void malformedRoutesAreRejectedWithTheirJsonPath() {
    var gw = gateway("traefik", OPEN_HTTP);
    assertThat(translate(route("'hostnames':['Bad_Host.example.com'],'rules':[]"), gw))
        .isInstanceOf(Translation.Rejected.class).extracting(t -> ((Translation.Rejected) t).reason()).asString()
        .startsWith("spec.hostnames[0]: ");
    assertThat(translate(route("'hostnames':['a.example.com'],'rules':[{'matches':[{'path':{'type':'Prefix','value':'/x'}}],"
        + "'backendRefs':[{'name':'web','port':80}]}]"), gw)).isEqualTo(new Translation.Rejected(
            "spec.rules[0].matches[0].path.type: 'Prefix' is not Exact, PathPrefix or RegularExpression"));
    assertThat(translate(route("'hostnames':['a.example.com'],'rules':[{'matches':[{'headers':[{'name':'x','value':'a`b'}]}],"
        + "'backendRefs':[{'name':'web','port':80}]}]"), gw)).isEqualTo(new Translation.Rejected(
            "spec.rules[0].matches[0].headers[0].value: 'a`b' holds a backtick, which a Traefik rule cannot express"));
    // Traefik reads regexps with Go's RE2 and refuses a router whose regexp it cannot compile
    assertThat(translate(route("'hostnames':['a.example.com'],'rules':[{'matches':[{'path':{'type':'RegularExpression','value':'/a(?!b)'}}],"
        + "'backendRefs':[{'name':'web','port':80}]}]"), gw)).isEqualTo(new Translation.Rejected(
            "spec.rules[0].matches[0].path.value: '/a(?!b)' uses a lookahead, which Traefik's regular expressions (Go, RE2) do not support"));
    assertThat(translate(route("'hostnames':['a.example.com'],'rules':[{'matches':[{'queryParams':[{'type':'RegularExpression','name':'q','value':'(a'}]}],"
        + "'backendRefs':[{'name':'web','port':80}]}]"), gw)).isEqualTo(new Translation.Rejected(
            "spec.rules[0].matches[0].queryParams[0].value: '(a' is not a regular expression: Unclosed group"));
    assertThat(translate(route("'hostnames':['a.example.com'],'rules':[{'backendRefs':[{'name':'web'}]}]"), gw))
        .isEqualTo(new Translation.Rejected("spec.rules[0].backendRefs[0].port: a Service backend needs a port number"));
    var wrongVersion = route("'rules':[]");
    wrongVersion.put("apiVersion", "gateway.networking.k8s.io/v1alpha1");
    assertThat(translate(wrongVersion, gw)).isEqualTo(new Translation.Rejected(
        "unsupported apiVersion gateway.networking.k8s.io/v1alpha1 for HTTPRoute"));
  }

  @Test
  void theTranslatorAppliesOwnAnnotationsAndTenancyToHttpRoutes() {
    var settings = io.tributary.settings.TributarySettings.from(com.typesafe.config.ConfigFactory.parseString("""
        tributary.translate.gateway-classes = [traefik]
        tributary.translate.namespace-hosts { shop = ["*.shop.example.com"] }
        tributary.clusters.eu-1.endpoints { addresses = ["192.0.2.11"] }
        """).withFallback(com.typesafe.config.ConfigFactory.defaultReference()).resolve());
    var parents = parents(List.of(gateway("traefik", OPEN_HTTP)), List.of());
    var own = route("'hostnames':['www.shop.example.com'],'rules':[{'backendRefs':[{'name':'web','port':80}]}]");
    ((ObjectNode) own.path("metadata")).putObject("annotations").put("tributary.io/dns", "false");
    var t = (Translation.Accepted) Translator.translateHttpRoute(KEY, own, parents, settings);
    assertThat(t.routes()).singleElement().satisfies(r -> assertThat(r.dnsHosts()).isEmpty());
    var outside = route("'hostnames':['pay.example.com'],'rules':[{'backendRefs':[{'name':'web','port':80}]}]");
    assertThat(Translator.translateHttpRoute(KEY, outside, parents, settings)).isEqualTo(new Translation.Rejected(
        "host pay.example.com is not allowed for namespace shop (namespace-hosts [*.shop.example.com])"));
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {
      "'hostnames':'a.example.com','rules':{'x':1}",
      "'hostnames':[1,null,{}],'rules':[null,'x',{'matches':'y','backendRefs':{'a':1}}]",
      "'rules':[{'matches':[{'path':'x','headers':{'a':'b'},'queryParams':[null],'method':7}],'backendRefs':[{'name':'w','port':'eighty','weight':'x'}]}]",
      "'parentRefs':{'name':'gw'},'rules':[]"})
  void oddShapesAreRejectedOrAcceptedButNeverThrow(String spec) {
    var weirdGateway = json("{'apiVersion':'gateway.networking.k8s.io/v1','kind':'Gateway','metadata':{'name':'gw','namespace':'infra'},"
        + "'spec':{'gatewayClassName':'traefik','listeners':{'a':{'name':'x'}}}}");
    var named = gateway("traefik", "[{'name':'http','port':80,'protocol':'HTTP','hostname':'*.example.com','allowedRoutes':{'namespaces':{'from':'All'}}}]");
    for (ObjectNode gw : List.of(named, weirdGateway)) {
      var t = Translator.translateHttpRoute(KEY, route(spec), parents(List.of(gw), List.of()),
          io.tributary.settings.TributarySettings.from(com.typesafe.config.ConfigFactory.parseString(
              "tributary.translate.gateway-classes = [traefik]").withFallback(com.typesafe.config.ConfigFactory.defaultReference()).resolve()));
      assertThat(t).isNotNull();
      if (t instanceof Translation.Rejected r) {
        assertThat(r.reason()).doesNotContain("Tributary bug");
      }
    }
  }

  @Test
  void aHostnameAnHttpsListenerAcceptsIsServedOverTls() {
    var gw = gateway("traefik", "[{'name':'http','port':80,'protocol':'HTTP','hostname':'*.example.com'},"
        + "{'name':'https','port':443,'protocol':'HTTPS','hostname':'*.example.com'},"
        + "{'name':'plain','port':8080,'protocol':'HTTP','hostname':'plain.example.org'}]");
    var both = json("{'apiVersion':'gateway.networking.k8s.io/v1','kind':'HTTPRoute','metadata':{'name':'web','namespace':'infra'},"
        + "'spec':{'parentRefs':[{'name':'gw'}],'hostnames':['shop.example.com','plain.example.org'],"
        + "'rules':[{'backendRefs':[{'name':'web','port':80}]}]}}");
    var t = HttpRouteTranslator.translate(new ObjectKey("eu-1", "HTTPRoute", "infra", "web"), both, parents(List.of(gw), List.of()), SETTINGS);
    assertThat(rules(t)).containsExactly("Host(`plain.example.org`)", "Host(`shop.example.com`) tls");
  }

  @Test
  void anEmptyNamespaceSelectorSelectsEveryNamespaceAndAMetadataNameSelectorItsNames() {
    var r = route("'hostnames':['shop.example.com'],'rules':[{'backendRefs':[{'name':'web','port':80}]}]");
    var empty = gateway("traefik", "[{'name':'http','port':80,'protocol':'HTTP','allowedRoutes':{'namespaces':{'from':'Selector','selector':{}}}}]");
    assertThat(rules(translate(r, empty))).containsExactly("Host(`shop.example.com`)");
    var byName = gateway("traefik", "[{'name':'http','port':80,'protocol':'HTTP','allowedRoutes':{'namespaces':{'from':'Selector',"
        + "'selector':{'matchLabels':{'kubernetes.io/metadata.name':'shop'}}}}}]");
    assertThat(rules(translate(r, byName))).containsExactly("Host(`shop.example.com`)");
    var other = gateway("traefik", "[{'name':'http','port':80,'protocol':'HTTP','allowedRoutes':{'namespaces':{'from':'Selector',"
        + "'selector':{'matchLabels':{'kubernetes.io/metadata.name':'web'}}}}}]");
    assertThat(((Translation.Accepted) translate(r, other)).warnings()).singleElement().asString()
        .contains("its allowedRoutes selector does not select namespace shop");
  }

  /** {@code parents} whose namespace labels are {@code labels}. */
  private static GatewayApi.Parents withLabels(GatewayApi.Parents parents, GatewayApi.NamespaceLabels labels) {
    return new GatewayApi.Parents() {
      public GatewayApi.Gateway gateway(String namespace, String name) {
        return parents.gateway(namespace, name);
      }

      public List<GatewayApi.Grant> grants(String namespace) {
        return parents.grants(namespace);
      }

      @Override
      public GatewayApi.NamespaceLabels namespaceLabels(String namespace) {
        return labels;
      }
    };
  }

  private static final String SHARED = "[{'name':'https','port':443,'protocol':'HTTPS','hostname':'foo.example.com',"
      + "'allowedRoutes':{'namespaces':{'from':'Selector','selector':{'matchLabels':{'shared-gateway-access':'true'}}}}}]";

  @Test
  void aListenerSelectingNamespacesByLabelAdmitsTheRoutesOfLabelledNamespacesOnly() {
    var r = route("'rules':[{'backendRefs':[{'name':'web','port':80}]}]");
    var cluster = parents(List.of(gateway("traefik", SHARED)), List.of());
    var labelled = new GatewayApi.NamespaceLabels.Known(Map.of("shared-gateway-access", "true", "team", "shop"));
    assertThat(rules(HttpRouteTranslator.translate(KEY, r, withLabels(cluster, labelled), SETTINGS)))
        .containsExactly("Host(`foo.example.com`) tls");
    var unlabelled = new GatewayApi.NamespaceLabels.Known(Map.of("team", "shop"));
    assertThat(HttpRouteTranslator.translate(KEY, r, withLabels(cluster, unlabelled), SETTINGS)).isEqualTo(new Translation.Accepted(
        List.of(), List.of("spec.parentRefs[0] (Gateway infra/gw) does not attach to listener https: its allowedRoutes selector"
            + " shared-gateway-access=true does not select namespace shop (labels {team=shop})")));
    // a namespace the listed Namespaces do not hold has no labels
    assertThat(((Translation.Accepted) HttpRouteTranslator.translate(KEY, r,
        withLabels(cluster, new GatewayApi.NamespaceLabels.Known(Map.of())), SETTINGS)).warnings()).singleElement().asString()
        .endsWith("does not select namespace shop (no labels besides its name)");
  }

  @Test
  void beforeTheNamespacesHaveListedARouteALabelSelectorWouldDecideIsPendingWithoutNote() {
    var r = route("'rules':[{'backendRefs':[{'name':'web','port':80}]}]");
    var cluster = parents(List.of(gateway("traefik", SHARED)), List.of());
    assertThat(HttpRouteTranslator.translate(KEY, r, withLabels(cluster, new GatewayApi.NamespaceLabels.NotListedYet()), SETTINGS))
        .isEqualTo(new Translation.Accepted(List.of(), List.of()));
    // a selector reading only kubernetes.io/metadata.name is decided by the name, which every namespace carries as a label
    var byName = gateway("traefik", "[{'name':'http','port':80,'protocol':'HTTP','hostname':'shop.example.com','allowedRoutes':"
        + "{'namespaces':{'from':'Selector','selector':{'matchExpressions':[{'key':'kubernetes.io/metadata.name','operator':'NotIn',"
        + "'values':['kube-system']}]}}}}]");
    var byNameCluster = parents(List.of(byName), List.of());
    assertThat(rules(HttpRouteTranslator.translate(KEY, r, withLabels(byNameCluster, new GatewayApi.NamespaceLabels.NotListedYet()),
        SETTINGS))).containsExactly("Host(`shop.example.com`)");
    assertThat(rules(HttpRouteTranslator.translate(KEY, r, withLabels(byNameCluster, new GatewayApi.NamespaceLabels.NotWatched()),
        SETTINGS))).containsExactly("Host(`shop.example.com`)");
    // where Namespaces are not watched, another label cannot be evaluated: nothing attaches through it, with the reason
    assertThat(((Translation.Accepted) HttpRouteTranslator.translate(KEY, r,
        withLabels(cluster, new GatewayApi.NamespaceLabels.NotWatched()), SETTINGS)).warnings()).singleElement().asString()
        .contains("reads namespace label shared-gateway-access, and cluster eu-1 does not watch Namespaces");
  }

  @Test
  void anInvalidOrMissingSelectorSelectsNoNamespaceWithTheReason() {
    var r = route("'hostnames':['shop.example.com'],'rules':[{'backendRefs':[{'name':'web','port':80}]}]");
    var labels = new GatewayApi.NamespaceLabels.Known(Map.of("env", "prod"));
    var badOperator = gateway("traefik", "[{'name':'http','port':80,'protocol':'HTTP','allowedRoutes':{'namespaces':{'from':'Selector',"
        + "'selector':{'matchExpressions':[{'key':'env','operator':'Equals','values':['prod']}]}}}}]");
    assertThat(((Translation.Accepted) HttpRouteTranslator.translate(KEY, r, withLabels(parents(List.of(badOperator), List.of()), labels),
        SETTINGS)).warnings()).singleElement().asString().contains(
        "listener http: its allowedRoutes.namespaces.selector.matchExpressions[0].operator: 'Equals' is not In, NotIn, Exists or"
            + " DoesNotExist; the selector selects no namespace");
    var existsWithValues = gateway("traefik", "[{'name':'http','port':80,'protocol':'HTTP','allowedRoutes':{'namespaces':{'from':'Selector',"
        + "'selector':{'matchExpressions':[{'key':'env','operator':'Exists','values':['prod']}]}}}}]");
    assertThat(((Translation.Accepted) HttpRouteTranslator.translate(KEY, r,
        withLabels(parents(List.of(existsWithValues), List.of()), labels), SETTINGS)).warnings()).singleElement().asString()
        .contains("operator Exists takes no values");
    var missing = gateway("traefik", "[{'name':'http','port':80,'protocol':'HTTP','allowedRoutes':{'namespaces':{'from':'Selector'}}}]");
    assertThat(((Translation.Accepted) HttpRouteTranslator.translate(KEY, r, withLabels(parents(List.of(missing), List.of()), labels),
        SETTINGS)).warnings()).singleElement().asString().contains("from is Selector but it has no selector");
    // Exists on the label the namespace carries admits it
    var exists = gateway("traefik", "[{'name':'http','port':80,'protocol':'HTTP','allowedRoutes':{'namespaces':{'from':'Selector',"
        + "'selector':{'matchExpressions':[{'key':'env','operator':'Exists'}]}}}}]");
    assertThat(rules(HttpRouteTranslator.translate(KEY, r, withLabels(parents(List.of(exists), List.of()), labels), SETTINGS)))
        .containsExactly("Host(`shop.example.com`)");
  }

  @Test
  void creationTimestampsAreReadAsForAnIngressNumericOffsetIncluded() {
    var route = route("'rules':[{'backendRefs':[{'name':'web','port':80}]}]");
    ((ObjectNode) route.get("metadata")).put("creationTimestamp", "2026-01-01T01:00:00+01:00");
    var accepted = (Translation.Accepted) translate(route, gateway("traefik", OPEN_HTTP));
    assertThat(accepted.routes()).allSatisfy(r -> assertThat(r.created()).isEqualTo(java.time.Instant.parse("2026-01-01T00:00:00Z")));
    ((ObjectNode) route.get("metadata")).put("creationTimestamp", "yesterday");
    assertThat(translate(route, gateway("traefik", OPEN_HTTP))).isEqualTo(
        new Translation.Rejected("metadata.creationTimestamp: 'yesterday' is not an ISO-8601 timestamp"));
  }

  @Test
  void eachRuleIsJudgedOnItsOwnABadOneRejectedWithItsReasonTheOthersRouted() {
    var gw = gateway("traefik", OPEN_HTTP);
    var t = translate(route("'hostnames':['a.example.com'],'rules':["
        + "{'matches':[{'path':{'type':'RegularExpression','value':'/a(?!b)'}}],'backendRefs':[{'name':'web','port':80}]},"
        + "{'matches':[{'path':{'type':'Exact','value':'/b'}}],'backendRefs':[{'name':'web','port':80}]}]"), gw);
    assertThat(rules(t)).containsExactly("Host(`a.example.com`) && Path(`/b`)");
    var accepted = (Translation.Accepted) t;
    assertThat(accepted.routeParts()).containsExactly("spec.rules[1]");
    assertThat(accepted.rejectedParts()).containsExactly(new Translation.RejectedPart("spec.rules[0]",
        "spec.rules[0].matches[0].path.value: '/a(?!b)' uses a lookahead, which Traefik's regular expressions (Go, RE2) do not support"));
    // every rule bad: the route is rejected as a whole
    assertThat(translate(route("'hostnames':['a.example.com'],'rules':[{'backendRefs':[{'name':'web'}]}]"), gw))
        .isInstanceOf(Translation.Rejected.class);
  }
}
