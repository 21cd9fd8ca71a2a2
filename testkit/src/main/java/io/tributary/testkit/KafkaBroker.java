package io.tributary.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A real Kafka broker for tests: one KRaft node (broker and controller combined) from Kafka's own
 * artifacts, in a child JVM on two free loopback ports, its log dirs in a fresh temporary
 * directory. Its classpath is Kafka's alone ({@code kafka-broker.classpath}, written by the
 * testkit build), so Kafka's Scala and Jackson never meet the test's. {@link #stop} and {@link
 * #startAgain} model an outage: ports and data survive it. No Docker.
 */
public final class KafkaBroker implements AutoCloseable {
  private static final String CLASSPATH_RESOURCE = "kafka-broker.classpath";

  private final Path dir;
  private final int port;
  private final int controllerPort;
  private final String clusterId;
  private Process process;

  private KafkaBroker(Path dir, int port, int controllerPort, String clusterId) {
    this.dir = dir;
    this.port = port;
    this.controllerPort = controllerPort;
    this.clusterId = clusterId;
  }

  /** A new Kafka cluster id: 16 random bytes, base64url without padding (22 characters). */
  private static String newClusterId() {
    UUID u = UUID.randomUUID();
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
  }

  /** Starts a broker on free loopback ports and waits until it serves clients. */
  public static KafkaBroker start() {
    return start(newClusterId());
  }

  /** As {@link #start()}, for the cluster id given (a test of ids Kafka's tools parse badly). */
  public static KafkaBroker start(String clusterId) {
    Path dir;
    try {
      dir = Files.createTempDirectory("tributary-kafka-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare a data directory for Kafka", e);
    }
    try {
      int port = ServerProcesses.freePort();
      int controller = ServerProcesses.freePort();
      while (controller == port) {
        controller = ServerProcesses.freePort();
      }
      KafkaBroker broker = new KafkaBroker(dir, port, controller, clusterId);
      broker.writeProperties();
      broker.startAgain();
      return broker;
    } catch (IOException e) {
      ServerProcesses.deleteTree(dir);
      throw new UncheckedIOException("cannot start Kafka", e);
    } catch (RuntimeException e) {
      ServerProcesses.deleteTree(dir);
      throw e;
    }
  }

  private void writeProperties() throws IOException {
    String props = String.join("\n",
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
        "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
        "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=PLAINTEXT",
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "log.dirs=" + dir.resolve("data"),
        // one node: every internal topic with one replica, and no waiting for more members
        "offsets.topic.replication.factor=1",
        "offsets.topic.num.partitions=1",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "transaction.state.log.num.partitions=1",
        "group.initial.rebalance.delay.ms=0",
        // the code under test creates its topic (or is told it is missing)
        "auto.create.topics.enable=false",
        // compaction is observable within a test
        "log.cleaner.backoff.ms=200",
        "num.network.threads=2",
        "num.io.threads=2",
        "");
    Files.writeString(dir.resolve("server.properties"), props);
  }

  /** Starts the broker (again, after {@link #stop}) on the same ports and data; waits until it is ready. */
  public synchronized void startAgain() {
    if (process != null && process.isAlive()) {
      return;
    }
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
        "-cp", classpath(), KafkaBrokerMain.class.getName(),
        dir.resolve("server.properties").toString(), clusterId));
    Path log = dir.resolve("kafka.log");
    var pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    long before = readyLines();
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start Kafka", e);
    }
    ServerProcesses.awaitReady(process, Duration.ofSeconds(90), () -> readyLines() > before,
        "Kafka did not start on " + bootstrapServers(), this::log);
  }

  /** Stops the broker: SIGTERM (a clean shutdown), SIGKILL after 10 s. */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    ServerProcesses.stop(process);
    process = null;
  }

  /** True while the broker process runs. */
  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** {@code 127.0.0.1:port}, for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  /** Stops the broker and deletes its directory. */
  @Override
  public void close() {
    stop();
    ServerProcesses.deleteTree(dir);
  }

  /** The broker's output so far (for a failure message). */
  public String log() {
    try {
      return Files.readString(dir.resolve("kafka.log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private long readyLines() {
    try {
      Path log = dir.resolve("kafka.log");
      return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8).stream()
          .filter(KafkaBrokerMain.READY::equals).count() : 0;
    } catch (IOException | java.io.UncheckedIOException e) {
      return 0; // a line being written in another charset state: look again
    }
  }

  /** Kafka's jars (from the testkit build) and the testkit's own classes, for {@link KafkaBrokerMain}. */
  private static String classpath() {
    try (InputStream in = KafkaBroker.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(CLASSPATH_RESOURCE + " is missing: build the testkit module with Maven");
      }
      String kafka = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      String own = Path.of(KafkaBroker.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
      return own + java.io.File.pathSeparator + kafka;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
