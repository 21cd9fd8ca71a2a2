package io.tributary.settings;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * Every key Tributary knows under {@code tributary}, and the check that a config uses no other: a
 * typo ({@code kindz}) would otherwise silently mean the default.
 *
 * <p>The known keys are those of the {@code reference.conf} defaults, plus the entries of the
 * blocks users name themselves ({@code clusters.<name>}, {@code dns.zones[...]}), which
 * {@code entries.conf} beside this class describes; so a key added to reference.conf is known
 * without touching this class.
 */
final class ConfigSchema {
  /** Stands for any entry name in a user-named block. */
  private static final String ANY = "*";

  private static final ConfigObject KNOWN = load();

  private ConfigSchema() {}

  private static ConfigObject load() {
    ClassLoader loader = ConfigSchema.class.getClassLoader();
    // parsed here rather than ConfigFactory.defaultReference(), which folds in -D system properties
    // (any -Dtributary.x would be "known"); only keys matter, so unresolvable substitutions may stay
    var reference = ConfigFactory.parseResources(loader, "reference.conf")
        .resolve(ConfigResolveOptions.defaults().setAllowUnresolved(true));
    var entries = ConfigFactory.parseResources(ConfigSchema.class, "entries.conf");
    return entries.withFallback(reference.root().get("tributary")).root();
  }

  /** Reports every key of {@code tributary} that is not known, with the nearest known key. */
  static void check(ConfigObject tributary, Problems p) {
    walk(tributary, KNOWN, "", p);
  }

  private static void walk(ConfigObject user, ConfigObject known, String path, Problems p) {
    for (var e : new TreeMap<>(user).entrySet()) {
      String key = e.getKey();
      ConfigValue value = e.getValue();
      String keyPath = path.isEmpty() ? ConfigUtil.joinPath(key) : path + "." + ConfigUtil.joinPath(key);
      ConfigValue schema = known.containsKey(key) ? known.get(key) : known.get(ANY);
      if (schema == null) {
        p.at(keyPath, value.origin(), "unknown key tributary." + keyPath + hint(key, known));
      } else if (schema.valueType() == ConfigValueType.OBJECT) {
        if (value.valueType() == ConfigValueType.OBJECT) {
          walk((ConfigObject) value, (ConfigObject) schema, keyPath, p);
        } else {
          // reported here, not by a read: a read of namespaces.allow would just find nothing
          p.notABlock(keyPath, value);
        }
      } else if (schema.valueType() == ConfigValueType.LIST && value.valueType() == ConfigValueType.LIST) {
        var entrySchema = (ConfigList) schema;
        if (entrySchema.size() == 1 && entrySchema.get(0).valueType() == ConfigValueType.OBJECT) {
          var list = (ConfigList) value;
          for (int i = 0; i < list.size(); i++) {
            if (list.get(i).valueType() == ConfigValueType.OBJECT) {
              walk((ConfigObject) list.get(i), (ConfigObject) entrySchema.get(0), keyPath + "[" + i + "]", p);
            }
          }
        }
      }
      // a scalar or list of another type than the schema's is reported by the read of that key
    }
  }

  /** " (did you mean X?)" for a near miss, else the keys known at this level. */
  static String hint(String key, ConfigObject known) {
    List<String> keys = known.keySet().stream().filter(k -> !k.equals(ANY)).sorted().toList();
    if (keys.isEmpty()) {
      return "";
    }
    String nearest = keys.stream().min(Comparator.comparingInt((String k) -> distance(key, k))).orElseThrow();
    // up to a third of the key's length: kindz → kinds, max_batch → max-batch, but bogus-key → nothing
    if (distance(key, nearest) <= Math.max(1, key.length() / 3)) {
      return " (did you mean " + nearest + "?)";
    }
    // an abbreviation: algo → algorithm
    var longer = keys.stream().filter(k -> key.length() >= 3 && k.startsWith(key)).toList();
    if (longer.size() == 1) {
      return " (did you mean " + longer.get(0) + "?)";
    }
    return " (known keys here: " + String.join(", ", keys) + ")";
  }

  /** Edit distance (insert, delete, substitute, swap two neighbours), case-insensitive. */
  static int distance(String a, String b) {
    a = a.toLowerCase(java.util.Locale.ROOT);
    b = b.toLowerCase(java.util.Locale.ROOT);
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j], d[i][j - 1]) + 1);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1); // nmae → name is one slip, not two
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
