package io.tributary.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.testkit.KafkaBroker;
import io.tributary.testkit.KafkaBrokerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The testkit's KRaft broker serves the kafka-clients Pekko Connectors Kafka brings, and keeps its data over a restart. */
class KafkaBrokerExtensionTest {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  @Test
  void producedRecordsAreReadBackAndSurviveABrokerRestart() throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic("t", 1, (short) 1))).all().get();
    }
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    try (var producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>("t", "k1", "v1")).get();
      producer.send(new ProducerRecord<>("t", "k2", "v2")).get();
    }
    assertThat(readAll()).containsExactly("k1=v1", "k2=v2");

    KAFKA.broker().stop();
    assertThat(KAFKA.broker().isRunning()).isFalse();
    KAFKA.broker().startAgain();

    assertThat(readAll()).containsExactly("k1=v1", "k2=v2");
  }

  @Test
  void startsForAClusterIdThatBeginsWithADash() {
    // base64url ids begin with '-' one time in 64, and kafka-storage once read such an id as an option
    try (KafkaBroker broker = KafkaBroker.start("-" + "A".repeat(21))) {
      assertThat(broker.isRunning()).isTrue();
    }
  }

  private static List<String> readAll() {
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    List<String> out = new ArrayList<>();
    try (var consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
      TopicPartition tp = new TopicPartition("t", 0);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long end = consumer.endOffsets(List.of(tp)).get(tp);
      while (consumer.position(tp) < end) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> out.add(r.key() + "=" + r.value()));
      }
    }
    return out;
  }
}
