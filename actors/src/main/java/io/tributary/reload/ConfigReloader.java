package io.tributary.reload;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import io.tributary.settings.ConfigChange;
import io.tributary.settings.SettingsException;
import io.tributary.settings.TributarySettings;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * Reloads the running service's configuration: when the config file or a file it includes changes
 * (compared by content every {@code reload.check-interval}, so a ConfigMap's symlink swap counts),
 * on SIGHUP and on request. The whole new config is read and validated; an invalid one is refused
 * with every problem and the running config stays; a valid one that changes what can only change
 * at a restart is refused with the keys; otherwise it goes to the {@link Applier} and the applied
 * difference is logged key by key. One reload at a time: this actor is the only place configs are
 * loaded after start.
 */
public final class ConfigReloader extends AbstractBehavior<ConfigReloader.Command> {

  /** What the reloader understands. */
  public sealed interface Command {}

  /** Reload now; {@code cause} is logged ("SIGHUP", "POST /reload"); the outcome goes to {@code replyTo} if not null. */
  public record Reload(String cause, ActorRef<Outcome> replyTo) implements Command {}

  /** What a reload did. */
  public sealed interface Outcome {}

  /**
   * Applied as configuration {@code version}; {@code changed} key → {@code old → new}; {@code
   * config} the new {@code tributary} block as HOCON (what a recording's CONFIG event carries);
   * {@code settings} the configuration now running.
   */
  public record Applied(long version, Map<String, String> changed, String config, TributarySettings settings)
      implements Outcome {}

  /** Nothing under {@code tributary} changed. */
  public record Unchanged(long version) implements Outcome {}

  /** Refused: the running configuration stays; every problem, each with its key and file:line. */
  public record Refused(List<String> problems) implements Outcome {}

  private record CheckFiles() implements Command {}

  /** Reads the configuration anew, as at start (the file over the defaults). */
  @FunctionalInterface
  public interface Source {
    /** The fully resolved config; a user's mistake (file gone) is thrown with a one-line message. */
    Config load();
  }

  /** Applies a valid, live-applicable configuration to the running service. */
  @FunctionalInterface
  public interface Applier {
    /** Applies {@code next} (whose whole config is {@code config}); answers its version. */
    long apply(TributarySettings next, Config config, ConfigChange change);
  }

  /** Hears every outcome: metrics, the status page. */
  @FunctionalInterface
  public interface Listener {
    void reloaded(String cause, Outcome outcome);

    /** Hears nothing. */
    Listener NONE = (cause, outcome) -> {};
  }

  private static final CheckFiles CHECK = new CheckFiles();
  // a named logger: the actor's own is named after the behaviour wrapping it, outside io.tributary
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ConfigReloader.class);

  private final Path file;
  private final Source source;
  private final Applier applier;
  private final Listener listener;
  private final TimerScheduler<Command> timers;
  private Config running;
  private TributarySettings settings;
  private long version;
  private Map<String, String> fingerprints;

  /**
   * Reloads over {@code initial} (its settings {@code settings}, version 0), read from {@code file}
   * (watched even when it sets nothing yet; null for a config without one).
   */
  public static Behavior<Command> create(
      Path file, Config initial, TributarySettings settings, Source source, Applier applier, Listener listener) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(
        timers -> new ConfigReloader(ctx, timers, file, initial, settings, source, applier, listener)));
  }

  private ConfigReloader(
      ActorContext<Command> context, TimerScheduler<Command> timers, Path file, Config initial,
      TributarySettings settings, Source source, Applier applier, Listener listener) {
    super(context);
    this.timers = timers;
    this.file = file;
    this.running = initial;
    this.settings = settings;
    this.source = source;
    this.applier = applier;
    this.listener = listener;
    this.fingerprints = fingerprints(files(initial));
    schedule();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Reload.class, this::onReload)
        .onMessage(CheckFiles.class, this::onCheckFiles)
        .build();
  }

  private Behavior<Command> onCheckFiles(CheckFiles check) {
    Map<String, String> now = fingerprints(fingerprints.keySet());
    if (!now.equals(fingerprints)) {
      fingerprints = now; // a refused file is not read again until it changes once more
      reload("the config file changed", null);
    }
    return this;
  }

  private Behavior<Command> onReload(Reload request) {
    reload(request.cause(), request.replyTo());
    return this;
  }

  private void reload(String cause, ActorRef<Outcome> replyTo) {
    Outcome outcome = attempt();
    if (outcome instanceof Applied a) {
      LOG.info("config reloaded ({}): version {}, {} keys changed", cause, a.version(), a.changed().size());
      a.changed().forEach((k, v) -> LOG.info("  tributary.{}: {}", k, v));
    } else if (outcome instanceof Unchanged u) {
      LOG.info("config reloaded ({}): nothing changed, version {} stays", cause, u.version());
    } else if (outcome instanceof Refused r) {
      LOG.warn("config reload refused ({}); the running config (version {}) stays:\n  - {}",
          cause, version, String.join("\n  - ", r.problems()));
    }
    listener.reloaded(cause, outcome);
    if (replyTo != null) {
      replyTo.tell(outcome);
    }
  }

  private Outcome attempt() {
    Config next;
    TributarySettings nextSettings;
    try {
      next = source.load();
      nextSettings = TributarySettings.from(next);
    } catch (SettingsException e) {
      return new Refused(e.problems());
    } catch (RuntimeException e) {
      // a user's mistake (the file is gone, a syntax error) carries its one-line message
      return new Refused(List.of(e.getMessage() == null ? e.toString() : e.getMessage()));
    }
    fingerprints = fingerprints(files(next)); // includes may have been added or dropped
    ConfigChange change = ConfigChange.between(running, next);
    if (change.refusal() != null) {
      return new Refused(List.of(change.refusal()));
    }
    if (nextSettings.clusters().isEmpty()) {
      return new Refused(List.of("no clusters configured (tributary.clusters): a service needs at least one"));
    }
    if (change.isEmpty()) {
      return new Unchanged(version);
    }
    version = applier.apply(nextSettings, next, change);
    running = next;
    boolean timing = !nextSettings.reload().equals(settings.reload());
    settings = nextSettings;
    if (timing) {
      schedule();
    }
    return new Applied(version, change.changed(), render(next), nextSettings);
  }

  private void schedule() {
    timers.cancel(CHECK);
    if (settings.reload().watchesFiles()) {
      timers.startTimerWithFixedDelay(CHECK, settings.reload().checkInterval());
    }
  }

  /** The files {@code config}'s {@code tributary} block was read from: the file and its includes. */
  private TreeSet<String> files(Config config) {
    TreeSet<String> files = new TreeSet<>();
    if (file != null) {
      files.add(file.toAbsolutePath().toString());
    }
    if (config.hasPath("tributary")) {
      for (Map.Entry<String, ConfigValue> e : config.getConfig("tributary").entrySet()) {
        URL url = e.getValue().origin().url();
        if (url != null && "file".equals(url.getProtocol())) {
          files.add(Path.of(e.getValue().origin().filename()).toAbsolutePath().toString());
        }
      }
    }
    return files;
  }

  /** Each file's content hash ("" when unreadable: a file that disappears is a change). */
  private static Map<String, String> fingerprints(java.util.Collection<String> files) {
    Map<String, String> out = new TreeMap<>();
    for (String f : files) {
      try {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(Path.of(f)));
        out.put(f, HexFormat.of().formatHex(digest));
      } catch (IOException | NoSuchAlgorithmException e) {
        out.put(f, "");
      }
    }
    return out;
  }

  /**
   * The {@code tributary} block of {@code config}, for a recorded CONFIG event: JSON, which HOCON
   * reads back as it is (a HOCON rendering leaves out the root's braces).
   */
  public static String render(Config config) {
    return config.getConfig("tributary").root().atKey("tributary").root().render(ConfigRenderOptions.concise());
  }
}
