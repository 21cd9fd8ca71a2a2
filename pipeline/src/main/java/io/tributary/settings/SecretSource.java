package io.tributary.settings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where a secret (Consul token, TSIG key) comes from: a file, re-read on every use so a rotated or
 * fixed secret is picked up without a restart, or an environment variable. Only the source is ever
 * shown ({@link #toString}); the secret itself never reaches a log, an exception or a transcript.
 *
 * @param file path of a file holding the secret (surrounding whitespace ignored), or empty
 * @param env name of an environment variable holding it, or empty
 */
public record SecretSource(String file, String env) {

  public SecretSource {
    file = file == null ? "" : file;
    env = env == null ? "" : env;
  }

  /** No secret configured. */
  public static SecretSource none() {
    return new SecretSource("", "");
  }

  /** True if a file or variable is named. */
  public boolean isConfigured() {
    return !file.isEmpty() || !env.isEmpty();
  }

  /** The secret now, if one is configured; fails naming the source (never the value) if unreadable. */
  public Optional<String> read() {
    return read(System.getenv());
  }

  Optional<String> read(Map<String, String> environment) {
    if (!file.isEmpty()) {
      try {
        return Optional.of(Files.readString(Path.of(file), StandardCharsets.UTF_8).strip());
      } catch (IOException e) {
        throw new IllegalStateException("cannot read the secret file " + file + ": " + e.getClass().getSimpleName());
      }
    }
    if (!env.isEmpty()) {
      String v = environment.get(env);
      if (v == null || v.isBlank()) {
        throw new IllegalStateException("environment variable " + env + " is not set");
      }
      return Optional.of(v.strip());
    }
    return Optional.empty();
  }

  /** Names the source, never the secret. */
  @Override
  public String toString() {
    return !file.isEmpty() ? "file " + file : !env.isEmpty() ? "env " + env : "none";
  }
}
