package io.tributary.eventlog;

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
 * Records watched events as an event log the simulator replays: stamped with the wall clock (never
 * going backwards, so a clock step cannot make the log unreplayable), {@code managedFields}
 * dropped, Secrets never written, rotated by size ({@code path.1} is the newest rotated file). A
 * file left by an earlier process (the recording of the crash that restarted it) is rotated, not
 * overwritten. Each line is flushed as it is recorded, so a killed process's file is readable up to
 * its last event. Thread-safe: informers of every cluster call it.
 */
public final class EventRecorder implements WatchEventSink, Closeable {
  private static final Set<String> NEVER_RECORDED = Set.of("Secret");

  private final Path path;
  private final long maxBytes;
  private final int keep;
  private final Clock clock;
  private EventLogWriter writer;
  private long written;
  private java.time.Instant last = java.time.Instant.MIN;

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
    if (Files.exists(path) && Files.size(path) > 0) {
      rotate();
    }
    this.writer = EventLogWriter.open(path);
  }

  @Override
  public synchronized void offer(WatchEvent event) {
    if (NEVER_RECORDED.contains(event.key().kind())) {
      return;
    }
    // a log's timestamps must not go backwards (replay runs them on a virtual clock)
    var now = clock.instant();
    var at = now.isBefore(last) ? last : now;
    last = at;
    writer.write(LogEvent.recorded(at, event));
    // every recorded line reaches the file at once: the recording of a process that is killed (the
    // incident one wants to replay) holds everything up to its last moment
    writer.flush();
    written++;
    if (written % 256 == 0) {
      rotateIfFull();
    }
  }

  /**
   * Records that the running service applied configuration {@code hocon} (its {@code tributary}
   * block) now, so a replay of the recording switches to it at the same point.
   */
  public synchronized void configApplied(String hocon) {
    var now = clock.instant();
    var at = now.isBefore(last) ? last : now;
    last = at;
    writer.write(new LogEvent(at, null, LogEventType.CONFIG, null, null, hocon, null));
    writer.flush();
    written++;
  }

  /** Events recorded so far. */
  public synchronized long written() {
    return written;
  }

  private void rotateIfFull() {
    try {
      if (Files.size(path) < maxBytes) {
        return;
      }
      writer.close();
      rotate();
      writer = EventLogWriter.open(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rotate the event recording " + path, e);
    }
  }

  /** Shifts {@code path} to {@code path.1}, {@code .1} to {@code .2}, …, dropping the oldest. */
  private void rotate() throws IOException {
    for (int i = keep; i >= 1; i--) {
      Path from = i == 1 ? path : Path.of(path + "." + (i - 1));
      if (Files.exists(from)) {
        Files.move(from, Path.of(path + "." + i), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    if (keep == 0) {
      Files.deleteIfExists(path);
    }
  }

  @Override
  public synchronized void close() throws IOException {
    writer.close();
  }
}
