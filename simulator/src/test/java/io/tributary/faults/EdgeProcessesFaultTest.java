package io.tributary.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tributary.testkit.ConsulDouble;
import io.tributary.testkit.KafkaBrokerExtension;
import io.tributary.watch.MockCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Edge mode as users run it: two {@code tributary edge} processes (one per mock cluster) and a
 * central {@code tributary run} with {@code source = kafka}, each a child JVM, over a real Kafka
 * broker and the Consul double. The central service is SIGKILLed in the middle of a burst of
 * changes, more changes happen while it is dead, and the restarted one (empty memory) converges to
 * exactly what the objects should produce — the state the single-process service computes.
 */
class EdgeProcessesFaultTest {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
  private static final Duration START = Duration.ofSeconds(120);

  @TempDir Path dir;
  private final ConsulDouble consul = ConsulDouble.start();
  private final Map<String, MockCluster> clusters = new TreeMap<>();
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void stopAll() throws InterruptedException {
    for (Process p : processes) {
      if (p.isAlive()) {
        p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    }
    clusters.values().forEach(MockCluster::close);
    consul.close();
  }

  private Process start(String command, Path config, Path log) throws IOException {
    Process p = Faults.start(command, config, log);
    processes.add(p);
    return p;
  }

  private Path configFile(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name + ".conf"),
        "kamon.prometheus.embedded-server { hostname = \"127.0.0.1\", port = " + Faults.freePort() + " }\n" + text);
  }

  @Test
  void twoEdgesAndACentralServiceKilledMidBurstConvergeToTheSingleProcessState() throws Exception {
    clusters.put("eu-1", new MockCluster(MockCluster.Mode.TRAEFIK));
    clusters.put("eu-2", new MockCluster(MockCluster.Mode.TRAEFIK));
    Map<String, String> blocks = new TreeMap<>();
    blocks.put("eu-1", "kubeconfig = \"" + clusters.get("eu-1").kubeconfig(dir) + "\"\n" + Faults.endpoints("192.0.2.11"));
    blocks.put("eu-2", "kubeconfig = \"" + clusters.get("eu-2").kubeconfig(dir) + "\"\n" + Faults.endpoints("192.0.2.21"));
    String kafka = "kafka { bootstrap-servers = \"" + KAFKA.bootstrapServers() + "\", partitions = 3, replication-factor = 1,"
        + " commit-interval = 200ms }\nadmin { bind = \"127.0.0.1\", port = 0 }\n";
    Path log = dir.resolve("processes.log");
    var churn = new Churn(11, clusters);
    churn.seed(25);
    for (String c : blocks.keySet()) {
      start("edge", configFile("edge-" + c, Faults.text(consul, null, Map.of(c, blocks.get(c)), kafka)), log);
    }
    String centralText = Faults.text(consul, null, blocks, "source = kafka\n" + kafka);
    Config central = ConfigFactory.parseString(centralText).withFallback(ConfigFactory.load()).resolve();
    Path centralFile = configFile("central", centralText);
    try {
      Process first = start("run", centralFile, log);
      Duration initial = Faults.awaitConverged(central, clusters, consul, null, START);
      System.out.printf("[edge] two edges + central: %d objects converged in %d ms (JVM starts included)%n",
          churn.operations(), initial.toMillis());

      long writesBefore = consul.writes();
      for (int i = 0; i < 60; i++) {
        churn.step();
      }
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> consul.writes() > writesBefore);
      first.destroyForcibly(); // SIGKILL in the middle of writing the burst
      assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
      for (int i = 0; i < 60; i++) {
        churn.step(); // while the central service is dead: the edges keep publishing
      }

      var expected = Faults.expected(central, clusters);
      long again = System.nanoTime();
      start("run", centralFile, log);
      Duration converged = Faults.awaitConverged(expected, consul, null, START);
      System.out.printf("[edge] central restarted with empty memory: converged %d ms after its start, %d registrations%n",
          (System.nanoTime() - again) / 1_000_000, expected.consul().size());
      long writes = consul.writes();
      await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> consul.writes() == writes);
      assertThat(converged).isLessThan(START);
      for (Process p : processes) {
        p.destroy(); // SIGTERM: each drains and exits
      }
      for (Process p : processes) {
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      }
    } catch (Throwable t) {
      throw new AssertionError(t.getMessage() + "\n--- the processes' log, last lines:\n" + Faults.tail(log), t);
    }
  }
}
