package io.tributary.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.kind.ResourceKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * VM services discovered in Consul by tag (strangler migrations), as the one synthetic
 * object the pipeline carries them in: {@code kind: VmBackends}, from source {@code consul}, with
 * the whole current mapping. Being one object, it coalesces in the watch buffer, survives a
 * restart of the discovery (the next snapshot replaces the last) and is recorded and replayed like
 * any watched object. Pure.
 */
public final class VmBackends {
  /** The object's kind. */
  public static final String KIND = ResourceKind.VM_BACKENDS.kind();
  /** The "cluster" the object comes from; it takes no part in the sync barrier. */
  public static final String SOURCE = "consul";

  private VmBackends() {}

  /** Service → the hostnames its tags {@code <prefix><hostname>} name (sorted; services with none left out). */
  public static Map<String, List<String>> discover(Map<String, List<String>> tagsByService, String prefix) {
    Map<String, List<String>> out = new TreeMap<>();
    tagsByService.forEach((service, tags) -> {
      List<String> hosts = new ArrayList<>();
      for (String tag : tags) {
        if (tag.startsWith(prefix) && tag.length() > prefix.length()) {
          hosts.add(tag.substring(prefix.length()).toLowerCase(Locale.ROOT));
        }
      }
      if (!hosts.isEmpty()) {
        out.put(service, hosts.stream().sorted().distinct().toList());
      }
    });
    return out;
  }

  /** The synthetic object carrying {@code hostsByService}. */
  public static ObjectNode snapshot(Map<String, List<String>> hostsByService) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("apiVersion", ResourceKind.VM_BACKENDS.current().apiVersion());
    o.put("kind", KIND);
    o.putObject("metadata").put("name", "consul-catalog").put("namespace", "tributary");
    ObjectNode services = o.putObject("spec").putObject("services");
    new TreeMap<>(hostsByService).forEach((service, hosts) -> hosts.forEach(services.putArray(service)::add));
    return o;
  }

  /** Hostname → its VM service; a hostname two services claim goes to the first by name. */
  public static Map<String, String> byHost(ObjectNode snapshot) {
    Map<String, String> out = new TreeMap<>();
    Map<String, JsonNode> services = new TreeMap<>(); // by name, so the first claim is stable
    snapshot.path("spec").path("services").fields().forEachRemaining(e -> services.put(e.getKey(), e.getValue()));
    services.forEach((service, hosts) -> hosts.forEach(h -> out.putIfAbsent(h.asText().toLowerCase(Locale.ROOT), service)));
    return out;
  }
}
