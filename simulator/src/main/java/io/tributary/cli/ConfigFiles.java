package io.tributary.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loads a HOCON config file over the built-in defaults of every module. */
final class ConfigFiles {
  private ConfigFiles() {}

  /** System properties, then {@code file} (if any), then every module's {@code reference.conf}. */
  static Config load(Path file) {
    Config user = ConfigFactory.empty();
    if (file != null) {
      if (!Files.isReadable(file)) {
        throw new UserError("config file " + file + " does not exist or is not readable");
      }
      user = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
    }
    return ConfigFactory.defaultOverrides().withFallback(user).withFallback(ConfigFactory.defaultReference()).resolve();
  }

  /** The validated settings of a service config, which must name at least one cluster. */
  static io.tributary.settings.TributarySettings serviceSettings(Config cfg, Path file) {
    var settings = io.tributary.settings.TributarySettings.from(cfg);
    if (settings.clusters().isEmpty()) {
      throw new UserError("no clusters configured in " + file + " (tributary.clusters)");
    }
    return settings;
  }

  /** Closes {@code resource} as the actor system terminates (SIGTERM included), reporting failures. */
  static void closeOnShutdown(org.apache.pekko.actor.typed.ActorSystem<?> system, String name, java.io.Closeable resource) {
    org.apache.pekko.actor.CoordinatedShutdown.get(system)
        .addTask(org.apache.pekko.actor.CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), name, () -> {
          try {
            resource.close();
          } catch (Exception e) {
            System.err.println("error: " + name + " failed: " + e);
          }
          return java.util.concurrent.CompletableFuture.completedFuture(org.apache.pekko.Done.getInstance());
        });
  }

  /** Like {@link #load(Path)} for a config bundled in the jar. */
  static Config loadResource(String resource) {
    Config user = ConfigFactory.parseResources(resource, ConfigParseOptions.defaults().setAllowMissing(false));
    return ConfigFactory.defaultOverrides().withFallback(user).withFallback(ConfigFactory.defaultReference()).resolve();
  }

  // a secret's own value (not its -file or -env): never copied into a report
  private static final java.util.regex.Pattern SECRET_LINE = java.util.regex.Pattern.compile(
      "(?im)^(\\s*[\\w.\"-]*(?:secret|token|password)\"?\\s*[=:]\\s*)(?!\"\")(\\S.*)$");

  /** {@code file}'s text for a report, as the user wrote it, a secret's own value replaced; the defaults when null. */
  static io.tributary.report.HtmlReport.Source source(Path file) throws java.io.IOException {
    if (file == null) {
      return new io.tributary.report.HtmlReport.Source("(no --config)", "# the defaults of every module's reference.conf (conf/reference.conf)\n");
    }
    return new io.tributary.report.HtmlReport.Source(file.toString(), redacted(Files.readString(file)));
  }

  /** A bundled config's text for a report. */
  static io.tributary.report.HtmlReport.Source sourceResource(String resource) throws java.io.IOException {
    try (var in = ConfigFiles.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the jar");
      }
      return new io.tributary.report.HtmlReport.Source(resource,
          redacted(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)));
    }
  }

  static String redacted(String hocon) {
    return SECRET_LINE.matcher(hocon).replaceAll("$1\"<redacted>\"");
  }
}
