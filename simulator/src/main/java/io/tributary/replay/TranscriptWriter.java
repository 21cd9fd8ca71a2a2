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

/**
 * Writes the write transcript: one JSON line per target operation ({@link TranscriptLine}), in the
 * order the writers performed them, stamped with virtual time. The same log and config give the
 * same bytes. A target in dry run ({@code run --dry-run}) gets a line for every change it would
 * have been written.
 */
public final class TranscriptWriter implements WriteObserver, Closeable {
  private final BufferedWriter out;
  private final boolean flushEachLine;
  private long lines;

  /** A transcript written as a replay goes, complete once closed. */
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
  }

  @Override
  public void written(Instant at, Target target, Change change) {
    write(TranscriptLine.of(at, target, change, false));
  }

  @Override
  public void dryRun(Instant at, Target target, Change change) {
    write(TranscriptLine.of(at, target, change, true));
  }

  private synchronized void write(String line) {
    try {
      out.write(line);
      out.write('\n');
      if (flushEachLine) {
        out.flush();
      }
      lines++;
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
