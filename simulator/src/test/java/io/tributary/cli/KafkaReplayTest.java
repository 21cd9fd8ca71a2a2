package io.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.edge.EdgePublisher;
import io.tributary.eventlog.EventLogWriter;
import io.tributary.eventlog.LogEvent;
import io.tributary.replay.DemoScenario;
import io.tributary.testkit.KafkaBrokerExtension;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code replay --from-kafka}: a window of the edge topic replays exactly as the same window of an
 * event log file (the demo's watch events, published as the edge publishes them).
 */
class KafkaReplayTest {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
  @TempDir Path dir;
  @RegisterExtension final ConsoleCapture console = new ConsoleCapture();
  private final ByteArrayOutputStream out = console.out;
  private final ByteArrayOutputStream err = console.err;

  @Test
  void aWindowOfTheTopicReplaysAsTheSameWindowOfAnEventLogFile() throws Exception {
    List<LogEvent> events = DemoScenario.events().stream().filter(e -> e.type().isWatch()).toList();
    String topic = "demo-events";
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1).configs(Map.of("cleanup.policy", "compact")))).all().get();
    }
    var props = new java.util.Properties();
    props.put("bootstrap.servers", KAFKA.bootstrapServers());
    props.put("enable.idempotence", "true");
    try (var producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      for (LogEvent e : events) {
        for (var r : EdgePublisher.records(topic, 3, e, e.toWatchEvent().key())) {
          producer.send(r);
        }
      }
      producer.flush();
    }
    Instant since = DemoScenario.START.plusSeconds(5);
    Instant until = DemoScenario.START.plusSeconds(60);
    // the same window as a file: its events in time order (a topic keeps each cluster's order; ties across clusters by name)
    List<LogEvent> window = new ArrayList<>();
    for (LogEvent e : events) {
      if (!e.at().isBefore(since) && e.at().isBefore(until)) {
        window.add(e);
      }
    }
    window.sort(Comparator.comparing(LogEvent::at).thenComparing(LogEvent::cluster));
    Path log = dir.resolve("window.jsonl");
    try (EventLogWriter w = EventLogWriter.open(log)) {
      window.forEach(w::write);
    }
    Path fromFile = dir.resolve("file.transcript");
    Path fromKafka = dir.resolve("kafka.transcript");
    Path fileState = dir.resolve("file.state");
    Path kafkaState = dir.resolve("kafka.state");

    assertThat(TributaryCli.execute("replay", log.toString(), "--transcript", fromFile.toString(), "--state", fileState.toString()))
        .as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(TributaryCli.execute("replay", "--from-kafka", topic, "--since", since.toString(), "--until", until.toString(),
        "--bootstrap-servers", KAFKA.bootstrapServers(), "--transcript", fromKafka.toString(), "--state", kafkaState.toString()))
        .as(err.toString(StandardCharsets.UTF_8)).isZero();

    assertThat(window).hasSizeGreaterThan(100);
    assertThat(Files.readAllLines(fromFile)).hasSizeGreaterThan(10);
    assertThat(Files.mismatch(fromKafka, fromFile)).isEqualTo(-1L);
    assertThat(Files.mismatch(kafkaState, fileState)).isEqualTo(-1L);
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("events read      " + window.size());
  }

  @Test
  void edgeAndCentralConfigMistakesAreOneLineAndExitTwo() throws Exception {
    // an edge's cluster needs no endpoints (it plans nothing): only the missing brokers are named
    Path noBrokers = Files.writeString(dir.resolve("edge.conf"), "tributary.clusters.eu-1 {}\n");
    assertThat(TributaryCli.execute("edge", "--config", noBrokers.toString())).isEqualTo(2);
    Path missingTopic = Files.writeString(dir.resolve("central.conf"), "tributary { source = kafka\n"
        + "kafka { bootstrap-servers = \"" + KAFKA.bootstrapServers() + "\", topic = absent, create-topic = false }\n"
        + "clusters.eu-1.endpoints { addresses = [\"192.0.2.1\"], port = 80 } }\n");
    assertThat(TributaryCli.execute("run", "--config", missingTopic.toString())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8).lines().toList()).containsExactly(
        "error: invalid configuration:",
        "  - tributary.kafka.bootstrap-servers is empty: edge mode needs the Kafka brokers (host:port,...)",
        "error: topic absent does not exist at " + KAFKA.bootstrapServers() + " and tributary.kafka.create-topic is false");
  }

  @Test
  void aWindowNeedsBothEndsAndNoLogFile() {
    assertThat(TributaryCli.execute("replay", "--from-kafka", "t", "--since", "2026-12-07T03:00:00Z",
        "--bootstrap-servers", KAFKA.bootstrapServers())).isEqualTo(2);
    assertThat(TributaryCli.execute("replay", "x.log", "--from-kafka", "t")).isEqualTo(2);
    assertThat(TributaryCli.execute("replay", "--from-kafka", "t", "--since", "yesterday", "--until", "2026-12-07T03:00:00Z",
        "--bootstrap-servers", KAFKA.bootstrapServers())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("error: --from-kafka needs --since and --until")
        .contains("error: give an event log or --from-kafka, not both").contains("error: --since 'yesterday' is not an ISO instant");
  }
}
