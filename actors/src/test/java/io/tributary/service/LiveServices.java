package io.tributary.service;

import io.tributary.admin.AdminServer;
import io.tributary.admin.ConfigVersion;
import io.tributary.admin.ServiceStatus;
import io.tributary.settings.TributarySettings;
import io.tributary.watch.KubernetesClients;
import io.tributary.watch.MockCluster;
import io.tributary.plan.PipelineListener;
import io.tributary.writer.WriteObserver;
import java.time.Duration;
import java.util.Map;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/** Starts and drains the live service over mock clusters, with the writers its settings configure. */
public final class LiveServices {
  private LiveServices() {}

  public static ActorRef<ServiceGuardian.Command> start(ActorTestKit kit, TributarySettings settings, Map<String, MockCluster> clusters) {
    return start(kit, settings, clusters, WriteObserver.NONE, PipelineListener.NONE);
  }

  /** As above, reporting writes to {@code writes} and the pipeline to {@code listener} (metrics, say). */
  public static ActorRef<ServiceGuardian.Command> start(
      ActorTestKit kit, TributarySettings settings, Map<String, MockCluster> clusters, WriteObserver writes, PipelineListener listener) {
    KubernetesClients clients = s -> clusters.get(s.name()).server.createClient();
    return kit.spawn(ServiceGuardian.create(settings, clients, TargetWriters.from(settings, writes), listener, null));
  }

  /** The live service with its admin endpoint, wired as {@code tributary run} wires them. */
  public record WithAdmin(ActorRef<ServiceGuardian.Command> service, ServiceStatus status, AdminServer admin) {
    /** {@code http://127.0.0.1:<port><path>} of the admin endpoint. */
    public java.net.URI uri(String path) {
      return java.net.URI.create("http://127.0.0.1:" + admin.port() + path);
    }
  }

  /**
   * As {@link #start}, with the status collector in front of {@code writes} and {@code listener}
   * and the admin endpoint on {@code settings.admin()} (port 0 in tests: a free one).
   */
  public static WithAdmin startWithAdmin(
      ActorTestKit kit, TributarySettings settings, ConfigVersion config, Map<String, MockCluster> clusters,
      WriteObserver writes, PipelineListener listener) throws Exception {
    var status = new ServiceStatus(settings, config, java.time.Clock.systemUTC());
    var service = start(kit, settings, clusters, status.observing(writes), status.listening(listener));
    var admin = AdminServer.start(kit.system(), settings.admin(), status).toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
    return new WithAdmin(service, status, admin);
  }

  /** Drains the service as SIGTERM would, then stops it. */
  public static void stop(ActorTestKit kit, ActorRef<ServiceGuardian.Command> service) throws Exception {
    AskPattern.<ServiceGuardian.Command, Done>ask(service, ServiceGuardian.Drain::new, Duration.ofSeconds(10), kit.scheduler())
        .toCompletableFuture().get();
    kit.stop(service);
  }
}
