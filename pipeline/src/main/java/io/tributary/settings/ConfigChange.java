package io.tributary.settings;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a reloaded configuration changes, key by key, and whether the running service can apply it.
 * Pure.
 *
 * <p>Applied live: debounce windows and flap damping, translation ({@code translate.*}: objects are translated
 * again and only records whose result changes are written), targets ({@code consul.*}, {@code
 * dns.*}, {@code traefik.*}, {@code writer.*}: planned again, and a writer whose sink or pacing
 * changed is started anew, told everything it holds, and writes only the difference; a target
 * taken out of the config is kept in memory from then on, its sink no longer touched), clusters
 * added, removed or changed (their watchers start, stop with the removal grace, or restart), log
 * levels. Everything else — the owner id, {@code writer.ask-timeout} (the stream's), watch
 * backoff, recording, the last-accepted file, VM discovery, the admin endpoint — needs a restart: a reload that changes it
 * is refused as a whole, so the running configuration is never half new.
 *
 * @param changed each changed key under {@code tributary.} → {@code old → new} (values as HOCON;
 *     the config holds only paths and names of secrets, never their contents)
 * @param refusal why it cannot be applied, or null
 */
public record ConfigChange(Map<String, String> changed, String refusal) {
  private static final List<String> LIVE = List.of(
      "debounce.", "translate.", "clusters.", "consul.", "dns.", "traefik.", "writer.", "reload.", "log.");
  private static final List<String> RESTART = List.of("writer.ask-timeout");
  private static final ConfigRenderOptions CONCISE = ConfigRenderOptions.concise();

  public ConfigChange {
    changed = Map.copyOf(changed);
  }

  /** The change from {@code before} to {@code after}, both fully resolved configs. */
  public static ConfigChange between(Config before, Config after) {
    Map<String, String> old = flat(before);
    Map<String, String> now = flat(after);
    Map<String, String> changed = new TreeMap<>();
    Set<String> keys = new TreeSet<>(old.keySet());
    keys.addAll(now.keySet());
    for (String k : keys) {
      String a = old.get(k);
      String b = now.get(k);
      if (a == null || !a.equals(b)) {
        changed.put(k, (a == null ? "(absent)" : a) + " → " + (b == null ? "(absent)" : b));
      }
    }
    List<String> restart = new ArrayList<>();
    String refusal = null;
    for (String k : changed.keySet()) {
      if (k.equals("owner-id")) {
        refusal = "owner-id cannot change while running: it names every record this instance owns; "
            + "a new owner id is a new instance (take the records over with dns.takeover-owner and a restart)";
      } else if (RESTART.contains(k) || LIVE.stream().noneMatch(k::startsWith)) {
        restart.add(k);
      }
    }
    if (refusal == null && !restart.isEmpty()) {
      refusal = "cannot be applied while running (restart to apply): " + String.join(", ", restart);
    }
    return new ConfigChange(changed, refusal);
  }

  /** True if nothing under {@code tributary} changed. */
  public boolean isEmpty() {
    return changed.isEmpty();
  }

  /** True if translation settings changed, so every object must be translated again. */
  public boolean retranslates() {
    return changed.keySet().stream().anyMatch(k -> k.startsWith("translate."));
  }

  private static Map<String, String> flat(Config root) {
    Map<String, String> out = new TreeMap<>();
    if (root.hasPath("tributary")) {
      for (Map.Entry<String, ConfigValue> e : root.getConfig("tributary").entrySet()) {
        ConfigValue v = e.getValue();
        out.put(e.getKey(), v.valueType() == ConfigValueType.STRING ? (String) v.unwrapped() : v.render(CONCISE));
      }
    }
    return out;
  }
}
