package io.tributary.plan;

import io.tributary.target.Target;
import io.tributary.target.TargetRecord;
import io.tributary.translate.TranslatedEvent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import io.tributary.settings.TributarySettings;
import io.tributary.translate.Translator;
import io.tributary.watch.EventType;
import io.tributary.watch.WatchEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Property: for a random set of objects across three clusters — shared hosts, conflicting
 * namespaces, different ages, Ingresses and IngressRoutes, Middleware objects and TraefikServices
 * present, missing, unusable, nested or cyclic, nginx-class Ingresses with their annotations and
 * canary pairs (a canary older or newer than its primary, or alone) — the desired state of every
 * target does not depend on the order in which the objects arrive; and deleting objects (a primary
 * while its canary lives) leaves the state a run without them gives.
 */
class ArrivalOrderPropertyTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> CLUSTERS = List.of("eu-1", "eu-2", "us-1");
  private static final TributarySettings SETTINGS = TributarySettings.from(ConfigFactory.parseString("""
      tributary.clusters {
        eu-1.endpoints { addresses = ["192.0.2.11", "192.0.2.12"], port = 8080 }
        eu-2.endpoints { addresses = ["192.0.2.21"], port = 8080 }
        us-1.endpoints { addresses = ["lb.us-1.example.net"] }
      }
      tributary.translate.nginx-classes = ["nginx"]
      """).withFallback(ConfigFactory.defaultReference()).resolve());

  private static WatchEvent randomObject(Random r, int i) throws Exception {
    String cluster = CLUSTERS.get(r.nextInt(3));
    String ns = r.nextBoolean() ? "shop" : "intruder";
    String host = "h" + r.nextInt(6) + ".example.com";
    String path = List.of("/", "/api", "/static").get(r.nextInt(3));
    String created = "2026-01-0" + (1 + r.nextInt(9)) + "T00:00:00Z";
    String json = r.nextInt(4) == 0
        ? "{'apiVersion':'traefik.io/v1alpha1','kind':'IngressRoute','metadata':{'name':'o" + i + "','namespace':'" + ns
            + "','creationTimestamp':'" + created + "'},'spec':{'routes':[{'match':'Host(`" + host + "`)"
            + (path.equals("/") ? "" : " && PathPrefix(`" + path + "`)") + "'"
            + (r.nextBoolean() ? ",'middlewares':[{'name':'m" + r.nextInt(3) + "'}]" : "")
            + ",'services':" + randomServices(r) + "}]}}"
        : "{'apiVersion':'networking.k8s.io/v1','kind':'Ingress','metadata':{'name':'o" + i + "','namespace':'" + ns
            + "','creationTimestamp':'" + created + "','annotations':{'traefik.ingress.kubernetes.io/router.priority':'" + r.nextInt(3)
            + "'}},'spec':{'rules':[{'host':'" + host + "','http':{'paths':[{'path':'" + path + "','pathType':'Prefix',"
            + "'backend':{'service':{'name':'web','port':{'number':80}}}}]}}]}}";
    return WatchEvent.of(cluster, EventType.ADDED, (ObjectNode) JSON.readTree(json.replace('\'', '"')));
  }

  /**
   * nginx-class Ingresses: a primary with random annotations (an allow list, good or bad, a redirect,
   * a snippet, a regex path) and, often, a canary of the same host and path, in the same cluster and
   * namespace or not, older or newer than its primary; sometimes a canary alone.
   */
  private static List<WatchEvent> randomNginx(Random r, int i) throws Exception {
    String cluster = CLUSTERS.get(r.nextInt(3));
    String ns = r.nextBoolean() ? "shop" : "intruder";
    String host = "n" + r.nextInt(4) + ".example.com";
    String path = r.nextInt(3) == 0 ? "/api(/|$)(.*)" : List.of("/", "/api").get(r.nextInt(2));
    String regex = path.contains("(") ? ",'nginx.ingress.kubernetes.io/rewrite-target':'/$2'" : "";
    String primary = switch (r.nextInt(5)) {
      case 0 -> ",'nginx.ingress.kubernetes.io/allowlist-source-range':'10." + r.nextInt(3) + ".0.0/16'";
      case 1 -> ",'nginx.ingress.kubernetes.io/whitelist-source-range':'10.0.0.0/33'"; // held back
      case 2 -> ",'nginx.ingress.kubernetes.io/force-ssl-redirect':'true','nginx.ingress.kubernetes.io/enable-cors':'true'";
      case 3 -> ",'nginx.ingress.kubernetes.io/configuration-snippet':'return 403;'"; // held back
      default -> "";
    };
    List<WatchEvent> out = new ArrayList<>();
    if (r.nextInt(4) != 0) {
      out.add(nginxIngress(cluster, ns, "np" + i, "web", host, path, "2026-01-0" + (1 + r.nextInt(9)) + "T00:00:00Z", primary + regex));
    }
    if (r.nextInt(3) != 0) {
      String canaryCluster = r.nextInt(4) == 0 ? CLUSTERS.get(r.nextInt(3)) : cluster;
      String canaryNs = r.nextInt(4) == 0 ? (ns.equals("shop") ? "intruder" : "shop") : ns;
      out.add(nginxIngress(canaryCluster, canaryNs, "nc" + i, "web-v" + (2 + r.nextInt(2)), host, path,
          "2026-01-0" + (1 + r.nextInt(9)) + "T00:00:00Z",
          ",'nginx.ingress.kubernetes.io/canary':'true','nginx.ingress.kubernetes.io/canary-weight':'" + r.nextInt(101) + "'" + regex));
    }
    return out;
  }

  private static WatchEvent nginxIngress(
      String cluster, String ns, String name, String service, String host, String path, String created, String annotations) throws Exception {
    String json = "{'apiVersion':'networking.k8s.io/v1','kind':'Ingress','metadata':{'name':'" + name + "','namespace':'" + ns
        + "','creationTimestamp':'" + created + "','annotations':{'kubernetes.io/ingress.class':'nginx'" + annotations + "}},"
        + "'spec':{'rules':[{'host':'" + host + "','http':{'paths':[{'path':'" + path + "','pathType':'ImplementationSpecific',"
        + "'backend':{'service':{'name':'" + service + "','port':{'number':80}}}}]}}]}}";
    return WatchEvent.of(cluster, EventType.ADDED, (ObjectNode) JSON.readTree(json.replace('\'', '"')));
  }

  /** An IngressRoute route's services: one Service, several weighted ones, or TraefikServices t0..t2. */
  private static String randomServices(Random r) {
    return switch (r.nextInt(4)) {
      case 0 -> "[{'name':'web','port':80,'weight':" + r.nextInt(4) + "},{'name':'web-v2','port':80,'weight':1}]";
      case 1 -> "[{'name':'t" + r.nextInt(3) + "','kind':'TraefikService'}]";
      case 2 -> "[{'name':'web','port':80},{'name':'t" + r.nextInt(3) + "','kind':'TraefikService'}]";
      default -> "[{'name':'web','port':80}]";
    };
  }

  /** TraefikServices t0..t2 per cluster and namespace: missing, unusable, weighted, mirroring, nested (maybe a cycle). */
  private static List<WatchEvent> randomTraefikServices(Random r) throws Exception {
    List<WatchEvent> out = new ArrayList<>();
    for (String cluster : CLUSTERS) {
      for (String ns : List.of("shop", "intruder")) {
        for (int k = 0; k < 3; k++) {
          int kind = r.nextInt(5);
          if (kind == 0) {
            continue; // missing: routes naming it are held back in this cluster
          }
          String spec = kind == 1 ? "{'weighted':{'services':[{'name':'web'}]}}" // no port: unusable
              : kind == 2 ? "{'weighted':{'services':[{'name':'web','port':80,'weight':" + k + "},{'name':'web-v2','port':80}]}}"
              : kind == 3 ? "{'mirroring':{'name':'web','port':80,'mirrors':[{'name':'t" + (k + 1) % 3 + "','kind':'TraefikService','percent':10}]}}"
              // a member may arrive later, be unusable, or lead back here
              : "{'weighted':{'services':[{'name':'t" + (k + 1) % 3 + "','kind':'TraefikService'},{'name':'web','port':80}]}}";
          String json = "{'apiVersion':'" + (r.nextBoolean() ? "traefik.io" : "traefik.containo.us") + "/v1alpha1',"
              + "'kind':'TraefikService','metadata':{'name':'t" + k + "','namespace':'" + ns + "'},'spec':" + spec + "}";
          out.add(WatchEvent.of(cluster, EventType.ADDED, (ObjectNode) JSON.readTree(json.replace('\'', '"'))));
        }
        // a route of its own host per cluster and namespace, so only its TraefikService decides whether it is served
        String route = "{'apiVersion':'traefik.io/v1alpha1','kind':'IngressRoute','metadata':{'name':'split','namespace':'" + ns
            + "'},'spec':{'routes':[{'match':'Host(`split-" + cluster + "-" + ns + ".example.com`)',"
            + "'services':[{'name':'t" + r.nextInt(3) + "','kind':'TraefikService'}]}]}}";
        out.add(WatchEvent.of(cluster, EventType.ADDED, (ObjectNode) JSON.readTree(route.replace('\'', '"'))));
      }
    }
    return out;
  }

  /** Middleware objects m0..m2 per cluster and namespace, some missing, some unusable, some chains: each key once. */
  private static List<WatchEvent> randomMiddlewares(Random r) throws Exception {
    List<WatchEvent> out = new ArrayList<>();
    for (String cluster : CLUSTERS) {
      for (String ns : List.of("shop", "intruder")) {
        for (int k = 0; k < 3; k++) {
          int kind = r.nextInt(5);
          if (kind == 0) {
            continue; // missing: routes using it are held back
          }
          String spec = kind == 1 ? "{'basicAuth':{'secret':'s'}}"
              : kind == 2 ? "{'ipAllowList':{'sourceRange':['10." + k + ".0.0/16']}}"
              : kind == 3 ? "{'headers':{'customRequestHeaders':{'X-K':'" + k + "'}}}"
              // a chain of the other two: members may arrive later, be unusable, or chain back (a cycle)
              : "{'chain':{'middlewares':[{'name':'m" + (k + 1) % 3 + "'},{'name':'m" + (k + 2) % 3 + "'}]}}";
          String json = "{'apiVersion':'traefik.io/v1alpha1','kind':'Middleware','metadata':{'name':'m" + k + "','namespace':'" + ns
              + "'},'spec':" + spec + "}";
          out.add(WatchEvent.of(cluster, EventType.ADDED, (ObjectNode) JSON.readTree(json.replace('\'', '"'))));
        }
      }
    }
    return out;
  }

  private static Map<Target, Map<String, TargetRecord>> desired(List<WatchEvent> events) {
    var state = new RoutingState(SETTINGS, PipelineListener.NONE);
    for (WatchEvent e : events) {
      state.apply(Translator.translated(e, SETTINGS));
    }
    for (String c : CLUSTERS) {
      for (String kind : Translator.KINDS) {
        state.apply(new TranslatedEvent(WatchEvent.synced(c, kind), null));
      }
    }
    Map<Target, Map<String, TargetRecord>> out = new EnumMap<>(Target.class);
    for (Target t : Target.values()) {
      out.put(t, new TreeMap<>(state.told(t)));
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
  void theDesiredStateDoesNotDependOnArrivalOrder(long seed) throws Exception {
    Random r = new Random(seed);
    List<WatchEvent> objects = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      objects.add(randomObject(r, i));
    }
    objects.addAll(randomMiddlewares(r));
    objects.addAll(randomTraefikServices(r));
    for (int i = 0; i < 12; i++) {
      objects.addAll(randomNginx(r, i));
    }
    // one pair for sure, its canary older than its primary
    objects.add(nginxIngress("eu-1", "shop", "pair", "web", "pair.example.com", "/", "2026-01-05T00:00:00Z", ""));
    objects.add(nginxIngress("eu-1", "shop", "pair-canary", "web-v2", "pair.example.com", "/", "2026-01-01T00:00:00Z",
        ",'nginx.ingress.kubernetes.io/canary':'true','nginx.ingress.kubernetes.io/canary-weight':'20'"));
    var expected = desired(objects);
    assertThat(expected.get(Target.CONSUL).values()).as("some canary split is planned")
        .anyMatch(rec -> ((io.tributary.consul.ConsulRegistration) rec).meta().containsKey("nginx-canary"));
    assertThat(expected.get(Target.CONSUL)).isNotEmpty();
    for (int permutation = 0; permutation < 20; permutation++) {
      List<WatchEvent> shuffled = new ArrayList<>(objects);
      Collections.shuffle(shuffled, r);
      assertThat(desired(shuffled)).as("seed %d, permutation %d", seed, permutation).isEqualTo(expected);
    }
  }

  /**
   * Deleting objects — nginx primaries whose canaries live on among them — leaves the desired state
   * a run that never had them gives: a canary never inherits its primary's requests.
   */
  @ParameterizedTest
  @ValueSource(longs = {11, 12, 13, 14, 15})
  void deletingObjectsLeavesTheStateOfARunWithoutThem(long seed) throws Exception {
    Random r = new Random(seed);
    List<WatchEvent> objects = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      objects.addAll(randomNginx(r, i));
    }
    for (int i = 0; i < 10; i++) {
      objects.add(randomObject(r, 100 + i));
    }
    Collections.shuffle(objects, r);
    List<WatchEvent> kept = new ArrayList<>();
    List<WatchEvent> deleted = new ArrayList<>();
    for (WatchEvent e : objects) {
      boolean primary = e.key().name().startsWith("np");
      (primary && r.nextBoolean() || !primary && r.nextInt(5) == 0 ? deleted : kept).add(e);
    }
    List<WatchEvent> withDeletes = new ArrayList<>(objects);
    for (WatchEvent e : deleted) {
      withDeletes.add(new WatchEvent(e.key(), EventType.DELETED, "9", null));
    }
    assertThat(desired(withDeletes)).as("seed %d", seed).isEqualTo(desired(kept));
  }

  // ---- Gateway API: HTTPRoutes, their Gateways and ReferenceGrants, in any order ----

  private static final TributarySettings GATEWAY_SETTINGS = TributarySettings.from(ConfigFactory.parseString("""
      tributary.translate.gateway-classes = [example]
      tributary.clusters {
        eu-1.endpoints { addresses = ["192.0.2.11", "192.0.2.12"], port = 8080 }
        eu-2.endpoints { addresses = ["192.0.2.21"], port = 8080 }
        us-1.endpoints { addresses = ["lb.us-1.example.net"] }
      }
      """).withFallback(ConfigFactory.defaultReference()).resolve());

  /**
   * Gateways g0, g1 of namespace infra per cluster (some missing, some of another class, listeners
   * with no, an exact or a wildcard hostname, open to all namespaces, their own, or those a label
   * selector selects), ReferenceGrants in namespace backend (some missing), the Namespaces shop and
   * intruder (some missing, labelled shared-gateway-access or not), and HTTPRoutes attached to them
   * with shared hostnames, matches, weighted and cross-namespace backends.
   */
  private static List<WatchEvent> randomGatewayApi(Random r, Random labels) throws Exception {
    List<WatchEvent> out = new ArrayList<>();
    for (String cluster : CLUSTERS) {
      for (int g = 0; g < 2; g++) {
        if (r.nextInt(5) == 0) {
          continue; // missing: its routes are held back
        }
        String listener = "{'name':'l0','port':80,'protocol':'" + (r.nextBoolean() ? "HTTP" : "HTTPS") + "'"
            + List.of("", ",'hostname':'*.example.com'", ",'hostname':'h1.example.com'").get(r.nextInt(3))
            + (r.nextInt(3) == 0 ? List.of("",
                ",'allowedRoutes':{'namespaces':{'from':'Selector','selector':{'matchLabels':{'shared-gateway-access':'true'}}}}",
                ",'allowedRoutes':{'namespaces':{'from':'Selector','selector':{'matchExpressions':[{'key':'team','operator':'NotIn',"
                    + "'values':['intruder']}]}}}").get(labels.nextInt(3))
                : ",'allowedRoutes':{'namespaces':{'from':'All'}}") + "}";
        String json = "{'apiVersion':'gateway.networking.k8s.io/v1','kind':'Gateway','metadata':{'name':'g" + g
            + "','namespace':'infra'},'spec':{'gatewayClassName':'" + (r.nextInt(4) == 0 ? "other" : "example")
            + "','listeners':[" + listener + ",{'name':'l1','port':443,'protocol':'HTTPS','hostname':'h" + r.nextInt(6)
            + ".example.com','allowedRoutes':{'namespaces':" + (labels.nextInt(3) == 0
                ? "{'from':'Selector','selector':{'matchLabels':{'shared-gateway-access':'true'}}}" : "{'from':'All'}") + "}}]}}";
        out.add(WatchEvent.of(cluster, EventType.ADDED, (ObjectNode) JSON.readTree(json.replace('\'', '"'))));
      }
      if (r.nextBoolean()) {
        String from = r.nextBoolean() ? "shop" : "intruder";
        String grant = "{'apiVersion':'gateway.networking.k8s.io/v1beta1','kind':'ReferenceGrant','metadata':{'name':'allow',"
            + "'namespace':'backend'},'spec':{'from':[{'group':'gateway.networking.k8s.io','kind':'HTTPRoute','namespace':'" + from
            + "'}],'to':[{'group':'','kind':'Service'}]}}";
        out.add(WatchEvent.of(cluster, EventType.ADDED, (ObjectNode) JSON.readTree(grant.replace('\'', '"'))));
      }
      for (String ns : List.of("shop", "intruder")) {
        if (labels.nextInt(4) == 0) {
          continue; // not delivered (or gone): no labels once the Namespaces have listed
        }
        String nsLabels = "'kubernetes.io/metadata.name':'" + ns + "','team':'" + ns + "'"
            + (labels.nextBoolean() ? ",'shared-gateway-access':'true'" : "");
        String namespace = "{'apiVersion':'v1','kind':'Namespace','metadata':{'name':'" + ns + "','labels':{" + nsLabels + "}}}";
        out.add(WatchEvent.of(cluster, EventType.ADDED, (ObjectNode) JSON.readTree(namespace.replace('\'', '"'))));
      }
    }
    for (int i = 0; i < 20; i++) {
      String cluster = CLUSTERS.get(r.nextInt(3));
      String ns = r.nextBoolean() ? "shop" : "intruder";
      String created = "2026-01-0" + (1 + r.nextInt(9)) + "T00:00:00Z";
      String parent = "{'name':'g" + r.nextInt(2) + "','namespace':'infra'" + (r.nextBoolean() ? "" : ",'sectionName':'l" + r.nextInt(2) + "'") + "}";
      String hostnames = r.nextInt(3) == 0 ? "" : ",'hostnames':['h" + r.nextInt(6) + ".example.com','h" + r.nextInt(6) + ".example.com']";
      String match = List.of("", "'matches':[{'path':{'type':'PathPrefix','value':'/api'}}],",
          "'matches':[{'path':{'type':'Exact','value':'/'},'headers':[{'name':'env','value':'canary'}]},{'method':'POST'}],").get(r.nextInt(3));
      String backends = List.of("[{'name':'web','port':80}]",
          "[{'name':'web','port':80,'weight':" + r.nextInt(3) + "},{'name':'web-v2','port':80,'weight':1}]",
          "[{'name':'api','namespace':'backend','port':8080}]").get(r.nextInt(3));
      String json = "{'apiVersion':'gateway.networking.k8s.io/v1','kind':'HTTPRoute','metadata':{'name':'r" + i + "','namespace':'" + ns
          + "','creationTimestamp':'" + created + "'},'spec':{'parentRefs':[" + parent + "]" + hostnames + ",'rules':[{" + match
          + "'backendRefs':" + backends + "}]}}";
      out.add(WatchEvent.of(cluster, EventType.ADDED, (ObjectNode) JSON.readTree(json.replace('\'', '"'))));
    }
    return out;
  }

  private static Map<Target, Map<String, TargetRecord>> desiredWithGateways(List<WatchEvent> events) {
    var state = new RoutingState(GATEWAY_SETTINGS, PipelineListener.NONE);
    for (WatchEvent e : events) {
      state.apply(e.isSynced() ? new TranslatedEvent(e, null) : Translator.translated(e, GATEWAY_SETTINGS));
    }
    for (String c : CLUSTERS) {
      for (String kind : io.tributary.kind.ResourceKind.syncKindNames()) {
        state.apply(new TranslatedEvent(WatchEvent.synced(c, kind), null));
      }
    }
    Map<Target, Map<String, TargetRecord>> out = new EnumMap<>(Target.class);
    for (Target t : Target.values()) {
      out.put(t, new TreeMap<>(state.told(t)));
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
  void httpRoutesGatewaysAndReferenceGrantsGiveOneDesiredStateInAnyArrivalOrder(long seed) throws Exception {
    Random r = new Random(seed);
    List<WatchEvent> objects = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      objects.add(randomObject(r, i)); // Ingresses and IngressRoutes claiming the same hostnames
    }
    objects.addAll(randomGatewayApi(r, new Random(-seed))); // namespace labels from a stream of their own
    var expected = desiredWithGateways(objects);
    assertThat(expected.get(Target.CONSUL).values()).anyMatch(rec -> rec.toString().contains("kind=HTTPRoute"));
    for (int permutation = 0; permutation < 20; permutation++) {
      List<WatchEvent> shuffled = new ArrayList<>(objects);
      Collections.shuffle(shuffled, r);
      assertThat(desiredWithGateways(shuffled)).as("seed %d, permutation %d", seed, permutation).isEqualTo(expected);
      // as informers deliver them: each kind's SYNCED marker somewhere after that kind's last object of its cluster
      assertThat(desiredWithGateways(withMarkers(shuffled, r))).as("seed %d, permutation %d with markers", seed, permutation)
          .isEqualTo(expected);
    }
  }

  @org.junit.jupiter.api.Test
  void namespaceLabelsDecideSomeOfTheRandomRoutes() throws Exception {
    int decided = 0;
    for (long seed = 1; seed <= 10; seed++) {
      List<WatchEvent> objects = randomGatewayApi(new Random(seed), new Random(-seed));
      List<WatchEvent> withoutNamespaces = objects.stream().filter(e -> !e.key().is(io.tributary.kind.ResourceKind.NAMESPACE)).toList();
      decided += desiredWithGateways(objects).equals(desiredWithGateways(withoutNamespaces)) ? 0 : 1;
    }
    assertThat(decided).as("seeds whose routes attach through namespace labels").isGreaterThan(2);
  }

  /** {@code events} with every cluster's SYNCED marker of every kind the barrier waits for, each after that kind's objects there. */
  private static List<WatchEvent> withMarkers(List<WatchEvent> events, Random r) {
    List<WatchEvent> out = new ArrayList<>(events);
    for (String c : CLUSTERS) {
      for (String kind : io.tributary.kind.ResourceKind.syncKindNames()) {
        int last = -1;
        for (int i = 0; i < out.size(); i++) {
          if (out.get(i).key().cluster().equals(c) && out.get(i).key().kind().equals(kind)) {
            last = i;
          }
        }
        out.add(last + 1 + r.nextInt(out.size() - last), WatchEvent.synced(c, kind));
      }
    }
    return out;
  }
}
