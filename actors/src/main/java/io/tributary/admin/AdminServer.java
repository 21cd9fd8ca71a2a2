package io.tributary.admin;

import io.tributary.settings.AdminSettings;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP endpoint of the running service: {@link AdminRoutes} served on {@code
 * admin.bind:admin.port} by Pekko HTTP, on the service's own actor system. It stays up while
 * SIGTERM drains the pipeline (so {@code /status} shows the drain, and {@code /healthz} turns 503
 * when it is done) and closes in coordinated shutdown's {@code service-stop} phase, after it.
 */
public final class AdminServer {
  private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
  /** How long open connections may finish their request when the server closes. */
  private static final Duration CLOSE_DEADLINE = Duration.ofSeconds(1);

  private final ServerBinding binding;
  private final AtomicReference<CompletionStage<Done>> stopped = new AtomicReference<>();

  private AdminServer(ServerBinding binding) {
    this.binding = binding;
  }

  /**
   * Binds the endpoint; the stage fails (with the address and the cause) when it cannot listen,
   * for instance because the port is taken.
   */
  public static CompletionStage<AdminServer> start(ActorSystem<?> system, AdminSettings settings, ServiceStatus status) {
    return start(system, settings, status, AdminRoutes.Reloader.NONE);
  }

  /** As above, with {@code POST /reload} through {@code reloader}. */
  public static CompletionStage<AdminServer> start(
      ActorSystem<?> system, AdminSettings settings, ServiceStatus status, AdminRoutes.Reloader reloader) {
    return Http.get(system)
        .newServerAt(settings.bind(), settings.port())
        .bind(AdminRoutes.create(status, reloader))
        .thenApply(binding -> {
          var server = new AdminServer(binding);
          CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceStop(), "admin-http-close", server::stop);
          LOG.info("admin HTTP on {}:{}: {}", settings.bind(), server.port(), String.join(", ", AdminRoutes.PATHS));
          return server;
        });
  }

  /** The address the endpoint listens on; with {@code admin.port = 0}, the port the system picked. */
  public InetSocketAddress address() {
    return binding.localAddress();
  }

  /** The port the endpoint listens on. */
  public int port() {
    return binding.localAddress().getPort();
  }

  /**
   * Stops listening and closes open connections (their requests get a second to finish). Only the
   * first call does it (coordinated shutdown calls it too); every call gets the same stage.
   */
  public CompletionStage<Done> stop() {
    var first = new CompletableFuture<Done>();
    if (!stopped.compareAndSet(null, first)) {
      return stopped.get();
    }
    binding.terminate(CLOSE_DEADLINE).whenComplete((terminated, failure) -> first.complete(Done.getInstance()));
    return first;
  }
}
