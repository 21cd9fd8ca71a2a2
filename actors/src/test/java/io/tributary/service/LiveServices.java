package io.tributary.service;

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

  /** Drains the service as SIGTERM would, then stops it. */
  public static void stop(ActorTestKit kit, ActorRef<ServiceGuardian.Command> service) throws Exception {
    AskPattern.<ServiceGuardian.Command, Done>ask(service, ServiceGuardian.Drain::new, Duration.ofSeconds(10), kit.scheduler())
        .toCompletableFuture().get();
    kit.stop(service);
  }
}
