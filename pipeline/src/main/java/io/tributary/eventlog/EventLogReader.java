package io.tributary.eventlog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Streams an event log (JSON Lines, plain or gzip — detected by the magic bytes): one line in
 * memory at a time, so a log of any size replays. A malformed line fails with {@code file:line:
 * reason}, or, when skipping, is recorded and passed over.
 */
public final class EventLogReader extends LookaheadIterator<LogEvent> implements Closeable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_RECORDED = 100;

  private final BufferedReader in;
  private final String name;
  private final boolean skipBadLines;
  private final List<BadLine> skipped = new ArrayList<>();
  private long skippedCount;
  private long lineNo;
  private Instant previousAt;

  private EventLogReader(InputStream raw, String name, boolean skipBadLines) throws IOException {
    this.name = name;
    this.skipBadLines = skipBadLines;
    var buffered = new BufferedInputStream(raw, 1 << 16);
    buffered.mark(2);
    int b1 = buffered.read();
    int b2 = buffered.read();
    buffered.reset();
    InputStream decoded = (b1 == 0x1f && b2 == 0x8b) ? new GZIPInputStream(buffered, 1 << 16) : buffered;
    this.in = new BufferedReader(new InputStreamReader(decoded, StandardCharsets.UTF_8), 1 << 16);
  }

  /** Opens {@code file}. */
  public static EventLogReader open(Path file, boolean skipBadLines) throws IOException {
    return new EventLogReader(Files.newInputStream(file), file.toString(), skipBadLines);
  }

  /** Reads {@code in} (e.g. a classpath resource); {@code name} appears in error messages. */
  public static EventLogReader open(InputStream in, String name, boolean skipBadLines) throws IOException {
    return new EventLogReader(in, name, skipBadLines);
  }

  /** Lines skipped as malformed (the first 100; {@link #skippedCount()} counts all). */
  public List<BadLine> skipped() {
    return List.copyOf(skipped);
  }

  public long skippedCount() {
    return skippedCount;
  }

  /** Lines read so far, blank ones included. */
  public long linesRead() {
    return lineNo;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  @Override
  protected LogEvent computeNext() {
    while (true) {
      String line;
      try {
        line = in.readLine();
      } catch (EOFException | ZipException e) {
        bad(lineNo + 1, "truncated or corrupt gzip stream (" + e.getMessage() + ")");
        return null;
      } catch (IOException e) {
        throw new UncheckedIOException(name + ":" + (lineNo + 1) + ": cannot read", e);
      }
      if (line == null) {
        return null;
      }
      lineNo++;
      if (line.isBlank()) {
        continue;
      }
      try {
        LogEvent e = parse(line);
        if (previousAt != null && e.at().isBefore(previousAt)) {
          throw new BadLineException("time goes backwards: " + e.at() + " after " + previousAt);
        }
        previousAt = e.at();
        return e;
      } catch (BadLineException e) {
        bad(lineNo, e.getMessage());
      }
    }
  }

  private void bad(long line, String reason) {
    if (!skipBadLines) {
      throw new EventLogException(name, line, reason);
    }
    skippedCount++;
    if (skipped.size() < MAX_RECORDED) {
      skipped.add(new BadLine(name, line, reason));
    }
  }

  private static LogEvent parse(String line) {
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new BadLineException("invalid JSON: " + e.getOriginalMessage());
    }
    if (!(node instanceof ObjectNode o)) {
      throw new BadLineException("a line must be a JSON object");
    }
    int v = o.path("v").asInt(-1);
    if (!o.has("v")) {
      throw new BadLineException("missing field 'v' (format version)");
    }
    if (v != 1) {
      throw new BadLineException("unsupported event-log version " + o.get("v") + " (this build reads 1)");
    }
    Instant at = instant(o);
    LogEventType type = type(o);
    String cluster = text(o, "cluster");
    return switch (type) {
      case ADDED, MODIFIED, DELETED -> {
        require(cluster, "cluster", type);
        JsonNode obj = o.get("object");
        if (!(obj instanceof ObjectNode object)) {
          throw new BadLineException("missing field 'object' (a JSON object) for " + type);
        }
        if (object.path("metadata").path("name").asText("").isEmpty()) {
          throw new BadLineException("object has no metadata.name");
        }
        if (object.path("kind").asText("").isEmpty()) {
          throw new BadLineException("object has no kind");
        }
        yield LogEvent.watch(at, cluster, type, object);
      }
      case SYNCED -> {
        require(cluster, "cluster", type);
        yield LogEvent.synced(at, cluster, require(text(o, "kind"), "kind", type));
      }
      case CONFIG -> new LogEvent(at, cluster, type, null, null, require(text(o, "config"), "config", type), null);
      case TARGET_DOWN, TARGET_UP ->
          new LogEvent(at, cluster, type, null, null, null, require(text(o, "target"), "target", type));
      case CLUSTER_LOST, CLUSTER_BACK ->
          new LogEvent(at, require(cluster, "cluster", type), type, null, null, null, null);
    };
  }

  private static Instant instant(ObjectNode o) {
    String at = text(o, "at");
    if (at == null) {
      throw new BadLineException("missing field 'at'");
    }
    try {
      return Instant.parse(at);
    } catch (DateTimeParseException e) {
      throw new BadLineException("field 'at' is not an ISO-8601 instant: '" + at + "'");
    }
  }

  private static LogEventType type(ObjectNode o) {
    String type = text(o, "type");
    if (type == null) {
      throw new BadLineException("missing field 'type'");
    }
    try {
      return LogEventType.valueOf(type);
    } catch (IllegalArgumentException e) {
      throw new BadLineException(
          "unknown type '" + type + "' (one of " + Arrays.toString(LogEventType.values()) + ")");
    }
  }

  private static String text(ObjectNode o, String field) {
    JsonNode n = o.get(field);
    return n == null || n.isNull() || !n.isTextual() || n.asText().isEmpty() ? null : n.asText();
  }

  private static String require(String value, String field, LogEventType type) {
    if (value == null) {
      throw new BadLineException("missing field '" + field + "' for " + type);
    }
    return value;
  }

  /** Internal: one line's problem, turned into an EventLogException or a BadLine. */
  private static final class BadLineException extends RuntimeException {
    BadLineException(String message) {
      super(message, null, false, false);
    }
  }
}
