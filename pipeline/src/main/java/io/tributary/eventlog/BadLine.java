package io.tributary.eventlog;

/** A malformed event-log line that was skipped: where it is and why it was rejected. */
public record BadLine(String file, long line, String reason) {}
