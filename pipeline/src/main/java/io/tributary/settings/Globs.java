package io.tributary.settings;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Hostname globs: {@code *} matches any run of characters (dots included), case-insensitive. */
public final class Globs {
  // globs come from the configuration, so this holds a handful; each is compiled once, not per name
  private static final Map<String, Pattern> COMPILED = new ConcurrentHashMap<>();

  private Globs() {}

  /** True if {@code name} matches {@code glob}. */
  public static boolean matches(String glob, String name) {
    return COMPILED.computeIfAbsent(glob, Globs::compile).matcher(name.toLowerCase(Locale.ROOT)).matches();
  }

  private static Pattern compile(String glob) {
    return Pattern.compile(
        Arrays.stream(glob.toLowerCase(Locale.ROOT).split("\\*", -1))
            .map(Pattern::quote)
            .collect(Collectors.joining(".*")));
  }

  /** True if {@code globs} is empty (no restriction) or one of them matches {@code name}. */
  public static boolean allowed(java.util.List<String> globs, String name) {
    return globs.isEmpty() || globs.stream().anyMatch(g -> matches(g, name));
  }
}
