package io.tributary.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tributary.target.Change;
import io.tributary.target.Target;
import io.tributary.writer.WriteObserver;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * Writes the write transcript: one JSON line per target operation, in the order the writers
 * performed them, stamped with virtual time. The same log and config give the same bytes.
 */
public final class TranscriptWriter implements WriteObserver, Closeable {
  private final BufferedWriter out;
  private long lines;

  public TranscriptWriter(Path file) throws IOException {
    this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
  }

  @Override
  public synchronized void written(Instant at, Target target, Change change) {
    var line = Json.CANONICAL.createObjectNode();
    line.put("at", DateTimeFormatter.ISO_INSTANT.format(at));
    line.put("target", target.id());
    line.put("op", change.op().id());
    line.put("key", change.key());
    if (change.value() != null) {
      line.set("value", Json.CANONICAL.valueToTree(change.value()));
    }
    try {
      out.write(Json.CANONICAL.writeValueAsString(line));
      out.write('\n');
      lines++;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + change.key(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the transcript", e);
    }
  }

  public synchronized long lines() {
    return lines;
  }

  @Override
  public synchronized void close() throws IOException {
    out.close();
  }
}
