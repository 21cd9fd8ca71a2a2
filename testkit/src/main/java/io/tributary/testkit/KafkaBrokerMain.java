package io.tributary.testkit;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The child JVM of {@link KafkaBroker}: formats the KRaft storage the first time (kept across a
 * restart, like a real broker's disk), runs one combined broker+controller node, prints the line
 * {@link #READY} once it serves clients, and shuts it down cleanly on SIGTERM.
 */
public final class KafkaBrokerMain {
  /** Printed once the broker is up (unfenced and serving its listener). */
  public static final String READY = "tributary-kafka-broker-ready";

  private KafkaBrokerMain() {}

  /**
   * Formats the storage named in {@code serverProperties} for {@code clusterId} unless it already is.
   * The id is passed as {@code --cluster-id=ID}: Kafka's ids are base64url, and one starting with
   * '-' given as a separate argument is read as an option.
   */
  private static void format(Path serverProperties, String clusterId) {
    int formatted = kafka.tools.StorageTool.execute(
        new String[] {"format", "--cluster-id=" + clusterId, "-c", serverProperties.toString(), "--ignore-formatted"},
        System.out);
    if (formatted != 0) {
      throw new IllegalStateException("kafka-storage format exited " + formatted);
    }
  }

  /** {@code args}: the server properties file, the cluster id. */
  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    Properties props = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      props.load(in);
    }
    format(file, args[1]);
    var server = new kafka.server.KafkaRaftServer(
        kafka.server.KafkaConfig.fromProps(props), org.apache.kafka.common.utils.Time.SYSTEM);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.shutdown();
      server.awaitShutdown();
    }, "kafka-shutdown"));
    server.startup();
    System.out.println(READY);
    System.out.flush();
    server.awaitShutdown();
  }
}
