package io.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.tributary.settings.LogSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** tributary.log.levels at start and at each reload: set, changed, and given back when dropped. */
class LoggingTest {
  private static ch.qos.logback.classic.Logger logger(String name) {
    return (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(name);
  }

  @Test
  void levelsAreSetAndALoggerDroppedByAReloadGetsItsOwnLevelBack() {
    logger("io.tributary.test.kept").setLevel(Level.ERROR);
    Logging.apply(new LogSettings(Map.of("io.tributary.test.kept", "DEBUG", "io.tributary.test.fresh", "WARN")));
    assertThat(logger("io.tributary.test.kept").getLevel()).isEqualTo(Level.DEBUG);
    assertThat(logger("io.tributary.test.fresh").getLevel()).isEqualTo(Level.WARN);
    Logging.apply(new LogSettings(Map.of("io.tributary.test.fresh", "INFO")));
    assertThat(logger("io.tributary.test.kept").getLevel()).isEqualTo(Level.ERROR);
    assertThat(logger("io.tributary.test.fresh").getLevel()).isEqualTo(Level.INFO);
    Logging.apply(new LogSettings(Map.of()));
    assertThat(logger("io.tributary.test.fresh").getLevel()).isNull(); // inherits again
  }
}
