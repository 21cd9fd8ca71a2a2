package io.tributary.watch;

/** A cluster's watch cannot go on; its supervisor restarts it with backoff. */
public final class WatchFailedException extends RuntimeException {
  public WatchFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
