package io.tributary.eventlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

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
import java.util.NoSuchElementException;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The reader: streaming, gzip by content, and a file:line: reason for every malformed line. */
class EventLogReaderTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00.125Z");
  private static final String OK =
      "{\"v\":1,\"at\":\"2026-11-22T10:00:00Z\",\"cluster\":\"eu-1\",\"type\":\"SYNCED\",\"kind\":\"Ingress\"}";

  @TempDir Path dir;

  private static EventLogReader reader(String text, boolean skipBadLines) throws IOException {
    return EventLogReader.open(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "incident.jsonl", skipBadLines);
  }

  private static List<LogEvent> readAll(EventLogReader r) {
    List<LogEvent> out = new ArrayList<>();
    r.forEachRemaining(out::add);
    return out;
  }

  private static String synced(String at) {
    return "{\"v\":1,\"at\":\"" + at + "\",\"cluster\":\"eu-1\",\"type\":\"SYNCED\",\"kind\":\"Ingress\"}";
  }

  private Path gzipLog(String name, int events) throws IOException {
    Path file = dir.resolve(name);
    try (var w = EventLogWriter.open(file)) {
      for (int i = 0; i < events; i++) {
        w.write(LogEvent.watch(T0.plusMillis(i), "eu-1", LogEventType.MODIFIED, EventLogWriterTest.ingress("o" + i)));
      }
    }
    return file;
  }

  @Test
  void streamsALargeGzipLogLineByLine() throws IOException {
    int n = 200_000;
    Path file = gzipLog("big.jsonl.gz", n);
    long count = 0;
    Instant last = null;
    try (var r = EventLogReader.open(file, false)) {
      while (r.hasNext()) {
        LogEvent e = r.next();
        assertThat(e.at()).isEqualTo(T0.plusMillis(count)); // in order, none lost or repeated
        last = e.at();
        count++;
      }
      assertThat(r.linesRead()).isEqualTo(n);
      assertThat(r.skippedCount()).isZero();
      assertThatThrownBy(r::next).isInstanceOf(NoSuchElementException.class);
    }
    assertThat(count).isEqualTo(n);
    assertThat(last).isEqualTo(T0.plusMillis(n - 1));
  }

  @Test
  void anObjectEventTakesItsKindFromTheObjectAndIgnoresUnknownFields() throws IOException {
    var in = getClass().getResourceAsStream("/eventlog/forward-compatible.jsonl");
    try (var r = EventLogReader.open(in, "forward-compatible.jsonl", false)) {
      List<LogEvent> events = readAll(r);
      ObjectNode web = (ObjectNode) JSON.readTree(
          "{\"apiVersion\":\"networking.k8s.io/v1\",\"kind\":\"Ingress\",\"metadata\":{\"name\":\"web\",\"namespace\":\"shop\"},\"spec\":{}}");
      assertThat(events)
          .containsExactly(
              LogEvent.watch(T0, "eu-1", LogEventType.ADDED, web),
              LogEvent.synced(Instant.parse("2026-11-22T10:00:00.300Z"), "eu-1", "Ingress"));
      assertThat(events.get(0).kind()).isEqualTo("Ingress"); // not the stray top-level "Service"
      assertThat(r.linesRead()).isEqualTo(3);
    }
  }

  @Test
  void aMissingClasspathResourceIsNamed() {
    var in = getClass().getResourceAsStream("/eventlog/no-such.jsonl");
    assertThatThrownBy(() -> EventLogReader.open(in, "no-such.jsonl", false))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("no-such.jsonl");
  }

  @Test
  void blankLinesAreSkippedSilentlyButCounted() throws IOException {
    String log = "\n" + synced("2026-11-22T10:00:00Z") + "\r\n   \n\t\n\n" + synced("2026-11-22T10:00:01Z") + "\n\n";
    try (var r = reader(log, false)) {
      assertThat(readAll(r)).extracting(LogEvent::at)
          .containsExactly(Instant.parse("2026-11-22T10:00:00Z"), Instant.parse("2026-11-22T10:00:01Z"));
      assertThat(r.skippedCount()).isZero();
      assertThat(r.linesRead()).isEqualTo(7);
    }
  }

  @Test
  void equalTimesAndAByteOrderMarkAreAccepted() throws IOException {
    String log = "\uFEFF" + synced("2026-11-22T10:00:00Z") + "\n" + synced("2026-11-22T10:00:00Z") + "\n";
    try (var r = reader(log, false)) {
      assertThat(readAll(r)).hasSize(2);
    }
  }

  static Stream<Arguments> malformed() {
    String at = "\"at\":\"2026-11-22T10:00:00Z\"";
    String obj = "{\"v\":1," + at + ",\"cluster\":\"eu-1\",\"type\":\"ADDED\",\"object\":";
    return Stream.of(
        Arguments.of("{\"v\":1,", "invalid JSON at column 8: "),
        Arguments.of("not json", "invalid JSON at column 4: Unrecognized token 'not'"),
        Arguments.of(OK + " " + OK, "invalid JSON at column " + (OK.length() + 2) + ": more than one value on the line"),
        Arguments.of("{\"v\":1,\"v\":1," + at + "}", "Duplicate field 'v'"),
        Arguments.of("[1,2]", "a line must be a JSON object"),
        Arguments.of("{" + at + ",\"type\":\"SYNCED\"}", "missing field 'v'"),
        Arguments.of("{\"v\":2," + at + ",\"type\":\"SYNCED\"}", "unsupported event-log version 2"),
        Arguments.of("{\"v\":1.5," + at + ",\"type\":\"SYNCED\"}", "unsupported event-log version 1.5"),
        Arguments.of("{\"v\":\"1\"," + at + ",\"type\":\"SYNCED\"}", "unsupported event-log version \"1\""),
        Arguments.of("{\"v\":1,\"type\":\"SYNCED\",\"cluster\":\"eu-1\",\"kind\":\"Ingress\"}", "missing field 'at'"),
        Arguments.of("{\"v\":1,\"at\":\"yesterday\",\"type\":\"SYNCED\"}", "field 'at' is not an ISO-8601 instant: 'yesterday'"),
        Arguments.of("{\"v\":1,\"at\":\"2026-11-22 10:00\",\"type\":\"SYNCED\"}", "not an ISO-8601 instant"),
        Arguments.of("{\"v\":1,\"at\":1764324000,\"type\":\"SYNCED\"}", "field 'at' must be a string, not number"),
        Arguments.of("{\"v\":1," + at + ",\"cluster\":\"eu-1\"}", "missing field 'type'"),
        Arguments.of("{\"v\":1," + at + ",\"type\":\"UPSERT\"}", "unknown type 'UPSERT' (one of [ADDED, MODIFIED,"),
        Arguments.of("{\"v\":1," + at + ",\"cluster\":\"eu-1\",\"type\":\"ADDED\"}", "missing field 'object' (a JSON object) for ADDED"),
        Arguments.of(obj + "[]}", "missing field 'object' (a JSON object) for ADDED"),
        Arguments.of(obj + "{\"kind\":\"Ingress\",\"metadata\":{}}}", "object has no metadata.name"),
        Arguments.of(obj + "{\"kind\":\"Ingress\"}}", "object has no metadata.name"),
        Arguments.of(obj + "{\"kind\":\"Ingress\",\"metadata\":{\"name\":\"\"}}}", "object has no metadata.name"),
        Arguments.of(obj + "{\"kind\":\"Ingress\",\"metadata\":{\"name\":7}}}", "object has no metadata.name"),
        Arguments.of(obj + "{\"metadata\":{\"name\":\"a\"}}}", "object has no kind"),
        Arguments.of("{\"v\":1," + at + ",\"type\":\"DELETED\",\"object\":{\"kind\":\"Ingress\",\"metadata\":{\"name\":\"a\"}}}",
            "missing field 'cluster' for DELETED"),
        Arguments.of("{\"v\":1," + at + ",\"cluster\":\"eu-1\",\"type\":\"SYNCED\"}", "missing field 'kind' for SYNCED"),
        Arguments.of("{\"v\":1," + at + ",\"type\":\"SYNCED\",\"kind\":\"Ingress\"}", "missing field 'cluster' for SYNCED"),
        Arguments.of("{\"v\":1," + at + ",\"type\":\"CONFIG\"}", "missing field 'config' for CONFIG"),
        Arguments.of("{\"v\":1," + at + ",\"type\":\"CONFIG\",\"config\":{\"a\":1}}", "field 'config' must be a string, not object"),
        Arguments.of("{\"v\":1," + at + ",\"type\":\"TARGET_UP\"}", "missing field 'target' for TARGET_UP"),
        Arguments.of("{\"v\":1," + at + ",\"type\":\"CLUSTER_LOST\"}", "missing field 'cluster' for CLUSTER_LOST"),
        Arguments.of(synced("2026-11-22T09:59:59.999Z"),
            "time goes backwards: 2026-11-22T09:59:59.999Z after 2026-11-22T10:00:00Z"));
  }

  @ParameterizedTest
  @MethodSource("malformed")
  void aMalformedLineNamesFileLineAndReason(String bad, String reason) throws IOException {
    try (var r = reader(OK + "\n\n" + bad + "\n" + OK + "\n", false)) {
      assertThat(r.next()).isNotNull();
      EventLogException e = catchThrowableOfType(EventLogException.class, r::hasNext);
      assertThat(e).isNotNull();
      assertThat(e.file()).isEqualTo("incident.jsonl");
      assertThat(e.line()).isEqualTo(3);
      assertThat(e.reason()).contains(reason).doesNotContain("\n").doesNotContain("[Source");
      assertThat(e).hasMessage("incident.jsonl:3: " + e.reason());
    }
  }

  @Test
  void anUnknownTypeListsEveryAllowedValue() throws IOException {
    try (var r = reader("{\"v\":1,\"at\":\"2026-11-22T10:00:00Z\",\"type\":\"added\"}", false)) {
      EventLogException e = catchThrowableOfType(EventLogException.class, r::hasNext);
      assertThat(e.reason()).contains(Arrays.stream(LogEventType.values()).map(Enum::name).toList());
    }
  }

  @Test
  void skippingRecordsEachBadLineAndReadsOn() throws IOException {
    String log =
        String.join(
            "\n",
            synced("2026-11-22T10:00:00Z"),
            "not json",
            "",
            synced("2030-01-01T00:00:00Z").replace("SYNCED", "SINKED"), // a skipped line does not move the clock
            synced("2026-11-22T10:00:01Z"),
            synced("2026-11-22T09:00:00Z"),
            synced("2026-11-22T10:00:02Z"));
    try (var r = reader(log, true)) {
      assertThat(readAll(r)).extracting(LogEvent::at)
          .containsExactly(
              Instant.parse("2026-11-22T10:00:00Z"), Instant.parse("2026-11-22T10:00:01Z"), Instant.parse("2026-11-22T10:00:02Z"));
      assertThat(r.skippedCount()).isEqualTo(3);
      assertThat(r.skipped()).extracting(BadLine::file).containsOnly("incident.jsonl");
      assertThat(r.skipped()).extracting(BadLine::line).containsExactly(2L, 4L, 6L);
      assertThat(r.skipped().get(0).reason()).startsWith("invalid JSON");
      assertThat(r.skipped().get(1).reason()).startsWith("unknown type 'SINKED'");
      assertThat(r.skipped().get(2).reason()).startsWith("time goes backwards");
      assertThat(r.linesRead()).isEqualTo(7);
    }
  }

  @Test
  void theSkippedListIsCappedButTheCountIsNot() throws IOException {
    var log = new StringBuilder();
    for (int i = 0; i < 150; i++) {
      log.append("garbage ").append(i).append('\n');
    }
    log.append(OK).append('\n');
    try (var r = reader(log.toString(), true)) {
      assertThat(readAll(r)).hasSize(1);
      assertThat(r.skippedCount()).isEqualTo(150);
      assertThat(r.skipped()).hasSize(100);
      assertThat(r.skipped()).extracting(BadLine::line).startsWith(1L).endsWith(100L);
    }
  }

  @Test
  void gzipIsDetectedByContentNotByName() throws IOException {
    Path gzipped = dir.resolve("misnamed.jsonl");
    try (var w = EventLogWriter.to(Files.newOutputStream(gzipped), true)) {
      EventLogWriterTest.everyType(T0).forEach(w::write);
    }
    Path plain = dir.resolve("plain.jsonl.gz");
    try (var w = EventLogWriter.to(Files.newOutputStream(plain), false)) {
      EventLogWriterTest.everyType(T0).forEach(w::write);
    }
    for (Path p : List.of(gzipped, plain)) {
      try (var r = EventLogReader.open(p, false)) {
        assertThat(readAll(r)).as(p.toString()).isEqualTo(EventLogWriterTest.everyType(T0));
      }
    }
  }

  /** The log cut in half, and how many events the intact prefix holds. */
  private Path truncated() throws IOException {
    byte[] all = Files.readAllBytes(gzipLog("whole.jsonl.gz", 5000));
    Path cut = dir.resolve("cut.jsonl.gz");
    Files.write(cut, Arrays.copyOf(all, all.length / 2));
    return cut;
  }

  @Test
  void aTruncatedGzipStreamFailsAtTheLineAfterTheLastCompleteOne() throws IOException {
    Path cut = truncated();
    long delivered = 0;
    try (var r = EventLogReader.open(cut, false)) {
      EventLogException e = null;
      while (e == null) {
        e = catchThrowableOfType(EventLogException.class, r::hasNext);
        if (e == null) {
          assertThat(r.next().at()).isEqualTo(T0.plusMillis(delivered));
          delivered++;
        }
      }
      assertThat(delivered).isBetween(1L, 4999L);
      assertThat(e.file()).isEqualTo(cut.toString());
      assertThat(e.line()).isEqualTo(delivered + 1);
      assertThat(e.reason()).contains("truncated gzip");
      assertThat(r.hasNext()).isFalse(); // nothing past the cut
    }
  }

  @Test
  void aTruncatedGzipStreamIsSkippedWhenSkipping() throws IOException {
    Path cut = truncated();
    try (var r = EventLogReader.open(cut, true)) {
      List<LogEvent> events = readAll(r);
      assertThat(events).isNotEmpty();
      assertThat(r.skipped()).singleElement().satisfies(b -> {
        assertThat(b.line()).isEqualTo(events.size() + 1);
        assertThat(b.reason()).contains("truncated gzip");
      });
    }
  }

  @Test
  void aGzipStreamCutInsideItsHeaderIsTruncatedAtLineOne() throws IOException {
    var bytes = new ByteArrayOutputStream();
    try (var gz = new GZIPOutputStream(bytes)) {
      gz.write(OK.getBytes(StandardCharsets.UTF_8));
    }
    byte[] header = Arrays.copyOf(bytes.toByteArray(), 5);
    try (var r = EventLogReader.open(new ByteArrayInputStream(header), "stub.jsonl.gz", false)) {
      assertThatThrownBy(r::hasNext).isInstanceOf(EventLogException.class).hasMessageStartingWith("stub.jsonl.gz:1: ")
          .hasMessageContaining("truncated gzip");
    }
  }

  /** {@code events} events as a gzip log (110 lines are about 20 KB decoded, under one read buffer). */
  private byte[] gzipBytes(int events) throws IOException {
    return Files.readAllBytes(gzipLog("whole-" + events + ".jsonl.gz", events));
  }

  /** How many lines end with their newline in what a tolerant decoder (like zcat) recovers from {@code cut}. */
  private static int completeLinesIn(byte[] cut) throws IOException {
    var decoded = new ByteArrayOutputStream();
    try (var gz = new java.util.zip.GZIPInputStream(new ByteArrayInputStream(cut))) {
      byte[] buf = new byte[4096];
      for (int n; (n = gz.read(buf)) > 0; ) {
        decoded.write(buf, 0, n);
      }
    } catch (java.io.EOFException expected) {
      // the cut: what was decoded before it is all there is
    }
    return (int) decoded.toString(StandardCharsets.UTF_8).chars().filter(c -> c == '\n').count();
  }

  @Test
  void aSmallGzipLogCutMidStreamYieldsEveryCompleteLineThenTheTruncation() throws IOException {
    byte[] all = gzipBytes(110);
    byte[] cut = Arrays.copyOf(all, all.length * 98 / 100); // the recorder killed before its last block was whole
    int complete = completeLinesIn(cut);
    assertThat(complete).as("lines zcat recovers").isBetween(50, 109);
    try (var r = EventLogReader.open(new ByteArrayInputStream(cut), "killed.jsonl.gz", true)) {
      assertThat(readAll(r)).extracting(LogEvent::at)
          .containsExactlyElementsOf(Stream.iterate(T0, t -> t.plusMillis(1)).limit(complete).toList());
      assertThat(r.skipped()).singleElement().satisfies(b -> {
        assertThat(b.line()).isEqualTo(complete + 1);
        assertThat(b.reason()).isEqualTo("truncated gzip stream: the log ends mid-line; the lines before it are complete");
      });
      assertThat(r.linesRead()).isEqualTo(complete + 1);
    }
    try (var r = EventLogReader.open(new ByteArrayInputStream(cut), "killed.jsonl.gz", false)) {
      for (int i = 0; i < complete; i++) {
        assertThat(r.next().at()).isEqualTo(T0.plusMillis(i));
      }
      EventLogException e = catchThrowableOfType(EventLogException.class, r::hasNext);
      assertThat(e).hasMessage("killed.jsonl.gz:" + (complete + 1)
          + ": truncated gzip stream: the log ends mid-line; the lines before it are complete");
      assertThat(r.hasNext()).isFalse(); // nothing past the cut
    }
  }

  @Test
  void aGzipLogCutAnywhereYieldsWhatZcatRecoversThenReportsTheCut() throws IOException {
    byte[] all = gzipBytes(110);
    var lengths = new ArrayList<Integer>();
    for (int length = 2; length < all.length; length += 97) { // from the two magic bytes on
      lengths.add(length);
    }
    lengths.addAll(List.of(5, all.length - 8, all.length - 1)); // in the header, before and inside the trailer
    for (int length : lengths) {
      byte[] cut = Arrays.copyOf(all, length);
      int complete = completeLinesIn(cut);
      try (var r = EventLogReader.open(new ByteArrayInputStream(cut), "cut.jsonl.gz", true)) {
        assertThat(readAll(r)).as("events from %d of %d bytes", length, all.length).hasSize(complete);
        assertThat(r.skipped()).as("%d bytes", length).singleElement().satisfies(b -> {
          assertThat(b.line()).isEqualTo(complete + 1);
          assertThat(b.reason()).startsWith("truncated gzip stream: the log ends");
        });
      }
    }
  }

  @Test
  void aGzipLogCutJustAfterANewlineReportsTheLineAfterTheLast() throws IOException {
    var bytes = new ByteArrayOutputStream();
    try (var gz = new GZIPOutputStream(bytes, true)) {
      gz.write((synced("2026-11-22T10:00:00Z") + "\n" + synced("2026-11-22T10:00:01Z") + "\n").getBytes(StandardCharsets.UTF_8));
      gz.flush(); // a sync flush: everything written so far decodes, as after a recorder's flush
    }
    byte[] all = bytes.toByteArray();
    byte[] cut = Arrays.copyOf(all, all.length - 8); // the 8-byte gzip trailer (CRC, size) missing
    try (var r = EventLogReader.open(new ByteArrayInputStream(cut), "flushed.jsonl.gz", false)) {
      assertThat(r.next()).isNotNull();
      assertThat(r.next()).isNotNull();
      assertThatThrownBy(r::hasNext).isInstanceOf(EventLogException.class)
          .hasMessage("flushed.jsonl.gz:3: truncated gzip stream: the log ends after line 2");
    }
  }

  @Test
  void aCorruptGzipStreamYieldsTheLinesDecodedBeforeTheDamage() throws IOException {
    byte[] all = gzipBytes(110);
    byte[] damaged = all.clone();
    for (int i = all.length / 2; i < all.length - 8; i++) {
      damaged[i] = (byte) 0xff; // invalid deflate data from the middle on
    }
    try (var r = EventLogReader.open(new ByteArrayInputStream(damaged), "damaged.jsonl.gz", true)) {
      List<LogEvent> events = readAll(r);
      assertThat(events).extracting(LogEvent::at)
          .containsExactlyElementsOf(Stream.iterate(T0, t -> t.plusMillis(1)).limit(events.size()).toList());
      assertThat(r.skipped()).singleElement().satisfies(b -> {
        assertThat(b.line()).isEqualTo(events.size() + 1);
        assertThat(b.reason()).startsWith("corrupt gzip stream (");
      });
    }
  }

  @Test
  void aDirectoryIsRefusedByName() {
    assertThatThrownBy(() -> EventLogReader.open(dir, false))
        .isInstanceOf(java.nio.file.FileSystemException.class)
        .hasMessage(dir + ": is a directory, not an event log");
  }
}
