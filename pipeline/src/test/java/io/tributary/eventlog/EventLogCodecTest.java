package io.tributary.eventlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Event-log reader and writer: round trips, streaming, gzip, and every malformed-line reason. */
class EventLogCodecTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00.125Z");

  @TempDir Path dir;

  private static ObjectNode ingress(String name) {
    ObjectNode o = JSON.createObjectNode();
    o.put("apiVersion", "networking.k8s.io/v1").put("kind", "Ingress");
    o.putObject("metadata").put("name", name).put("namespace", "shop").put("resourceVersion", "7");
    o.putObject("spec").putArray("rules").addObject().put("host", "shop.example.com");
    return o;
  }

  private static List<LogEvent> everyType() {
    return List.of(
        LogEvent.watch(T0, "eu-1", LogEventType.ADDED, ingress("a")),
        LogEvent.watch(T0.plusMillis(1), "eu-1", LogEventType.MODIFIED, ingress("a")),
        LogEvent.synced(T0.plusMillis(2), "eu-1", "Ingress"),
        LogEvent.watch(T0.plusMillis(3), "eu-1", LogEventType.DELETED, ingress("a")),
        new LogEvent(T0.plusMillis(4), null, LogEventType.CONFIG, null, null, "tributary.debounce.quiet = 100ms", null),
        new LogEvent(T0.plusMillis(5), null, LogEventType.TARGET_DOWN, null, null, null, "consul"),
        new LogEvent(T0.plusMillis(6), null, LogEventType.TARGET_UP, null, null, null, "consul"),
        new LogEvent(T0.plusMillis(7), "eu-2", LogEventType.CLUSTER_LOST, null, null, null, null),
        new LogEvent(T0.plusMillis(8), "eu-2", LogEventType.CLUSTER_BACK, null, null, null, null));
  }

  private static List<LogEvent> readAll(EventLogReader r) {
    List<LogEvent> out = new ArrayList<>();
    r.forEachRemaining(out::add);
    return out;
  }

  @ParameterizedTest
  @MethodSource("names")
  void roundTripsEveryTypeAndRewritesTheSameBytes(String fileName) throws IOException {
    Path file = dir.resolve(fileName);
    try (var w = EventLogWriter.open(file)) {
      everyType().forEach(w::write);
      assertThat(w.written()).isEqualTo(9);
    }
    List<LogEvent> back;
    try (var r = EventLogReader.open(file, false)) {
      back = readAll(r);
    }
    assertThat(back).isEqualTo(everyType());
    Path again = dir.resolve("again-" + fileName);
    try (var w = EventLogWriter.open(again)) {
      back.forEach(w::write);
    }
    assertThat(Files.readAllBytes(again)).isEqualTo(Files.readAllBytes(file));
  }

  static Stream<String> names() {
    return Stream.of("log.jsonl", "log.jsonl.gz");
  }

  @Test
  void aNamespaceRoundTripsAsTheClusterScopedObjectItIs() throws IOException {
    ObjectNode ns = JSON.createObjectNode();
    ns.put("apiVersion", "v1").put("kind", "Namespace");
    ns.putObject("metadata").put("name", "site-ns").put("resourceVersion", "3").putObject("labels").put("shared-gateway-access", "true");
    Path file = dir.resolve("namespaces.jsonl");
    try (var w = EventLogWriter.open(file)) {
      w.write(LogEvent.watch(T0, "eu-1", LogEventType.ADDED, ns));
      w.write(LogEvent.synced(T0.plusMillis(1), "eu-1", "Namespace"));
    }
    List<LogEvent> back;
    try (var r = EventLogReader.open(file, false)) {
      back = readAll(r);
    }
    var event = back.get(0).toWatchEvent();
    assertThat(event.key()).isEqualTo(new io.tributary.watch.ObjectKey("eu-1", "Namespace", "", "site-ns"));
    assertThat(event.key().is(io.tributary.kind.ResourceKind.NAMESPACE)).isTrue();
    assertThat(event.object().path("metadata").path("labels").path("shared-gateway-access").asText()).isEqualTo("true");
    assertThat(back.get(1).kind()).isEqualTo("Namespace");
  }

  @Test
  void writesTheDocumentedLineShape() throws IOException {
    var bytes = new ByteArrayOutputStream();
    try (var w = EventLogWriter.to(bytes, false)) {
      w.write(LogEvent.synced(T0, "eu-1", "Ingress"));
    }
    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .isEqualTo("{\"v\":1,\"at\":\"2026-11-22T10:00:00.125Z\",\"cluster\":\"eu-1\",\"type\":\"SYNCED\",\"kind\":\"Ingress\"}\n");
  }

  @Test
  void gzipIsDetectedByContentNotByName() throws IOException {
    Path file = dir.resolve("misnamed.jsonl");
    try (var w = EventLogWriter.to(Files.newOutputStream(file), true)) {
      everyType().forEach(w::write);
    }
    try (var r = EventLogReader.open(file, false)) {
      assertThat(readAll(r)).hasSize(9);
    }
  }

  @Test
  void streamsALargeLogLineByLine() throws IOException {
    Path file = dir.resolve("big.jsonl.gz");
    int n = 200_000;
    try (var w = EventLogWriter.open(file)) {
      for (int i = 0; i < n; i++) {
        w.write(LogEvent.watch(T0.plusMillis(i), "eu-1", LogEventType.MODIFIED, ingress("o" + (i % 1000))));
      }
    }
    long count = 0;
    try (var r = EventLogReader.open(file, false)) {
      while (r.hasNext()) {
        r.next();
        count++;
      }
      assertThat(r.linesRead()).isEqualTo(n);
    }
    assertThat(count).isEqualTo(n);
  }

  static Stream<Arguments> malformed() {
    String ok = "{\"v\":1,\"at\":\"2026-11-22T10:00:00Z\",\"cluster\":\"eu-1\",\"type\":\"SYNCED\",\"kind\":\"Ingress\"}";
    return Stream.of(
        Arguments.of("{\"v\":1,", "invalid JSON"),
        Arguments.of("[1,2]", "must be a JSON object"),
        Arguments.of("{\"at\":\"2026-11-22T10:00:00Z\",\"type\":\"SYNCED\"}", "missing field 'v'"),
        Arguments.of("{\"v\":2,\"at\":\"2026-11-22T10:00:00Z\",\"type\":\"SYNCED\"}", "unsupported event-log version 2"),
        Arguments.of("{\"v\":1,\"type\":\"SYNCED\",\"cluster\":\"eu-1\",\"kind\":\"Ingress\"}", "missing field 'at'"),
        Arguments.of("{\"v\":1,\"at\":\"yesterday\",\"type\":\"SYNCED\"}", "not an ISO-8601 instant"),
        Arguments.of("{\"v\":1,\"at\":\"2026-11-22T10:00:00Z\",\"type\":\"UPSERT\"}", "unknown type 'UPSERT'"),
        Arguments.of("{\"v\":1,\"at\":\"2026-11-22T10:00:00Z\",\"cluster\":\"eu-1\",\"type\":\"ADDED\"}", "missing field 'object'"),
        Arguments.of("{\"v\":1,\"at\":\"2026-11-22T10:00:00Z\",\"cluster\":\"eu-1\",\"type\":\"ADDED\",\"object\":{\"kind\":\"Ingress\",\"metadata\":{}}}", "no metadata.name"),
        Arguments.of("{\"v\":1,\"at\":\"2026-11-22T10:00:00Z\",\"cluster\":\"eu-1\",\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"a\"}}}", "no kind"),
        Arguments.of("{\"v\":1,\"at\":\"2026-11-22T10:00:00Z\",\"cluster\":\"eu-1\",\"type\":\"SYNCED\"}", "missing field 'kind' for SYNCED"),
        Arguments.of("{\"v\":1,\"at\":\"2026-11-22T10:00:00Z\",\"type\":\"SYNCED\",\"kind\":\"Ingress\"}", "missing field 'cluster' for SYNCED"),
        Arguments.of("{\"v\":1,\"at\":\"2026-11-22T09:00:00Z\",\"cluster\":\"eu-1\",\"type\":\"SYNCED\",\"kind\":\"Ingress\"}", "time goes backwards"))
        .map(a -> Arguments.of(ok, a.get()[0], a.get()[1]));
  }

  @ParameterizedTest
  @MethodSource("malformed")
  void aMalformedLineFailsWithFileLineAndReason(String first, String bad, String reason) throws IOException {
    String log = first + "\n\n" + bad + "\n";
    try (var r = EventLogReader.open(new ByteArrayInputStream(log.getBytes(StandardCharsets.UTF_8)), "incident.jsonl", false)) {
      assertThat(r.next()).isNotNull();
      assertThatThrownBy(r::hasNext)
          .isInstanceOf(EventLogException.class)
          .hasMessageStartingWith("incident.jsonl:3: ")
          .hasMessageContaining(reason);
    }
  }

  @Test
  void skippingBadLinesContinuesAndReportsThem() throws IOException {
    String log =
        String.join(
            "\n",
            "{\"v\":1,\"at\":\"2026-11-22T10:00:00Z\",\"cluster\":\"eu-1\",\"type\":\"SYNCED\",\"kind\":\"Ingress\"}",
            "not json",
            "   ",
            "{\"v\":1,\"at\":\"2026-11-22T10:00:01Z\",\"cluster\":\"eu-1\",\"type\":\"SYNCED\",\"kind\":\"Ingress\",\"future\":true}");
    try (var r = EventLogReader.open(new ByteArrayInputStream(log.getBytes(StandardCharsets.UTF_8)), "x.jsonl", true)) {
      assertThat(readAll(r)).hasSize(2);
      assertThat(r.skippedCount()).isEqualTo(1);
      assertThat(r.skipped()).singleElement().satisfies(b -> {
        assertThat(b.line()).isEqualTo(2);
        assertThat(b.reason()).startsWith("invalid JSON");
      });
    }
  }

  @Test
  void aTruncatedGzipStreamIsAnErrorNamingTheLine() throws IOException {
    Path file = dir.resolve("cut.jsonl.gz");
    try (var w = EventLogWriter.open(file)) {
      for (int i = 0; i < 2000; i++) {
        w.write(LogEvent.watch(T0.plusMillis(i), "eu-1", LogEventType.MODIFIED, ingress("o" + i)));
      }
    }
    byte[] all = Files.readAllBytes(file);
    Path cut = dir.resolve("cut2.jsonl.gz");
    Files.write(cut, Arrays.copyOf(all, all.length / 2));
    try (var r = EventLogReader.open(cut, false)) {
      assertThatThrownBy(() -> readAll(r))
          .isInstanceOf(EventLogException.class)
          .hasMessageContaining("truncated gzip stream");
    }
  }

  @Test
  void theWriterRefusesSecrets() throws IOException {
    ObjectNode secret = JSON.createObjectNode().put("kind", "Secret");
    secret.putObject("metadata").put("name", "consul-token");
    try (var w = EventLogWriter.to(new ByteArrayOutputStream(), false)) {
      assertThatThrownBy(() -> w.write(LogEvent.watch(T0, "eu-1", LogEventType.ADDED, secret)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Secret");
    }
  }
}
