package io.tributary.replay;

import io.tributary.target.Change;
import io.tributary.target.Target;
import io.tributary.writer.TranscriptLine;
import io.tributary.writer.WriteObserver;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Writes the write transcript: one JSON line per target operation ({@link TranscriptLine}), in the
 * order the writers performed them, stamped with virtual time. The same log and config give the
 * same bytes. A target in dry run ({@code run --dry-run}) gets a line for every change it would
 * have been written.
 */
public final class TranscriptWriter implements WriteObserver, Closeable {
  private static final int CHUNK = 256;

  private final BufferedWriter out;
  private final boolean flushEachLine;
  private long lines;
  // a replay's transcript is formatted and written on a thread of its own, in order, so the
  // replay's thread only hands over what was written; run's transcript is written at once
  private final BlockingQueue<List<Entry>> behind;
  private final Thread writer;
  private List<Entry> chunk = new ArrayList<>(CHUNK);
  private volatile Throwable failure;

  private record Entry(Instant at, Target target, Change change, boolean dryRun) {}

  /** A transcript written as a replay goes (behind it, on another thread), complete once closed. */
  public TranscriptWriter(Path file) throws IOException {
    this(file, false);
  }

  /**
   * @param flushEachLine every line reaches the file at once: {@code run}'s transcript, read while
   *     the service runs and kept up to its last moment if the process is killed
   */
  public TranscriptWriter(Path file, boolean flushEachLine) throws IOException {
    this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    this.flushEachLine = flushEachLine;
    if (flushEachLine) {
      this.behind = null;
      this.writer = null;
    } else {
      this.behind = new ArrayBlockingQueue<>(64);
      this.writer = new Thread(this::writeBehind, "tributary-transcript");
      this.writer.setDaemon(true);
      this.writer.start();
    }
  }

  @Override
  public void written(Instant at, Target target, Change change) {
    add(new Entry(at, target, change, false));
  }

  @Override
  public void dryRun(Instant at, Target target, Change change) {
    add(new Entry(at, target, change, true));
  }

  private synchronized void add(Entry e) {
    lines++;
    if (behind == null) {
      write(e);
      return;
    }
    chunk.add(e);
    if (chunk.size() == CHUNK) {
      handOver();
    }
  }

  private void handOver() {
    if (failure != null) {
      throw new UncheckedIOException("cannot write the transcript", asIo(failure));
    }
    try {
      behind.put(chunk);
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing the transcript", ex);
    }
    chunk = new ArrayList<>(CHUNK);
  }

  private void writeBehind() {
    try {
      while (true) {
        List<Entry> next = behind.take();
        if (next.isEmpty()) {
          return; // closed
        }
        next.forEach(this::write);
      }
    } catch (InterruptedException e) {
      // abandoned
    } catch (RuntimeException e) {
      failure = e.getCause() != null ? e.getCause() : e;
      behind.clear(); // unblock the replay; it fails at its next hand-over
    }
  }

  private void write(Entry e) {
    try {
      out.write(TranscriptLine.of(e.at(), e.target(), e.change(), e.dryRun()));
      out.write('\n');
      if (flushEachLine) {
        out.flush();
      }
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot write the transcript", ex);
    }
  }

  /** Lines handed to this transcript so far. */
  public synchronized long lines() {
    return lines;
  }

  /** Writes what is still behind, then closes the file; a write that failed behind is thrown here. */
  @Override
  public synchronized void close() throws IOException {
    try {
      if (behind != null) {
        if (!chunk.isEmpty()) {
          handOver();
        }
        behind.put(List.of());
        writer.join();
        if (failure != null) {
          throw asIo(failure);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while writing the transcript", e);
    } finally {
      out.close();
    }
  }

  private static IOException asIo(Throwable t) {
    return t instanceof IOException io ? io : new IOException(t.getMessage(), t);
  }
}
