package io.tributary.reload;

import static io.tributary.watch.MockCluster.ingress;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tributary.plan.PipelineListener;
import io.tributary.service.ServiceGuardian;
import io.tributary.service.TargetWriters;
import io.tributary.settings.TributarySettings;
import io.tributary.testkit.ConsulDouble;
import io.tributary.watch.KubernetesClients;
import io.tributary.watch.MockCluster;
import io.tributary.writer.WriteObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The running service's config file edited while it runs (two mock clusters, the Consul double):
 * what the issue asks a live reload to do, and what it must refuse.
 */
class ReloadServiceTest {
  private static final ActorTestKit KIT = ActorTestKit.create();
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;
  private final ConsulDouble consul = ConsulDouble.start();
  private final Map<String, MockCluster> clusters = new TreeMap<>();
  private final List<ConfigReloader.Outcome> outcomes = new CopyOnWriteArrayList<>();
  private Path file;

  ReloadServiceTest() {
    clusters.put("eu-1", new MockCluster(MockCluster.Mode.TRAEFIK));
    clusters.put("eu-2", new MockCluster(MockCluster.Mode.TRAEFIK));
  }

  @AfterAll
  static void stopKit() {
    io.tributary.consul.HttpTestKits.shutdown(KIT);
  }

  @AfterEach
  void stopAll() {
    clusters.values().forEach(MockCluster::close);
    consul.close();
  }

  private String config(String extra) {
    return """
        tributary {
          debounce { quiet = 50ms, max-delay = 500ms }
          writer.ask-timeout = 1s
          consul.http.address = "%s"
          watch { min-backoff = 200ms, max-backoff = 2s, removal-grace = 500ms }
          reload.check-interval = 100ms
          clusters {
            eu-1.endpoints { addresses = ["192.0.2.11"], port = 8080 }
          }
        }
        %s
        """.formatted(consul.address(), extra);
  }

  private Config load() {
    return ConfigFactory.parseFile(file.toFile()).withFallback(ConfigFactory.load()).resolve();
  }

  private ActorRef<ServiceGuardian.Command> start(String extra) throws Exception {
    file = dir.resolve("tributary.conf");
    Files.writeString(file, config(extra));
    Config cfg = load();
    TributarySettings settings = TributarySettings.from(cfg);
    KubernetesClients clients = s -> clusters.get(s.name()).server.createClient();
    var reloading = new ServiceGuardian.Reloading(file, cfg, this::load, (cause, outcome) -> outcomes.add(outcome));
    return KIT.spawn(ServiceGuardian.create(settings, clients, TargetWriters.from(settings, WriteObserver.NONE),
        PipelineListener.NONE, null, reloading));
  }

  private void edit(String extra) throws Exception {
    int before = outcomes.size();
    Files.writeString(file, config(extra));
    await().atMost(WAIT).until(() -> outcomes.size() > before);
  }

  private ConfigReloader.Outcome last() {
    return outcomes.get(outcomes.size() - 1);
  }

  private boolean registered(String service) {
    return consul.catalogService(service).size() > 0;
  }

  private static String nginx(String ns, String name, String host) {
    return ingress(ns, name, host, "/", "10").replace("\"spec\":{", "\"spec\":{\"ingressClassName\":\"nginx\",");
  }

  @Test
  void editsOfTheRunningConfigApplyInPlaceAndAnInvalidEditKeepsTheRunningConfig() throws Exception {
    clusters.get("eu-1").apply(ingress("shop", "web", "www.example.com", "/", "10"));
    clusters.get("eu-1").apply(nginx("shop", "legacy", "legacy.example.com"));
    clusters.get("eu-2").apply(ingress("api", "api", "api.example.com", "/", "10"));
    var service = start("");
    await().atMost(WAIT).until(() -> registered("www-example-com") && registered("legacy-example-com"));
    assertThat(registered("api-example-com")).isFalse(); // eu-2 is not configured yet

    // a translation setting: every object translated again, only the filtered one withdrawn
    long writesBefore = consul.writes();
    edit("tributary.translate.ingress-classes = [traefik]");
    assertThat(last()).isInstanceOf(ConfigReloader.Applied.class);
    assertThat(((ConfigReloader.Applied) last()).changed()).containsOnlyKeys("translate.ingress-classes");
    await().atMost(WAIT).until(() -> !registered("legacy-example-com"));
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> consul.writes() == writesBefore + 1);
    assertThat(registered("www-example-com")).isTrue();

    // an invalid edit: refused with its file and line, and the running config keeps working
    edit("tributary.translate.ingress-classes = [traefik]\ntributary.debounce.quiet = soon");
    assertThat(last()).isInstanceOf(ConfigReloader.Refused.class);
    assertThat(((ConfigReloader.Refused) last()).problems()).singleElement().asString()
        .contains(file.toString() + ":").contains("debounce.quiet");
    clusters.get("eu-1").apply(ingress("shop", "cart", "cart.example.com", "/", "10"));
    await().atMost(WAIT).until(() -> registered("cart-example-com"));

    // a cluster added: its watcher starts and its routes are registered
    edit("tributary.translate.ingress-classes = [traefik]\n"
        + "tributary.clusters.eu-2.endpoints { addresses = [\"192.0.2.21\"], port = 8080 }");
    assertThat(last()).isInstanceOf(ConfigReloader.Applied.class);
    await().atMost(WAIT).until(() -> registered("api-example-com"));

    // and removed again: withdrawn after the removal grace
    edit("tributary.translate.ingress-classes = [traefik]");
    await().atMost(WAIT).until(() -> !registered("api-example-com"));
    assertThat(registered("www-example-com")).isTrue();
    stop(service);
  }

  @Test
  void aReloadRequestDoesWhatAFileChangeDoesAndWhatNeedsARestartIsRefused() throws Exception {
    clusters.get("eu-1").apply(nginx("shop", "legacy", "legacy.example.com"));
    // files not watched: only the requests reload, so none of them races the file poller
    String manual = "tributary.reload.check-interval = 0s\n";
    var service = start(manual);
    await().atMost(WAIT).until(() -> registered("legacy-example-com"));
    TestProbe<ConfigReloader.Outcome> probe = KIT.createTestProbe();

    // what SIGHUP and POST /reload send; nothing changed yet
    service.tell(new ServiceGuardian.Reload("SIGHUP", probe.ref()));
    assertThat(probe.receiveMessage(WAIT)).isEqualTo(new ConfigReloader.Unchanged(0));

    // the stream's ask timeout cannot be applied while running: refused with the key
    Files.writeString(file, config(manual + "tributary.writer.ask-timeout = 5s"));
    service.tell(new ServiceGuardian.Reload("POST /reload", probe.ref()));
    var refused = (ConfigReloader.Refused) probe.receiveMessage(WAIT);
    assertThat(refused.problems()).containsExactly("cannot be applied while running (restart to apply): writer.ask-timeout");
    assertThat(registered("legacy-example-com")).isTrue();

    Files.writeString(file, config(manual + "tributary.translate.ingress-classes = [traefik]"));
    service.tell(new ServiceGuardian.Reload("SIGHUP", probe.ref()));
    assertThat(probe.receiveMessage(WAIT)).isInstanceOf(ConfigReloader.Applied.class);
    await().atMost(WAIT).until(() -> !registered("legacy-example-com"));
    stop(service);
  }

  @Test
  void postReloadAnswersTheOutcomeAndStatusShowsTheLastReload() throws Exception {
    clusters.get("eu-1").apply(nginx("shop", "legacy", "legacy.example.com"));
    file = dir.resolve("tributary.conf");
    String admin = "tributary.admin { bind = \"127.0.0.1\", port = 0 }\ntributary.reload.check-interval = 0s\n";
    Files.writeString(file, config(admin));
    Config cfg = load();
    TributarySettings settings = TributarySettings.from(cfg);
    var status = new io.tributary.admin.ServiceStatus(settings, io.tributary.admin.ConfigVersion.of(cfg, file), java.time.Clock.systemUTC());
    ConfigReloader.Listener toStatus = (cause, outcome) -> status.reloaded(cause,
        outcome instanceof ConfigReloader.Applied ? "applied" : outcome instanceof ConfigReloader.Unchanged ? "unchanged" : "refused",
        outcome instanceof ConfigReloader.Refused r ? r.problems() : List.of());
    KubernetesClients clients = s -> clusters.get(s.name()).server.createClient();
    var service = KIT.spawn(ServiceGuardian.create(settings, clients, TargetWriters.from(settings, WriteObserver.NONE),
        PipelineListener.NONE, null, new ServiceGuardian.Reloading(file, cfg, this::load, toStatus)));
    io.tributary.admin.AdminRoutes.Reloader reloader = cause -> AskPattern.<ServiceGuardian.Command, ConfigReloader.Outcome>ask(
        service, replyTo -> new ServiceGuardian.Reload(cause, replyTo), WAIT, KIT.scheduler());
    var server = io.tributary.admin.AdminServer.start(KIT.system(), settings.admin(), status, reloader).toCompletableFuture().get();
    var http = java.net.http.HttpClient.newHttpClient();
    java.util.function.Function<String, java.net.http.HttpResponse<String>> post = path -> {
      try {
        return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + server.port() + path)).POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
    await().atMost(WAIT).until(() -> registered("legacy-example-com"));

    var unchanged = post.apply("/reload");
    assertThat(unchanged.statusCode()).isEqualTo(200);
    assertThat(unchanged.body()).contains("\"result\" : \"unchanged\"");

    Files.writeString(file, config(admin + "tributary.debounce.quiet = soon"));
    var refused = post.apply("/reload");
    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(refused.body()).contains("\"result\" : \"refused\"").contains("debounce.quiet");
    assertThat(status.toJson().path("config").path("lastReload").path("ok").asBoolean(true)).isFalse();

    Files.writeString(file, config(admin + "tributary.translate.ingress-classes = [traefik]"));
    var applied = post.apply("/reload");
    assertThat(applied.statusCode()).isEqualTo(200);
    assertThat(applied.body()).contains("\"result\" : \"applied\"").contains("translate.ingress-classes");
    assertThat(status.toJson().path("config").path("lastReload").path("ok").asBoolean()).isTrue();
    await().atMost(WAIT).until(() -> !registered("legacy-example-com"));
    server.stop().toCompletableFuture().get();
    stop(service);
  }

  @Test
  void aTargetsNewAddressStartsItsWriterAnewAndATargetTakenOutIsNoLongerWritten() throws Exception {
    try (var other = ConsulDouble.start()) {
      clusters.get("eu-1").apply(ingress("shop", "web", "www.example.com", "/", "10"));
      file = dir.resolve("tributary.conf");
      Files.writeString(file, config(""));
      Config cfg = load();
      TributarySettings settings = TributarySettings.from(cfg);
      KubernetesClients clients = s -> clusters.get(s.name()).server.createClient();
      var reloading = new ServiceGuardian.Reloading(file, cfg, this::load, (cause, outcome) -> outcomes.add(outcome),
          next -> TargetWriters.from(next, WriteObserver.NONE), false);
      var service = KIT.spawn(ServiceGuardian.create(settings, clients, TargetWriters.from(settings, WriteObserver.NONE),
          PipelineListener.NONE, null, reloading));
      await().atMost(WAIT).until(() -> registered("www-example-com"));

      // another Consul: its writer is started anew, told everything, and registers it there
      edit("tributary.consul.http.address = \"" + other.address() + "\"");
      assertThat(last()).isInstanceOf(ConfigReloader.Applied.class);
      await().atMost(WAIT).until(() -> other.catalogService("www-example-com").size() == 1);
      // the first Consul keeps what it had and hears nothing more
      long firstWrites = consul.writes();
      clusters.get("eu-1").apply(ingress("shop", "cart", "cart.example.com", "/", "10"));
      await().atMost(WAIT).until(() -> other.catalogService("cart-example-com").size() == 1);
      assertThat(consul.writes()).isEqualTo(firstWrites);
      assertThat(registered("www-example-com")).isTrue();

      // Consul taken out of the config: kept in memory from now on, the sink untouched
      edit("tributary.consul.http.address = \"\"");
      assertThat(last()).isInstanceOf(ConfigReloader.Applied.class);
      long otherWrites = other.writes();
      clusters.get("eu-1").apply(ingress("shop", "api", "api.example.com", "/", "10"));
      clusters.get("eu-1").delete("networking.k8s.io/v1", "Ingress", "shop", "cart");
      await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> other.writes() == otherWrites);
      assertThat(other.catalogService("cart-example-com")).hasSize(1);
      stop(service);
    }
  }

  private static void stop(ActorRef<ServiceGuardian.Command> service) throws Exception {
    AskPattern.<ServiceGuardian.Command, Done>ask(service, ServiceGuardian.Drain::new, Duration.ofSeconds(10), KIT.scheduler())
        .toCompletableFuture().get();
    KIT.stop(service);
  }
}
