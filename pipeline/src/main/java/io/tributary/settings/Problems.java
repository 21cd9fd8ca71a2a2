package io.tributary.settings;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Collects every configuration problem so one reload reports them all, not just the first. */
final class Problems {
  private final List<String> problems;
  private final String prefix;

  Problems(String prefix) {
    this(new ArrayList<>(), prefix);
  }

  private Problems(List<String> shared, String prefix) {
    this.problems = shared;
    this.prefix = prefix;
  }

  /** A view that prefixes paths with {@code block.} and reports into the same list. */
  Problems under(String block) {
    return new Problems(problems, prefix + block + ".");
  }

  void add(String problem) {
    problems.add(problem);
  }

  List<String> all() {
    return problems;
  }

  String string(Config c, String path) {
    try {
      return c.getString(path);
    } catch (ConfigException e) {
      add(prefix + path + ": " + reason(e));
      return null;
    }
  }

  boolean bool(Config c, String path) {
    try {
      return c.getBoolean(path);
    } catch (ConfigException e) {
      add(prefix + path + ": " + reason(e));
      return false;
    }
  }

  Duration duration(Config c, String path) {
    try {
      var d = c.getDuration(path);
      if (d.isNegative()) {
        add(prefix + path + " must not be negative");
      }
      return d;
    } catch (ConfigException e) {
      add(prefix + path + ": " + reason(e));
      return null;
    }
  }

  List<String> stringList(Config c, String path) {
    try {
      return c.getStringList(path);
    } catch (ConfigException e) {
      add(prefix + path + ": " + reason(e));
      return null;
    }
  }

  private static String reason(ConfigException e) {
    // Typesafe messages start with the origin ("file.conf: 12: ..."); keep them, they locate the line
    return e.getMessage();
  }
}
