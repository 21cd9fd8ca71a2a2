package io.tributary.settings;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * {@code tributary.kafka} (and {@code tributary.source}): edge mode, where {@code tributary edge}
 * publishes each cluster's watch events to a compacted topic and {@code tributary run} with
 * {@code source = kafka} consumes it instead of watching the clusters itself.
 *
 * @param source where {@code run} gets its watch events: the clusters themselves, or the topic
 * @param bootstrapServers {@code host:port,...}; required by edge and by {@code source = kafka}
 * @param topic the compacted topic, one per estate (every cluster's events, keyed by object)
 * @param createTopic create the topic (with the settings below) when it is missing, instead of failing
 * @param partitions partitions of a created topic; a cluster's events all go to one of them (its order is kept)
 * @param replicationFactor replicas of a created topic
 * @param replayWindow {@code min.compaction.lag.ms} of a created topic: events younger than this
 *     are never compacted away, so any window within it replays exactly ({@code replay --from-kafka})
 * @param tombstoneRetention {@code delete.retention.ms}: how long a delete's tombstone stays readable;
 *     longer than any consumer may be stopped
 * @param groupId the central service's consumer group (its committed offsets)
 * @param commitInterval how often the central service commits the offsets its targets acknowledged
 * @param securityProtocol PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL
 * @param saslMechanism PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 (SASL protocols only)
 * @param saslUsername the SASL user
 * @param saslPassword where the SASL password is read from (a file or an environment variable, never the config)
 * @param truststoreFile a PEM file of the CAs to trust for SSL, or empty for the JVM's
 */
public record KafkaSettings(
    Source source,
    String bootstrapServers,
    String topic,
    boolean createTopic,
    int partitions,
    short replicationFactor,
    Duration replayWindow,
    Duration tombstoneRetention,
    String groupId,
    Duration commitInterval,
    String securityProtocol,
    String saslMechanism,
    String saslUsername,
    SecretSource saslPassword,
    String truststoreFile) {

  /** Where {@code tributary run} gets its watch events. */
  public enum Source {
    /** Watch every configured cluster itself. */
    CLUSTERS,
    /** Consume the edge processes' topic. */
    KAFKA
  }

  private static final List<String> PROTOCOLS = List.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
  private static final List<String> MECHANISMS = List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");

  /**
   * Reads and validates {@code tributary.kafka} and {@code tributary.source} of a resolved config,
   * every problem listed at once. {@code required}: a command that talks to Kafka (edge, run with
   * source kafka) needs the bootstrap servers.
   */
  public static KafkaSettings from(Config root, boolean required) {
    var p = new Problems("");
    Config t = p.block(root, "tributary");
    String src = p.optionalString(t, "source", "clusters");
    Source source = switch (src == null ? "clusters" : src.toLowerCase(Locale.ROOT)) {
      case "clusters" -> Source.CLUSTERS;
      case "kafka" -> Source.KAFKA;
      default -> {
        p.add(t, "source", "source '" + src + "' must be clusters (watch them) or kafka (consume tributary.kafka.topic)");
        yield Source.CLUSTERS;
      }
    };
    var k = p.under("kafka");
    Config c = p.block(t, "kafka");
    String servers = k.optionalString(c, "bootstrap-servers", "");
    boolean needed = required || source == Source.KAFKA;
    if (needed && servers.isEmpty()) {
      // no location: the empty value is the built-in default, not a line of the user's file
      p.add("tributary.kafka.bootstrap-servers is empty: edge mode needs the Kafka brokers (host:port,...)");
    }
    for (String s : servers.isEmpty() ? List.<String>of() : List.of(servers.split(","))) {
      if (!s.strip().matches("[^\\s:/]+:\\d{1,5}")) {
        k.add(c, "bootstrap-servers", "kafka.bootstrap-servers entry '" + s.strip() + "' must be host:port");
      }
    }
    String topic = k.string(c, "topic");
    if (topic != null && !topic.matches("[a-zA-Z0-9._-]{1,249}")) {
      k.add(c, "topic", "kafka.topic '" + topic + "' must be 1 to 249 letters, digits, '.', '_' or '-'");
    }
    boolean create = k.bool(c, "create-topic");
    Integer partitions = k.integer(c, "partitions");
    if (partitions != null && partitions < 1) {
      k.add(c, "partitions", "kafka.partitions " + partitions + " must be at least 1");
    }
    Integer replicas = k.integer(c, "replication-factor");
    if (replicas != null && (replicas < 1 || replicas > Short.MAX_VALUE)) {
      k.add(c, "replication-factor", "kafka.replication-factor " + replicas + " must be at least 1");
    }
    Duration window = k.duration(c, "replay-window");
    Duration tombstones = k.duration(c, "tombstone-retention");
    String group = k.string(c, "group-id");
    if (group != null && group.isBlank()) {
      k.add(c, "group-id", "kafka.group-id must not be empty");
    }
    Duration commit = k.duration(c, "commit-interval");
    if (commit != null && commit.isZero()) {
      k.add(c, "commit-interval", "kafka.commit-interval must be positive");
    }
    String protocol = k.string(c, "security-protocol");
    if (protocol != null && !PROTOCOLS.contains(protocol.toUpperCase(Locale.ROOT))) {
      k.add(c, "security-protocol", "kafka.security-protocol '" + protocol + "' must be one of " + PROTOCOLS);
    }
    boolean sasl = protocol != null && protocol.toUpperCase(Locale.ROOT).startsWith("SASL");
    String mechanism = k.string(c, "sasl.mechanism");
    if (mechanism != null && !MECHANISMS.contains(mechanism.toUpperCase(Locale.ROOT))) {
      k.add(c, "sasl.mechanism", "kafka.sasl.mechanism '" + mechanism + "' must be one of " + MECHANISMS);
    }
    String user = k.optionalString(c, "sasl.username", "");
    var password = new SecretSource(k.optionalString(c, "sasl.password-file", ""), k.optionalString(c, "sasl.password-env", ""));
    if (!password.file().isEmpty() && !password.env().isEmpty()) {
      k.add(c, "sasl.password-env", "kafka.sasl.password-file and kafka.sasl.password-env are both set: name one source");
    }
    if (sasl && (user.isEmpty() || !password.isConfigured())) {
      k.add(c, "sasl.username", "kafka.security-protocol " + protocol
          + " needs kafka.sasl.username and kafka.sasl.password-file or kafka.sasl.password-env");
    }
    String truststore = k.optionalString(c, "ssl.truststore-file", "");
    if (!p.isEmpty()) {
      throw new SettingsException(p.all());
    }
    return new KafkaSettings(source, servers.replace(" ", ""), topic, create, partitions, replicas.shortValue(), window, tombstones,
        group, commit, protocol.toUpperCase(Locale.ROOT), mechanism.toUpperCase(Locale.ROOT), user, password, truststore);
  }

  /**
   * The client properties every Kafka client of Tributary shares: brokers and security (the SASL
   * password read from its source now, never logged).
   */
  public java.util.Map<String, Object> clientProperties() {
    var props = new java.util.HashMap<String, Object>();
    props.put("bootstrap.servers", bootstrapServers);
    props.put("security.protocol", securityProtocol);
    if (securityProtocol.startsWith("SASL")) {
      props.put("sasl.mechanism", saslMechanism);
      String secret = saslPassword.read().orElseThrow();
      String module = saslMechanism.equals("PLAIN")
          ? "org.apache.kafka.common.security.plain.PlainLoginModule"
          : "org.apache.kafka.common.security.scram.ScramLoginModule";
      props.put("sasl.jaas.config", module + " required username=\"" + jaasQuoted(saslUsername) + "\" password=\""
          + jaasQuoted(secret) + "\";");
    }
    if (!truststoreFile.isEmpty()) {
      props.put("ssl.truststore.type", "PEM");
      props.put("ssl.truststore.location", truststoreFile);
    }
    return props;
  }

  private static String jaasQuoted(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  /** For the start-up line: brokers, topic and user, never the password. */
  @Override
  public String toString() {
    return "topic " + topic + " at " + bootstrapServers + " (" + securityProtocol
        + (saslUsername.isEmpty() ? "" : ", user " + saslUsername + ", password from " + saslPassword) + ")";
  }
}
