package io.tributary.replay;

import java.time.Instant;

/**
 * Told how far a replay has got, on the replay's driver thread, after the first event, every {@link
 * #EVERY} events and at the end: it must return at once and never touch the replay (progress never changes its output).
 */
@FunctionalInterface
public interface ReplayProgress {
  /** Events between two reports. */
  int EVERY = 256;

  /** Reports nothing. */
  ReplayProgress NONE = (events, at) -> {};

  /** {@code events} have been read from the log; the virtual clock stands at {@code at}. */
  void advanced(long events, Instant at);
}
