package io.tributary.eventlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The writer: canonical line shape, gzip by name, Secrets refused, and byte-identical round trips. */
class EventLogWriterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00.125Z");

  @TempDir Path dir;

  /** An Ingress whose fields are deliberately not in alphabetical order. */
  static ObjectNode ingress(String name) {
    ObjectNode o = JSON.createObjectNode();
    o.putObject("metadata").put("namespace", "shop").put("name", name);
    o.put("kind", "Ingress").put("apiVersion", "networking.k8s.io/v1");
    o.putObject("spec").putArray("rules").addObject().put("host", "shop.example.com");
    return o;
  }

  /** Every type once, as a scenario would write them, in time order from {@code t}. */
  static List<LogEvent> everyType(Instant t) {
    return List.of(
        LogEvent.watch(t, "eu-1", LogEventType.ADDED, ingress("a")),
        LogEvent.watch(t.plusMillis(1), "eu-1", LogEventType.MODIFIED, ingress("a")),
        LogEvent.synced(t.plusMillis(2), "eu-1", "Ingress"),
        LogEvent.watch(t.plusMillis(3), "eu-1", LogEventType.DELETED, ingress("a")),
        new LogEvent(t.plusMillis(4), null, LogEventType.CONFIG, null, null, "tributary.debounce.quiet = 100ms", null),
        new LogEvent(t.plusMillis(5), null, LogEventType.TARGET_DOWN, null, null, null, "consul"),
        new LogEvent(t.plusMillis(6), null, LogEventType.TARGET_UP, null, null, null, "consul"),
        new LogEvent(t.plusMillis(7), "eu-2", LogEventType.CLUSTER_LOST, null, null, null, null),
        new LogEvent(t.plusSeconds(1), "eu-2", LogEventType.CLUSTER_BACK, null, null, null, null));
  }

  private static String write(List<LogEvent> events) throws IOException {
    var bytes = new ByteArrayOutputStream();
    try (var w = EventLogWriter.to(bytes, false)) {
      events.forEach(w::write);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static List<LogEvent> read(Path file) throws IOException {
    List<LogEvent> out = new ArrayList<>();
    try (var r = EventLogReader.open(file, false)) {
      r.forEachRemaining(out::add);
    }
    return out;
  }

  @Test
  void writesEveryTypeInCanonicalFieldOrderOmittingNulls() throws IOException {
    String object =
        "{\"metadata\":{\"namespace\":\"shop\",\"name\":\"a\"},\"kind\":\"Ingress\",\"apiVersion\":\"networking.k8s.io/v1\","
            + "\"spec\":{\"rules\":[{\"host\":\"shop.example.com\"}]}}";
    assertThat(write(everyType(T0)))
        .isEqualTo(
            "{\"v\":1,\"at\":\"2026-11-22T10:00:00.125Z\",\"cluster\":\"eu-1\",\"type\":\"ADDED\",\"object\":" + object + "}\n"
                + "{\"v\":1,\"at\":\"2026-11-22T10:00:00.126Z\",\"cluster\":\"eu-1\",\"type\":\"MODIFIED\",\"object\":" + object + "}\n"
                + "{\"v\":1,\"at\":\"2026-11-22T10:00:00.127Z\",\"cluster\":\"eu-1\",\"type\":\"SYNCED\",\"kind\":\"Ingress\"}\n"
                + "{\"v\":1,\"at\":\"2026-11-22T10:00:00.128Z\",\"cluster\":\"eu-1\",\"type\":\"DELETED\",\"object\":" + object + "}\n"
                + "{\"v\":1,\"at\":\"2026-11-22T10:00:00.129Z\",\"type\":\"CONFIG\",\"config\":\"tributary.debounce.quiet = 100ms\"}\n"
                + "{\"v\":1,\"at\":\"2026-11-22T10:00:00.130Z\",\"type\":\"TARGET_DOWN\",\"target\":\"consul\"}\n"
                + "{\"v\":1,\"at\":\"2026-11-22T10:00:00.131Z\",\"type\":\"TARGET_UP\",\"target\":\"consul\"}\n"
                + "{\"v\":1,\"at\":\"2026-11-22T10:00:00.132Z\",\"cluster\":\"eu-2\",\"type\":\"CLUSTER_LOST\"}\n"
                + "{\"v\":1,\"at\":\"2026-11-22T10:00:01.125Z\",\"cluster\":\"eu-2\",\"type\":\"CLUSTER_BACK\"}\n");
  }

  @Test
  void theKindOfAnObjectEventStaysInsideTheObject() throws IOException {
    // a caller-supplied kind that disagrees with the object must not reach the line
    var e = new LogEvent(T0, "eu-1", LogEventType.ADDED, "Service", ingress("a"), null, null);
    assertThat(write(List.of(e))).doesNotContain("\"kind\":\"Service\"").contains("\"kind\":\"Ingress\"");
  }

  @Test
  void aMultiLineConfigStaysOnOneLine() throws IOException {
    var e = new LogEvent(T0, null, LogEventType.CONFIG, null, null, "a = 1\nb = \"x\"\r\n", null);
    String text = write(List.of(e));
    assertThat(text).endsWith("\n").containsOnlyOnce("\n");
    try (var r = EventLogReader.open(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "c", false)) {
      assertThat(r.next().config()).isEqualTo("a = 1\nb = \"x\"\r\n");
    }
  }

  @Test
  void writesUtf8AndCountsLines() throws IOException {
    ObjectNode o = ingress("café");
    var bytes = new ByteArrayOutputStream();
    try (var w = EventLogWriter.to(bytes, false)) {
      w.write(LogEvent.watch(T0, "eu-1", LogEventType.ADDED, o));
      w.write(LogEvent.synced(T0, "eu-1", "Ingress"));
      assertThat(w.written()).isEqualTo(2);
    }
    assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("\"name\":\"café\"");
  }

  @ParameterizedTest
  @ValueSource(strings = {"log.jsonl", "log.jsonl.gz"})
  void roundTripsEveryTypeAndRewritesTheSameBytes(String fileName) throws IOException {
    Path file = dir.resolve(fileName);
    List<LogEvent> events = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      events.addAll(everyType(T0.plusSeconds(2L * i)));
    }
    try (var w = EventLogWriter.open(file)) {
      events.forEach(w::write);
      assertThat(w.written()).isEqualTo(events.size());
    }
    List<LogEvent> back = read(file);
    assertThat(back).isEqualTo(events);

    Path again = dir.resolve("again-" + fileName);
    try (var w = EventLogWriter.open(again)) {
      back.forEach(w::write);
    }
    assertThat(Files.readAllBytes(again)).isEqualTo(Files.readAllBytes(file));
  }

  @Test
  void compressesExactlyWhenTheNameEndsInGz() throws IOException {
    Path plain = dir.resolve("log.jsonl");
    Path gz = dir.resolve("log.jsonl.gz");
    for (Path p : List.of(plain, gz)) {
      try (var w = EventLogWriter.open(p)) {
        everyType(T0).forEach(w::write);
      }
    }
    byte[] compressed = Files.readAllBytes(gz);
    assertThat(compressed).startsWith((byte) 0x1f, (byte) 0x8b);
    assertThat(Files.readAllBytes(plain)).startsWith((byte) '{');
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
      assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(plain)); // close wrote a complete gzip trailer
    }
  }

  @Test
  void refusesSecretsAndWritesNothingForThem() throws IOException {
    ObjectNode secret = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Secret");
    secret.putObject("metadata").put("name", "consul-token");
    secret.putObject("data").put("token", "c2VjcmV0");
    var bytes = new ByteArrayOutputStream();
    try (var w = EventLogWriter.to(bytes, false)) {
      assertThatThrownBy(() -> w.write(LogEvent.watch(T0, "eu-1", LogEventType.ADDED, secret)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Secret")
          .hasMessageContaining("consul-token");
      w.write(LogEvent.synced(T0, "eu-1", "Ingress")); // the writer stays usable
      assertThat(w.written()).isEqualTo(1);
    }
    assertThat(bytes.toString(StandardCharsets.UTF_8)).doesNotContain("c2VjcmV0").containsOnlyOnce("\n");
  }
}
