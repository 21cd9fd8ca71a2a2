package io.tributary.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.consul.ConsulRegistration;
import io.tributary.dns.DnsRecordSet;
import io.tributary.kind.ResourceKind;
import io.tributary.settings.TributarySettings;
import io.tributary.target.Change;
import io.tributary.target.ChangeSet;
import io.tributary.target.Op;
import io.tributary.target.Target;
import io.tributary.translate.TranslatedEvent;
import io.tributary.translate.Translator;
import io.tributary.watch.EventType;
import io.tributary.watch.ObjectKey;
import io.tributary.watch.WatchEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * HTTPRoutes through planning as the live service meets them: informers deliver kinds in no fixed
 * order, so a route may come before its Gateway (no held-back note until the cluster's Gateways
 * have listed); and one route per effective hostname, so the same hostname and path in several
 * clusters is one Consul service whatever other hostnames each cluster's route lists.
 */
class HttpRoutePlanningTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TributarySettings SETTINGS = PlanFixtures.settings("""
      tributary.translate.gateway-classes = [traefik]
      tributary.clusters {
        alpha.endpoints { addresses = ["192.0.2.11"], port = 8080 }
        beta.endpoints { addresses = ["192.0.2.21"], port = 8080 }
      }
      """);
  private static final String HELD_BACK = "held back: its Gateway infra/gw does not exist in cluster alpha";

  private static ObjectNode json(String s) {
    try {
      return (ObjectNode) JSON.readTree(s.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static ObjectNode gateway(String className) {
    return json("{'apiVersion':'gateway.networking.k8s.io/v1','kind':'Gateway','metadata':{'name':'gw','namespace':'infra'},"
        + "'spec':{'gatewayClassName':'" + className + "','listeners':[{'name':'http','port':80,'protocol':'HTTP',"
        + "'allowedRoutes':{'namespaces':{'from':'All'}}}]}}");
  }

  private static ObjectNode route(String... hostnames) {
    return json("{'apiVersion':'gateway.networking.k8s.io/v1','kind':'HTTPRoute','metadata':{'name':'cart','namespace':'store',"
        + "'creationTimestamp':'2026-01-01T00:00:00Z'},'spec':{'parentRefs':[{'name':'gw','namespace':'infra'}],'hostnames':['"
        + String.join("','", hostnames) + "'],'rules':[{'matches':[{'path':{'type':'PathPrefix','value':'/cart'}}],"
        + "'backendRefs':[{'name':'cart','port':8080}]}]}}");
  }

  /** Every report the listener hears, in order, as text. */
  private static final class Heard implements PipelineListener {
    final List<String> reports = new ArrayList<>();

    @Override
    public void accepted(ObjectKey key, int routes, List<String> warnings) {
      reports.add(key + " accepted " + routes + " " + warnings);
    }

    @Override
    public void ignored(ObjectKey key, String reason) {
      reports.add(key + " ignored: " + reason);
    }
  }

  private static List<ChangeSet> add(RoutingState state, String cluster, ObjectNode object, TributarySettings settings) {
    return state.apply(Translator.translated(WatchEvent.of(cluster, EventType.ADDED, object), settings));
  }

  private static List<ChangeSet> synced(RoutingState state, String cluster, ResourceKind kind) {
    return state.apply(new TranslatedEvent(WatchEvent.synced(cluster, kind.kind()), null));
  }

  private static void syncedAllBut(RoutingState state, String cluster, ResourceKind except) {
    for (String kind : ResourceKind.syncKindNames()) {
      if (!kind.equals(except.kind())) {
        state.apply(new TranslatedEvent(WatchEvent.synced(cluster, kind), null));
      }
    }
  }

  @Test
  void aRouteBeforeItsGatewayIsPendingWithoutNoteUntilTheGatewaysHaveListed() {
    Heard heard = new Heard();
    var state = new RoutingState(SETTINGS, heard);
    add(state, "alpha", route("store.example.test"), SETTINGS);
    syncedAllBut(state, "alpha", ResourceKind.GATEWAY); // HTTPRoutes, ReferenceGrants, Ingresses … listed first
    assertThat(heard.reports).isNotEmpty().noneMatch(r -> r.contains("held back"));
    assertThat(state.told(Target.CONSUL)).isEmpty();

    // the Gateways have listed and it is not among them: now it is missing, and said so
    synced(state, "alpha", ResourceKind.GATEWAY);
    assertThat(heard.reports.get(heard.reports.size() - 1)).contains(HELD_BACK);

    // it appears later: translated at once
    add(state, "alpha", gateway("traefik"), SETTINGS);
    assertThat(heard.reports.get(heard.reports.size() - 1)).endsWith("HTTPRoute/store/cart accepted 1 []");
    assertThat(state.told(Target.CONSUL)).hasSize(1);
  }

  @Test
  void aGatewayArrivingBeforeItsMarkerNeverMakesTheRouteHeldBack() {
    Heard heard = new Heard();
    var state = new RoutingState(SETTINGS, heard);
    add(state, "alpha", route("store.example.test"), SETTINGS);
    add(state, "alpha", gateway("traefik"), SETTINGS);
    syncedAllBut(state, "alpha", ResourceKind.NODE);
    syncedAllBut(state, "beta", ResourceKind.NODE);
    assertThat(heard.reports).noneMatch(r -> r.contains("held back"));
    assertThat(state.told(Target.CONSUL)).hasSize(1);
  }

  @Test
  void aRouteOfAGatewayOfAnotherClassIsNeverReportedHeldBack() {
    Heard heard = new Heard();
    var state = new RoutingState(SETTINGS, heard);
    ObjectKey key = new ObjectKey("alpha", "HTTPRoute", "store", "cart");
    add(state, "alpha", route("store.example.test"), SETTINGS);
    add(state, "alpha", gateway("istio"), SETTINGS);
    syncedAllBut(state, "alpha", ResourceKind.NODE);
    assertThat(heard.reports).noneMatch(r -> r.contains("held back"));
    assertThat(heard.reports.stream().filter(r -> r.startsWith(key.toString())).toList()).last().asString()
        .contains("ignored: attached to no Gateway of translate.gateway-classes [traefik] (Gateway infra/gw is of class 'istio')");

    // and in the other order (the marker before the Gateway), it is held back only once the Gateways listed without it
    Heard other = new Heard();
    var state2 = new RoutingState(SETTINGS, other);
    add(state2, "alpha", route("store.example.test"), SETTINGS);
    add(state2, "alpha", gateway("istio"), SETTINGS);
    synced(state2, "alpha", ResourceKind.GATEWAY);
    assertThat(other.reports).noneMatch(r -> r.contains("held back")).last().asString().contains("ignored: attached to no Gateway");
  }

  @Test
  void aLogWithoutGatewayMarkersCountsTheGatewaysListedOnceTheBarrierOpens() {
    // a replayed log naming a cluster the configuration does not: the barrier waits for the kinds it showed
    TributarySettings logOnly = PlanFixtures.settings("tributary.translate.gateway-classes = [traefik]");
    Heard heard = new Heard();
    var state = new RoutingState(logOnly, heard);
    add(state, "alpha", route("store.example.test"), logOnly);
    assertThat(heard.reports).noneMatch(r -> r.contains("held back"));
    synced(state, "alpha", ResourceKind.HTTP_ROUTE); // every kind it showed has listed: the barrier opens
    assertThat(state.waitingFor()).isEmpty();
    assertThat(heard.reports.get(heard.reports.size() - 1)).contains(HELD_BACK);
  }

  @Test
  void theSameHostAndPathInTwoClustersIsOneConsulServiceWhateverOtherHostnamesEachLists() {
    var state = new RoutingState(SETTINGS, PipelineListener.NONE);
    add(state, "alpha", gateway("traefik"), SETTINGS);
    add(state, "beta", gateway("traefik"), SETTINGS);
    add(state, "alpha", route("store.example.test", "new.example.test"), SETTINGS);
    add(state, "beta", route("store.example.test"), SETTINGS);
    syncedAllBut(state, "alpha", ResourceKind.NODE);
    syncedAllBut(state, "beta", ResourceKind.NODE);
    Map<String, List<String>> before = instances(state);
    String store = before.keySet().stream().filter(s -> s.startsWith("store-example-test-cart")).findFirst().orElseThrow();
    String fresh = before.keySet().stream().filter(s -> s.startsWith("new-example-test-cart")).findFirst().orElseThrow();
    assertThat(before).containsOnlyKeys(store, fresh);
    assertThat(before.get(store)).containsExactly("alpha", "beta"); // one service, instances in both clusters
    assertThat(before.get(fresh)).containsExactly("alpha");
    var storeRecords = new TreeMap<>(state.told(Target.CONSUL));
    storeRecords.values().removeIf(r -> !((ConsulRegistration) r).service().equals(store));

    // beta adds the second hostname: an instance of the second service, and the first is not touched
    List<ChangeSet> sets = add(state, "beta", route("store.example.test", "new.example.test"), SETTINGS);
    List<Change> consul = sets.stream().filter(s -> s.target() == Target.CONSUL).flatMap(s -> s.changes().stream()).toList();
    assertThat(consul).isNotEmpty().allSatisfy(c -> {
      assertThat(c.op()).isNotEqualTo(Op.DELETE);
      assertThat(((ConsulRegistration) c.value()).service()).isEqualTo(fresh);
    });
    // DNS: the new name gains beta's address; store.example.test is not touched
    List<Change> dns = sets.stream().filter(s -> s.target() == Target.DNS).flatMap(s -> s.changes().stream()).toList();
    assertThat(dns).isNotEmpty().allSatisfy(c -> {
      assertThat(c.op()).isNotEqualTo(Op.DELETE);
      assertThat(((DnsRecordSet) c.value()).name()).isEqualTo("new.example.test");
    });
    assertThat(((DnsRecordSet) state.told(Target.DNS).get("store.example.test/A")).values()).containsExactly("192.0.2.11", "192.0.2.21");
    assertThat(instances(state)).containsOnlyKeys(store, fresh);
    assertThat(instances(state).get(fresh)).containsExactly("alpha", "beta");
    storeRecords.forEach((k, r) -> assertThat(state.told(Target.CONSUL).get(k)).isEqualTo(r));
  }

  /** The clusters of each Consul service's instances. */
  private static Map<String, List<String>> instances(RoutingState state) {
    Map<String, List<String>> out = new TreeMap<>();
    state.told(Target.CONSUL).values().forEach(r -> {
      ConsulRegistration c = (ConsulRegistration) r;
      out.computeIfAbsent(c.service(), s -> new ArrayList<>()).add(c.meta().get("cluster"));
    });
    out.values().forEach(l -> l.sort(null));
    return out;
  }

  private static ObjectNode twoRules(String firstRuleMatch, String secondRulePath) {
    return json("{'apiVersion':'gateway.networking.k8s.io/v1','kind':'HTTPRoute','metadata':{'name':'cart','namespace':'store',"
        + "'creationTimestamp':'2026-01-01T00:00:00Z'},'spec':{'parentRefs':[{'name':'gw','namespace':'infra'}],"
        + "'hostnames':['store.example.test'],'rules':[{'matches':[{'path':" + firstRuleMatch + "}],"
        + "'backendRefs':[{'name':'items','port':8080}]},{'matches':[{'path':{'type':'Exact','value':'" + secondRulePath + "'}}],"
        + "'backendRefs':[{'name':'cart','port':8080}]}]}}");
  }

  @Test
  void aRuleThatTurnsBadKeepsItsRoutesWhileTheOtherRulesFollowTheUpdate() {
    var state = new RoutingState(SETTINGS, PipelineListener.NONE);
    for (String cluster : List.of("alpha", "beta")) { // every cluster listed: deletes are not held back
      ResourceKind.syncKindNames().forEach(kind -> state.apply(new TranslatedEvent(WatchEvent.synced(cluster, kind), null)));
    }
    add(state, "alpha", gateway("traefik"), SETTINGS);
    add(state, "alpha", twoRules("{'type':'RegularExpression','value':'/item/[0-9]+'}", "/cart"), SETTINGS);
    assertThat(services(state)).containsExactly("store-example-test-a19966", "store-example-test-cart-exact");

    // rule 0 gets a backreference Traefik cannot compile while rule 1 moves: rule 1 follows, rule 0 keeps what it had
    add(state, "alpha", twoRules("{'type':'RegularExpression','value':'/item/([0-9])\\\\1'}", "/basket"), SETTINGS);
    assertThat(services(state)).containsExactly("store-example-test-a19966", "store-example-test-basket-exact");

    // fixed: the new regexp is routed in place of the kept one
    add(state, "alpha", twoRules("{'type':'RegularExpression','value':'/items/[0-9]+'}", "/basket"), SETTINGS);
    assertThat(services(state)).containsExactly("store-example-test-9b60f0", "store-example-test-basket-exact");
  }

  /** A Gateway whose listener admits the routes of namespaces labelled shared-gateway-access=true (as the Gateway API's example). */
  private static ObjectNode sharedGateway() {
    return json("{'apiVersion':'gateway.networking.k8s.io/v1','kind':'Gateway','metadata':{'name':'gw','namespace':'infra'},"
        + "'spec':{'gatewayClassName':'traefik','listeners':[{'name':'http','port':80,'protocol':'HTTP','allowedRoutes':{'namespaces':"
        + "{'from':'Selector','selector':{'matchLabels':{'shared-gateway-access':'true'}}}}}]}}");
  }

  private static ObjectNode namespace(String name, String rv, String... labels) {
    ObjectNode ns = json("{'apiVersion':'v1','kind':'Namespace','metadata':{'name':'" + name + "','resourceVersion':'" + rv + "'}}");
    ObjectNode l = ((ObjectNode) ns.get("metadata")).putObject("labels");
    l.put("kubernetes.io/metadata.name", name);
    for (int i = 0; i < labels.length; i += 2) {
      l.put(labels[i], labels[i + 1]);
    }
    return ns;
  }

  private static List<ChangeSet> apply(RoutingState state, String cluster, EventType type, ObjectNode object) {
    return state.apply(Translator.translated(WatchEvent.of(cluster, type, object), SETTINGS));
  }

  private static List<Op> consulOps(List<ChangeSet> sets) {
    return sets.stream().filter(s -> s.target() == Target.CONSUL).flatMap(s -> s.changes().stream()).map(Change::op).toList();
  }

  @Test
  void aNamespaceLabelledLaterAttachesItsRouteAndTheLabelRemovedWithdrawsIt() {
    Heard heard = new Heard();
    var state = new RoutingState(SETTINGS, heard);
    apply(state, "alpha", EventType.ADDED, namespace("store", "1"));
    apply(state, "alpha", EventType.ADDED, sharedGateway());
    apply(state, "alpha", EventType.ADDED, route("store.example.test"));
    syncedAllBut(state, "alpha", ResourceKind.NODE);
    syncedAllBut(state, "beta", ResourceKind.NODE);
    assertThat(state.told(Target.CONSUL)).isEmpty();
    assertThat(heard.reports).last().asString().contains("HTTPRoute/store/cart accepted 0 [spec.parentRefs[0] (Gateway infra/gw)"
        + " does not attach to listener http: its allowedRoutes selector shared-gateway-access=true does not select namespace store");

    // labelled: the route attaches and is written
    List<ChangeSet> labelled = apply(state, "alpha", EventType.MODIFIED, namespace("store", "2", "shared-gateway-access", "true"));
    assertThat(consulOps(labelled)).containsExactly(Op.CREATE);
    assertThat(heard.reports).last().asString().endsWith("HTTPRoute/store/cart accepted 1 []");
    assertThat(instances(state)).hasSize(1);

    // another label changes, or only its resourceVersion: nothing to translate
    int heardBefore = heard.reports.size();
    assertThat(apply(state, "alpha", EventType.MODIFIED, namespace("store", "3", "shared-gateway-access", "true"))).isEmpty();
    assertThat(heard.reports).hasSize(heardBefore);

    // the label removed: withdrawn (every cluster has listed, so the delete flows)
    List<ChangeSet> removed = apply(state, "alpha", EventType.MODIFIED, namespace("store", "4", "team", "store"));
    assertThat(consulOps(removed)).containsExactly(Op.DELETE);
    assertThat(state.told(Target.CONSUL)).isEmpty();
    assertThat(heard.reports).last().asString().contains("does not select namespace store (labels {team=store})");
    assertThat(state.heldDeletes()).isZero();
  }

  @Test
  void aNamespaceArrivingAfterItsRouteButBeforeItsMarkerNeverWithdrawsNorHoldsBackTheRoute() {
    Heard heard = new Heard();
    var state = new RoutingState(SETTINGS, heard);
    List<ChangeSet> out = new ArrayList<>();
    out.addAll(apply(state, "alpha", EventType.ADDED, sharedGateway()));
    out.addAll(apply(state, "alpha", EventType.ADDED, route("store.example.test")));
    for (String kind : ResourceKind.syncKindNames()) { // every kind but Namespace listed in both clusters
      if (!kind.equals(ResourceKind.NAMESPACE.kind())) {
        out.addAll(state.apply(new TranslatedEvent(WatchEvent.synced("alpha", kind), null)));
      }
    }
    syncedAllBut(state, "beta", ResourceKind.NODE);
    // waiting for its namespace's labels: silently, and the barrier waits for them too
    assertThat(state.waitingFor()).containsExactly("alpha");
    assertThat(heard.reports).noneMatch(r -> r.contains("does not") || r.contains("held back"));
    assertThat(state.told(Target.CONSUL)).isEmpty();

    out.addAll(apply(state, "alpha", EventType.ADDED, namespace("store", "1", "shared-gateway-access", "true")));
    out.addAll(apply(state, "alpha", EventType.ADDED, namespace("other", "1")));
    assertThat(instances(state)).hasSize(1);
    out.addAll(synced(state, "alpha", ResourceKind.NAMESPACE));
    assertThat(state.waitingFor()).isEmpty();
    // created once, never deleted, nothing held back
    assertThat(consulOps(out)).containsExactly(Op.CREATE);
    assertThat(state.heldDeletes()).isZero();
    assertThat(heard.reports).noneMatch(r -> r.contains("does not") || r.contains("held back"));
    assertThat(instances(state)).hasSize(1);
  }

  @Test
  void withoutItsNamespaceARouteALabelSelectorDecidesIsHeldSilentlyUntilTheNamespacesHaveListed() {
    Heard heard = new Heard();
    var state = new RoutingState(SETTINGS, heard);
    apply(state, "alpha", EventType.ADDED, sharedGateway());
    apply(state, "alpha", EventType.ADDED, route("store.example.test"));
    syncedAllBut(state, "alpha", ResourceKind.NAMESPACE);
    syncedAllBut(state, "beta", ResourceKind.NODE);
    assertThat(heard.reports).noneMatch(r -> r.contains("does not"));
    // listed without it: the namespace has no labels, and the note says so
    synced(state, "alpha", ResourceKind.NAMESPACE);
    assertThat(heard.reports).last().asString().contains("does not select namespace store (no labels besides its name)");
    assertThat(state.told(Target.CONSUL)).isEmpty();
  }

  @Test
  void aNamespaceDeletedWithdrawsItsRoutesAndHoldsNothingBack() {
    var state = new RoutingState(SETTINGS, PipelineListener.NONE);
    apply(state, "alpha", EventType.ADDED, namespace("store", "1", "shared-gateway-access", "true"));
    apply(state, "alpha", EventType.ADDED, sharedGateway());
    apply(state, "alpha", EventType.ADDED, route("store.example.test"));
    syncedAllBut(state, "alpha", ResourceKind.NODE);
    syncedAllBut(state, "beta", ResourceKind.NODE);
    assertThat(instances(state)).hasSize(1);
    // Kubernetes deletes a namespace's objects with it; whichever event comes first withdraws the route
    List<ChangeSet> gone = state.apply(new TranslatedEvent(
        new WatchEvent(new ObjectKey("alpha", "Namespace", "", "store"), EventType.DELETED, null, null), null));
    assertThat(consulOps(gone)).containsExactly(Op.DELETE);
    assertThat(apply(state, "alpha", EventType.DELETED, route("store.example.test"))).isEmpty();
    assertThat(state.told(Target.CONSUL)).isEmpty();
    assertThat(state.heldDeletes()).isZero();
  }

  @Test
  void withTheGatewayApiOffNamespaceEventsTranslateNothing() {
    TributarySettings off = PlanFixtures.settings("tributary.clusters.alpha.endpoints { addresses = [\"192.0.2.11\"], port = 8080 }");
    Heard heard = new Heard();
    var state = new RoutingState(off, heard);
    state.apply(Translator.translated(WatchEvent.of("alpha", EventType.ADDED, route("store.example.test")), off));
    int before = heard.reports.size();
    assertThat(state.apply(Translator.translated(WatchEvent.of("alpha", EventType.ADDED,
        namespace("store", "1", "shared-gateway-access", "true")), off))).isEmpty();
    assertThat(heard.reports).hasSize(before);
  }

  private static List<String> services(RoutingState state) {
    return state.told(Target.CONSUL).values().stream().map(r -> ((ConsulRegistration) r).service()).sorted().toList();
  }
}
