package io.tributary.translate;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;

/** Kubernetes timestamps ({@code metadata.creationTimestamp}), read on every translated event. */
final class Timestamps {
  private Timestamps() {}

  /**
   * The object's {@code metadata.creationTimestamp}: {@link Instant#EPOCH} when absent, else the
   * instant (RFC 3339, with {@code Z} or a numeric offset). A malformed one adds its problem to
   * {@code problems} and gives EPOCH. Every kind reads it here, so they accept and word it alike.
   */
  static Instant created(JsonNode metadata, List<String> problems) {
    JsonNode node = metadata.path("creationTimestamp");
    String text = node.isValueNode() && !node.isNull() ? node.asText() : "";
    if (text.isEmpty()) {
      return Instant.EPOCH;
    }
    try {
      return parse(text);
    } catch (DateTimeParseException e) {
      try {
        return OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException e2) {
        problems.add("metadata.creationTimestamp: '" + text + "' is not an ISO-8601 timestamp");
        return Instant.EPOCH;
      }
    }
  }

  /**
   * {@link Instant#parse}, with the form the API server writes ({@code 2026-12-01T23:38:08Z}) read
   * field by field: the formatter's generality costs more than the rest of a translation's reads.
   * Anything else, including every malformed text, goes to {@code Instant.parse} and its errors.
   */
  static Instant parse(String text) throws DateTimeParseException {
    if (text.length() == 20 && text.charAt(4) == '-' && text.charAt(7) == '-' && text.charAt(10) == 'T'
        && text.charAt(13) == ':' && text.charAt(16) == ':' && text.charAt(19) == 'Z') {
      int year = digits(text, 0, 4);
      int month = digits(text, 5, 2);
      int day = digits(text, 8, 2);
      int hour = digits(text, 11, 2);
      int minute = digits(text, 14, 2);
      int second = digits(text, 17, 2);
      if (year >= 0 && month >= 0 && day >= 0 && hour >= 0 && minute >= 0 && second >= 0) {
        try {
          return LocalDateTime.of(year, month, day, hour, minute, second).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
          // out of range (a 30th of February, a leap second): the formatter decides
        }
      }
    }
    return Instant.parse(text);
  }

  private static int digits(String s, int from, int count) {
    int n = 0;
    for (int i = from; i < from + count; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      n = n * 10 + (c - '0');
    }
    return n;
  }
}
