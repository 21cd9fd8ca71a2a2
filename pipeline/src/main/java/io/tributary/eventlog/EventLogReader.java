package io.tributary.eventlog;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Streams an event log (JSON Lines, plain or gzip — detected by the magic bytes): one line in
 * memory at a time, so a log of any size replays. A malformed line fails with {@code file:line:
 * reason}, or, when skipping, is recorded and passed over. A gzip log cut short (its writer
 * killed) yields every complete line, then reports the cut as a bad line: the line the cut fell
 * in, or the line after the last when the cut fell on a newline.
 */
public final class EventLogReader extends LookaheadIterator<LogEvent> implements Closeable {
  // a duplicated key would make a line mean whichever copy the parser kept: refuse it instead
  private static final ObjectMapper JSON =
      new ObjectMapper(JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());
  private static final int MAX_RECORDED = 100;
  private static final int MAX_REASON = 200;
  // Jackson's "[Source: ...; line: 1, column: 8]": the line is always 1 here, only the column helps
  private static final Pattern LOCATION = Pattern.compile("\\[Source: [^;\\]]*; line: \\d+, column: (\\d+)]");

  private final InputStream raw;
  private final String name;
  private final boolean skipBadLines;
  private final List<BadLine> skipped = new ArrayList<>();
  private Decoded decoded;
  private Lines lines;
  private boolean finished;
  private long skippedCount;
  private long lineNo;
  private Instant previousAt;

  private EventLogReader(InputStream raw, String name, boolean skipBadLines) {
    this.raw = Objects.requireNonNull(raw, () -> name + ": no input stream (missing classpath resource?)");
    this.name = name;
    this.skipBadLines = skipBadLines;
  }

  /**
   * Opens {@code file}; gzip is recognised by its content, whatever the name. A missing or
   * unreadable file, or a directory, fails here with a {@link java.nio.file.FileSystemException}
   * naming it.
   */
  public static EventLogReader open(Path file, boolean skipBadLines) throws IOException {
    if (Files.isDirectory(file)) {
      // a directory opens on Linux and fails only at the first read, as an unnamed I/O error
      throw new FileSystemException(file.toString(), null, "is a directory, not an event log");
    }
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

  /** How many lines were skipped as malformed. */
  public long skippedCount() {
    return skippedCount;
  }

  /** Lines read so far, blank ones included. */
  public long linesRead() {
    return lineNo;
  }

  @Override
  public void close() throws IOException {
    if (lines != null) {
      lines.close();
    } else {
      raw.close();
    }
  }

  @Override
  protected LogEvent computeNext() {
    while (!finished) {
      String line;
      try {
        line = lines().next();
      } catch (IOException e) {
        throw new UncheckedIOException(name + ":" + (lineNo + 1) + ": cannot read", e);
      }
      if (line == null) {
        finished = true;
        if (decoded.cut() != null) {
          // the cut fell just after a newline: every line is whole, but the log goes on no further
          bad(lineNo + 1, decoded.cut() + (lineNo == 0 ? " before its first line" : " after line " + lineNo));
        }
        return null;
      }
      lineNo++;
      if (!lines.terminated() && decoded.cut() != null) {
        // the line the cut fell in: its tail is lost, so it is reported, never parsed
        finished = true;
        bad(lineNo, decoded.cut() + " mid-line; the lines before it are complete");
        return null;
      }
      if (lineNo == 1 && line.startsWith("\uFEFF")) {
        line = line.substring(1); // a byte-order mark from an editor is not part of the JSON
      }
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
    return null;
  }

  /** Opened on first read, so a gzip stream cut inside its header fails like any other cut. */
  private Lines lines() throws IOException {
    if (lines == null) {
      var buffered = new BufferedInputStream(raw, 1 << 16);
      buffered.mark(2);
      int b1 = buffered.read();
      int b2 = buffered.read();
      buffered.reset();
      decoded = new Decoded(buffered, b1 == 0x1f && b2 == 0x8b);
      lines = new Lines(new InputStreamReader(decoded, StandardCharsets.UTF_8));
    }
    return lines;
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
    ObjectNode o = object(line);
    JsonNode v = o.get("v");
    if (v == null || v.isNull()) {
      throw new BadLineException("missing field 'v' (format version)");
    }
    if (!(v.isIntegralNumber() && v.canConvertToInt() && v.intValue() == 1)) {
      throw new BadLineException("unsupported event-log version " + v + " (this build reads 1)");
    }
    Instant at = instant(o);
    LogEventType type = type(o);
    String cluster = text(o, "cluster");
    return switch (type) {
      case ADDED, MODIFIED, DELETED -> {
        require(cluster, "cluster", type);
        if (!(o.get("object") instanceof ObjectNode object)) {
          throw new BadLineException("missing field 'object' (a JSON object) for " + type);
        }
        if (nonEmptyText(object.path("metadata").path("name")) == null) {
          throw new BadLineException("object has no metadata.name");
        }
        if (nonEmptyText(object.path("kind")) == null) {
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

  /** The line as one JSON object, and nothing after it. */
  private static ObjectNode object(String line) {
    JsonNode node;
    try (JsonParser p = JSON.createParser(line)) {
      node = JSON.readTree(p);
      if (p.nextToken() != null) {
        throw new BadLineException(
            "invalid JSON at column " + p.currentTokenLocation().getColumnNr() + ": more than one value on the line");
      }
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : " at column " + e.getLocation().getColumnNr();
      throw new BadLineException("invalid JSON" + where + ": " + condensed(e));
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a String source does no I/O
    }
    if (!(node instanceof ObjectNode o)) {
      throw new BadLineException("a line must be a JSON object");
    }
    return o;
  }

  /** Jackson's message on one short line, with its source location reduced to a column. */
  private static String condensed(JsonProcessingException e) {
    String m = LOCATION.matcher(String.valueOf(e.getOriginalMessage())).replaceAll("column $1");
    m = m.replaceAll("\\s+", " ").trim();
    return m.length() <= MAX_REASON ? m : m.substring(0, MAX_REASON) + "…";
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

  /** The field's text; null when absent, null or empty; a non-string value is a bad line. */
  private static String text(ObjectNode o, String field) {
    JsonNode n = o.get(field);
    if (n != null && !n.isNull() && !n.isTextual()) {
      throw new BadLineException("field '" + field + "' must be a string, not " + n.getNodeType().toString().toLowerCase());
    }
    return n == null ? null : nonEmptyText(n);
  }

  private static String nonEmptyText(JsonNode n) {
    return n.isTextual() && !n.asText().isEmpty() ? n.asText() : null;
  }

  private static String require(String value, String field, LogEventType type) {
    if (value == null) {
      throw new BadLineException("missing field '" + field + "' for " + type);
    }
    return value;
  }

  /**
   * The log's bytes, un-gzipped when they are gzip. A cut or corrupt gzip stream ends like any
   * stream, after every byte decoded before the fault, and {@link #cut()} then says why: thrown at
   * once, the fault would take with it the decoded text still buffered above it (a whole small log).
   */
  private static final class Decoded extends InputStream {
    private final InputStream source;
    private final boolean gzip;
    private InputStream in;
    private String cut;

    Decoded(InputStream source, boolean gzip) {
      this.source = source;
      this.gzip = gzip;
    }

    /** Why the gzip stream ended early ("truncated gzip stream: the log ends"), or null. */
    String cut() {
      return cut;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (cut != null) {
        return -1;
      }
      try {
        if (in == null) {
          // the header is read here, so a header cut short is a cut like any other
          in = gzip ? new GZIPInputStream(source, 1 << 16) : source;
        }
        // the inflater throws only on a call that decoded nothing, so no decoded byte is lost
        return in.read(b, off, len);
      } catch (EOFException e) {
        cut = "truncated gzip stream: the log ends";
      } catch (ZipException e) {
        cut = "corrupt gzip stream (" + e.getMessage() + "): decoding stops";
      }
      return -1;
    }

    @Override
    public int available() throws IOException {
      return cut != null || in == null ? 0 : in.available();
    }

    @Override
    public void close() throws IOException {
      (in != null ? in : source).close();
    }
  }

  /**
   * Lines split at {@code \n} (a trailing {@code \r} dropped), and whether the last one read ended
   * with its newline: {@link java.io.BufferedReader#readLine()} cannot tell, and a cut log's last
   * line is exactly the one without.
   */
  private static final class Lines implements Closeable {
    private final Reader in;
    private final char[] buf = new char[1 << 16];
    private int pos;
    private int end;
    private boolean terminated = true;

    Lines(Reader in) {
      this.in = in;
    }

    /** The next line, or null at the end. */
    String next() throws IOException {
      StringBuilder partial = null;
      while (true) {
        if (pos == end) {
          int n = in.read(buf, 0, buf.length);
          if (n < 0) {
            if (partial == null) {
              return null;
            }
            terminated = false;
            return withoutCr(partial.toString());
          }
          pos = 0;
          end = n;
        }
        int nl = pos;
        while (nl < end && buf[nl] != '\n') {
          nl++;
        }
        if (nl < end) {
          String line = partial == null ? new String(buf, pos, nl - pos) : partial.append(buf, pos, nl - pos).toString();
          pos = nl + 1;
          return withoutCr(line);
        }
        partial = partial == null ? new StringBuilder(end - pos + 64) : partial;
        partial.append(buf, pos, end - pos);
        pos = end;
      }
    }

    /** Whether the line {@link #next()} returned last ended with a newline. */
    boolean terminated() {
      return terminated;
    }

    private static String withoutCr(String line) {
      return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  /** Internal: one line's problem, turned into an EventLogException or a BadLine. */
  private static final class BadLineException extends RuntimeException {
    BadLineException(String message) {
      super(message, null, false, false);
    }
  }
}
