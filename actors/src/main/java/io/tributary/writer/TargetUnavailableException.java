package io.tributary.writer;

/** The target could not be reached or answered with a transient error (5xx, 429, timeout, SERVFAIL). */
public final class TargetUnavailableException extends RuntimeException {
  public TargetUnavailableException(String message) {
    super(message);
  }

  public TargetUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
