package io.tributary.eventlog;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.watch.WatchEvent;
import io.tributary.watch.WatchEventSink;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.Set;

/**
 * Records watched events as an event log the simulator replays: stamped with the wall clock,
 * {@code managedFields} dropped, Secrets never written, rotated by size ({@code path.1} is the
 * newest rotated file). Thread-safe: informers of every cluster call it.
 */
public final class EventRecorder implements WatchEventSink, Closeable {
  private static final Set<String> NEVER_RECORDED = Set.of("Secret");

  private final Path path;
  private final long maxBytes;
  private final int keep;
  private final Clock clock;
  private EventLogWriter writer;
  private long written;

  /** Records to {@code path}, rotating past {@code maxBytes} and keeping {@code keep} old files. */
  public EventRecorder(Path path, long maxBytes, int keep, Clock clock) throws IOException {
    this.path = path;
    this.maxBytes = maxBytes;
    this.keep = keep;
    this.clock = clock;
    Path parent = path.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    this.writer = EventLogWriter.open(path);
  }

  @Override
  public synchronized void offer(WatchEvent event) {
    if (NEVER_RECORDED.contains(event.key().kind())) {
      return;
    }
    var at = clock.instant();
    var cluster = event.key().cluster();
    LogEvent line =
        event.isSynced()
            ? LogEvent.synced(at, cluster, event.key().kind())
            : LogEvent.watch(at, cluster, LogEventType.valueOf(event.type().name()), recordable(event));
    writer.write(line);
    written++;
    if (written % 256 == 0) {
      rotateIfFull();
    }
  }

  /** Events recorded so far. */
  public synchronized long written() {
    return written;
  }

  private static ObjectNode recordable(WatchEvent event) {
    ObjectNode o = event.object();
    if (o == null) {
      // a delete known only by key: enough for replay (kind + name identify the object)
      o = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
      o.put("kind", event.key().kind());
      o.putObject("metadata").put("name", event.key().name()).put("namespace", event.key().namespace());
      return o;
    }
    if (o.path("metadata").has("managedFields")) {
      o = o.deepCopy();
      ((ObjectNode) o.get("metadata")).remove("managedFields");
    }
    return o;
  }

  private void rotateIfFull() {
    try {
      if (Files.size(path) < maxBytes) {
        return;
      }
      writer.close();
      for (int i = keep; i >= 1; i--) {
        Path from = i == 1 ? path : Path.of(path + "." + (i - 1));
        if (Files.exists(from)) {
          Files.move(from, Path.of(path + "." + i), StandardCopyOption.REPLACE_EXISTING);
        }
      }
      if (keep == 0) {
        Files.deleteIfExists(path);
      }
      writer = EventLogWriter.open(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rotate the event recording " + path, e);
    }
  }

  @Override
  public synchronized void close() throws IOException {
    writer.close();
  }
}
