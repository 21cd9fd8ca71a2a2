package io.tributary.cli;

import ch.qos.logback.classic.Level;
import io.tributary.settings.LogSettings;
import java.util.Map;
import java.util.ArrayList;
import java.util.HashMap;
import org.slf4j.LoggerFactory;

/** Log levels the commands choose: a service logs what it does; a replay only prints its report. */
final class Logging {
  // loggers the config set a level for → the level each had before (null: inherited), so a reload
  // that drops one gives it back; guarded by the class
  private static final Map<String, Level> DEFAULTS = new HashMap<>();

  private Logging() {}

  /**
   * Applies {@code tributary.log.levels}: each named logger at its level; one the previous levels
   * named and these do not goes back to the level it had before the config touched it.
   */
  static synchronized void apply(LogSettings log) {
    for (String name : new ArrayList<>(DEFAULTS.keySet())) {
      if (!log.levels().containsKey(name)) {
        logger(name).setLevel(DEFAULTS.remove(name));
      }
    }
    log.levels().forEach((name, level) -> {
      ch.qos.logback.classic.Logger logger = logger(name);
      if (!DEFAULTS.containsKey(name)) {
        DEFAULTS.put(name, logger.getLevel());
      }
      logger.setLevel(Level.toLevel(level));
    });
  }

  private static ch.qos.logback.classic.Logger logger(String name) {
    return (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(name);
  }

  /** Sets Tributary's own log level unless TRIBUTARY_LOG_LEVEL chose one. */
  static void defaultLevel(String level) {
    if (System.getenv("TRIBUTARY_LOG_LEVEL") == null) {
      ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.tributary")).setLevel(Level.toLevel(level));
    }
  }
}
