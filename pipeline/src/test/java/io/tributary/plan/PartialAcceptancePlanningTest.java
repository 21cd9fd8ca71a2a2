package io.tributary.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import io.tributary.settings.TributarySettings;
import io.tributary.target.Target;
import io.tributary.translate.TranslatedEvent;
import io.tributary.translate.Translation;
import io.tributary.translate.Translator;
import io.tributary.watch.EventType;
import io.tributary.watch.ObjectKey;
import io.tributary.watch.WatchEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Partly accepted objects as the diff stage plans them: real translation, Consul and DNS records. */
class PartialAcceptancePlanningTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TributarySettings SETTINGS = TributarySettings.from(ConfigFactory.parseString(
          "tributary.clusters { eu-1.endpoints { addresses = [\"192.0.2.11\"], port = 8080 } }")
      .withFallback(ConfigFactory.defaultReference()).resolve());
  private static final String WEB = "{'pathType':'Prefix','path':'/','backend':{'service':{'name':'web','port':{'number':80}}}}";

  private final List<String> heard = new ArrayList<>();
  private RoutingState state;
  private int version;

  @BeforeEach
  void fresh() {
    state = new RoutingState(SETTINGS, new PipelineListener() {
      @Override
      public void accepted(ObjectKey key, int routes, List<String> warnings) {
        heard.add("accepted " + key.name() + " " + routes);
      }

      @Override
      public void partlyAccepted(ObjectKey key, int routes, List<String> warnings, List<Translation.RejectedPart> parts, int kept) {
        heard.add("partly " + key.name() + " " + routes + " kept " + kept + " " + parts.stream().map(Translation.RejectedPart::path).toList());
      }

      @Override
      public void rejected(ObjectKey key, String reason) {
        heard.add("rejected " + key.name());
      }
    });
    for (String kind : Translator.KINDS) {
      state.apply(new TranslatedEvent(WatchEvent.synced("eu-1", kind), null));
    }
  }

  private void apply(EventType type, String kind, String spec) throws Exception {
    boolean ingress = kind.equals("Ingress");
    ObjectNode object = (ObjectNode) JSON.readTree(("{'apiVersion':'" + (ingress ? "networking.k8s.io/v1" : "traefik.io/v1alpha1")
        + "','kind':'" + kind + "','metadata':{'name':'web','namespace':'shop','resourceVersion':'" + (++version)
        + "','creationTimestamp':'2026-01-01T00:00:00Z'},'spec':" + spec + "}").replace('\'', '"'));
    state.apply(Translator.translated(WatchEvent.of("eu-1", type, object), SETTINGS));
  }

  private static String rules(String... hosts) {
    List<String> rules = new ArrayList<>();
    for (String h : hosts) {
      rules.add(h.isEmpty() ? "{'http':{'paths':[" + WEB + "]}}" : "{'host':'" + h + "','http':{'paths':[" + WEB + "]}}");
    }
    return "{'rules':[" + String.join(",", rules) + "]}";
  }

  private List<String> dnsNames() {
    return state.told(Target.DNS).keySet().stream().sorted().toList();
  }

  private List<String> consulServices() {
    return state.told(Target.CONSUL).keySet().stream().sorted().toList();
  }

  @Test
  void anIngressWithTwoGoodHostsAndAHostLessRuleGetsConsulAndDnsForTheTwo() throws Exception {
    apply(EventType.ADDED, "Ingress", rules("a.example.com", "", "b.example.com"));
    assertThat(dnsNames()).containsExactly("a.example.com/A", "b.example.com/A");
    assertThat(consulServices()).containsExactly(
        "tributary-eu-1/a-example-com-eu-1-192-0-2-11-8080", "tributary-eu-1/b-example-com-eu-1-192-0-2-11-8080");
    assertThat(heard).containsExactly("partly web 2 kept 0 [spec.rules[1]]");
  }

  @Test
  void anIngressRouteWithOneRouteLackingHostGetsConsulAndDnsForTheOthers() throws Exception {
    apply(EventType.ADDED, "IngressRoute", "{'routes':[{'match':'Host(`a.example.com`)','services':[{'name':'web','port':80}]},"
        + "{'match':'PathPrefix(`/admin`)','services':[{'name':'admin','port':80}]},"
        + "{'match':'Host(`b.example.com`)','services':[{'name':'web','port':80}]}]}");
    assertThat(dnsNames()).containsExactly("a.example.com/A", "b.example.com/A");
    assertThat(consulServices()).hasSize(2);
    assertThat(heard).containsExactly("partly web 2 kept 0 [spec.routes[1]]");
  }

  @Test
  void aPartThatTurnsBadKeepsItsLastRouteUntilItIsFixedOrRemoved() throws Exception {
    apply(EventType.ADDED, "Ingress", rules("a.example.com", "c.example.com", "b.example.com"));
    assertThat(dnsNames()).containsExactly("a.example.com/A", "b.example.com/A", "c.example.com/A");

    // a typo takes the host of rule 1: its last route stays in force, the others follow the update
    apply(EventType.MODIFIED, "Ingress", rules("a.example.com", "", "d.example.com"));
    assertThat(dnsNames()).containsExactly("a.example.com/A", "c.example.com/A", "d.example.com/A");
    assertThat(heard).last().isEqualTo("partly web 3 kept 1 [spec.rules[1]]");

    // the same bad update again changes nothing, and still keeps it
    int told = state.told(Target.CONSUL).size();
    apply(EventType.MODIFIED, "Ingress", rules("a.example.com", "", "d.example.com"));
    assertThat(state.told(Target.CONSUL)).hasSize(told);
    assertThat(dnsNames()).contains("c.example.com/A");

    // fixed to another host: the kept route gives way to the new one
    apply(EventType.MODIFIED, "Ingress", rules("a.example.com", "e.example.com", "d.example.com"));
    assertThat(dnsNames()).containsExactly("a.example.com/A", "d.example.com/A", "e.example.com/A");
    assertThat(heard).last().isEqualTo("accepted web 3");
  }

  @Test
  void removingTheBadPartWithdrawsWhatItKept() throws Exception {
    apply(EventType.ADDED, "Ingress", rules("a.example.com", "c.example.com"));
    apply(EventType.MODIFIED, "Ingress", rules("a.example.com", ""));
    assertThat(dnsNames()).containsExactly("a.example.com/A", "c.example.com/A");
    apply(EventType.MODIFIED, "Ingress", rules("a.example.com"));
    assertThat(dnsNames()).containsExactly("a.example.com/A");
  }

  @Test
  void aPartKeepsOnlyWhatItsPositionLastHadAndDeletingWithdrawsEverything() throws Exception {
    apply(EventType.ADDED, "Ingress", rules("a.example.com", ""));
    assertThat(dnsNames()).containsExactly("a.example.com/A"); // never good: nothing to keep
    apply(EventType.MODIFIED, "Ingress", rules("a.example.com", "c.example.com"));
    apply(EventType.MODIFIED, "Ingress", rules("", "c.example.com"));
    assertThat(dnsNames()).containsExactly("a.example.com/A", "c.example.com/A");
    apply(EventType.DELETED, "Ingress", rules("", "c.example.com"));
    assertThat(dnsNames()).isEmpty();
    assertThat(consulServices()).isEmpty();
  }

  @Test
  void aWhollyRejectedUpdateInBetweenStillLetsTheBadPartKeepItsRoute() throws Exception {
    apply(EventType.ADDED, "Ingress", rules("a.example.com", "c.example.com"));
    apply(EventType.MODIFIED, "Ingress", rules("", ""));
    assertThat(heard).last().isEqualTo("rejected web");
    apply(EventType.MODIFIED, "Ingress", rules("b.example.com", ""));
    assertThat(dnsNames()).containsExactly("b.example.com/A", "c.example.com/A");
  }

  @Test
  void aKeptRouteGivesWayToAGoodPartDeclaringTheSameRule() throws Exception {
    apply(EventType.ADDED, "Ingress", rules("a.example.com", "c.example.com"));
    // rule 1 turns bad while rule 0 now declares c itself: one route for c, the good part's
    apply(EventType.MODIFIED, "Ingress", rules("c.example.com", ""));
    assertThat(dnsNames()).containsExactly("c.example.com/A");
    assertThat(heard).last().isEqualTo("partly web 1 kept 0 [spec.rules[1]]");
  }
}
