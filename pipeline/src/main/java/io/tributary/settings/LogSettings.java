package io.tributary.settings;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigUtil;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code tributary.log}: log levels by logger name ({@code "io.tributary.writes" = WARN}), applied
 * at start and at every reload, so a level can be raised while an incident is looked at and
 * lowered again without a restart.
 *
 * @param levels logger name → TRACE, DEBUG, INFO, WARN, ERROR or OFF
 */
public record LogSettings(Map<String, String> levels) {
  private static final Set<String> LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

  public LogSettings {
    levels = Map.copyOf(levels);
  }

  static LogSettings from(Config c, Problems p) {
    Map<String, String> levels = new TreeMap<>();
    Config block = p.optionalBlock(c, "levels");
    var pb = p.under("levels");
    for (String logger : block.root().keySet()) {
      String path = ConfigUtil.joinPath(logger);
      String level = pb.string(block, path);
      if (level == null) {
        continue;
      }
      String upper = level.toUpperCase(Locale.ROOT);
      if (!LEVELS.contains(upper)) {
        pb.add(block, path, "log.levels." + path + " '" + level + "' must be one of TRACE, DEBUG, INFO, WARN, ERROR, OFF");
      } else {
        levels.put(logger, upper);
      }
    }
    return new LogSettings(levels);
  }
}
