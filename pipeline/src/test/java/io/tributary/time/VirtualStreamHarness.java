package io.tributary.time;

import com.typesafe.config.ConfigFactory;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.SystemMaterializer;

/** A classic actor system on virtual time for stream-stage tests; close it after each test. */
public final class VirtualStreamHarness implements AutoCloseable {
  public final VirtualTime time;
  public final ActorSystem system;
  public final Materializer materializer;

  public VirtualStreamHarness(Instant origin) {
    time = new VirtualTime(origin);
    system = ActorSystem.create("virtual-test", time.bootstrap(ConfigFactory.load()));
    time.attach(system.scheduler());
    // initialise the materializer from this thread: it blocks until its guardian runs on the executor
    materializer = SystemMaterializer.get(system).materializer();
    time.settle();
  }

  @Override
  public void close() throws Exception {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
    time.shutdown();
  }
}
