package io.tributary.plan;

import com.typesafe.config.ConfigFactory;
import io.tributary.settings.TributarySettings;
import io.tributary.translate.Backend;
import io.tributary.translate.PathMatch;
import io.tributary.translate.Route;
import io.tributary.watch.ObjectKey;
import java.time.Instant;
import java.util.List;

/** Settings, keys and routes shared by the tests of the planning parts. */
final class PlanFixtures {
  private PlanFixtures() {}

  static TributarySettings settings(String hocon) {
    return TributarySettings.from(ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve());
  }

  static final TributarySettings TWO_CLUSTERS = settings("""
      tributary.clusters {
        eu-1.endpoints { addresses = ["192.0.2.11"], port = 8080 }
        eu-2.endpoints { addresses = ["192.0.2.21"], port = 8080 }
      }
      """);

  static ObjectKey key(String cluster, String name) {
    return new ObjectKey(cluster, "Ingress", "shop", name);
  }

  static Route route(ObjectKey key, String host, String path) {
    return new Route(key, Instant.parse("2026-01-01T00:00:00Z"), host, path, PathMatch.PREFIX,
        new Backend("web", 80, null), List.of(), List.of(), null, false, false, false);
  }
}
