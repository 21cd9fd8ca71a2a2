package io.tributary.eventlog;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.zip.GZIPOutputStream;

/**
 * Writes an event log: one compact JSON object per line, fields in canonical order (v, at,
 * cluster, type, kind, object, config, target), gzip when the file name ends in {@code .gz}.
 * Objects of kind Secret are refused: secrets never reach an event log.
 */
public final class EventLogWriter implements Closeable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final OutputStream out;
  private long written;

  private EventLogWriter(OutputStream out) {
    this.out = out;
  }

  /** Creates (or truncates) {@code file}. */
  public static EventLogWriter open(Path file) throws IOException {
    return to(Files.newOutputStream(file), file.getFileName().toString().endsWith(".gz"));
  }

  /** Writes to {@code out}, gzip-compressed when asked. */
  public static EventLogWriter to(OutputStream out, boolean gzip) throws IOException {
    OutputStream o = new BufferedOutputStream(out, 1 << 16);
    // sync-flushable, so a live recording can be made readable up to its last line at any time
    return new EventLogWriter(gzip ? new GZIPOutputStream(o, 1 << 16, true) : o);
  }

  /** Hands every line written so far to the file (for gzip, up to a complete deflate block). */
  public void flush() {
    try {
      out.flush();
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot write event log", ex);
    }
  }

  /** Appends one event as one line. */
  public void write(LogEvent e) {
    if (e.object() != null && "Secret".equals(e.object().path("kind").asText())) {
      throw new IllegalArgumentException(
          "refusing to write a Secret (" + e.object().path("metadata").path("name").asText() + ") to an event log");
    }
    // one generator per line, closed (not the stream) so Jackson's buffers are recycled
    try (JsonGenerator g = JSON.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      g.writeStartObject();
      g.writeNumberField("v", 1);
      g.writeStringField("at", DateTimeFormatter.ISO_INSTANT.format(e.at()));
      if (e.cluster() != null) {
        g.writeStringField("cluster", e.cluster());
      }
      g.writeStringField("type", e.type().name());
      // object events carry their kind inside the object; only SYNCED has it at the top
      if (e.type() == LogEventType.SYNCED && e.kind() != null) {
        g.writeStringField("kind", e.kind());
      }
      if (e.object() != null) {
        g.writeFieldName("object");
        JSON.writeTree(g, e.object());
      }
      if (e.config() != null) {
        g.writeStringField("config", e.config());
      }
      if (e.target() != null) {
        g.writeStringField("target", e.target());
      }
      g.writeEndObject();
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot write event log", ex);
    }
    try {
      out.write('\n');
      written++;
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot write event log", ex);
    }
  }

  /** Events written so far. */
  public long written() {
    return written;
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
