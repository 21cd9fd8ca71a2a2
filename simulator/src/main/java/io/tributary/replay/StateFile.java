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
import java.util.Map;
import java.util.SortedMap;

/**
 * The final state of every target as one JSON document, {@code {"consul":{…},"dns":{…},
 * "traefik":{…}}}, keys sorted and pretty-printed so two runs compare with {@code diff}.
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
    var printer = new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n"));
    return Json.CANONICAL.writer(printer).writeValueAsString(root) + "\n";
  }

  /** Writes {@link #render} to {@code file}. */
  public static void write(Path file, Map<Target, SortedMap<String, TargetRecord>> state) throws IOException {
    Files.writeString(file, render(state), StandardCharsets.UTF_8);
  }
}
