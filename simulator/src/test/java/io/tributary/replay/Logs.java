package io.tributary.replay;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tributary.target.Change;
import io.tributary.target.Target;
import io.tributary.eventlog.LogEvent;
import io.tributary.eventlog.LogEventType;
import io.tributary.settings.TributarySettings;
import io.tributary.writer.WriteObserver;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Builds small event logs for replay tests and records what the writers did. */
final class Logs {
  static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  static final Config TWO_CLUSTERS =
      ConfigFactory.parseString(
              """
              tributary.clusters {
                eu-1.endpoints { addresses = ["192.0.2.11"], port = 8080 }
                eu-2.endpoints { addresses = ["192.0.2.21"], port = 8080 }
              }
              """)
          .withFallback(ConfigFactory.load())
          .resolve();

  /** One write as the transcript shows it. */
  record Write(Instant at, Target target, Change change) {
    String describe() {
      return target.id() + " " + change.op().id() + " " + change.key();
    }
  }

  private final List<LogEvent> events = new ArrayList<>();
  private final java.util.Map<String, Long> rv = new java.util.HashMap<>();

  Logs add(Duration at, String cluster, LogEventType type, ObjectSource object) {
    long version = rv.merge(cluster, 1L, Long::sum);
    events.add(LogEvent.watch(T0.plus(at), cluster, type, object.build(cluster, version)));
    return this;
  }

  /** Every watched kind of each cluster has listed, as a watcher's recording shows it. */
  Logs synced(Duration at, String... clusters) {
    for (String c : clusters) {
      for (String kind : List.of("Ingress", "IngressRoute", "Middleware", "TraefikService", "Service", "Node")) {
        events.add(LogEvent.synced(T0.plus(at), c, kind));
      }
    }
    return this;
  }

  /** A CONFIG event: {@code hocon} laid over the running config at {@code at}. */
  Logs config(Duration at, String hocon) {
    events.add(new LogEvent(T0.plus(at), null, LogEventType.CONFIG, null, null, hocon, null));
    return this;
  }

  List<LogEvent> events() {
    return events;
  }

  /** Replays the log with {@code config}; {@code writes} receives every write in order. */
  ReplayResult replay(Config config, List<Write> writes) {
    WriteObserver observer = (at, target, change) -> writes.add(new Write(at, target, change));
    return Replay.run("test", events.iterator(), TributarySettings.from(config), config, observer);
  }

  static List<Write> newWrites() {
    return Collections.synchronizedList(new ArrayList<>());
  }

  static IngressFactory web(String ns, String name, String host) {
    return IngressFactory.ingress(ns, name).path(host, "/", "Prefix", "web", 80);
  }
}
