package io.tributary.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.tributary.consul.ConsulRegistration;
import io.tributary.dns.DnsRecordSet;
import io.tributary.kind.ResourceKind;
import io.tributary.settings.TributarySettings;
import io.tributary.target.Target;
import io.tributary.target.TargetRecord;
import io.tributary.translate.TranslatedEvent;
import io.tributary.translate.Translator;
import io.tributary.watch.EventType;
import io.tributary.watch.ObjectKey;
import io.tributary.watch.WatchEvent;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Gateway API manifests shaped like the Gateway API project's own examples (kept in {@code
 * manifests/gateway-api/}, see its README) through translation and planning: the routers, splits
 * and DNS names they give.
 */
class GatewayApiManifestsTest {
  private static final YAMLMapper YAML = new YAMLMapper();
  static final TributarySettings SETTINGS = PlanFixtures.settings("""
      tributary.translate.gateway-classes = [example, acme-lb, shared-gateway-class]
      tributary.clusters.eu-1.endpoints { addresses = ["192.0.2.11"], port = 8080 }
      """);

  static List<ObjectNode> manifest(String file) {
    try (InputStream in = GatewayApiManifestsTest.class.getResourceAsStream("/manifests/gateway-api/" + file)) {
      List<ObjectNode> objects = new ArrayList<>();
      for (JsonNode doc : YAML.readerFor(JsonNode.class).<JsonNode>readValues(in).readAll()) {
        if (doc instanceof ObjectNode o && !o.isEmpty()) {
          objects.add(o);
        }
      }
      return objects;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  record Planned(Map<String, TargetRecord> consul, Map<String, TargetRecord> dns, Map<String, List<String>> notes,
      Map<ObjectKey, String> reports) {}

  static Planned plan(List<ObjectNode> objects, TributarySettings settings) {
    Map<String, List<String>> notes = new LinkedHashMap<>();
    Map<ObjectKey, String> reports = new TreeMap<>();
    var state = new RoutingState(settings, new PipelineListener() {
      @Override
      public void unitNotes(String unit, List<String> n) {
        notes.put(unit, n);
      }

      @Override
      public void accepted(ObjectKey key, int routes, List<String> warnings) {
        reports.put(key, "accepted " + routes + (warnings.isEmpty() ? "" : " " + warnings));
      }

      @Override
      public void ignored(ObjectKey key, String reason) {
        reports.put(key, "ignored: " + reason);
      }

      @Override
      public void rejected(ObjectKey key, String reason) {
        reports.put(key, "rejected: " + reason);
      }
    });
    for (ObjectNode o : objects) {
      state.apply(Translator.translated(WatchEvent.of("eu-1", EventType.ADDED, o), settings));
    }
    for (String kind : ResourceKind.syncKindNames()) {
      state.apply(new TranslatedEvent(WatchEvent.synced("eu-1", kind), null));
    }
    return new Planned(new TreeMap<>(state.told(Target.CONSUL)), new TreeMap<>(state.told(Target.DNS)), notes, reports);
  }

  /** Each Consul service's router rule (and ",tls" when it has TLS), in service order. */
  static Map<String, String> routers(Planned p) {
    Map<String, String> out = new TreeMap<>();
    for (TargetRecord r : p.consul().values()) {
      ConsulRegistration c = (ConsulRegistration) r;
      String rule = c.tags().stream().filter(t -> t.contains(".rule=")).map(t -> t.substring(t.indexOf(".rule=") + 6))
          .findFirst().orElseThrow();
      boolean tls = c.tags().stream().anyMatch(t -> t.endsWith(".tls=true"));
      out.put(c.service(), rule + (tls ? ",tls" : ""));
    }
    return out;
  }

  /** Each DNS name's addresses. */
  static Map<String, List<String>> dnsNames(Planned p) {
    Map<String, List<String>> out = new TreeMap<>();
    p.dns().values().forEach(r -> out.put(((DnsRecordSet) r).name(), ((DnsRecordSet) r).values()));
    return out;
  }

  @Test
  void aSimpleGatewayRoutesItsHttpRouteByHostnameAndPathPrefixPerPathElement() {
    Planned p = plan(manifest("simple-gateway.yaml"), SETTINGS);
    assertThat(routers(p)).containsExactly(
        Map.entry("foo-example-com-bar-005f6a", "Host(`foo.example.com`) && (Path(`/bar`) || PathPrefix(`/bar/`))"));
    assertThat(dnsNames(p)).containsExactly(Map.entry("foo.example.com", List.of("192.0.2.11")));
    assertThat(p.reports().get(new ObjectKey("eu-1", "HTTPRoute", "default", "foo"))).isEqualTo("accepted 1");
    // one instance per endpoint of the cluster, as for an Ingress
    assertThat(p.consul().values()).extracting(r -> ((ConsulRegistration) r).address()).containsExactly("192.0.2.11");
  }

  @Test
  void httpRoutingGivesOneRouterPerRuleWithHostnamesPathsAndHeaders() {
    Planned p = plan(manifest("http-routing.yaml"), SETTINGS);
    assertThat(routers(p)).containsExactly(
        Map.entry("bar-example-com", "Host(`bar.example.com`)"),
        Map.entry("bar-example-com-d6e615", "Host(`bar.example.com`) && Header(`env`, `canary`)"),
        Map.entry("example-com", "Host(`example.com`)"),
        Map.entry("foo-example-com-login-984b42", "Host(`foo.example.com`) && (Path(`/login`) || PathPrefix(`/login/`))"));
    assertThat(dnsNames(p)).containsOnlyKeys("bar.example.com", "example.com", "foo.example.com");
  }

  @Test
  void aWeightedSplitStaysInTheClusterAndIsNoted() {
    Planned p = plan(manifest("traffic-splitting.yaml"), SETTINGS);
    assertThat(routers(p)).containsExactly(Map.entry("foo-example-com", "Host(`foo.example.com`)"));
    assertThat(p.notes().get("consul:Host(`foo.example.com`)"))
        .containsExactly("split in cluster eu-1: weighted foo-v1:8080 90%, foo-v2:8080 10%");
    assertThat(dnsNames(p)).containsOnlyKeys("foo.example.com");
  }

  @Test
  void filtersAreLeftToTheClustersGatewayAndMatchesBecomeRules() {
    Planned p = plan(manifest("http-header-modifier.yaml"), SETTINGS);
    assertThat(routers(p)).containsExactly(
        Map.entry("echo-example-com-444145", "Host(`echo.example.com`) && PathRegexp(`/v[0-9]+/items`) && HeaderRegexp(`x-version`, `2\\..*`)"),
        Map.entry("echo-example-com-add-a-request-header-9bbdb3",
            "Host(`echo.example.com`) && (Path(`/add-a-request-header`) || PathPrefix(`/add-a-request-header/`))"),
        // a redirect-only rule still reaches the cluster, whose Gateway answers with the redirect
        Map.entry("echo-example-com-old-107e51", "Host(`echo.example.com`) && (Path(`/old`) || PathPrefix(`/old/`))"),
        Map.entry("echo-example-com-search-exact-13cb8f", "Host(`echo.example.com`) && Path(`/search`) && Query(`q`, `gateway`) && Method(`GET`)"));
    // no middleware of the VM-side Traefik repeats what the cluster's Gateway does
    assertThat(p.consul().values()).allSatisfy(r -> assertThat(((ConsulRegistration) r).tags()).noneMatch(t -> t.contains("middlewares")));
    // the listener's hostname is the route's
    assertThat(dnsNames(p)).containsOnlyKeys("echo.example.com");
  }

  @Test
  void crossNamespaceBackendsNeedAReferenceGrantAndSelectedNamespacesAttach() {
    Planned p = plan(manifest("cross-namespace-routing.yaml"), SETTINGS);
    assertThat(routers(p)).containsExactly(
        Map.entry("foo-example-com", "Host(`foo.example.com`),tls"),
        Map.entry("foo-example-com-inventory-b9439a", "Host(`foo.example.com`) && (Path(`/inventory`) || PathPrefix(`/inventory/`)),tls"),
        Map.entry("foo-example-com-store-68c8c8", "Host(`foo.example.com`) && (Path(`/store`) || PathPrefix(`/store/`)),tls"));
    assertThat(p.reports().get(new ObjectKey("eu-1", "HTTPRoute", "store-ns", "store"))).startsWith("accepted 2 ")
        .contains("Service payments-ns/payments is in another namespace and no ReferenceGrant there allows HTTPRoutes of namespace store-ns");
    assertThat(dnsNames(p)).containsOnlyKeys("foo.example.com");

    // without the ReferenceGrant the inventory path is not routed
    Planned without = plan(manifest("cross-namespace-routing.yaml").stream()
        .filter(o -> !o.path("kind").asText().equals("ReferenceGrant")).toList(), SETTINGS);
    assertThat(routers(without)).containsOnlyKeys("foo-example-com", "foo-example-com-store-68c8c8");
  }

  @Test
  void theSharedGatewayAdmitsRoutesOfTheNamespacesLabelledForIt() {
    Planned p = plan(manifest("shared-gateway.yaml"), SETTINGS);
    // site-ns is labelled shared-gateway-access=true: its route attaches
    assertThat(routers(p)).containsExactly(Map.entry("foo-example-com", "Host(`foo.example.com`),tls"));
    assertThat(dnsNames(p)).containsOnlyKeys("foo.example.com");
    assertThat(p.reports().get(new ObjectKey("eu-1", "HTTPRoute", "site-ns", "home"))).isEqualTo("accepted 1");
    // no-external-access is not: its route has none, and the note says why
    assertThat(p.reports().get(new ObjectKey("eu-1", "HTTPRoute", "no-external-access", "admin"))).isEqualTo(
        "accepted 0 [spec.parentRefs[0] (Gateway infra-ns/shared-gateway) does not attach to listener https: its allowedRoutes"
            + " selector shared-gateway-access=true does not select namespace no-external-access (no labels besides its name)]");
    // the Namespaces are read, never reported as objects of their own
    assertThat(p.reports().keySet()).noneMatch(k -> k.is(ResourceKind.NAMESPACE));
  }

  @Test
  void whereNamespacesAreNotWatchedASelectorOnAnotherLabelCannotBeEvaluatedAndAttachesNothing() {
    TributarySettings withoutNamespaces = PlanFixtures.settings("""
        tributary.translate.gateway-classes = [shared-gateway-class]
        tributary.clusters.eu-1 {
          kinds = [Service, Gateway, HTTPRoute, ReferenceGrant]
          endpoints { addresses = ["192.0.2.11"], port = 8080 }
        }
        """);
    Planned p = plan(manifest("shared-gateway.yaml"), withoutNamespaces);
    assertThat(p.consul()).isEmpty();
    assertThat(p.dns()).isEmpty();
    assertThat(p.reports().get(new ObjectKey("eu-1", "HTTPRoute", "site-ns", "home")))
        .startsWith("accepted 0 ").contains("its allowedRoutes selector reads namespace label shared-gateway-access, and cluster eu-1"
            + " does not watch Namespaces (Namespace is not in clusters.eu-1.kinds)");
  }

  @Test
  void effectiveHostnamesAreTheIntersectionOfRouteAndListenerHostnames() {
    Planned p = plan(manifest("listener-hostnames.yaml"), SETTINGS);
    String deepWildcard = "HostRegexp(`^[a-z0-9-]+(?:\\.[a-z0-9-]+)*\\.foo\\.example\\.com$`)";
    // one route per effective hostname, each named as an Ingress host would be
    assertThat(routers(p)).containsExactly(
        // *.example.com keeps a.b.example.com (any number of labels) and bar.example.com; example.net and example.com are not in it
        Map.entry("a-b-example-com", "Host(`a.b.example.com`)"),
        // port 443 selects both HTTPS listeners: *.example.com ∩ abc.foo.example.com, *.example.com ∩ *.foo.example.com
        Map.entry("abc-foo-example-com", "Host(`abc.foo.example.com`),tls"),
        Map.entry("bar-example-com", "Host(`bar.example.com`)"),
        // a route without hostnames takes its listener's: the same wildcard as abc-foo's second one, one group
        Map.entry("wildcard-foo-example-com-b6c8ca", deepWildcard + ",tls"));
    // two objects claim that wildcard with different backends: a conflict, decided as for Ingress (same age: by name)
    assertThat(p.notes().get("consul:" + deepWildcard)).singleElement().asString()
        .contains("claimed by eu-1/HTTPRoute/default/abc-foo (older) and eu-1/HTTPRoute/default/wildcard-foo");
    assertThat(dnsNames(p)).containsOnlyKeys("*.foo.example.com", "a.b.example.com", "abc.foo.example.com", "bar.example.com");
    // neither the route nor the listener names a hostname: it would capture every hostname
    assertThat(p.reports().get(new ObjectKey("eu-1", "HTTPRoute", "default", "everything")))
        .startsWith("accepted 0 ").contains("would capture its paths on every hostname");
  }

  @Test
  void anHttpToHttpsRedirectIsLeftToTheEntryPointAndTheHttpsRouteCarriesTheTraffic() {
    Planned p = plan(manifest("simple-http-https.yaml"), SETTINGS);
    assertThat(routers(p)).containsExactly(
        Map.entry("foo-example-com", "Host(`foo.example.com`),tls"),
        Map.entry("foo-example-com-orders-141180", "Host(`foo.example.com`) && (Path(`/orders`) || PathPrefix(`/orders/`)),tls"));
    assertThat(p.reports().get(new ObjectKey("eu-1", "HTTPRoute", "default", "tls-redirect")))
        .startsWith("accepted 0 ").contains("a redirect to https is not carried");
    // no conflict between the redirect and the application: one claim per rule
    assertThat(p.notes().values().stream().flatMap(List::stream)).noneMatch(n -> n.contains("conflict"));
    assertThat(dnsNames(p)).containsOnlyKeys("foo.example.com");
  }

  @Test
  void routesOfGatewaysOfAnotherClassAreIgnored() {
    TributarySettings exampleOnly = PlanFixtures.settings("""
        tributary.translate.gateway-classes = [example]
        tributary.clusters.eu-1.endpoints { addresses = ["192.0.2.11"], port = 8080 }
        """);
    Planned p = plan(manifest("cross-namespace-routing.yaml"), exampleOnly);
    assertThat(p.consul()).isEmpty();
    assertThat(p.dns()).isEmpty();
    assertThat(p.reports().get(new ObjectKey("eu-1", "HTTPRoute", "site-ns", "home"))).isEqualTo(
        "ignored: attached to no Gateway of translate.gateway-classes [example] (Gateway infra-ns/shared-gateway is of class 'shared-gateway-class')");
    assertThat(p.reports().get(new ObjectKey("eu-1", "Gateway", "infra-ns", "shared-gateway")))
        .isEqualTo("ignored: class 'shared-gateway-class' is not in translate.gateway-classes [example]");
  }

  @Test
  void aRouteWaitsForItsGatewayAndFollowsItsChanges() {
    List<ObjectNode> objects = manifest("simple-gateway.yaml");
    ObjectNode gateway = objects.get(0);
    ObjectNode route = objects.get(1);
    Map<ObjectKey, String> reports = new TreeMap<>();
    var state = new RoutingState(SETTINGS, new PipelineListener() {
      @Override
      public void accepted(ObjectKey key, int routes, List<String> warnings) {
        reports.put(key, "accepted " + routes + " " + warnings);
      }
    });
    ObjectKey routeKey = new ObjectKey("eu-1", "HTTPRoute", "default", "foo");
    state.apply(Translator.translated(WatchEvent.of("eu-1", EventType.ADDED, route), SETTINGS));
    // deletes flow once the cluster has listed (the sync barrier)
    for (String kind : ResourceKind.syncKindNames()) {
      state.apply(new TranslatedEvent(WatchEvent.synced("eu-1", kind), null));
    }
    assertThat(state.told(Target.CONSUL)).isEmpty();
    assertThat(reports.get(routeKey)).isEqualTo("accepted 0 [held back: its Gateway default/prod-web does not exist in cluster eu-1;"
        + " it is translated as soon as it appears]");
    state.apply(Translator.translated(WatchEvent.of("eu-1", EventType.ADDED, gateway), SETTINGS));
    assertThat(state.told(Target.CONSUL)).hasSize(1);
    assertThat(state.told(Target.DNS)).containsOnlyKeys("foo.example.com/A");

    // the listener gets a hostname the route's does not match: the route is withdrawn
    ObjectNode narrowed = gateway.deepCopy();
    ((ObjectNode) narrowed.path("spec").path("listeners").get(0)).put("hostname", "*.example.org");
    state.apply(Translator.translated(WatchEvent.of("eu-1", EventType.MODIFIED, narrowed), SETTINGS));
    assertThat(state.told(Target.CONSUL)).isEmpty();
    assertThat(reports.get(routeKey)).contains("none of the route's hostnames [foo.example.com] matches its hostname *.example.org");

    // back again, then the Gateway deleted: held back once more
    state.apply(Translator.translated(WatchEvent.of("eu-1", EventType.MODIFIED, gateway), SETTINGS));
    assertThat(state.told(Target.CONSUL)).hasSize(1);
    state.apply(Translator.translated(new WatchEvent(new ObjectKey("eu-1", "Gateway", "default", "prod-web"), EventType.DELETED, null, null), SETTINGS));
    assertThat(state.told(Target.CONSUL)).isEmpty();
    assertThat(state.told(Target.DNS)).isEmpty();
  }
}
