package io.tributary.settings;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Collects every configuration problem so one load or reload reports them all, not just the first.
 * Every read goes through here: a value of the wrong type is recorded with its key and the
 * file:line it came from, and the read returns null so parsing goes on to find the rest.
 */
final class Problems {
  /** One problem: the key it is about (for sorting), where its value was written, and the text. */
  record Problem(String key, String file, int line, String message) {
    @Override
    public String toString() {
      return file == null ? message : file + (line > 0 ? ":" + line : "") + ": " + message;
    }
  }

  // user files first, in file and line order; problems with no single location after, by key
  private static final Comparator<Problem> ORDER =
      Comparator.comparing((Problem p) -> p.file() == null)
          .thenComparing(p -> p.file() == null ? "" : p.file())
          .thenComparingInt(Problem::line)
          .thenComparing(p -> p.key() == null ? p.message() : p.key())
          .thenComparing(Problem::message);

  private final List<Problem> problems;
  // blocks already reported unusable (e.g. `writer = 5`): reads below them would only repeat it
  private final Set<String> broken;
  private final String prefix;

  Problems(String prefix) {
    this(new ArrayList<>(), new HashSet<>(), prefix);
  }

  private Problems(List<Problem> shared, Set<String> broken, String prefix) {
    this.problems = shared;
    this.broken = broken;
    this.prefix = prefix;
  }

  /** A view that prefixes keys with {@code block.} and reports into the same list. */
  Problems under(String block) {
    return new Problems(problems, broken, prefix + block + ".");
  }

  /** A problem involving several keys, with no single location. */
  void add(String problem) {
    problems.add(new Problem(null, null, 0, problem));
  }

  /** A problem with the value at {@code path} of {@code c}, located where that value was written. */
  void add(Config c, String path, String problem) {
    ConfigOrigin origin = null;
    try {
      if (c.hasPathOrNull(path)) {
        origin = c.getValue(path).origin();
      }
    } catch (ConfigException e) {
      // the path cannot be read (a broken parent): report without a location
    }
    at(prefix + path, origin, problem);
  }

  /** A problem with {@code key} (relative to {@code tributary}) whose value came from {@code origin}. */
  void at(String key, ConfigOrigin origin, String problem) {
    if (underBroken(key)) {
      return;
    }
    String file = origin == null ? null : file(origin);
    int line = origin == null ? 0 : origin.lineNumber();
    problems.add(new Problem(key, file, line, problem));
  }

  /** Every problem, in file/line order, then by key. */
  List<String> all() {
    return problems.stream().sorted(ORDER).map(Problem::toString).toList();
  }

  /** {@code value}, or {@code fallback} when a read failed (the settings are then never used). */
  static int or(Integer value, int fallback) {
    return value == null ? fallback : value;
  }

  boolean isEmpty() {
    return problems.isEmpty();
  }

  /**
   * The block at {@code path}. If it is not a block, that is reported once and an empty block is
   * returned: the reads below it then report nothing more, and parsing goes on with the rest.
   */
  Config block(Config c, String path) {
    Config b = read(c, path, "a block { ... }", () -> c.getConfig(path));
    return b == null ? ConfigFactory.empty() : b;
  }

  /** The block at {@code path}, or an empty one if absent (or reported, if not a block). */
  Config optionalBlock(Config c, String path) {
    return c.hasPath(path) ? block(c, path) : ConfigFactory.empty();
  }

  String string(Config c, String path) {
    return read(c, path, "a string", () -> c.getString(path));
  }

  /** The string at {@code path}, or {@code fallback} if absent or blank. */
  String optionalString(Config c, String path, String fallback) {
    if (!c.hasPath(path)) {
      return fallback;
    }
    String s = string(c, path);
    return s == null || s.isBlank() ? fallback : s;
  }

  boolean bool(Config c, String path) {
    Boolean b = read(c, path, "true or false", () -> c.getBoolean(path));
    return b != null && b;
  }

  Integer integer(Config c, String path) {
    return read(c, path, "a whole number", () -> c.getInt(path));
  }

  /** The number at {@code path}, or {@code fallback} if absent; null (reported) if not a number. */
  Integer optionalInteger(Config c, String path, int fallback) {
    return c.hasPath(path) ? integer(c, path) : Integer.valueOf(fallback);
  }

  Double number(Config c, String path) {
    return read(c, path, "a number", () -> c.getDouble(path));
  }

  Long bytes(Config c, String path) {
    return read(c, path, "a size (1024, 512KiB, 100MiB)", () -> c.getBytes(path));
  }

  Duration duration(Config c, String path) {
    var d = read(c, path, "a duration (250ms, 2s, 5m)", () -> c.getDuration(path));
    if (d != null && d.isNegative()) {
      add(c, path, prefix + path + " must not be negative");
    }
    return d;
  }

  List<String> stringList(Config c, String path) {
    return read(c, path, "a list of strings", () -> c.getStringList(path));
  }

  /** The list at {@code path}, of any elements. */
  com.typesafe.config.ConfigList list(Config c, String path) {
    return read(c, path, "a list [ ... ]", () -> c.getList(path));
  }

  /** The list at {@code path}, or an empty one if absent; null (reported) if not a list of strings. */
  List<String> optionalStringList(Config c, String path) {
    return c.hasPath(path) ? stringList(c, path) : List.of();
  }

  private interface Read<T> {
    T get();
  }

  private <T> T read(Config c, String path, String expected, Read<T> read) {
    try {
      return read.get();
    } catch (ConfigException e) {
      report(c, path, expected, e);
      return null;
    }
  }

  private void report(Config c, String path, String expected, ConfigException e) {
    String key = prefix + path;
    if (underBroken(key)) {
      return;
    }
    // a parent that is not a block (`retry = 5` read as retry.min-backoff): report the parent, once
    List<String> parts = ConfigUtil.splitPath(path);
    for (int i = 1; i < parts.size(); i++) {
      String parent = ConfigUtil.joinPath(parts.subList(0, i));
      if (c.hasPath(parent) && c.getValue(parent).valueType() != ConfigValueType.OBJECT) {
        notABlock(prefix + parent, c.getValue(parent));
        return;
      }
    }
    if (e instanceof ConfigException.Null) {
      at(key, e.origin(), key + " must be " + expected + ", not null");
    } else if (e instanceof ConfigException.Missing) {
      at(key, null, key + " is missing");
    } else if (e instanceof ConfigException.WrongType || e instanceof ConfigException.BadValue) {
      ConfigValue v = c.hasPath(path) ? c.getValue(path) : null;
      at(key, v != null ? v.origin() : e.origin(), key + " must be " + expected + (v != null ? ", not " + render(v) : ""));
    } else {
      at(key, e.origin(), key + ": " + withoutOrigin(e));
    }
    if ("a block { ... }".equals(expected)) {
      broken.add(key);
    }
  }

  /** Reports that {@code key} should hold a block; nothing below it is reported again. */
  void notABlock(String key, ConfigValue v) {
    at(key, v.origin(), key + " must be a block { ... }, not " + render(v));
    broken.add(key);
  }

  private boolean underBroken(String key) {
    return broken.stream().anyMatch(b -> key.equals(b) || key.startsWith(b + "."));
  }

  /** A short rendering of a value for a message: scalars as written, blocks and lists by kind. */
  static String render(ConfigValue v) {
    return switch (v.valueType()) {
      case OBJECT -> "a block { ... }";
      case LIST -> {
        String s = v.render(com.typesafe.config.ConfigRenderOptions.concise());
        yield s.length() > 40 ? "a list " + s.substring(0, 37) + "..." : "the list " + s;
      }
      case STRING -> {
        String s = v.render(com.typesafe.config.ConfigRenderOptions.concise());
        yield s.length() > 40 ? s.substring(0, 37) + "...\"" : s;
      }
      default -> String.valueOf(v.unwrapped());
    };
  }

  /** The file (or resource) an origin names, without its line: {@code bad.conf}, {@code reference.conf}. */
  static String file(ConfigOrigin o) {
    if (o.resource() != null) {
      return o.resource();
    }
    if (o.filename() != null) {
      return o.filename();
    }
    if (o.url() != null) {
      return o.url().toString();
    }
    String d = o.description();
    String line = ": " + o.lineNumber();
    return o.lineNumber() > 0 && d.endsWith(line) ? d.substring(0, d.length() - line.length()) : d;
  }

  private static String withoutOrigin(ConfigException e) {
    String m = String.valueOf(e.getMessage());
    String o = e.origin() == null ? null : e.origin().description() + ": ";
    return o != null && m.startsWith(o) ? m.substring(o.length()) : m;
  }
}
