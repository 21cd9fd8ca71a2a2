package io.tributary.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.watch.EventType;
import io.tributary.watch.WatchEvent;
import org.junit.jupiter.api.Test;

/** What routes depend on besides their objects: endpoints from Nodes, Middlewares, TraefikServices, VM backends. */
class ClusterInputsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ObjectNode json(String s) throws Exception {
    return (ObjectNode) JSON.readTree(s.replace('\'', '"'));
  }

  private static WatchEvent node(String name, String ip, boolean ready) throws Exception {
    return WatchEvent.of("eu-1", EventType.ADDED, json("{'apiVersion':'v1','kind':'Node','metadata':{'name':'" + name
        + "'},'status':{'addresses':[{'type':'InternalIP','address':'" + ip + "'}],'conditions':[{'type':'Ready','status':'"
        + (ready ? "True" : "False") + "'}]}}"));
  }

  @Test
  void nodeEndpointsChangeWithReadyNodesAndHeartbeatsChangeNothing() throws Exception {
    var inputs = new ClusterInputs(PlanFixtures.settings("""
        tributary.clusters.eu-1.endpoints { type = nodes, host-port = 8080 }
        """));
    assertThat(inputs.onNode(node("n1", "10.0.0.1", true))).isEqualTo("eu-1");
    assertThat(inputs.endpoints("eu-1").addresses()).containsExactly("10.0.0.1");
    assertThat(inputs.onNode(node("n1", "10.0.0.1", true))).isNull(); // a heartbeat
    assertThat(inputs.onNode(node("n2", "10.0.0.2", false))).isNull(); // not ready: no endpoint
    assertThat(inputs.onNode(node("n2", "10.0.0.2", true))).isEqualTo("eu-1");
    assertThat(inputs.endpoints("eu-1").addresses()).containsExactly("10.0.0.1", "10.0.0.2");
  }

  @Test
  void configuredEndpointsIgnoreNodes() throws Exception {
    var inputs = new ClusterInputs(PlanFixtures.TWO_CLUSTERS);
    assertThat(inputs.onNode(node("n1", "10.0.0.1", true))).isNull();
    assertThat(inputs.endpoints("eu-1").addresses()).containsExactly("192.0.2.11");
  }

  @Test
  void aMiddlewareChangeIsReportedOnlyWhenItsDefinitionChanges() throws Exception {
    var inputs = new ClusterInputs(PlanFixtures.TWO_CLUSTERS);
    var allow = WatchEvent.of("eu-1", EventType.ADDED, json(
        "{'apiVersion':'traefik.io/v1alpha1','kind':'Middleware','metadata':{'name':'office','namespace':'shop'},"
            + "'spec':{'ipAllowList':{'sourceRange':['10.0.0.0/8']}}}"));
    var first = inputs.onMiddleware(allow);
    assertThat(first.changed()).isTrue();
    assertThat(first.report(allow.key())).isInstanceOf(PlanReport.Accepted.class);
    assertThat(inputs.middleware("eu-1", "shop-office")).isNotNull();
    assertThat(inputs.onMiddleware(allow).changed()).isFalse();
    var gone = inputs.onMiddleware(new WatchEvent(allow.key(), EventType.DELETED, null, null));
    assertThat(gone.changed()).isTrue();
    assertThat(gone.report(allow.key())).isInstanceOf(PlanReport.Deleted.class);
  }

  private static WatchEvent traefikService(String group, String name, String spec) throws Exception {
    return WatchEvent.of("eu-1", EventType.ADDED, json("{'apiVersion':'" + group + "/v1alpha1','kind':'TraefikService',"
        + "'metadata':{'name':'" + name + "','namespace':'shop'},'spec':" + spec + "}"));
  }

  @Test
  void aTraefikServiceChangeConcernsItselfAndEveryTreeReachingIt() throws Exception {
    var inputs = new ClusterInputs(PlanFixtures.TWO_CLUSTERS);
    inputs.onTraefikService(traefikService("traefik.io", "top", "{'weighted':{'services':[{'name':'mid','kind':'TraefikService'}]}}"));
    inputs.onTraefikService(traefikService("traefik.io", "mid",
        "{'mirroring':{'name':'web','port':80,'mirrors':[{'name':'leaf','kind':'TraefikService'}]}}"));
    inputs.onTraefikService(traefikService("traefik.io", "other", "{'weighted':{'services':[{'name':'web','port':80}]}}"));
    var leaf = inputs.onTraefikService(traefikService("traefik.io", "leaf", "{'weighted':{'services':[{'name':'web','port':80}]}}"));
    assertThat(leaf.kind()).isEqualTo(io.tributary.kind.ResourceKind.TRAEFIK_SERVICE);
    assertThat(leaf.changed()).isTrue();
    assertThat(leaf.reaching()).containsExactly("shop-leaf", "shop-mid", "shop-top");
    assertThat(leaf.report(traefikService("traefik.io", "leaf", "{}").key()))
        .isInstanceOf(PlanReport.Accepted.class);
    // the same object again (a resourceVersion bump): nothing changed
    assertThat(inputs.onTraefikService(traefikService("traefik.io", "leaf", "{'weighted':{'services':[{'name':'web','port':80}]}}"))
        .changed()).isFalse();
    var unusable = inputs.onTraefikService(traefikService("traefik.io", "other", "{'weighted':{'services':[]}}"));
    assertThat(unusable.unusable()).isEqualTo("weighted.services must be a non-empty list");
    assertThat(unusable.report(traefikService("traefik.io", "other", "{}").key())).isInstanceOf(PlanReport.Rejected.class);
  }

  @Test
  void aTraefikServiceInBothApiGroupsIsTheCurrentGroupsUntilThatOneGoes() throws Exception {
    var inputs = new ClusterInputs(PlanFixtures.TWO_CLUSTERS);
    var legacy = traefikService("traefik.containo.us", "wrr", "{'weighted':{'services':[{'name':'old','port':80}]}}");
    var current = traefikService("traefik.io", "wrr", "{'weighted':{'services':[{'name':'new','port':80}]}}");
    inputs.onTraefikService(legacy);
    inputs.onTraefikService(current);
    assertThat(inputs.traefikService("eu-1", "shop-wrr").services().get(0).name()).isEqualTo("new");
    inputs.onTraefikService(new WatchEvent(current.key(), EventType.DELETED, null, null));
    assertThat(inputs.traefikService("eu-1", "shop-wrr").services().get(0).name()).isEqualTo("old");
    var gone = inputs.onTraefikService(new WatchEvent(legacy.key(), EventType.DELETED, null, null));
    assertThat(gone.gone()).isTrue();
    assertThat(inputs.traefikService("eu-1", "shop-wrr")).isNull();
    assertThat(inputs.traefikService("eu-2", "shop-wrr")).isNull();
  }
}
