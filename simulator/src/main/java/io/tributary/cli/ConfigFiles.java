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
        throw new IllegalArgumentException("config file " + file + " does not exist or is not readable");
      }
      user = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
    }
    return ConfigFactory.defaultOverrides().withFallback(user).withFallback(ConfigFactory.defaultReference()).resolve();
  }

  /** Like {@link #load(Path)} for a config bundled in the jar. */
  static Config loadResource(String resource) {
    Config user = ConfigFactory.parseResources(resource, ConfigParseOptions.defaults().setAllowMissing(false));
    return ConfigFactory.defaultOverrides().withFallback(user).withFallback(ConfigFactory.defaultReference()).resolve();
  }
}
