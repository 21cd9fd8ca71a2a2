package io.tributary.cli;

import ch.qos.logback.classic.Level;
import org.slf4j.LoggerFactory;

/** Log levels the commands choose: a service logs what it does; a replay only prints its report. */
final class Logging {
  private Logging() {}

  /** Sets Tributary's own log level unless TRIBUTARY_LOG_LEVEL chose one. */
  static void defaultLevel(String level) {
    if (System.getenv("TRIBUTARY_LOG_LEVEL") == null) {
      ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.tributary")).setLevel(Level.toLevel(level));
    }
  }
}
