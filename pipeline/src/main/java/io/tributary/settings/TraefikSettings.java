package io.tributary.settings;

import com.typesafe.config.Config;

/** {@code tributary.traefik}: where Tributary's Traefik dynamic config lives in the KV store. */
public record TraefikSettings(String kvPrefix) {

  static TraefikSettings from(Config c, Problems p) {
    String prefix = p.string(c, "kv-prefix");
    if (prefix != null && (prefix.isBlank() || prefix.startsWith("/") || prefix.endsWith("/"))) {
      p.add(c, "kv-prefix", "traefik.kv-prefix '" + prefix + "' must be a non-empty key without leading or trailing '/'");
    }
    return new TraefikSettings(prefix);
  }
}
