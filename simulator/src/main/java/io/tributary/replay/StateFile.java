package io.tributary.replay;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.target.Target;
import io.tributary.target.TargetRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import io.tributary.traefik.DynamicConfig;
import io.tributary.traefik.TraefikEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.SortedMap;

/**
 * The final state of every target as one JSON document, {@code {"consul":{…},"dns":{…},
 * "traefik":{…}}}, keys sorted and pretty-printed so two runs compare with {@code diff}; then
 * {@code "traefik-config"}, the same Traefik keys as the file provider's document, easier to read.
 */
public final class StateFile {
  private StateFile() {}

  /** The document for {@code state}. */
  public static String render(Map<Target, SortedMap<String, TargetRecord>> state) throws IOException {
    ObjectNode root = Json.CANONICAL.createObjectNode();
    for (Target t : Target.values()) {
      ObjectNode records = root.putObject(t.id());
      state.getOrDefault(t, new java.util.TreeMap<>())
          .forEach((key, record) -> records.set(key, Json.CANONICAL.valueToTree(record)));
    }
    DynamicConfig traefik = traefikConfig(state);
    if (!traefik.isEmpty()) {
      root.set("traefik-config", traefik.document());
    }
    var printer = new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n"));
    return Json.CANONICAL.writer(printer).writeValueAsString(root) + "\n";
  }

  /** The Traefik dynamic configuration {@code state} holds (each root read off its keys). */
  public static DynamicConfig traefikConfig(Map<Target, SortedMap<String, TargetRecord>> state) {
    Map<String, List<TraefikEntry>> byRoot = new TreeMap<>();
    for (TargetRecord r : state.getOrDefault(Target.TRAEFIK, new TreeMap<>()).values()) {
      TraefikEntry e = (TraefikEntry) r;
      int http = e.key().indexOf("/http/");
      if (http > 0) {
        byRoot.computeIfAbsent(e.key().substring(0, http), k -> new ArrayList<>()).add(e);
      }
    }
    DynamicConfig config = DynamicConfig.EMPTY;
    for (var e : byRoot.entrySet()) {
      config = config.with(DynamicConfig.fromEntries(e.getKey(), e.getValue()));
    }
    return config;
  }

  /** Writes {@link #render} to {@code file}. */
  public static void write(Path file, Map<Target, SortedMap<String, TargetRecord>> state) throws IOException {
    Files.writeString(file, render(state), StandardCharsets.UTF_8);
  }
}
