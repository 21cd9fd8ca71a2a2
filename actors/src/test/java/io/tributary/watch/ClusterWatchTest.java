package io.tributary.watch;

import io.tributary.plan.PipelineListener;

import static io.tributary.watch.MockCluster.ingress;
import static io.tributary.watch.MockCluster.ingressRoute;
import static io.tributary.watch.MockCluster.node;
import static io.tributary.watch.MockCluster.service;
import static io.tributary.watch.MockCluster.traefikService;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.settings.ClusterEndpoints;
import io.tributary.settings.ClusterSettings;
import io.tributary.settings.EndpointSettings;
import io.tributary.settings.WatchSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Watchers against mock API servers: every kind, both Traefik groups, failures, restarts. */
class ClusterWatchTest {
  private static final ActorTestKit KIT = ActorTestKit.create();
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final WatchSettings FAST = new WatchSettings(Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofMillis(300));
  private static final WatchSettings NO_STALL_CHECK =
      new WatchSettings(Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofMillis(300), Duration.ZERO);
  private static final WatchSettings STALL_CHECKED =
      new WatchSettings(Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofMillis(300), Duration.ofMillis(100));

  private final List<MockCluster> clusters = new ArrayList<>();
  private final Recorded sink = new Recorded();
  private final States listener = new States();

  @AfterAll
  static void stopKit() {
    KIT.shutdownTestKit();
  }

  @AfterEach
  void stopClusters() {
    clusters.forEach(MockCluster::close);
  }

  /** Everything the watchers delivered, in order. */
  static final class Recorded implements WatchEventSink {
    final List<WatchEvent> events = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void offer(WatchEvent e) {
      events.add(e);
    }

    List<String> of(String cluster, String kind, String name) {
      synchronized (events) {
        return events.stream()
            .filter(e -> e.key().cluster().equals(cluster) && e.key().kind().equals(kind) && e.key().name().equals(name))
            .map(e -> e.type().name())
            .toList();
      }
    }

    WatchEvent last(String cluster, String kind, String name) {
      synchronized (events) {
        return events.stream()
            .filter(e -> e.key().cluster().equals(cluster) && e.key().kind().equals(kind) && e.key().name().equals(name))
            .reduce((a, b) -> b)
            .orElse(null);
      }
    }

    boolean synced(String cluster, String kind) {
      synchronized (events) {
        return events.stream().anyMatch(e -> e.isSynced() && e.key().cluster().equals(cluster) && e.key().kind().equals(kind));
      }
    }
  }

  /** Cluster states and missing kinds, as the status page and metrics will see them. */
  static final class States implements PipelineListener {
    final Map<String, String> state = new ConcurrentHashMap<>();
    final Map<String, String> detail = new ConcurrentHashMap<>();
    final Set<String> missing = ConcurrentHashMap.newKeySet();
    final List<String> states = Collections.synchronizedList(new ArrayList<>());
    final List<String> stalls = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void clusterState(String cluster, String s, String d) {
      state.put(cluster, s);
      states.add(cluster + ": " + s);
      if (!d.isEmpty()) {
        detail.put(cluster, d);
      }
    }

    @Override
    public void watchStalled(String cluster, String kind, String reason) {
      stalls.add(cluster + "/" + kind + ": " + reason);
    }

    @Override
    public void kindMissing(String cluster, String kind, String reason) {
      missing.add(cluster + "/" + kind + ": " + reason);
    }
  }

  private MockCluster cluster(MockCluster.Mode mode) {
    var c = new MockCluster(mode);
    clusters.add(c);
    return c;
  }

  private static ClusterSettings settings(String name) {
    return ClusterSettings.of(name, new ClusterEndpoints(name, List.of("192.0.2.1"), 80));
  }

  private ActorRef<WatcherSupervisor.Command> supervise(Map<String, MockCluster> byName, ClusterSettings... watched) {
    return supervise(FAST, byName, watched);
  }

  private ActorRef<WatcherSupervisor.Command> supervise(
      WatchSettings watch, Map<String, MockCluster> byName, ClusterSettings... watched) {
    KubernetesClients clients = s -> byName.get(s.name()).server.createClient();
    return KIT.spawn(WatcherSupervisor.create(List.of(watched), sink, clients, listener, watch));
  }

  @Test
  void twoClustersDeliverEveryKindInBothTraefikGroupsAndEachListEndsWithSynced() {
    var a = cluster(MockCluster.Mode.TRAEFIK);
    var b = cluster(MockCluster.Mode.TRAEFIK);
    a.apply(ingress("shop", "web", "shop.example.com", "/", "10"));
    b.apply(ingressRoute("traefik.containo.us", "shop", "legacy", "old.example.com"));
    b.apply(traefikService("traefik.containo.us", "shop", "canary", "{\"weighted\":{\"services\":[{\"name\":\"web\",\"port\":80}]}}"));
    supervise(Map.of("eu-1", a, "eu-2", b), settings("eu-1"), settings("eu-2"));
    await().atMost(WAIT).until(() -> sink.synced("eu-1", "Ingress") && sink.synced("eu-2", "IngressRoute")
        && sink.synced("eu-1", "Node") && sink.synced("eu-2", "Middleware"));
    assertThat(sink.of("eu-1", "Ingress", "web")).containsExactly("ADDED");
    assertThat(sink.of("eu-2", "IngressRoute.traefik.containo.us", "legacy")).containsExactly("ADDED");
    await().atMost(WAIT).until(() -> sink.synced("eu-2", "TraefikService"));
    assertThat(sink.of("eu-2", "TraefikService.traefik.containo.us", "canary")).containsExactly("ADDED");
    await().atMost(WAIT).until(() -> "synced".equals(listener.state.get("eu-1")) && "synced".equals(listener.state.get("eu-2")));

    a.apply(ingress("shop", "web", "shop.example.com", "/api", "10"));
    a.apply(ingressRoute("traefik.io", "shop", "modern", "new.example.com"));
    b.apply(service("shop", "svc", "svc.example.com"));
    a.apply(node("node-1", "10.0.0.1"));
    b.delete("traefik.containo.us/v1alpha1", "IngressRoute", "shop", "legacy");
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(sink.of("eu-1", "Ingress", "web")).containsExactly("ADDED", "MODIFIED");
      assertThat(sink.of("eu-1", "IngressRoute", "modern")).containsExactly("ADDED");
      assertThat(sink.of("eu-2", "Service", "svc")).containsExactly("ADDED");
      assertThat(sink.of("eu-1", "Node", "node-1")).containsExactly("ADDED");
      assertThat(sink.of("eu-2", "IngressRoute.traefik.containo.us", "legacy")).containsExactly("ADDED", "DELETED");
    });
    synchronized (sink.events) {
      assertThat(sink.events).filteredOn(e -> e.object() != null)
          .allSatisfy(e -> assertThat(e.object().path("metadata").has("managedFields")).isFalse());
    }
  }

  @Test
  void aClusterWithoutTraefikCrdsAndAClusterThatAnswers403LeaveTheOtherWorking() {
    var good = cluster(MockCluster.Mode.TRAEFIK);
    var plain = cluster(MockCluster.Mode.NO_TRAEFIK_CRDS);
    var forbidden = cluster(MockCluster.Mode.FORBIDDEN);
    plain.apply(ingress("shop", "web", "plain.example.com", "/", "1"));
    supervise(Map.of("good", good, "plain", plain, "locked", forbidden),
        settings("good"), settings("plain"), settings("locked"));

    await().atMost(WAIT).until(() -> "synced".equals(listener.state.get("plain")) && "synced".equals(listener.state.get("good")));
    assertThat(listener.missing).anySatisfy(m -> assertThat(m).startsWith("plain/IngressRoute: traefik.io/v1alpha1 is not served"));
    assertThat(listener.missing).anySatisfy(m -> assertThat(m).startsWith("plain/Middleware: traefik.containo.us/v1alpha1"));
    assertThat(listener.missing).anySatisfy(m -> assertThat(m).startsWith("plain/TraefikService: traefik.io/v1alpha1 is not served"));
    assertThat(sink.synced("plain", "TraefikService")).isTrue();
    assertThat(sink.of("plain", "Ingress", "web")).containsExactly("ADDED");
    assertThat(sink.synced("plain", "IngressRoute")).isTrue();

    await().atMost(WAIT).until(() -> "failed".equals(listener.state.get("locked")));
    assertThat(listener.detail.get("locked")).contains("access denied (403)");
    assertThat(sink.synced("locked", "Ingress")).isFalse();

    good.apply(ingress("shop", "web", "good.example.com", "/", "1"));
    await().atMost(WAIT).until(() -> sink.of("good", "Ingress", "web").contains("ADDED"));
  }

  /** {@code name} watching every kind, the Gateway API's too (as with translate.gateway-classes set). */
  private static ClusterSettings withGatewayApi(String name) {
    return new ClusterSettings(name, null, null, ClusterSettings.KINDS, List.of(), List.of(), null,
        io.tributary.settings.EndpointSettings.fixed(new ClusterEndpoints(name, List.of("192.0.2.1"), 80)), List.of());
  }

  @Test
  void gatewaysHttpRoutesAndReferenceGrantsAreWatchedAndAClusterWithoutTheirCrdsIsReportedAndSynced() {
    var a = cluster(MockCluster.Mode.TRAEFIK);
    var plain = cluster(MockCluster.Mode.NO_TRAEFIK_CRDS);
    a.apply(MockCluster.gateway("infra", "shared", "traefik", "*.example.com"));
    a.apply(MockCluster.httpRoute("infra", "shop", "shared", "shop.example.com"));
    plain.apply(ingress("shop", "web", "plain.example.com", "/", "1"));
    supervise(Map.of("eu-1", a, "plain", plain), withGatewayApi("eu-1"), withGatewayApi("plain"));
    await().atMost(WAIT).until(() -> sink.synced("eu-1", "Gateway") && sink.synced("eu-1", "HTTPRoute")
        && sink.synced("eu-1", "ReferenceGrant"));
    assertThat(sink.of("eu-1", "Gateway", "shared")).containsExactly("ADDED");
    assertThat(sink.of("eu-1", "HTTPRoute", "shop")).containsExactly("ADDED");
    assertThat(sink.last("eu-1", "HTTPRoute", "shop").object().path("spec").path("hostnames").get(0).asText())
        .isEqualTo("shop.example.com");

    a.apply(MockCluster.referenceGrant("backend", "allow-infra", "infra"));
    a.apply(MockCluster.httpRoute("infra", "shop", "shared", "www.example.com"));
    a.delete("gateway.networking.k8s.io/v1", "Gateway", "infra", "shared");
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(sink.of("eu-1", "ReferenceGrant", "allow-infra")).containsExactly("ADDED");
      assertThat(sink.of("eu-1", "HTTPRoute", "shop")).containsExactly("ADDED", "MODIFIED");
      assertThat(sink.of("eu-1", "Gateway", "shared")).containsExactly("ADDED", "DELETED");
    });

    // no Gateway API CRDs: reported missing, synced all the same, the rest watched
    await().atMost(WAIT).until(() -> "synced".equals(listener.state.get("plain")));
    for (String kind : List.of("Gateway: gateway.networking.k8s.io/v1 ", "HTTPRoute: gateway.networking.k8s.io/v1 ",
        "ReferenceGrant: gateway.networking.k8s.io/v1beta1 ")) {
      assertThat(listener.missing).anySatisfy(m -> assertThat(m).startsWith("plain/" + kind + "is not served"));
    }
    assertThat(sink.synced("plain", "HTTPRoute")).isTrue();
    assertThat(sink.synced("plain", "Gateway")).isTrue();
    assertThat(sink.of("plain", "Ingress", "web")).containsExactly("ADDED");
  }

  @Test
  void namespacesAreHandedOnAsNameAndLabelsOnlyAndOnlyWhenTheirLabelsChange() {
    var a = cluster(MockCluster.Mode.TRAEFIK);
    a.apply("""
        {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"site-ns","labels":{"shared-gateway-access":"true"},
         "annotations":{"owner":"web-team"}},"spec":{"finalizers":["kubernetes"]}}
        """);
    a.apply(MockCluster.namespace("kube-system"));
    // a routing label selector and a denied namespace, as a cluster block may have them
    var watched = new ClusterSettings("eu-1", null, null, ClusterSettings.KINDS, List.of(), List.of("kube-system"), "team=web",
        io.tributary.settings.EndpointSettings.fixed(new ClusterEndpoints("eu-1", List.of("192.0.2.1"), 80)), List.of());
    supervise(Map.of("eu-1", a), watched);
    await().atMost(WAIT).until(() -> sink.synced("eu-1", "Namespace"));
    // the label selector filters routing objects, never Namespaces; a denied namespace's is not read
    assertThat(sink.of("eu-1", "Namespace", "site-ns")).containsExactly("ADDED");
    assertThat(sink.of("eu-1", "Namespace", "kube-system")).isEmpty();
    var added = sink.last("eu-1", "Namespace", "site-ns");
    assertThat(added.key()).isEqualTo(new ObjectKey("eu-1", "Namespace", "", "site-ns"));
    List<String> fields = new ArrayList<>();
    added.object().fieldNames().forEachRemaining(fields::add);
    assertThat(fields).containsExactlyInAnyOrder("apiVersion", "kind", "metadata");
    List<String> metadata = new ArrayList<>();
    added.object().path("metadata").fieldNames().forEachRemaining(metadata::add);
    assertThat(metadata).containsExactlyInAnyOrder("name", "resourceVersion", "labels");
    assertThat(added.object().path("metadata").path("labels").path("shared-gateway-access").asText()).isEqualTo("true");

    // an annotation changes: a new resourceVersion, the same labels: nothing handed on
    a.apply("""
        {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"site-ns","labels":{"shared-gateway-access":"true"},
         "annotations":{"owner":"shop-team"}}}
        """);
    // then the label goes: handed on
    a.apply(MockCluster.namespace("site-ns", "team", "site"));
    await().atMost(WAIT).until(() -> sink.of("eu-1", "Namespace", "site-ns").size() == 2);
    assertThat(sink.of("eu-1", "Namespace", "site-ns")).containsExactly("ADDED", "MODIFIED");
    assertThat(sink.last("eu-1", "Namespace", "site-ns").object().path("metadata").path("labels").has("shared-gateway-access")).isFalse();
  }

  @Test
  void anObjectDeletedWhileTheWatchWasDownIsReportedDeletedWhenItComesBack() {
    var a = cluster(MockCluster.Mode.TRAEFIK);
    a.apply(ingress("shop", "stays", "a.example.com", "/", "1"));
    a.apply(ingress("shop", "goes", "b.example.com", "/", "1"));
    var settings = settings("eu-1");
    var supervisor = supervise(Map.of("eu-1", a), settings);
    await().atMost(WAIT).until(() -> sink.synced("eu-1", "Ingress"));

    supervisor.tell(new WatcherSupervisor.RemoveCluster("eu-1"));
    a.delete("networking.k8s.io/v1", "Ingress", "shop", "goes");
    supervisor.tell(new WatcherSupervisor.AddCluster(settings)); // back within the removal grace
    await().atMost(WAIT).untilAsserted(() -> assertThat(sink.of("eu-1", "Ingress", "goes")).containsExactly("ADDED", "DELETED"));
    assertThat(sink.of("eu-1", "Ingress", "stays")).containsExactly("ADDED", "ADDED");
  }

  @Test
  void aWatchAnswered410GoneRelistsAndAnObjectDeletedMeanwhileIsReportedDeleted() {
    var a = cluster(MockCluster.Mode.TRAEFIK);
    a.apply(ingress("shop", "stays", "a.example.com", "/", "1"));
    a.apply(ingress("shop", "goes", "b.example.com", "/", "1"));
    a.watchesGone = true; // the list succeeds, every watch gets 410 Gone
    supervise(Map.of("eu-1", a), settings("eu-1"));
    await().atMost(WAIT).until(() -> sink.of("eu-1", "Ingress", "goes").contains("ADDED"));
    a.delete("networking.k8s.io/v1", "Ingress", "shop", "goes");
    a.watchesGone = false;
    await().atMost(WAIT).untilAsserted(() -> assertThat(sink.of("eu-1", "Ingress", "goes")).endsWith("DELETED"));
    assertThat(sink.of("eu-1", "Ingress", "stays")).doesNotContain("DELETED");
    await().atMost(WAIT).until(() -> sink.synced("eu-1", "Ingress"));
  }

  @Test
  void aRemovedClustersObjectsAreWithdrawnAfterTheGracePeriod() {
    var a = cluster(MockCluster.Mode.TRAEFIK);
    a.apply(ingress("shop", "web", "a.example.com", "/", "1"));
    var supervisor = supervise(Map.of("eu-1", a), settings("eu-1"));
    // every kind listed: a watcher still listing when it is stopped may report synced after removed
    await().atMost(WAIT).until(() -> "synced".equals(listener.state.get("eu-1")));
    supervisor.tell(new WatcherSupervisor.RemoveCluster("eu-1"));
    await().atMost(WAIT).untilAsserted(() -> assertThat(sink.of("eu-1", "Ingress", "web")).containsExactly("ADDED", "DELETED"));
    assertThat(listener.state.get("eu-1")).isEqualTo("removed");
  }

  @Test
  void aOneMebibyteIngressAmongOrdinaryChangesIsReceivedAndSoIsEveryChangeAfterIt(@TempDir Path dir) throws IOException {
    var a = cluster(MockCluster.Mode.TRAEFIK);
    a.apply(ingress("shop", "before", "before.example.com", "/", "1"));
    // connected the way the service connects (kubeconfig, KubernetesClients.standard()); no stall
    // check, so only the client itself can deliver what follows
    var settings = new ClusterSettings("eu-1", a.kubeconfig(dir).toString(), "mock", Set.of("Ingress"), List.of(), List.of(),
        null, EndpointSettings.fixed(new ClusterEndpoints("eu-1", List.of("192.0.2.1"), 80)), List.of());
    KIT.spawn(WatcherSupervisor.create(List.of(settings), sink, KubernetesClients.standard(), listener, NO_STALL_CHECK));
    await().atMost(WAIT).until(() -> sink.synced("eu-1", "Ingress"));
    // a websocket's first message is received whatever its size: the large one must come later
    a.apply(ingress("shop", "first", "first.example.com", "/", "1"));
    await().atMost(WAIT).until(() -> sink.of("eu-1", "Ingress", "first").contains("ADDED"));

    String blob = "x".repeat(1_000_000); // the API server takes objects up to about 1.5 MiB
    a.apply(ingress("shop", "large", "large.example.com", "/", "1")
        .replace("\"annotations\":{", "\"annotations\":{\"example.com/blob\":\"" + blob + "\","));
    for (int i = 0; i < 10; i++) {
      a.apply(ingress("shop", "after-" + i, "after-" + i + ".example.com", "/", "1"));
    }
    a.apply(ingress("shop", "first", "first.example.com", "/v2", "1"));
    a.delete("networking.k8s.io/v1", "Ingress", "shop", "before");

    await().atMost(WAIT).untilAsserted(() -> {
      for (int i = 0; i < 10; i++) {
        assertThat(sink.of("eu-1", "Ingress", "after-" + i)).containsExactly("ADDED");
      }
      assertThat(sink.of("eu-1", "Ingress", "first")).containsExactly("ADDED", "MODIFIED");
      assertThat(sink.of("eu-1", "Ingress", "before")).containsExactly("ADDED", "DELETED");
    });
    assertThat(sink.of("eu-1", "Ingress", "large")).containsExactly("ADDED");
    assertThat(sink.last("eu-1", "Ingress", "large").object().path("metadata").path("annotations").path("example.com/blob").asText())
        .hasSize(1_000_000);
    assertThat(listener.stalls).isEmpty();
  }

  @Test
  void aWatchThatFallsSilentWhileTheServerMovesOnIsReportedStalledAndRelisted() {
    var a = cluster(MockCluster.Mode.TRAEFIK);
    a.apply(ingress("shop", "web", "a.example.com", "/", "1"));
    a.watchesSilent = true; // lists answer; every watch is accepted and then never says anything
    supervise(STALL_CHECKED, Map.of("eu-1", a), settings("eu-1"));
    await().atMost(WAIT).until(() -> "synced".equals(listener.state.get("eu-1")));
    assertThat(sink.of("eu-1", "Ingress", "web")).containsExactly("ADDED");

    a.apply(ingress("shop", "web", "a.example.com", "/api", "1"));
    a.apply(ingress("shop", "new", "b.example.com", "/", "1"));
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(sink.last("eu-1", "Ingress", "web").object().at("/spec/rules/0/http/paths/0/path").asText()).isEqualTo("/api");
      assertThat(sink.of("eu-1", "Ingress", "new")).isNotEmpty();
    });
    assertThat(listener.stalls).anySatisfy(m -> assertThat(m).startsWith("eu-1/Ingress: the Ingress (networking.k8s.io/v1) watch"));
    // the other kinds' watches are just as silent, but nothing of theirs changed: not stalled
    assertThat(listener.stalls).allSatisfy(m -> assertThat(m).startsWith("eu-1/Ingress: "));
    // the relisted objects arrive just before the state is reported synced again
    await().atMost(WAIT).untilAsserted(
        () -> assertThat(listener.states).containsSubsequence("eu-1: synced", "eu-1: stalled", "eu-1: synced"));
  }

  @Test
  void aWatchThatCannotReconnectIsReportedDisconnectedAndSyncedOnceItWatchesAgain() {
    var a = cluster(MockCluster.Mode.TRAEFIK);
    a.apply(ingress("shop", "web", "a.example.com", "/", "1"));
    supervise(NO_STALL_CHECK, Map.of("eu-1", a), settings("eu-1"));
    await().atMost(WAIT).until(() -> "synced".equals(listener.state.get("eu-1")));

    a.goAway(); // fabric8 keeps reconnecting on its own: nothing fails, the watch is just gone
    await().atMost(WAIT).until(() -> "disconnected".equals(listener.state.get("eu-1")));
    assertThat(listener.detail.get("eu-1")).matches("the .* watch has been disconnected for \\d+s; fabric8 is reconnecting");

    a.comeBack();
    await().atMost(WAIT).untilAsserted(
        () -> assertThat(listener.states).containsSubsequence("eu-1: synced", "eu-1: disconnected", "eu-1: synced"));
    a.apply(ingress("shop", "web", "a.example.com", "/api", "1"));
    await().atMost(WAIT).untilAsserted(() ->
        assertThat(sink.last("eu-1", "Ingress", "web").object().at("/spec/rules/0/http/paths/0/path").asText()).isEqualTo("/api"));
  }

  @Test
  void theSyncedMarkerFollowsEveryListedObjectEvenBehindALargeOne() {
    // objects are handed over on the informer's own thread; converting a 1 MiB object takes long
    // enough for a marker sent from elsewhere to overtake the objects listed after it
    var a = cluster(MockCluster.Mode.TRAEFIK);
    String big = ingress("shop", "big", "big.example.com", "/", "1")
        .replace("\"annotations\":{", "\"annotations\":{\"example.com/blob\":\"" + "x".repeat(1 << 20) + "\",");
    a.apply(big);
    for (int i = 0; i < 30; i++) {
      a.apply(ingress("shop", "after-" + i, "after-" + i + ".example.com", "/", "1"));
    }
    supervise(Map.of("eu-1", a), settings("eu-1"));
    await().atMost(WAIT).until(() -> sink.synced("eu-1", "Ingress"));
    List<String> beforeMarker = new ArrayList<>();
    synchronized (sink.events) {
      for (WatchEvent e : sink.events) {
        if (e.isSynced() && e.key().kind().equals("Ingress")) {
          break;
        }
        if (e.key().kind().equals("Ingress")) {
          beforeMarker.add(e.key().name());
        }
      }
    }
    assertThat(beforeMarker).hasSize(31).contains("big", "after-0", "after-29");
  }
}
