package io.tributary.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.kind.ResourceKind;
import io.tributary.settings.TributarySettings;
import io.tributary.target.Target;
import io.tributary.translate.Route;
import io.tributary.translate.TranslatedEvent;
import io.tributary.translate.Translation;
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
 * The last accepted routes across a restart: a run's {@link PipelineListener#routesInForce} reports,
 * kept as the service's file keeps them, start the next run's {@link RoutingState}. An object still
 * rejected after the restart keeps its routes (a rejected part, that part's) once every cluster has
 * synced; any other first translation, and the barrier opening for objects not seen, drop them.
 */
class LastAcceptedPlanningTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TributarySettings SETTINGS = PlanFixtures.settings("""
      tributary.translate.gateway-classes = [traefik]
      tributary.clusters { eu-1.endpoints { addresses = ["192.0.2.11"], port = 8080 } }
      """);
  private static final String WEB = "{'pathType':'Prefix','path':'/','backend':{'service':{'name':'web','port':{'number':80}}}}";

  /** One run of the diff stage: what it heard, and the routes in force as the file would keep them. */
  private static final class Run implements PipelineListener {
    final List<String> heard = new ArrayList<>();
    final Map<ObjectKey, LastAccepted.ObjectRoutes> inForce = new TreeMap<>();
    final RoutingState state;
    private int version;

    Run(LastAccepted from) {
      state = new RoutingState(SETTINGS, this, from);
    }

    /** The next run, started from this one's routes in force (a restart, whatever killed it). */
    Run restart() {
      return new Run(new LastAccepted(inForce));
    }

    @Override
    public void routesInForce(ObjectKey key, List<Route> routes, List<String> parts) {
      heard.add("in force " + key.name() + " " + routes.size() + " " + parts);
      if (routes.isEmpty()) {
        inForce.remove(key);
      } else {
        inForce.put(key, new LastAccepted.ObjectRoutes(routes, parts));
      }
    }

    @Override
    public void keptFromBeforeRestart(ObjectKey key, int routes) {
      heard.add("kept from before the restart " + key.name() + " " + routes);
    }

    @Override
    public void rejected(ObjectKey key, String reason) {
      heard.add("rejected " + key.name());
    }

    @Override
    public void accepted(ObjectKey key, int routes, List<String> warnings) {
      heard.add("accepted " + key.name() + " " + routes);
    }

    @Override
    public void partlyAccepted(ObjectKey key, int routes, List<String> warnings, List<Translation.RejectedPart> parts, int kept) {
      heard.add("partly " + key.name() + " " + routes + " kept " + kept);
    }

    void ingress(EventType type, String name, String... hosts) {
      apply(type, "{'apiVersion':'networking.k8s.io/v1','kind':'Ingress','metadata':{'name':'" + name
          + "','namespace':'shop','resourceVersion':'" + (++version) + "','creationTimestamp':'2026-01-01T00:00:00Z'"
          + "},'spec':" + rules(hosts) + "}");
    }

    void ignoredIngress(String name) {
      apply(EventType.MODIFIED, "{'apiVersion':'networking.k8s.io/v1','kind':'Ingress','metadata':{'name':'" + name
          + "','namespace':'shop','resourceVersion':'" + (++version) + "','annotations':{'tributary.io/expose':'false'}},"
          + "'spec':" + rules("a.example.com") + "}");
    }

    void gateway() {
      apply(EventType.ADDED, "{'apiVersion':'gateway.networking.k8s.io/v1','kind':'Gateway','metadata':{'name':'gw','namespace':'infra'},"
          + "'spec':{'gatewayClassName':'traefik','listeners':[{'name':'http','port':80,'protocol':'HTTP',"
          + "'allowedRoutes':{'namespaces':{'from':'All'}}}]}}");
    }

    /** The Gateway with its listener admitting the namespaces labelled shared-gateway-access=true. */
    void sharedGateway() {
      apply(EventType.ADDED, "{'apiVersion':'gateway.networking.k8s.io/v1','kind':'Gateway','metadata':{'name':'gw','namespace':'infra'},"
          + "'spec':{'gatewayClassName':'traefik','listeners':[{'name':'http','port':80,'protocol':'HTTP','allowedRoutes':{'namespaces':"
          + "{'from':'Selector','selector':{'matchLabels':{'shared-gateway-access':'true'}}}}}]}}");
    }

    void labelledNamespace(String name) {
      apply(EventType.ADDED, "{'apiVersion':'v1','kind':'Namespace','metadata':{'name':'" + name + "','resourceVersion':'" + (++version)
          + "','labels':{'shared-gateway-access':'true'}}}");
    }

    void httpRoute(EventType type, String hostname) {
      apply(type, "{'apiVersion':'gateway.networking.k8s.io/v1','kind':'HTTPRoute','metadata':{'name':'cart','namespace':'store',"
          + "'resourceVersion':'" + (++version) + "','creationTimestamp':'2026-01-01T00:00:00Z'},'spec':{'parentRefs':"
          + "[{'name':'gw','namespace':'infra'}],'hostnames':['" + hostname + "'],'rules':[{'matches':[{'path':"
          + "{'type':'PathPrefix','value':'/cart'}}],'backendRefs':[{'name':'cart','port':8080}]}]}}");
    }

    private void apply(EventType type, String json) {
      try {
        ObjectNode object = (ObjectNode) JSON.readTree(json.replace('\'', '"'));
        state.apply(Translator.translated(WatchEvent.of("eu-1", type, object), SETTINGS));
      } catch (java.io.IOException e) {
        throw new IllegalArgumentException(e);
      }
    }

    /** Every kind of the cluster has listed: the sync barrier opens. */
    Run synced() {
      for (String kind : ResourceKind.syncKindNames()) {
        state.apply(new TranslatedEvent(WatchEvent.synced("eu-1", kind), null));
      }
      return this;
    }

    /** The DNS names the writers were told to hold. */
    List<String> dnsNames() {
      return state.told(Target.DNS).keySet().stream().sorted().toList();
    }
  }

  private static String rules(String... hosts) {
    List<String> rules = new ArrayList<>();
    for (String h : hosts) {
      rules.add(h.isEmpty() ? "{'http':{'paths':[" + WEB + "]}}" : "{'host':'" + h + "','http':{'paths':[" + WEB + "]}}");
    }
    return "{'rules':[" + String.join(",", rules) + "]}";
  }

  /** A run in which web was accepted with a and b, then updated to a wholly bad version. */
  private static Run acceptedThenBroken() {
    Run first = new Run(LastAccepted.NONE).synced();
    first.ingress(EventType.ADDED, "web", "a.example.com", "b.example.com");
    first.ingress(EventType.MODIFIED, "web", "", "");
    assertThat(first.heard).last().isEqualTo("rejected web");
    assertThat(first.dnsNames()).containsExactly("a.example.com/A", "b.example.com/A");
    return first;
  }

  @Test
  void theRoutesInForceAreReportedAsTheyChangeAndOnlyThen() {
    Run run = new Run(LastAccepted.NONE).synced();
    run.ingress(EventType.ADDED, "web", "a.example.com");
    run.ingress(EventType.MODIFIED, "web", "a.example.com"); // a new resourceVersion only
    run.ingress(EventType.MODIFIED, "web", "", ""); // rejected: its routes stay, nothing to report
    run.ingress(EventType.MODIFIED, "web", "a.example.com", ""); // partly: a kept for rule 0, rule 1 bad
    run.ingress(EventType.DELETED, "web", "a.example.com");
    assertThat(run.heard).filteredOn(h -> h.startsWith("in force")).containsExactly(
        "in force web 1 [spec.rules[0].http.paths[0]]",
        "in force web 0 []");
    assertThat(run.inForce).isEmpty();
  }

  @Test
  void anObjectStillRejectedAfterTheRestartKeepsItsRoutesOnceEveryClusterHasSynced() {
    Run second = acceptedThenBroken().restart();
    assertThat(second.state.told(Target.DNS)).isEmpty();
    second.ingress(EventType.ADDED, "web", "", ""); // the initial list: still the bad version
    second.synced();
    assertThat(second.dnsNames()).containsExactly("a.example.com/A", "b.example.com/A");
    assertThat(second.heard).containsSubsequence("rejected web", "kept from before the restart web 2", "in force web 2 "
        + List.of("spec.rules[0].http.paths[0]", "spec.rules[1].http.paths[0]"));
    assertThat(second.heard).noneMatch(h -> h.equals("in force web 0 []"));

    // and across a second restart too, while it stays bad
    Run third = second.restart();
    third.ingress(EventType.ADDED, "web", "", "");
    third.synced();
    assertThat(third.dnsNames()).containsExactly("a.example.com/A", "b.example.com/A");
  }

  @Test
  void withoutTheLastAcceptedRoutesARejectedObjectLosesItsRoutingAtTheSyncAsBefore() {
    acceptedThenBroken();
    Run second = new Run(LastAccepted.NONE);
    second.ingress(EventType.ADDED, "web", "", "");
    second.synced();
    assertThat(second.dnsNames()).isEmpty();
    assertThat(second.heard).doesNotContain("kept from before the restart web 2");
  }

  @Test
  void aFixFirstReplacesTheRoutesFromBeforeTheRestart() {
    Run second = acceptedThenBroken().restart();
    second.ingress(EventType.ADDED, "web", "c.example.com");
    second.synced();
    assertThat(second.dnsNames()).containsExactly("c.example.com/A");
    // a later rejection keeps what this run accepted, not what the previous one had
    second.ingress(EventType.MODIFIED, "web", "", "");
    assertThat(second.dnsNames()).containsExactly("c.example.com/A");
    assertThat(second.heard).noneMatch(h -> h.startsWith("kept from before the restart"));
  }

  @Test
  void aRejectedPartKeepsWhatThatPartHadBeforeTheRestart() {
    Run first = new Run(LastAccepted.NONE).synced();
    first.ingress(EventType.ADDED, "web", "a.example.com", "b.example.com", "c.example.com");
    Run second = first.restart();
    // rule 1 turned bad while the service was down: its b stays, the others follow the update
    second.ingress(EventType.ADDED, "web", "a.example.com", "", "d.example.com");
    second.synced();
    assertThat(second.dnsNames()).containsExactly("a.example.com/A", "b.example.com/A", "d.example.com/A");
    assertThat(second.heard).containsSubsequence("partly web 3 kept 1", "kept from before the restart web 1");
    assertThat(second.inForce.get(key("Ingress", "shop", "web")).parts()).contains("spec.rules[1].http.paths[0]");

    // fixed: the kept route gives way
    second.ingress(EventType.MODIFIED, "web", "a.example.com", "e.example.com", "d.example.com");
    assertThat(second.dnsNames()).containsExactly("a.example.com/A", "d.example.com/A", "e.example.com/A");
  }

  @Test
  void anObjectIgnoredOrDeletedAfterTheRestartDropsItsRoutesFromBefore() {
    Run first = new Run(LastAccepted.NONE).synced();
    first.ingress(EventType.ADDED, "web", "a.example.com");
    first.ingress(EventType.ADDED, "shop", "b.example.com");
    Run second = first.restart();
    second.ignoredIngress("web");
    second.ingress(EventType.DELETED, "shop", "b.example.com");
    second.ingress(EventType.MODIFIED, "shop", "", ""); // back, rejected: nothing from before is left for it
    second.synced();
    assertThat(second.dnsNames()).isEmpty();
    assertThat(second.inForce).isEmpty();
    assertThat(second.heard).noneMatch(h -> h.startsWith("kept from before the restart"));
  }

  @Test
  void theBarrierOpeningDropsTheRoutesOfObjectsNotSeenSinceTheRestart() {
    Run second = acceptedThenBroken().restart();
    second.synced(); // web was deleted while the service was down: it is not listed
    assertThat(second.dnsNames()).isEmpty();
    assertThat(second.heard).containsExactly("in force web 0 []");
    assertThat(second.inForce).isEmpty();

    // it comes back bad after the sync: nothing from before the restart is kept any more
    second.ingress(EventType.ADDED, "web", "", "");
    assertThat(second.dnsNames()).isEmpty();
  }

  @Test
  void anHttpRouteStillRejectedAfterTheRestartKeepsItsRoutes() {
    Run first = new Run(LastAccepted.NONE).synced();
    first.gateway();
    first.httpRoute(EventType.ADDED, "cart.example.com");
    first.httpRoute(EventType.MODIFIED, "Not_A_Host");
    assertThat(first.heard).last().isEqualTo("rejected cart");
    assertThat(first.dnsNames()).containsExactly("cart.example.com/A");

    Run second = first.restart();
    second.httpRoute(EventType.ADDED, "Not_A_Host");
    second.gateway();
    second.synced();
    assertThat(second.dnsNames()).containsExactly("cart.example.com/A");
    assertThat(second.heard).contains("kept from before the restart cart 1");
  }

  @Test
  void anHttpRouteWaitingForItsGatewayWaitsWithItsRoutesFromBefore() {
    Run first = new Run(LastAccepted.NONE).synced();
    first.gateway();
    first.httpRoute(EventType.ADDED, "cart.example.com");
    Run second = first.restart();
    // listed before its Gateway and good, as it was: pending, which is not yet its first translation
    second.httpRoute(EventType.ADDED, "cart.example.com");
    assertThat(second.heard).noneMatch(h -> h.startsWith("in force cart"));
    second.gateway();
    second.synced();
    assertThat(second.dnsNames()).containsExactly("cart.example.com/A");
    assertThat(second.inForce).containsOnlyKeys(key("HTTPRoute", "store", "cart"));
  }

  @Test
  void anHttpRouteWaitingForItsNamespaceLabelsWaitsWithItsRoutesFromBefore() {
    Run first = new Run(LastAccepted.NONE).synced();
    first.labelledNamespace("store");
    first.sharedGateway();
    first.httpRoute(EventType.ADDED, "cart.example.com");
    assertThat(first.dnsNames()).containsExactly("cart.example.com/A");
    Run second = first.restart();
    // its Gateway and itself listed before the Namespaces: pending, not yet its first translation
    second.sharedGateway();
    second.httpRoute(EventType.ADDED, "cart.example.com");
    assertThat(second.heard).noneMatch(h -> h.startsWith("in force cart"));
    second.labelledNamespace("store");
    second.synced();
    assertThat(second.dnsNames()).containsExactly("cart.example.com/A");
    assertThat(second.inForce).containsOnlyKeys(key("HTTPRoute", "store", "cart"));
    assertThat(second.heard).filteredOn(h -> h.startsWith("in force cart")).containsExactly("in force cart 1 [spec.rules[0]]");
  }

  private static ObjectKey key(String kind, String namespace, String name) {
    return new ObjectKey("eu-1", kind, namespace, name);
  }
}
