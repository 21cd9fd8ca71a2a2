package io.tributary.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.target.Change;
import io.tributary.target.ChangeSet;
import io.tributary.target.Target;
import io.tributary.translate.TranslatedEvent;
import io.tributary.translate.Translator;
import io.tributary.watch.EventType;
import io.tributary.watch.ObjectKey;
import io.tributary.watch.WatchEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * IngressRoutes naming TraefikServices, through translation and the diff stage: held back while
 * their cluster cannot serve them, released when it can, replanned when their tree changes.
 */
class TraefikServicePlanningTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String INSTANCE = "consul create tributary-eu-1/shop-example-com-eu-1-192-0-2-11-8080";

  private final Map<String, List<String>> notes = new LinkedHashMap<>();
  private final List<String> rejected = new ArrayList<>();
  private RoutingState state;

  @BeforeEach
  void fresh() {
    state = new RoutingState(PlanFixtures.TWO_CLUSTERS, new PipelineListener() {
      @Override
      public void unitNotes(String unit, List<String> n) {
        notes.put(unit, n);
      }

      @Override
      public void rejected(ObjectKey key, String reason) {
        rejected.add(key.name() + ": " + reason);
      }
    });
    for (String cluster : List.of("eu-1", "eu-2")) {
      for (String kind : Translator.KINDS) {
        state.apply(new TranslatedEvent(WatchEvent.synced(cluster, kind), null));
      }
    }
  }

  private static ObjectNode json(String s) {
    try {
      return (ObjectNode) JSON.readTree(s.replace('\'', '"'));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private List<ChangeSet> apply(String cluster, EventType type, ObjectNode object) {
    return state.apply(Translator.translated(WatchEvent.of(cluster, type, object), PlanFixtures.TWO_CLUSTERS));
  }

  private List<ChangeSet> delete(String cluster, String kind, String name) {
    return state.apply(new TranslatedEvent(new WatchEvent(new ObjectKey(cluster, kind, "shop", name), EventType.DELETED, "9", null), null));
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

  private static ObjectNode route(String services) {
    return json("{'apiVersion':'traefik.io/v1alpha1','kind':'IngressRoute','metadata':{'name':'shop','namespace':'shop',"
        + "'creationTimestamp':'2026-01-01T00:00:00Z'},'spec':{'routes':[{'match':'Host(`shop.example.com`)','services':" + services + "}]}}");
  }

  private static ObjectNode traefikService(String group, String name, String spec, String resourceVersion) {
    return json("{'apiVersion':'" + group + "/v1alpha1','kind':'TraefikService','metadata':{'name':'" + name + "','namespace':'shop',"
        + "'resourceVersion':'" + resourceVersion + "'},'spec':" + spec + "}");
  }

  private static ObjectNode traefikService(String name, String spec) {
    return traefikService("traefik.io", name, spec, "1");
  }

  private static final String CANARY = "[{'name':'canary','kind':'TraefikService'}]";
  private static final String SPLIT = "{'weighted':{'services':[{'name':'shop-v1','port':80,'weight':3},{'name':'shop-v2','port':80,'weight':1}]}}";

  @Test
  void aRouteIsHeldBackUntilItsTraefikServiceArrivesAndAgainWhenItGoes() {
    assertThat(ops(apply("eu-1", EventType.ADDED, route(CANARY)))).containsExactly("dns create shop.example.com/A");
    assertThat(state.told(Target.CONSUL)).isEmpty();
    assertThat(notes.get("consul:Host(`shop.example.com`)")).singleElement().asString()
        .startsWith("held back in cluster eu-1: Host(`shop.example.com`) has no instances there until eu-1/IngressRoute/shop/shop"
            + " can have its TraefikService shop-canary, which does not exist in cluster eu-1");

    assertThat(ops(apply("eu-1", EventType.ADDED, traefikService("canary", SPLIT)))).containsExactly(INSTANCE);
    assertThat(notes.get("consul:Host(`shop.example.com`)"))
        .containsExactly("split in cluster eu-1: shop-canary = weighted shop-v1:80 75%, shop-v2:80 25%");
    // the same TraefikService in another cluster concerns only that cluster's routes
    assertThat(apply("eu-2", EventType.ADDED, traefikService("canary", SPLIT))).isEmpty();

    assertThat(ops(delete("eu-1", "TraefikService", "canary")))
        .containsExactly("consul delete tributary-eu-1/shop-example-com-eu-1-192-0-2-11-8080");
  }

  @Test
  void theSameRoutesInEitherArrivalOrderEndTheSame() {
    apply("eu-1", EventType.ADDED, traefikService("canary", SPLIT));
    assertThat(ops(apply("eu-1", EventType.ADDED, route(CANARY)))).containsExactly(INSTANCE, "dns create shop.example.com/A");
  }

  @Test
  void aResourceVersionOnlyUpdatePlansNothingAndAChangeReplansWithoutAWriteWhenTheTagsStayTheSame() {
    apply("eu-1", EventType.ADDED, route(CANARY));
    apply("eu-1", EventType.ADDED, traefikService("traefik.io", "canary", SPLIT, "1"));
    notes.clear();
    assertThat(apply("eu-1", EventType.MODIFIED, traefikService("traefik.io", "canary", SPLIT, "2"))).isEmpty();
    assertThat(notes).isEmpty(); // not even planned
    // new weights: planned again (the note follows), but the VM side's registration is the same
    var reweighted = apply("eu-1", EventType.MODIFIED, traefikService("traefik.io", "canary",
        "{'weighted':{'services':[{'name':'shop-v1','port':80,'weight':1},{'name':'shop-v2','port':80,'weight':1}]}}", "3"));
    assertThat(reweighted).isEmpty();
    assertThat(notes.get("consul:Host(`shop.example.com`)"))
        .containsExactly("split in cluster eu-1: shop-canary = weighted shop-v1:80 50%, shop-v2:80 50%");
  }

  @Test
  void aNestedMemberIsNamedWhenMissingAndItsChangesReplanTheRoutesReachingIt() {
    apply("eu-1", EventType.ADDED, route(CANARY));
    apply("eu-1", EventType.ADDED, traefikService("canary",
        "{'mirroring':{'name':'stable','kind':'TraefikService','mirrors':[{'name':'shop-v2','port':80,'percent':10}]}}"));
    assertThat(state.told(Target.CONSUL)).isEmpty();
    assertThat(notes.get("consul:Host(`shop.example.com`)")).singleElement().asString().contains(
        "its TraefikService shop-canary of cluster eu-1, which cannot be used: its service TraefikService shop-stable,"
            + " which does not exist in cluster eu-1");

    assertThat(ops(apply("eu-1", EventType.ADDED, traefikService("stable", SPLIT)))).containsExactly(INSTANCE);
    assertThat(notes.get("consul:Host(`shop.example.com`)")).containsExactly("split in cluster eu-1: shop-canary = mirroring"
        + " shop-stable [weighted shop-v1:80 75%, shop-v2:80 25%], mirrors shop-v2:80 10%");

    // the member breaks: the route that reaches it through shop-canary is withdrawn, with the reason
    var broken = apply("eu-1", EventType.MODIFIED, traefikService("stable", "{'weighted':{'services':[{'name':'shop-v1'}]}}"));
    assertThat(ops(broken)).containsExactly("consul delete tributary-eu-1/shop-example-com-eu-1-192-0-2-11-8080");
    assertThat(rejected).singleElement().asString().isEqualTo("stable: weighted.services[0].port: a Kubernetes Service needs a port");
    assertThat(notes.get("consul:Host(`shop.example.com`)")).singleElement().asString()
        .contains("its service TraefikService shop-stable of cluster eu-1, which cannot be used: weighted.services[0].port");
  }

  @Test
  void aTreeThatReachesItselfHoldsTheRouteBackWithTheCycle() {
    apply("eu-1", EventType.ADDED, route(CANARY));
    apply("eu-1", EventType.ADDED, traefikService("canary", "{'weighted':{'services':[{'name':'inner','kind':'TraefikService'}]}}"));
    apply("eu-1", EventType.ADDED, traefikService("inner", "{'weighted':{'services':[{'name':'canary','kind':'TraefikService'}]}}"));
    assertThat(state.told(Target.CONSUL)).isEmpty();
    assertThat(notes.get("consul:Host(`shop.example.com`)")).singleElement().asString()
        .contains("it reaches itself through its services (shop-canary → shop-inner → shop-canary)");
    // the cycle broken at its far end: released
    assertThat(ops(apply("eu-1", EventType.MODIFIED, traefikService("inner", SPLIT)))).containsExactly(INSTANCE);
  }

  @Test
  void objectsOfBothApiGroupsMayShareANameAndDeletingOneLeavesTheOther() {
    apply("eu-1", EventType.ADDED, route(CANARY));
    apply("eu-1", EventType.ADDED, traefikService("traefik.containo.us", "canary", SPLIT, "1"));
    assertThat(state.told(Target.CONSUL)).hasSize(1);
    apply("eu-1", EventType.ADDED, traefikService("traefik.io", "canary",
        "{'weighted':{'services':[{'name':'shop-v2','port':80}]}}", "2"));
    // the current group's object is the one used
    assertThat(notes.get("consul:Host(`shop.example.com`)")).containsExactly("split in cluster eu-1: shop-canary = weighted shop-v2:80 100%");
    delete("eu-1", "TraefikService.traefik.containo.us", "canary"); // the migration cleans up the old group
    assertThat(state.told(Target.CONSUL)).hasSize(1);
    assertThat(ops(delete("eu-1", "TraefikService", "canary"))).hasSize(1);
    assertThat(state.told(Target.CONSUL)).isEmpty();
  }

  @Test
  void severalWeightedServicesStayOneRegistrationWithTheSplitNoted() {
    var created = apply("eu-1", EventType.ADDED, route("[{'name':'shop-v1','port':80,'weight':9},{'name':'shop-v2','port':80,'weight':1}]"));
    assertThat(ops(created)).containsExactly(INSTANCE, "dns create shop.example.com/A");
    assertThat(notes.get("consul:Host(`shop.example.com`)")).containsExactly("split in cluster eu-1: weighted shop-v1:80 90%, shop-v2:80 10%");
  }
}
