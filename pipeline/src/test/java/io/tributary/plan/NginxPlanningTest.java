package io.tributary.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.consul.ConsulRegistration;
import io.tributary.settings.TributarySettings;
import io.tributary.target.Change;
import io.tributary.target.ChangeSet;
import io.tributary.target.Target;
import io.tributary.traefik.DynamicConfig;
import io.tributary.traefik.TraefikEntry;
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
 * nginx-class Ingresses through translation and planning: a canary joins its primary's route group
 * (no conflict) and the split is the cluster's, reported and shown in the instances' meta; the
 * edge middlewares of the annotations become Catalog tags, and a strangler canary's dynamic config.
 */
class NginxPlanningTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TributarySettings SETTINGS = PlanFixtures.settings("""
      tributary.clusters {
        eu-1.endpoints { addresses = ["192.0.2.11"], port = 8080 }
        eu-2.endpoints { addresses = ["192.0.2.21"], port = 8080 }
      }
      tributary.translate { ingress-classes = ["traefik"], nginx-classes = ["nginx"] }
      """);
  private static final String GROUP = "consul:Host(`shop.example.com`) && PathPrefix(`/api`)";
  private static final String INSTANCE = "tributary-eu-1/shop-example-com-api-eu-1-192-0-2-11-8080";

  private final Map<String, List<String>> notes = new LinkedHashMap<>();
  private final List<String> rejected = new ArrayList<>();
  private RoutingState state;

  @BeforeEach
  void fresh() {
    state = state(SETTINGS);
  }

  private RoutingState state(TributarySettings settings) {
    var s = new RoutingState(settings, new PipelineListener() {
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
        s.apply(new TranslatedEvent(WatchEvent.synced(cluster, kind), null));
      }
    }
    return s;
  }

  static ObjectNode ingress(String name, String service, String created, String annotations) {
    try {
      return (ObjectNode) JSON.readTree(("{'apiVersion':'networking.k8s.io/v1','kind':'Ingress','metadata':{'name':'" + name
          + "','namespace':'shop','creationTimestamp':'" + created + "','annotations':{" + annotations + "}},"
          + "'spec':{'ingressClassName':'nginx','rules':[{'host':'shop.example.com','http':{'paths':[{'path':'/api',"
          + "'pathType':'Prefix','backend':{'service':{'name':'" + service + "','port':{'number':80}}}}]}}]}}").replace('\'', '"'));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode primary() {
    return ingress("web", "web", "2026-01-02T00:00:00Z", "");
  }

  /** Created before its primary, as happens: an older canary must still not own the group. */
  private static ObjectNode canary(int weight) {
    return ingress("web-canary", "web-v2", "2026-01-01T00:00:00Z",
        "'nginx.ingress.kubernetes.io/canary':'true','nginx.ingress.kubernetes.io/canary-weight':'" + weight + "'");
  }

  private List<ChangeSet> apply(String cluster, EventType type, ObjectNode object) {
    return state.apply(Translator.translated(WatchEvent.of(cluster, type, object), SETTINGS));
  }

  private List<ChangeSet> delete(String cluster, String name) {
    return state.apply(new TranslatedEvent(new WatchEvent(new ObjectKey(cluster, "Ingress", "shop", name), EventType.DELETED, "9", null), null));
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

  private ConsulRegistration registration(String key) {
    return (ConsulRegistration) state.told(Target.CONSUL).get(key);
  }

  @Test
  void aCanaryPairAtWeight20IsAnEightyTwentySplitOfThePrimarysService() {
    apply("eu-1", EventType.ADDED, primary());
    apply("eu-1", EventType.ADDED, canary(20));
    assertThat(rejected).isEmpty();
    // one Consul service, the primary's: no conflict, and the canary owns nothing
    assertThat(state.told(Target.CONSUL)).containsOnlyKeys(INSTANCE);
    ConsulRegistration r = registration(INSTANCE);
    assertThat(r.meta()).containsEntry("name", "web").containsEntry("nginx-canary", "weighted web:80 80%, web-v2:80 20%");
    assertThat(notes.get(GROUP))
        .containsExactly("split in cluster eu-1: nginx canary eu-1/Ingress/shop/web-canary: weighted web:80 80%, web-v2:80 20%");
    // changing the weight changes only the split
    apply("eu-1", EventType.MODIFIED, canary(50));
    assertThat(registration(INSTANCE).meta()).containsEntry("nginx-canary", "weighted web:80 50%, web-v2:80 50%");
    assertThat(registration(INSTANCE).tags()).isEqualTo(r.tags());
  }

  @Test
  void aCanaryBeforeItsPrimaryIsHeldBackAndAloneNeverTakesEverything() {
    assertThat(ops(apply("eu-1", EventType.ADDED, canary(20)))).containsExactly("dns create shop.example.com/A");
    assertThat(state.told(Target.CONSUL)).isEmpty();
    assertThat(notes.get(GROUP)).singleElement().asString().startsWith("held back: Host(`shop.example.com`) && PathPrefix(`/api`)"
        + " is declared only by nginx canary [eu-1/Ingress/shop/web-canary], whose primary Ingress of the same host and path is missing");

    // (the DNS set's source objects gain the primary)
    assertThat(ops(apply("eu-1", EventType.ADDED, primary()))).containsExactly("consul create " + INSTANCE, "dns update shop.example.com/A");
    assertThat(registration(INSTANCE).meta()).containsEntry("nginx-canary", "weighted web:80 80%, web-v2:80 20%");

    // the primary goes while the canary lives: the route is withdrawn, not handed to the canary
    assertThat(ops(delete("eu-1", "web"))).containsExactly("consul delete " + INSTANCE, "dns update shop.example.com/A");
    assertThat(notes.get(GROUP)).singleElement().asString().startsWith("held back: ");
    // and the canary going too changes nothing more in Consul; DNS goes with the last route
    assertThat(ops(delete("eu-1", "web-canary"))).containsExactly("dns delete shop.example.com/A");
  }

  @Test
  void aCanaryOfAnotherClusterOrNamespaceIsIgnoredWithANote() {
    apply("eu-1", EventType.ADDED, primary());
    apply("eu-2", EventType.ADDED, canary(20));
    assertThat(state.told(Target.CONSUL)).containsOnlyKeys(INSTANCE);
    assertThat(registration(INSTANCE).meta()).doesNotContainKey("nginx-canary");
    assertThat(notes.get(GROUP)).containsExactly("nginx canary eu-2/Ingress/shop/web-canary ignored: its cluster serves no primary"
        + " Ingress of Host(`shop.example.com`) && PathPrefix(`/api`)");
  }

  @Test
  void edgeMiddlewaresBecomeCatalogTags() {
    apply("eu-1", EventType.ADDED, ingress("web", "web", "2026-01-02T00:00:00Z",
        "'nginx.ingress.kubernetes.io/allowlist-source-range':'10.0.0.0/8,192.0.2.7','nginx.ingress.kubernetes.io/force-ssl-redirect':'true'"));
    assertThat(rejected).isEmpty();
    assertThat(registration(INSTANCE).tags()).contains(
        "traefik.http.middlewares.eu-1-shop-web-nginx-allowlist.ipallowlist.sourcerange=10.0.0.0/8,192.0.2.7",
        "traefik.http.middlewares.eu-1-shop-web-nginx-ssl-redirect.redirectscheme.scheme=https",
        "traefik.http.middlewares.eu-1-shop-web-nginx-ssl-redirect.redirectscheme.permanent=true",
        "traefik.http.routers.shop-example-com-api.middlewares=eu-1-shop-web-nginx-allowlist,eu-1-shop-web-nginx-ssl-redirect");
  }

  @Test
  void aStranglerCanaryCarriesTheEdgeMiddlewaresIntoTheDynamicConfig() {
    TributarySettings strangler = PlanFixtures.settings("""
        tributary.clusters { eu-1.endpoints { addresses = ["192.0.2.11"], port = 8080 } }
        tributary.translate { nginx-classes = ["nginx"], vm-backends { "shop.example.com" = "shop-vm" } }
        """);
    state = state(strangler);
    state.apply(Translator.translated(WatchEvent.of("eu-1", EventType.ADDED, ingress("web", "web", "2026-01-02T00:00:00Z",
        "'tributary.io/weight':'20','nginx.ingress.kubernetes.io/allowlist-source-range':'10.0.0.0/8'")), strangler));
    List<TraefikEntry> entries = state.told(Target.TRAEFIK).values().stream().map(TraefikEntry.class::cast).toList();
    DynamicConfig config = DynamicConfig.fromEntries("traefik", entries);
    assertThat(config.middlewares()).containsOnlyKeys("tributary.shop-example-com-api-shop-web_nginx-allowlist");
    assertThat(config.middlewares().values().iterator().next().config().toString()).isEqualTo("{\"sourceRange\":[\"10.0.0.0/8\"]}");
    assertThat(config.routers().values().iterator().next().middlewares())
        .containsExactly("tributary.shop-example-com-api-shop-web_nginx-allowlist");
  }
}
