package io.tributary.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code tributary.kafka} and {@code tributary.source}: defaults, client properties, and every problem listed at once. */
class KafkaSettingsTest {
  private static KafkaSettings parse(String hocon, boolean required) {
    return KafkaSettings.from(ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve(), required);
  }

  private static List<String> problems(String hocon, boolean required) {
    var e = catchThrowableOfType(SettingsException.class, () -> parse(hocon, required));
    assertThat(e).as("the config is refused").isNotNull();
    return e.problems();
  }

  @Test
  void theDefaultsWatchTheClustersAndDescribeACompactedTopic() {
    var k = parse("", false);
    assertThat(k.source()).isEqualTo(KafkaSettings.Source.CLUSTERS);
    assertThat(k.topic()).isEqualTo("tributary-events");
    assertThat(k.createTopic()).isTrue();
    assertThat(k.partitions()).isEqualTo(6);
    assertThat(k.replicationFactor()).isEqualTo((short) 3);
    assertThat(k.replayWindow()).isEqualTo(Duration.ofDays(7));
    assertThat(k.groupId()).isEqualTo("tributary-central");
    // and the whole service config still accepts the block (its keys are known)
    TributarySettings.from(ConfigFactory.parseString("tributary { source = kafka, kafka.bootstrap-servers = \"k:9092\" }")
        .withFallback(ConfigFactory.defaultReference()).resolve());
  }

  @Test
  void sourceKafkaNeedsTheBrokersAndEveryProblemIsListedTogether() {
    assertThat(problems("""
        tributary {
          source = kafkaa
          kafka { bootstrap-servers = "k1:9092,k2", topic = "a topic", partitions = 0, replication-factor = 0,
                  commit-interval = 0s, security-protocol = TLS, sasl.mechanism = GSSAPI }
        }
        """, false)).hasSize(8).anySatisfy(p -> assertThat(p).contains("source 'kafkaa' must be clusters"))
        .anySatisfy(p -> assertThat(p).contains("entry 'k2' must be host:port"))
        .anySatisfy(p -> assertThat(p).contains("kafka.topic 'a topic'"))
        .anySatisfy(p -> assertThat(p).contains("kafka.partitions 0"))
        .anySatisfy(p -> assertThat(p).contains("kafka.security-protocol 'TLS'"))
        .anySatisfy(p -> assertThat(p).contains("kafka.sasl.mechanism 'GSSAPI'"));
    assertThat(problems("tributary.source = kafka", false)).singleElement().asString().contains("kafka.bootstrap-servers is empty");
    assertThat(problems("", true)).singleElement().asString().contains("kafka.bootstrap-servers is empty");
  }

  @Test
  void saslTakesItsPasswordFromAFileOrTheEnvironmentAndNeverShowsIt() throws Exception {
    assertThat(problems("tributary.kafka { bootstrap-servers = \"k:9093\", security-protocol = SASL_SSL }", true))
        .singleElement().asString().contains("needs kafka.sasl.username and kafka.sasl.password-file or kafka.sasl.password-env");
    var file = java.nio.file.Files.createTempFile("kafka-password", "");
    java.nio.file.Files.writeString(file, "s3cret\"x\n");
    try {
      var k = parse("tributary.kafka { bootstrap-servers = \"k:9093\", security-protocol = sasl_ssl, sasl { username = edge,"
          + " password-file = \"" + file + "\" } }", true);
      assertThat(k.clientProperties()).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
          .containsEntry("sasl.jaas.config",
              "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"edge\" password=\"s3cret\\\"x\";");
      assertThat(k.toString()).contains("user edge", "password from file " + file).doesNotContain("s3cret");
    } finally {
      java.nio.file.Files.delete(file);
    }
  }
}
