package io.tributary.consul;

import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.Http;

/** Shutting down a test kit whose actor system made HTTP calls. */
public final class HttpTestKits {
  private HttpTestKits() {}

  /** Pools first: a pool torn down by the stopping system logs an error for nothing. */
  public static void shutdown(ActorTestKit kit) {
    Http.get(kit.system()).shutdownAllConnectionPools().toCompletableFuture().join();
    kit.shutdownTestKit();
  }
}
