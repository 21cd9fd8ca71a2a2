package io.tributary.eventlog;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * One event-log line as bytes and back, for transports that carry events one by one (the edge
 * mode's Kafka records): exactly the JSON an event-log file holds, without the newline, read by
 * the same reader (so the same validation and the same refusal of Secrets).
 */
public final class LogEventCodec {
  private LogEventCodec() {}

  /** The event's line, UTF-8, without the trailing newline. */
  public static byte[] encode(LogEvent event) {
    var out = new ByteArrayOutputStream(512);
    try (EventLogWriter w = EventLogWriter.to(out, false)) {
      w.write(event);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] line = out.toByteArray();
    return java.util.Arrays.copyOf(line, line.length - 1);
  }

  /** Parses one line; {@code where} names it in an error ({@code topic/partition@offset}). */
  public static LogEvent decode(byte[] line, String where) {
    try (EventLogReader r = EventLogReader.open(new ByteArrayInputStream(line), where, false)) {
      if (!r.hasNext()) {
        throw new EventLogException(where, 1, "empty record");
      }
      return r.next();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** For messages: the line as text. */
  public static String text(byte[] line) {
    return new String(line, StandardCharsets.UTF_8);
  }
}
