package io.tributary.eventlog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * An iterator that drains its source on a thread of its own, a chunk at a time, so that decoding a
 * log (gzip, JSON) runs on one core while the replay runs on the other. The order is the source's;
 * a failure of the source arrives after every element read before it, as the same exception.
 * Memory is bounded: at most {@code CHUNKS} chunks of {@code CHUNK} elements wait.
 */
public final class ReadAhead<T> implements Iterator<T>, AutoCloseable {
  // a parsed object is ~10 KB of tree: 1 024 events ahead keep the reader busy without holding the heap
  private static final int CHUNK = 128;
  private static final int CHUNKS = 8;

  private final BlockingQueue<Object> chunks = new ArrayBlockingQueue<>(CHUNKS);
  private final Thread reader;
  private Iterator<T> current = Collections.emptyIterator();
  private boolean ended;
  private Throwable failure;

  /** The source's end. */
  private record End() {}

  /** The source threw {@code cause}; it is rethrown where the reading had got to. */
  private record Failed(Throwable cause) {}

  /** Starts reading {@code source} on a daemon thread named {@code name}. */
  public ReadAhead(Iterator<T> source, String name) {
    reader = new Thread(() -> drain(source), name);
    reader.setDaemon(true);
    reader.start();
  }

  private void drain(Iterator<T> source) {
    List<T> chunk = new ArrayList<>(CHUNK);
    try {
      while (source.hasNext()) {
        chunk.add(source.next());
        if (chunk.size() == CHUNK) {
          chunks.put(chunk);
          chunk = new ArrayList<>(CHUNK);
        }
      }
      if (!chunk.isEmpty()) {
        chunks.put(chunk);
      }
      chunks.put(new End());
    } catch (InterruptedException e) {
      // closed by the consumer: nobody reads any more
    } catch (Throwable t) {
      try {
        if (!chunk.isEmpty()) {
          chunks.put(chunk);
        }
        chunks.put(new Failed(t));
      } catch (InterruptedException e) {
        // closed by the consumer
      }
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public boolean hasNext() {
    while (!current.hasNext()) {
      if (ended) {
        if (failure instanceof RuntimeException r) {
          throw r;
        }
        if (failure instanceof Error e) {
          throw e;
        }
        if (failure != null) {
          throw new IllegalStateException(failure);
        }
        return false;
      }
      Object next;
      try {
        next = chunks.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while reading ahead", e);
      }
      if (next instanceof List<?> list) {
        current = ((List<T>) list).iterator();
      } else {
        ended = true;
        failure = next instanceof Failed f ? f.cause() : null;
      }
    }
    return true;
  }

  @Override
  public T next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return current.next();
  }

  /** Stops the reading thread (the source itself is the caller's to close, after this). */
  @Override
  public void close() {
    reader.interrupt();
    try {
      reader.join(5_000); // a source blocked in I/O finishes its read, sees the interrupt, and stops
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
