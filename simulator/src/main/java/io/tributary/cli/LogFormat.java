package io.tributary.cli;

import ch.qos.logback.core.PropertyDefinerBase;
import java.util.Locale;

/**
 * The log format of this process, {@code text} or {@code json} (for log shippers): logback's
 * {@code <define>} in logback.xml names the appender file with it. From the first line on it is
 * what {@code -Dtributary.log.format} or else {@code TRIBUTARY_LOG_FORMAT} ask for (text when
 * neither does); once the config is read, {@code tributary.log.format} unless one of those is set
 * ({@link Logging#apply}). The command line refuses any other value before it logs anything.
 */
public final class LogFormat extends PropertyDefinerBase {
  static final String PROPERTY = "tributary.log.format";
  static final String ENV = "TRIBUTARY_LOG_FORMAT";

  // the format logging was last configured with, once the config has chosen one
  private static volatile String chosen;

  /** The format logback uses now. */
  @Override
  public String getPropertyValue() {
    return current();
  }

  /** The format in force: the config's once it chose one, else what was asked for (text unless json). */
  static String current() {
    String c = chosen;
    if (c != null) {
      return c;
    }
    return "json".equals(explicit()) ? "json" : "text";
  }

  /** From now on logback is configured with {@code format}. */
  static void choose(String format) {
    chosen = format;
  }

  /** What the system property or else the environment asks for, lower case, or null when neither does. */
  static String explicit() {
    String value = System.getProperty(PROPERTY);
    if (value == null || value.isBlank()) {
      value = System.getenv(ENV);
    }
    return value == null || value.isBlank() ? null : value.trim().toLowerCase(Locale.ROOT);
  }

  /** Why the format asked for cannot be used, or null. */
  static String problem() {
    String asked = explicit();
    return asked == null || asked.equals("text") || asked.equals("json") ? null
        : "log format '" + asked + "' (" + PROPERTY + " or " + ENV + ") is neither text nor json";
  }
}
