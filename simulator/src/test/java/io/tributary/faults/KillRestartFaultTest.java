package io.tributary.faults;

import static org.awaitility.Awaitility.await;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tributary.testkit.BindServer;
import io.tributary.testkit.ConsulDouble;
import io.tributary.watch.MockCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault test: the real service ({@code tributary run}, a child JVM) over two mock API servers,
 * the Consul double and a real BIND, killed with SIGKILL while a burst of creates, changes and
 * deletes is being written, changed some more while it is dead, restarted — and killed again
 * while the restart reconciles, changed, restarted. It keeps no state of its own, so the restart
 * must find what the targets hold and finish the job: at the end Consul and BIND hold exactly
 * what the objects left should produce, record by record, none missing and none orphaned.
 */
class KillRestartFaultTest {
  private static final Duration START = Duration.ofSeconds(120); // a JVM starting on a loaded machine, then the sync

  @TempDir Path dir;

  private final ConsulDouble consul = ConsulDouble.start();
  private final BindServer bind = BindServer.start(Faults.ZONE);
  private final Map<String, MockCluster> clusters = new TreeMap<>();
  private Process service;

  @AfterEach
  void stopAll() throws InterruptedException {
    if (service != null && service.isAlive()) {
      service.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    clusters.values().forEach(MockCluster::close);
    consul.close();
    bind.close();
  }

  @Test
  void aServiceKilledMidBurstAndAgainWhileReconcilingLeavesNoOrphanAndMissesNoRecord() throws Exception {
    clusters.put("eu-1", new MockCluster(MockCluster.Mode.TRAEFIK));
    clusters.put("eu-2", new MockCluster(MockCluster.Mode.TRAEFIK));
    Map<String, String> blocks = new TreeMap<>();
    blocks.put("eu-1", "kubeconfig = \"" + clusters.get("eu-1").kubeconfig(dir) + "\"\n" + Faults.endpoints("192.0.2.11"));
    blocks.put("eu-2", "kubeconfig = \"" + clusters.get("eu-2").kubeconfig(dir) + "\"\n" + Faults.endpoints("192.0.2.21"));
    String text = Faults.text(consul, bind, blocks, "admin { bind = \"127.0.0.1\", port = 0 }\n");
    Config config = ConfigFactory.parseString(text).withFallback(ConfigFactory.load()).resolve();
    Path file = Files.writeString(dir.resolve("tributary.conf"),
        "kamon.prometheus.embedded-server { hostname = \"127.0.0.1\", port = " + Faults.freePort() + " }\n" + text);
    Path log = dir.resolve("service.log");
    var churn = new Churn(5, clusters);
    churn.seed(25);
    try {
      service = Faults.run(file, log);
      Duration initial = Faults.awaitConverged(config, clusters, consul, bind, START);
      System.out.printf("[fault kill-9] first start: %d objects converged in %d ms%n", churn.operations(), initial.toMillis());

      // a burst of changes, and SIGKILL once both writers are busy with it
      long writesBefore = consul.writes();
      long serialBefore = bind.serial(Faults.ZONE);
      int opsBefore = churn.operations();
      AtomicBoolean killed = new AtomicBoolean();
      CompletableFuture<Void> burst = CompletableFuture.runAsync(() -> {
        while (!killed.get()) {
          churn.step();
        }
        for (int i = 0; i < 200; i++) {
          churn.step(); // while the service is dead
        }
      });
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() ->
          burst.isDone() || consul.writes() >= writesBefore + 3 && bind.serial(Faults.ZONE) >= serialBefore + 2
              && churn.operations() >= opsBefore + 100);
      Faults.kill(service);
      killed.set(true);
      int opsAtKill = churn.operations() - opsBefore;
      long consulWrites = consul.writes() - writesBefore;
      long dnsUpdates = bind.serial(Faults.ZONE) - serialBefore;
      burst.get(60, TimeUnit.SECONDS);
      System.out.printf("[fault kill-9] SIGKILL %d changes into the burst, after %d Consul writes and %d DNS UPDATEs of it;"
          + " %d more changes while dead%n", opsAtKill, consulWrites, dnsUpdates, churn.operations() - opsBefore - opsAtKill);

      // restarted, and killed again as soon as it writes: in the middle of reconciling
      long writesAtRestart = consul.writes();
      long serialAtRestart = bind.serial(Faults.ZONE);
      long restarted = System.nanoTime();
      service = Faults.run(file, log);
      await().atMost(START).pollInterval(Duration.ofMillis(20)).until(() ->
          consul.writes() > writesAtRestart || bind.serial(Faults.ZONE) > serialAtRestart);
      Faults.kill(service);
      System.out.printf("[fault kill-9] restarted and SIGKILLed again %d ms later, at its first write%n",
          (System.nanoTime() - restarted) / 1_000_000);
      for (int i = 0; i < 50; i++) {
        churn.step();
      }

      var expected = Faults.expected(config, clusters);
      long again = System.nanoTime();
      service = Faults.run(file, log);
      Duration converged = Faults.awaitConverged(expected, consul, bind, START);
      System.out.printf("[fault kill-9] restarted: converged %d ms after the start (JVM start included): %d Consul"
              + " registrations, %d DNS records as desired after %d creates, %d updates, %d deletes%n",
          (System.nanoTime() - again) / 1_000_000, expected.consul().size(), expected.dns().size(), churn.creates.get(),
          churn.updates.get(), churn.deletes.get());
      // and it stays so: nothing left for the restarted service to undo
      long serial = bind.serial(Faults.ZONE);
      long writes = consul.writes();
      await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
          .until(() -> consul.writes() == writes && bind.serial(Faults.ZONE) == serial);
      Faults.awaitConverged(expected, consul, bind, Duration.ofSeconds(5));
      service.destroy(); // SIGTERM: drains and exits
      service.waitFor(60, TimeUnit.SECONDS);
    } catch (Throwable t) {
      throw new AssertionError(t.getMessage() + "\n--- the service's log, last lines:\n" + Faults.tail(log), t);
    }
  }
}
