package io.tributary.faults;

import static org.awaitility.Awaitility.await;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tributary.target.Target;
import io.tributary.testkit.BindServer;
import io.tributary.testkit.ConsulDouble;
import io.tributary.watch.MockCluster;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** What the fault tests share: the service's config over mock clusters and real targets, and waiting for convergence. */
final class Faults {
  static final String ZONE = "example.com";

  private Faults() {}

  /**
   * The config of a service writing to {@code consul} and {@code bind} (either may be null: that
   * target is kept in memory), watching the Ingresses of {@code clusters} (name → its block's
   * extra keys besides {@code kinds}), with short debounce and watch backoff as the end-to-end
   * tests use; {@code extra} is added under {@code tributary}.
   */
  static Config config(ConsulDouble consul, BindServer bind, Map<String, String> clusters, String extra) {
    return ConfigFactory.parseString(text(consul, bind, clusters, extra)).withFallback(ConfigFactory.load()).resolve();
  }

  /** {@link #config}'s {@code tributary} block as HOCON text, for a config file. */
  static String text(ConsulDouble consul, BindServer bind, Map<String, String> clusters, String extra) {
    String consulLine = consul == null ? "" : "consul.http.address = \"" + consul.address() + "\"\n";
    String dns = bind == null ? "dns.zones = [\"" + ZONE + "\"]\n"
        : "dns.zones = [{ name = " + ZONE + ", server = \"" + bind.address() + "\", tsig { name = " + BindServer.KEY
            + ", secret-file = \"" + bind.secretFile() + "\" } }]\n";
    String blocks = clusters.entrySet().stream()
        .map(e -> "\"" + e.getKey() + "\" { kinds = [Ingress]\n" + e.getValue() + " }")
        .collect(Collectors.joining("\n"));
    return "tributary {\n"
        + "debounce { quiet = 50ms, max-delay = 500ms }\n"
        + "watch { min-backoff = 200ms, max-backoff = 2s, removal-grace = 500ms }\n"
        + consulLine + dns + extra + "\nclusters {\n" + blocks + "\n}\n}\n";
  }

  /** A cluster block's endpoints: one address, port 8080. */
  static String endpoints(String address) {
    return "endpoints { addresses = [\"" + address + "\"], port = 8080 }";
  }

  /** The Consul nodes Tributary registers {@code clusters}' instances on. */
  static List<String> nodes(Map<String, MockCluster> clusters) {
    return clusters.keySet().stream().map(c -> "tributary-" + c).toList();
  }

  /** What the targets should hold: Consul registrations and DNS records, in {@link DesiredState}'s form. */
  record Expected(Map<String, String> consul, Map<String, String> dns, List<String> nodes) {}

  /** What the objects now in {@code clusters} should produce under {@code config}. */
  static Expected expected(Config config, Map<String, MockCluster> clusters) {
    var desired = DesiredState.of(config, clusters);
    var expected = new Expected(DesiredState.consul(desired.get(Target.CONSUL)), DesiredState.dns(desired.get(Target.DNS)),
        nodes(clusters));
    if (expected.consul().isEmpty() || expected.dns().isEmpty()) {
      throw new AssertionError("the desired state is empty: a comparison would prove nothing");
    }
    return expected;
  }

  /**
   * Waits (at most {@code atMost}) until {@code consul} and {@code bind} (those not null) hold
   * exactly {@code expected}; fails naming every missing, orphaned and differing record. Answers
   * how long it took.
   */
  static Duration awaitConverged(Expected expected, ConsulDouble consul, BindServer bind, Duration atMost) {
    long start = System.nanoTime();
    await().atMost(atMost).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
      List<String> failing = new ArrayList<>();
      if (consul != null) {
        var d = RecordDiff.between("consul", expected.consul(), DesiredState.consul(consul, expected.nodes()));
        if (!d.isEmpty()) {
          failing.add(d.describe());
        }
      }
      if (bind != null) {
        var d = RecordDiff.between("dns " + ZONE, expected.dns(), DesiredState.dns(bind, ZONE));
        if (!d.isEmpty()) {
          failing.add(d.describe());
        }
      }
      if (!failing.isEmpty()) {
        throw new AssertionError(String.join("\n", failing));
      }
    });
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /** As above, {@code expected} computed from {@code clusters} first. */
  static Duration awaitConverged(Config config, Map<String, MockCluster> clusters, ConsulDouble consul, BindServer bind,
      Duration atMost) {
    return awaitConverged(expected(config, clusters), consul, bind, atMost);
  }

  static int freePort() throws IOException {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** The runtime classpath as shipped: without the test classes (and their logback-test.xml). */
  private static String shippedClasspath() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> !e.endsWith("test-classes") && !e.endsWith("-tests.jar"))
        .collect(Collectors.joining(File.pathSeparator));
  }

  /** {@code tributary run --config config}, its output appended to {@code log}. */
  static Process run(Path config, Path log) throws IOException {
    return start("run", config, log);
  }

  /** {@code tributary COMMAND --config config} (run, edge), its output appended to {@code log}. */
  static Process start(String command, Path config, Path log) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    var builder = new ProcessBuilder(java, "-Xmx256m", "-cp", shippedClasspath(), "io.tributary.cli.TributaryCli", command,
        "--config", config.toString());
    builder.environment().remove("TRIBUTARY_LOG_LEVEL");
    builder.environment().remove("TRIBUTARY_LOG_FORMAT");
    builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    return builder.start();
  }

  /** SIGKILL: no drain, no shutdown hook, whatever was in flight is cut off. */
  static void kill(Process p) throws InterruptedException {
    p.destroyForcibly();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("the service did not die of SIGKILL");
    }
  }

  static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
