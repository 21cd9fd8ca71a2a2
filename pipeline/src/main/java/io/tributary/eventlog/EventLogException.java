package io.tributary.eventlog;

/** A malformed event-log line; the message is {@code file:line: reason}. */
public final class EventLogException extends RuntimeException {
  private final String file;
  private final long line;
  private final String reason;

  public EventLogException(String file, long line, String reason) {
    super(file + ":" + line + ": " + reason);
    this.file = file;
    this.line = line;
    this.reason = reason;
  }

  public String file() {
    return file;
  }

  public long line() {
    return line;
  }

  public String reason() {
    return reason;
  }
}
