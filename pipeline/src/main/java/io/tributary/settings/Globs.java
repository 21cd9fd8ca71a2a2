package io.tributary.settings;

import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Hostname globs: {@code *} matches any run of characters (dots included), case-insensitive. */
public final class Globs {
  private Globs() {}

  /** True if {@code name} matches {@code glob}. */
  public static boolean matches(String glob, String name) {
    String regex =
        Arrays.stream(glob.toLowerCase(Locale.ROOT).split("\\*", -1))
            .map(Pattern::quote)
            .collect(Collectors.joining(".*"));
    return Pattern.matches(regex, name.toLowerCase(Locale.ROOT));
  }

  /** True if {@code globs} is empty (no restriction) or one of them matches {@code name}. */
  public static boolean allowed(java.util.List<String> globs, String name) {
    return globs.isEmpty() || globs.stream().anyMatch(g -> matches(g, name));
  }
}
