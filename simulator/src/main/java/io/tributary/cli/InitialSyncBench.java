package io.tributary.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.tributary.eventlog.LogEvent;
import io.tributary.eventlog.LogEventType;
import io.tributary.replay.SyntheticScenario;
import io.tributary.service.ServiceGuardian;
import io.tributary.service.TargetWriters;
import io.tributary.settings.TributarySettings;
import io.tributary.testkit.ConsulDouble;
import io.tributary.plan.PipelineListener;
import io.tributary.writer.WriteObserver;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The live service's initial sync measured end to end: fabric8's mock API servers (CRUD mode, real
 * HTTP lists and watches) hold a synthetic log's initial lists, one server per cluster; a fresh
 * service lists them all through its watchers and writes into the in-JVM Consul double until it
 * holds exactly what a virtual-time replay of the same lists predicts. The replay's wall time is the
 * baseline of the same run.
 */
final class InitialSyncBench {
  private InitialSyncBench() {}

  // the mock API server logs every request and connection through java.util.logging; held, so the level sticks
  private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  /** Time to converge, live; the virtual-time replay of the same objects; registrations. */
  record Result(int clusters, int objects, long registrations, Duration live, Duration replay, Duration populate) {}

  static Result run(int clusters, int objects, Duration timeout, java.io.PrintStream progress) throws Exception {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    var params = new SyntheticScenario.Params(11, clusters, 8, objects, Duration.ZERO, 0, 0, 0, 0, SyntheticScenario.Params.defaults().start());
    List<LogEvent> lists = new ArrayList<>();
    SyntheticScenario.events(params).forEachRemaining(lists::add);
    Config base = LiveBench.withClusters(ConfigFactory.load(), lists);
    long replayStart = System.nanoTime();
    long expected = LiveBench.predict(base, lists, java.nio.file.Path.of("initial-sync")).get(io.tributary.target.Target.CONSUL).size();
    Duration replay = Duration.ofNanos(System.nanoTime() - replayStart);
    Map<String, KubernetesMockServer> servers = new TreeMap<>();
    try (ConsulDouble consul = ConsulDouble.start(TributarySettings.from(base).consul().datacenter())) {
      long populateStart = System.nanoTime();
      populate(lists, servers, progress);
      Duration populate = Duration.ofNanos(System.nanoTime() - populateStart);
      progress.printf("bench: initial sync: %,d Ingresses in %d mock API servers (filled in %.1f s); starting the service%n",
          objects, clusters, populate.toMillis() / 1000.0);
      Config live = ConfigFactory.parseString("tributary.consul.http.address = \"" + consul.address() + "\"").withFallback(base);
      Duration took = service(live, servers, consul, expected, timeout);
      return new Result(clusters, objects, expected, took, replay, populate);
    } finally {
      servers.values().forEach(KubernetesMockServer::destroy);
    }
  }

  /** One CRUD mock API server per cluster of {@code lists}, holding that cluster's objects. */
  private static void populate(List<LogEvent> lists, Map<String, KubernetesMockServer> servers, java.io.PrintStream progress)
      throws Exception {
    Map<String, List<LogEvent>> byCluster = new TreeMap<>();
    lists.stream().filter(e -> e.type() == LogEventType.ADDED)
        .forEach(e -> byCluster.computeIfAbsent(e.cluster(), c -> new ArrayList<>()).add(e));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (var cluster : byCluster.entrySet()) {
        KubernetesMockServer server = server();
        servers.put(cluster.getKey(), server);
        done.add(pool.submit(() -> {
          try (KubernetesClient client = server.createClient()) {
            for (LogEvent e : cluster.getValue()) {
              var object = e.object().deepCopy();
              var meta = (com.fasterxml.jackson.databind.node.ObjectNode) object.get("metadata");
              meta.remove("resourceVersion");
              meta.remove("uid");
              GenericKubernetesResource r = Serialization.unmarshal(object.toString(), GenericKubernetesResource.class);
              client.genericKubernetesResources(r.getApiVersion(), r.getKind())
                  .inNamespace(r.getMetadata().getNamespace()).resource(r).create();
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  private static KubernetesMockServer server() {
    List<CustomResourceDefinitionContext> crds = new ArrayList<>();
    for (String group : List.of("traefik.io", "traefik.containo.us")) {
      crds.add(crd(group, "IngressRoute", "ingressroutes"));
      crds.add(crd(group, "Middleware", "middlewares"));
      crds.add(crd(group, "TraefikService", "traefikservices"));
    }
    var responses = new HashMap<io.fabric8.mockwebserver.ServerRequest, java.util.Queue<io.fabric8.mockwebserver.ServerResponse>>();
    var server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(), responses,
        new KubernetesMixedDispatcher(responses, crds), false);
    server.init();
    return server;
  }

  private static CustomResourceDefinitionContext crd(String group, String kind, String plural) {
    return new CustomResourceDefinitionContext.Builder()
        .withGroup(group).withVersion("v1alpha1").withKind(kind).withPlural(plural).withScope("Namespaced").build();
  }

  /** A fresh service over {@code servers} until Consul holds {@code expected} registrations and the writer is quiet. */
  private static Duration service(Config live, Map<String, KubernetesMockServer> servers, ConsulDouble consul, long expected,
      Duration timeout) throws Exception {
    TributarySettings settings = TributarySettings.from(live);
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "bench-initial-sync", live);
    try {
      Instant started = Instant.now();
      long deadline = System.nanoTime() + timeout.toNanos();
      ActorRef<ServiceGuardian.Command> service = system.systemActorOf(
          ServiceGuardian.create(settings, c -> servers.get(c.name()).createClient(),
              TargetWriters.from(settings, WriteObserver.NONE), PipelineListener.NONE, null),
          "service", Props.empty());
      while (consul.instanceCount() != expected || !quiet(consul)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("Consul did not converge within " + timeout + ": " + consul.instanceCount()
              + " of " + expected + " registrations");
        }
        Thread.sleep(50); // polling the double from outside the actor system
      }
      var requests = consul.requests();
      Duration took = Duration.between(started, requests.get(requests.size() - 1).at());
      AskPattern.<ServiceGuardian.Command, Done>ask(service, ServiceGuardian.Drain::new, Duration.ofSeconds(30), system.scheduler())
          .toCompletableFuture().get(60, TimeUnit.SECONDS);
      return took;
    } finally {
      org.apache.pekko.http.javadsl.Http.get(system).shutdownAllConnectionPools().toCompletableFuture().get(10, TimeUnit.SECONDS);
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static boolean quiet(ConsulDouble consul) {
    var requests = consul.requests();
    return !requests.isEmpty() && requests.get(requests.size() - 1).at().isBefore(Instant.now().minusMillis(500));
  }
}
