package io.tributary.admin;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Which config is applied, as {@code /status} shows it: a short hash of the resolved {@code
 * tributary} block (defaults included, so any effective change shows) and the file it came from.
 * Only the hash leaves the process, never a value: the block names secret files and variables, and
 * an address may carry a user name.
 *
 * @param version the first 12 hex digits of the SHA-256 of the block rendered with sorted keys
 * @param file the absolute path of the config file, or null when none was given
 */
public record ConfigVersion(String version, String file) {

  /** The version of {@code root}'s {@code tributary} block, read from {@code file} (or null). */
  public static ConfigVersion of(Config root, Path file) {
    // rendered as JSON without comments or origins: the same settings give the same text whatever
    // file and line they were written at, and Typesafe Config renders object keys sorted
    String rendered = root.getConfig("tributary").root().render(ConfigRenderOptions.concise());
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(rendered.getBytes(StandardCharsets.UTF_8));
      return new ConfigVersion(HexFormat.of().formatHex(hash).substring(0, 12),
          file == null ? null : file.toAbsolutePath().normalize().toString());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
