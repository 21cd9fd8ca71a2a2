package io.tributary.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.tributary.kind.ResourceKind;
import io.tributary.settings.AdminSettings;
import io.tributary.settings.TributarySettings;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every manifest in {@code deploy/} read into fabric8's model, and checked against the code: the
 * probes ask real admin endpoints on the admin port the shipped config gives; the ConfigMap is a
 * directory mount an edit reaches; the RBAC grants exactly what the watchers use, derived from
 * {@link ResourceKind}, so a new kind without its grant (or a grant without its kind) fails here.
 */
class DeployManifestsTest {
  private static final Path DEPLOY = Path.of("..", "deploy");
  private static final ActorTestKit KIT = ActorTestKit.create();
  private static final Map<String, List<HasMetadata>> MANIFESTS = new TreeMap<>();

  @BeforeAll
  static void load() throws IOException {
    List<Path> files;
    try (Stream<Path> list = Files.list(DEPLOY)) {
      files = list.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
    for (Path f : files) {
      MANIFESTS.put(f.getFileName().toString(), objects(f));
    }
  }

  @AfterAll
  static void stopKit() {
    io.tributary.consul.HttpTestKits.shutdown(KIT);
  }

  /** The objects of one (possibly multi-document) manifest, typed where fabric8 knows the kind. */
  private static List<HasMetadata> objects(Path file) throws IOException {
    List<HasMetadata> objects = new ArrayList<>();
    for (String doc : Files.readString(file).split("(?m)^---\\s*$")) {
      if (doc.lines().allMatch(l -> l.isBlank() || l.stripLeading().startsWith("#"))) {
        continue;
      }
      Object parsed = Serialization.unmarshal(doc);
      assertThat(parsed).as(file + " holds Kubernetes objects").isInstanceOf(HasMetadata.class);
      objects.add((HasMetadata) parsed);
    }
    return objects;
  }

  private static <T extends HasMetadata> List<T> all(Class<T> type) {
    return MANIFESTS.values().stream().flatMap(List::stream).filter(type::isInstance).map(type::cast).toList();
  }

  private static <T extends HasMetadata> T one(String file, Class<T> type) {
    return MANIFESTS.get(file).stream().filter(type::isInstance).map(type::cast).findFirst().orElseThrow();
  }

  private static Container tributary() {
    return one("deployment.yaml", Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  /** The settings the shipped ConfigMap gives (over the built-in defaults). */
  private static TributarySettings shippedSettings() {
    String conf = one("configmap.yaml", ConfigMap.class).getData().get("tributary.conf");
    return TributarySettings.from(ConfigFactory.parseString(conf).withFallback(ConfigFactory.load()).resolve());
  }

  @Test
  void everyManifestLoadsAndKustomizeAppliesFilesThatExist() {
    assertThat(MANIFESTS).containsOnlyKeys("configmap.yaml", "deployment.yaml", "kustomization.yaml", "namespace.yaml",
        "rbac.yaml", "remote-cluster-rbac.yaml", "secret-kubeconfigs.example.yaml");
    assertThat(MANIFESTS.values()).allSatisfy(objects -> assertThat(objects).isNotEmpty());
    var kustomization = (GenericKubernetesResource) MANIFESTS.get("kustomization.yaml").get(0);
    @SuppressWarnings("unchecked")
    List<String> resources = (List<String>) kustomization.getAdditionalProperties().get("resources");
    assertThat(resources).contains("deployment.yaml", "configmap.yaml", "rbac.yaml")
        .allSatisfy(r -> assertThat(DEPLOY.resolve(r)).exists());
  }

  @Test
  void theProbesAskRealAdminEndpointsOnTheAdminPort() throws Exception {
    Container c = tributary();
    AdminSettings admin = shippedSettings().admin();
    assertThat(admin.bind()).as("the kubelet connects to the pod's IP").isIn("0.0.0.0", "::");
    Map<String, Probe> probes = new TreeMap<>();
    probes.put("startup", c.getStartupProbe());
    probes.put("liveness", c.getLivenessProbe());
    probes.put("readiness", c.getReadinessProbe());
    assertThat(probes.values()).doesNotContainNull();
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(c.getStartupProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");

    // the routes themselves answer each probe's path (200 or 503, never 404 or 405)
    var status = new ServiceStatus(shippedSettings(), new ConfigVersion("test", null), Clock.systemUTC());
    var server = AdminServer.start(KIT.system(), new AdminSettings("127.0.0.1", 0, admin.readyGrace()), status)
        .toCompletableFuture().get();
    try {
      var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      for (var e : probes.entrySet()) {
        HTTPGetAction get = e.getValue().getHttpGet();
        assertThat(get.getScheme()).as(e.getKey()).isIn(null, "HTTP");
        assertThat(get.getHost()).as(e.getKey() + ": the pod's IP").isNull();
        assertThat(port(c, get.getPort())).as(e.getKey() + " probe port").isEqualTo(admin.port());
        assertThat(AdminRoutes.PATHS).contains(get.getPath());
        int code = http.send(HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + server.port() + get.getPath())).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode();
        assertThat(code).as(e.getKey() + " " + get.getPath()).isIn(200, 503);
      }
    } finally {
      server.stop().toCompletableFuture().get();
    }
  }

  /** A probe's port: a number, or the name of one of the container's ports. */
  private static int port(Container c, IntOrString port) {
    if (port.getIntVal() != null) {
      return port.getIntVal();
    }
    return c.getPorts().stream().filter(p -> port.getStrVal().equals(p.getName())).map(ContainerPort::getContainerPort)
        .findFirst().orElseThrow(() -> new AssertionError("no container port named " + port.getStrVal()));
  }

  @Test
  void theConfigMapIsADirectoryMountSoAnEditReachesTheRunningPod() {
    Container c = tributary();
    var podSpec = one("deployment.yaml", Deployment.class).getSpec().getTemplate().getSpec();
    String volume = podSpec.getVolumes().stream()
        .filter(v -> v.getConfigMap() != null && "tributary-config".equals(v.getConfigMap().getName()))
        .findFirst().orElseThrow().getName();
    VolumeMount mount = c.getVolumeMounts().stream().filter(m -> m.getName().equals(volume)).findFirst().orElseThrow();
    assertThat(mount.getSubPath()).as("a subPath mount never sees an edit").isNull();
    assertThat(mount.getSubPathExpr()).isNull();
    assertThat(c.getVolumeMounts()).as("no other mount inside the directory kubelet swaps on an edit")
        .filteredOn(m -> m != mount)
        .allSatisfy(m -> assertThat(m.getMountPath() + "/").doesNotStartWith(mount.getMountPath() + "/"));
    // the service reads the file the ConfigMap puts there
    List<String> args = c.getArgs();
    String config = args.get(args.indexOf("--config") + 1);
    assertThat(config).startsWith(mount.getMountPath() + "/");
    assertThat(one("configmap.yaml", ConfigMap.class).getData()).containsKey(config.substring(mount.getMountPath().length() + 1));
  }

  /** What the watchers read: every API resource of every kind watched in clusters. */
  private static Set<String> watched() {
    Set<String> grants = new TreeSet<>();
    for (ResourceKind kind : ResourceKind.values()) {
      if (kind.watchedInClusters()) {
        kind.resources().forEach(r -> grants.add(r.group() + "/" + r.plural()));
      }
    }
    return grants;
  }

  private static Set<String> granted(ClusterRole role) {
    Set<String> grants = new TreeSet<>();
    for (PolicyRule rule : role.getRules()) {
      assertThat(rule.getVerbs()).as(role.getMetadata().getName() + ": read only").containsExactlyInAnyOrder("get", "list", "watch");
      assertThat(rule.getResourceNames()).isNullOrEmpty();
      assertThat(rule.getNonResourceURLs()).isNullOrEmpty();
      for (String group : rule.getApiGroups()) {
        rule.getResources().forEach(r -> grants.add(group + "/" + r));
      }
    }
    return grants;
  }

  @Test
  void theEdgeManifestGrantsWhatTheWatchersReadAndRunsTheEdgeWithAValidConfig() throws IOException {
    List<HasMetadata> edge = objects(DEPLOY.resolve("edge").resolve("edge.yaml"));
    var role = edge.stream().filter(ClusterRole.class::isInstance).map(ClusterRole.class::cast).findFirst().orElseThrow();
    assertThat(granted(role)).isEqualTo(watched());
    var deployment = edge.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast).findFirst().orElseThrow();
    var pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getContainers().get(0).getArgs()).startsWith("edge", "--config");
    var binding = edge.stream().filter(ClusterRoleBinding.class::isInstance).map(ClusterRoleBinding.class::cast).findFirst().orElseThrow();
    assertThat(binding.getSubjects()).singleElement().satisfies(sub -> assertThat(sub.getName()).isEqualTo(pod.getServiceAccountName()));
    String conf = edge.stream().filter(ConfigMap.class::isInstance).map(ConfigMap.class::cast).findFirst().orElseThrow()
        .getData().get("tributary.conf");
    var config = ConfigFactory.parseString(conf).withFallback(ConfigFactory.load()).resolve();
    assertThat(TributarySettings.from(config).clusters()).containsOnlyKeys("eu-1");
    assertThat(io.tributary.settings.KafkaSettings.from(config, true).saslPassword().file()).isEqualTo("/etc/tributary/kafka/password");
  }

  @Test
  void theRbacGrantsExactlyWhatTheWatchersReadInBothTheLocalAndTheRemoteClusters() {
    assertThat(watched()).contains("networking.k8s.io/ingresses", "traefik.io/ingressroutes",
        "traefik.containo.us/middlewares", "/services", "/nodes", "/namespaces");
    for (String file : List.of("rbac.yaml", "remote-cluster-rbac.yaml")) {
      assertThat(granted(one(file, ClusterRole.class))).as(file).isEqualTo(watched());
    }
    assertThat(all(ClusterRole.class)).extracting(r -> r.getMetadata().getName()).containsOnly("tributary-watch");
    // the local binding names the service account the Deployment runs as
    var binding = one("rbac.yaml", ClusterRoleBinding.class);
    var account = one("deployment.yaml", Deployment.class).getSpec().getTemplate().getSpec().getServiceAccountName();
    assertThat(binding.getRoleRef().getName()).isEqualTo("tributary-watch");
    assertThat(binding.getSubjects()).anySatisfy(s -> {
      assertThat(s.getKind()).isEqualTo("ServiceAccount");
      assertThat(s.getName()).isEqualTo(account);
    });
  }
}
