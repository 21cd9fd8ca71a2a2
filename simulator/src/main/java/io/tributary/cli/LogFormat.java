package io.tributary.cli;

import ch.qos.logback.core.PropertyDefinerBase;
import java.util.Locale;

/**
 * The log format of this process, {@code text} or {@code json} (for log shippers), from {@code
 * -Dtributary.log.format} or else {@code TRIBUTARY_LOG_FORMAT}: logback's {@code <define>} in
 * logback.xml names the appender file with it, and the command line refuses any other value.
 */
public final class LogFormat extends PropertyDefinerBase {
  static final String PROPERTY = "tributary.log.format";
  static final String ENV = "TRIBUTARY_LOG_FORMAT";

  /** The format logback uses: what was asked for when it is valid, text otherwise (refused before logging starts). */
  @Override
  public String getPropertyValue() {
    return "json".equals(asked()) ? "json" : "text";
  }

  /** What was asked for, lower case; blank or absent means text. */
  static String asked() {
    String value = System.getProperty(PROPERTY);
    if (value == null) {
      value = System.getenv(ENV);
    }
    return value == null || value.isBlank() ? "text" : value.trim().toLowerCase(Locale.ROOT);
  }

  /** Why the format asked for cannot be used, or null. */
  static String problem() {
    String asked = asked();
    return asked.equals("text") || asked.equals("json") ? null
        : "log format '" + asked + "' (" + PROPERTY + " or " + ENV + ") is neither text nor json";
  }
}
