package io.tributary.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock a test moves by hand, for code that takes a {@link Clock} (metrics, status, writers): time
 * passes only when the test says so, so durations are exact and nothing waits. Thread-safe: actors
 * read it on their own threads.
 */
public final class ManualClock extends Clock {
  private volatile Instant now;

  /** A clock standing at {@code start}. */
  public ManualClock(Instant start) {
    this.now = start;
  }

  /** Moves the clock on by {@code d}. */
  public synchronized void advance(Duration d) {
    now = now.plus(d);
  }

  /** Moves the clock on by {@code millis} milliseconds. */
  public void advance(long millis) {
    advance(Duration.ofMillis(millis));
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
