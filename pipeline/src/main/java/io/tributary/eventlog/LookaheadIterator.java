package io.tributary.eventlog;

import java.util.Iterator;
import java.util.NoSuchElementException;

/** An iterator over values computed one at a time; {@link #computeNext()} returns null at the end. */
public abstract class LookaheadIterator<T> implements Iterator<T> {
  private T next;
  private boolean done;

  /** The next value, or null when there is none. */
  protected abstract T computeNext();

  @Override
  public final boolean hasNext() {
    if (next == null && !done) {
      next = computeNext();
      done = next == null;
    }
    return next != null;
  }

  @Override
  public final T next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    T value = next;
    next = null;
    return value;
  }
}
