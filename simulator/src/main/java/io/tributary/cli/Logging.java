package io.tributary.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.joran.util.ConfigurationWatchListUtil;
import io.tributary.settings.LogSettings;
import java.net.URL;
import java.util.Map;
import java.util.ArrayList;
import java.util.HashMap;
import org.slf4j.LoggerFactory;

/** Log levels the commands choose: a service logs what it does; a replay only prints its report. */
final class Logging {
  // loggers the config set a level for → the level each had before (null: inherited), so a reload
  // that drops one gives it back; guarded by the class
  private static final Map<String, Level> DEFAULTS = new HashMap<>();
  // the level defaultLevel gave io.tributary, set again when the format reconfigures logging
  private static Level tributaryDefault;

  private Logging() {}

  /**
   * Applies {@code tributary.log.levels}: each named logger at its level; one the previous levels
   * named and these do not goes back to the level it had before the config touched it.
   */
  static synchronized void apply(LogSettings log) {
    format(LogFormat.explicit() != null ? LogFormat.explicit() : log.format());
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
  static synchronized void defaultLevel(String level) {
    if (System.getenv("TRIBUTARY_LOG_LEVEL") == null) {
      tributaryDefault = Level.toLevel(level);
      logger("io.tributary").setLevel(tributaryDefault);
    }
  }

  /**
   * Logs in {@code format} (text or json) from now on: when it is not the format in force, logging
   * is configured again from the same file (as logback's own rescan does while a service runs), and
   * the levels set since come back through {@link #apply}.
   */
  static synchronized void format(String format) {
    if (format.equals(LogFormat.current()) || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    URL file = ConfigurationWatchListUtil.getMainWatchURL(context);
    if (file == null) {
      file = Logging.class.getResource("/logback.xml");
    }
    LogFormat.choose(format);
    context.reset();
    var configurator = new JoranConfigurator();
    configurator.setContext(context);
    try {
      configurator.doConfigure(file);
    } catch (JoranException e) {
      throw new IllegalStateException("logging cannot be configured again from " + file, e);
    }
    DEFAULTS.clear(); // every logger has its configured level again
    if (tributaryDefault != null) {
      logger("io.tributary").setLevel(tributaryDefault);
    }
  }
}
