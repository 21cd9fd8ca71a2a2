package io.tributary.plan;

import io.tributary.target.Target;
import io.tributary.target.Change;
import io.tributary.target.ChangeSet;
import io.tributary.translate.TranslatedEvent;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.tributary.consul.ConsulRegistration;
import io.tributary.dns.DnsRecordSet;
import io.tributary.settings.TributarySettings;
import io.tributary.translate.Backend;
import io.tributary.translate.PathMatch;
import io.tributary.translate.Route;
import io.tributary.translate.Translation;
import io.tributary.watch.EventType;
import io.tributary.watch.ObjectKey;
import io.tributary.watch.WatchEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The diff stage's rules, on hand-built routes (translation has its own tests). */
class RoutingStateTest {
  private static final TributarySettings SETTINGS =
      TributarySettings.from(
          ConfigFactory.parseString(
                  """
                  tributary.clusters {
                    eu-1.endpoints { addresses = ["192.0.2.11"], port = 8080 }
                    eu-2.endpoints { addresses = ["192.0.2.21"], port = 8080 }
                  }
                  """)
              .withFallback(ConfigFactory.defaultReference())
              .resolve());

  private final List<String> rejected = new ArrayList<>();
  private RoutingState state;

  @BeforeEach
  void fresh() {
    state =
        new RoutingState(
            SETTINGS,
            new PipelineListener() {
              @Override
              public void rejected(ObjectKey key, String reason) {
                rejected.add(key.name() + ": " + reason);
              }
            });
  }

  private static ObjectKey key(String cluster, String name) {
    return new ObjectKey(cluster, "Ingress", "shop", name);
  }

  private static Route route(ObjectKey key, String host, String path) {
    return new Route(
        key, Instant.parse("2026-01-01T00:00:00Z"), host, path, PathMatch.PREFIX,
        new Backend("web", 80, null), List.of(), List.of(), null, false, false, false);
  }

  private static TranslatedEvent accepted(ObjectKey key, Route... routes) {
    return new TranslatedEvent(
        new WatchEvent(key, EventType.MODIFIED, "1", null), new Translation.Accepted(List.of(routes), List.of()));
  }

  private static TranslatedEvent deleted(ObjectKey key) {
    return new TranslatedEvent(new WatchEvent(key, EventType.DELETED, "2", null), null);
  }

  private static TranslatedEvent synced(String cluster) {
    return new TranslatedEvent(WatchEvent.synced(cluster, "Ingress"), null);
  }

  private List<ChangeSet> syncAllKinds(String cluster) {
    List<ChangeSet> out = new ArrayList<>();
    for (String kind : io.tributary.translate.Translator.KINDS) {
      out.addAll(state.apply(new TranslatedEvent(WatchEvent.synced(cluster, kind), null)));
    }
    return out;
  }

  private static List<String> ops(List<ChangeSet> sets) {
    List<String> out = new ArrayList<>();
    for (ChangeSet s : sets) {
      for (Change c : s.changes()) {
        out.add(s.target().id() + " " + c.op().id() + " " + c.key());
      }
    }
    return out;
  }

  private void syncAll() {
    syncAllKinds("eu-1");
    syncAllKinds("eu-2");
  }

  @Test
  void anAcceptedObjectCreatesItsConsulInstanceAndDnsRecord() {
    var a = key("eu-1", "a");
    var sets = state.apply(accepted(a, route(a, "shop.example.com", "/cart")));
    assertThat(ops(sets))
        .containsExactly(
            "consul create tributary-eu-1/shop-example-com-cart-eu-1-192-0-2-11-8080",
            "dns create shop.example.com/A");
    var reg = (ConsulRegistration) sets.get(0).changes().get(0).value();
    assertThat(reg.address()).isEqualTo("192.0.2.11");
    assertThat(reg.port()).isEqualTo(8080);
  }

  @Test
  void theSameRoutesAgainYieldNoWrite() {
    var a = key("eu-1", "a");
    state.apply(accepted(a, route(a, "shop.example.com", "/")));
    assertThat(state.apply(accepted(a, route(a, "shop.example.com", "/")))).isEmpty();
  }

  @Test
  void aRejectedUpdateKeepsTheLastAcceptedRoutes() {
    syncAll();
    var a = key("eu-1", "a");
    state.apply(accepted(a, route(a, "shop.example.com", "/")));
    var bad =
        new TranslatedEvent(
            new WatchEvent(a, EventType.MODIFIED, "3", null), new Translation.Rejected("spec.rules[0]: no host"));
    assertThat(state.apply(bad)).isEmpty();
    assertThat(rejected).containsExactly("a: spec.rules[0]: no host");
    assertThat(state.told(Target.CONSUL)).hasSize(1);
  }

  @Test
  void deletingTheLastObjectOfAHostDeletesItsInstancesAndRecords() {
    syncAll();
    var a = key("eu-1", "a");
    state.apply(accepted(a, route(a, "shop.example.com", "/")));
    assertThat(ops(state.apply(deleted(a))))
        .containsExactly(
            "consul delete tributary-eu-1/shop-example-com-eu-1-192-0-2-11-8080",
            "dns delete shop.example.com/A");
    assertThat(state.told(Target.CONSUL)).isEmpty();
    assertThat(state.told(Target.DNS)).isEmpty();
  }

  @Test
  void aHostServedByTwoClustersKeepsTheSurvivorsRecordsWhenOneDropsIt() {
    syncAll();
    var a1 = key("eu-1", "a");
    var a2 = key("eu-2", "a");
    state.apply(accepted(a1, route(a1, "shop.example.com", "/")));
    state.apply(accepted(a2, route(a2, "shop.example.com", "/")));
    var dns = (DnsRecordSet) state.told(Target.DNS).get("shop.example.com/A");
    assertThat(dns.values()).containsExactly("192.0.2.11", "192.0.2.21");

    var sets = state.apply(deleted(a2));
    assertThat(ops(sets))
        .containsExactly(
            "consul delete tributary-eu-2/shop-example-com-eu-2-192-0-2-21-8080",
            "dns update shop.example.com/A");
    dns = (DnsRecordSet) state.told(Target.DNS).get("shop.example.com/A");
    assertThat(dns.values()).containsExactly("192.0.2.11");
    assertThat(state.told(Target.CONSUL)).containsOnlyKeys("tributary-eu-1/shop-example-com-eu-1-192-0-2-11-8080");
  }

  @Test
  void deletesWaitForEveryClusterToSyncWhileCreatesFlow() {
    var a = key("eu-1", "a");
    assertThat(ops(state.apply(accepted(a, route(a, "shop.example.com", "/"))))).hasSize(2);
    assertThat(state.apply(deleted(a))).isEmpty();
    assertThat(state.heldDeletes()).isEqualTo(2);
    assertThat(state.waitingFor()).containsExactly("eu-1", "eu-2");

    assertThat(syncAllKinds("eu-1")).isEmpty(); // eu-2 (configured) has not listed yet
    assertThat(ops(syncAllKinds("eu-2")))
        .containsExactly(
            "consul delete tributary-eu-1/shop-example-com-eu-1-192-0-2-11-8080",
            "dns delete shop.example.com/A");
    assertThat(state.heldDeletes()).isZero();
  }

  @Test
  void aHeldDeleteThatComesBackBeforeTheSyncIsNeverWritten() {
    var a = key("eu-1", "a");
    state.apply(accepted(a, route(a, "shop.example.com", "/")));
    state.apply(deleted(a));
    assertThat(state.apply(accepted(a, route(a, "shop.example.com", "/")))).isEmpty();
    assertThat(state.heldDeletes()).isZero();
    syncAll();
    assertThat(state.told(Target.CONSUL)).hasSize(1);
  }

  @Test
  void anIgnoredObjectWithdrawsItsRoutes() {
    syncAll();
    var a = key("eu-1", "a");
    state.apply(accepted(a, route(a, "shop.example.com", "/")));
    var ignored =
        new TranslatedEvent(
            new WatchEvent(a, EventType.MODIFIED, "4", null), new Translation.Ignored("ingress class 'nginx'"));
    assertThat(ops(state.apply(ignored))).hasSize(2).allMatch(op -> op.contains(" delete "));
  }

  @Test
  void changeSetsAreCutAtTheWritersBatchSize() {
    var a = key("eu-1", "many");
    Route[] routes =
        IntStream.range(0, 100).mapToObj(i -> route(a, "shop.example.com", "/p" + i)).toArray(Route[]::new);
    var sets = state.apply(accepted(a, routes));
    var consul = sets.stream().filter(s -> s.target() == Target.CONSUL).toList();
    assertThat(consul).extracting(ChangeSet::size).containsExactly(64, 36);
  }

  @Test
  void nodeEndpointsFollowTheClustersReadyNodes() throws Exception {
    var settings = TributarySettings.from(ConfigFactory.parseString(
            "tributary.clusters.eu-3.endpoints { type = nodes, host-port = 30080 }")
        .withFallback(ConfigFactory.defaultReference()).resolve());
    var nodesState = new RoutingState(settings, PipelineListener.NONE);
    for (String kind : io.tributary.translate.Translator.KINDS) {
      nodesState.apply(new TranslatedEvent(WatchEvent.synced("eu-3", kind), null));
    }
    var a = key("eu-3", "a");
    // no Ready node yet: nothing to register, nowhere to point DNS
    assertThat(nodesState.apply(accepted(a, route(a, "shop.example.com", "/")))).isEmpty();

    var n1 = io.tributary.translate.EndpointResolverTest.node("n1", "10.0.0.1", true, false, "x");
    var nodeKey = new ObjectKey("eu-3", "Node", "", "n1");
    var added = nodesState.apply(new TranslatedEvent(new WatchEvent(nodeKey, EventType.ADDED, "1", n1), null));
    assertThat(ops(added)).containsExactly(
        "consul create tributary-eu-3/shop-example-com-eu-3-10-0-0-1-30080", "dns create shop.example.com/A");
    // a heartbeat changes nothing
    assertThat(nodesState.apply(new TranslatedEvent(new WatchEvent(nodeKey, EventType.MODIFIED, "2", n1), null))).isEmpty();

    var notReady = io.tributary.translate.EndpointResolverTest.node("n1", "10.0.0.1", false, false, "x");
    var gone = nodesState.apply(new TranslatedEvent(new WatchEvent(nodeKey, EventType.MODIFIED, "3", notReady), null));
    assertThat(ops(gone)).containsExactly(
        "consul delete tributary-eu-3/shop-example-com-eu-3-10-0-0-1-30080", "dns delete shop.example.com/A");
  }

  @Test
  void aLoadBalancerServiceWithAnExternalDnsHostnameGetsDnsToItsOwnAddressAndNoConsul() throws Exception {
    syncAll();
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    var svc = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(("{'apiVersion':'v1','kind':'Service',"
        + "'metadata':{'name':'db','namespace':'shop','annotations':{'external-dns.alpha.kubernetes.io/hostname':'db.example.com'}},"
        + "'spec':{'type':'LoadBalancer','ports':[{'port':5432}]},"
        + "'status':{'loadBalancer':{'ingress':[{'ip':'203.0.113.7'}]}}}").replace('\'', '"'));
    var event = WatchEvent.of("eu-1", EventType.ADDED, svc);
    var sets = state.apply(io.tributary.translate.Translator.translated(event, SETTINGS));
    assertThat(ops(sets)).containsExactly("dns create db.example.com/A");
    var record = (DnsRecordSet) state.told(Target.DNS).get("db.example.com/A");
    assertThat(record.values()).containsExactly("203.0.113.7");
    assertThat(state.told(Target.CONSUL)).isEmpty();

    svc.with("metadata").with("annotations").removeAll();
    var removed = state.apply(io.tributary.translate.Translator.translated(WatchEvent.of("eu-1", EventType.MODIFIED, svc), SETTINGS));
    assertThat(ops(removed)).containsExactly("dns delete db.example.com/A");
  }

  @Test
  void unknownClustersGetTheDocumentedDefaultEndpoint() {
    var x = key("lab-7", "a");
    var sets = state.apply(accepted(x, route(x, "lab.example.com", "/")));
    var dns = (DnsRecordSet) sets.get(1).changes().get(0).value();
    assertThat(dns.type()).isEqualTo("CNAME");
    assertThat(dns.values()).containsExactly("ingress.lab-7.tributary.invalid");
    assertThat(Map.copyOf(state.told(Target.CONSUL))).hasSize(1);
  }

  private static TranslatedEvent middleware(String cluster, String name, String spec, EventType type) {
    var key = new ObjectKey(cluster, "Middleware", "shop", name);
    com.fasterxml.jackson.databind.node.ObjectNode o = null;
    if (type != EventType.DELETED) {
      try {
        o = (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(("{'kind':'Middleware','metadata':{'name':'" + name + "','namespace':'shop'},'spec':" + spec + "}").replace('\'', '"'));
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
    }
    return new TranslatedEvent(new WatchEvent(key, type, "1", o), new Translation.Accepted(List.of(), List.of()));
  }

  @Test
  void aRouteWaitsForItsMiddlewareIsPublishedWithItAndHeldBackAgainWhenItGoesOrBreaks() {
    syncAll();
    var a = key("eu-1", "a");
    var r = new Route(a, Instant.parse("2026-01-01T00:00:00Z"), "shop.example.com", "/", PathMatch.PREFIX,
        new Backend("web", 80, null), List.of(), List.of("shop-office@kubernetescrd"), null, false, false, false);
    assertThat(ops(state.apply(accepted(a, r)))).containsExactly("dns create shop.example.com/A"); // DNS needs no middleware
    assertThat(state.told(Target.CONSUL)).isEmpty();

    var created = state.apply(middleware("eu-1", "office", "{'ipAllowList':{'sourceRange':['10.0.0.0/8']}}", EventType.ADDED));
    assertThat(ops(created)).containsExactly("consul create tributary-eu-1/shop-example-com-eu-1-192-0-2-11-8080");
    var reg = (ConsulRegistration) created.get(0).changes().get(0).value();
    assertThat(reg.tags()).contains("traefik.http.middlewares.eu-1-shop-office.ipallowlist.sourcerange=10.0.0.0/8",
        "traefik.http.routers.shop-example-com.middlewares=eu-1-shop-office");

    // the same Middleware in another cluster changes nothing here
    assertThat(state.apply(middleware("eu-2", "office", "{'ipAllowList':{'sourceRange':['0.0.0.0/0']}}", EventType.ADDED))).isEmpty();
    // its allow list changes: the tags follow
    var widened = state.apply(middleware("eu-1", "office", "{'ipAllowList':{'sourceRange':['10.0.0.0/8','192.0.2.0/24']}}", EventType.MODIFIED));
    assertThat(ops(widened)).containsExactly("consul update tributary-eu-1/shop-example-com-eu-1-192-0-2-11-8080");
    // it becomes something Traefik on the VMs cannot have: the route is withdrawn, not published without it
    var broken = state.apply(middleware("eu-1", "office", "{'basicAuth':{'secret':'users'}}", EventType.MODIFIED));
    assertThat(ops(broken)).containsExactly("consul delete tributary-eu-1/shop-example-com-eu-1-192-0-2-11-8080");
    assertThat(rejected).singleElement().asString().contains("basicAuth cannot be carried over");
    state.apply(middleware("eu-1", "office", "{'ipAllowList':{'sourceRange':['10.0.0.0/8']}}", EventType.MODIFIED));
    assertThat(state.told(Target.CONSUL)).hasSize(1);
    var deleted = state.apply(middleware("eu-1", "office", null, EventType.DELETED));
    assertThat(ops(deleted)).containsExactly("consul delete tributary-eu-1/shop-example-com-eu-1-192-0-2-11-8080");
  }

  @Test
  void vmBackendsDiscoveredInConsulTurnAWeightedRouteIntoACanaryUntilTheyGo() {
    syncAll();
    var a = key("eu-1", "cart");
    var weighted = route(a, "shop.example.com", "/cart").withOwnOptions(List.of(), false, List.of("shop.example.com"), null, null, 10);
    state.apply(accepted(a, weighted));
    assertThat(state.told(Target.TRAEFIK)).isEmpty(); // no VM backend known yet

    var found = state.apply(new TranslatedEvent(WatchEvent.of(io.tributary.translate.VmBackends.SOURCE, EventType.MODIFIED,
        io.tributary.translate.VmBackends.snapshot(Map.of("shop-vm", List.of("shop.example.com")))), null));
    assertThat(ops(found)).contains("traefik create traefik/http/services/tributary.shop-example-com-cart-canary/weighted/services/0/name");
    assertThat(state.told(Target.TRAEFIK).get("traefik/http/services/tributary.shop-example-com-cart-canary/weighted/services/0/name").toString())
        .contains("shop-vm@consulcatalog");
    assertThat(state.waitingFor()).isEmpty(); // Consul is no cluster: the barrier does not wait for it

    var gone = state.apply(new TranslatedEvent(WatchEvent.of(io.tributary.translate.VmBackends.SOURCE, EventType.MODIFIED,
        io.tributary.translate.VmBackends.snapshot(Map.of())), null));
    assertThat(ops(gone)).allMatch(o -> o.startsWith("traefik delete") || o.startsWith("consul update"));
    assertThat(state.told(Target.TRAEFIK)).isEmpty();
  }
}
