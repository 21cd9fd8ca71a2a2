package io.tributary.consul;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.target.Change;
import io.tributary.target.TargetRecord;
import io.tributary.writer.TargetClient;
import io.tributary.writer.TargetConfigurationException;
import io.tributary.writer.TargetUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Consul catalog as a writer target: Tributary's registrations live on synthetic nodes, one per
 * cluster (node meta {@code external-source=tributary}, address 127.0.0.1 as consul-k8s does), so
 * clusters never reap each other's instances. Services are written with {@code /v1/txn}, at most 64
 * operations per call. It owns only services whose meta {@code owner} is this owner id: a service of
 * another owner, or a node Tributary did not create, is reported as a conflict and never touched.
 */
public final class ConsulCatalogClient implements TargetClient {
  /** Node meta marking Tributary's synthetic nodes. */
  public static final String EXTERNAL_SOURCE = "tributary";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int TXN_MAX_OPS = 64;

  private final ConsulClient consul;
  private final String ownerId;
  private final int maxBatch;
  /** Nodes known to exist and to be Tributary's (learned by reading or registering them). */
  private final Set<String> ourNodes = ConcurrentHashMap.newKeySet();
  /** Record keys held by a service of another owner on one of our nodes → that owner. */
  private final Map<String, String> foreign = new ConcurrentHashMap<>();

  public ConsulCatalogClient(ConsulClient consul, String ownerId, int maxBatch) {
    this.consul = consul;
    this.ownerId = ownerId;
    this.maxBatch = Math.min(TXN_MAX_OPS, maxBatch);
  }

  @Override
  public CompletionStage<Map<String, TargetRecord>> readOwned() {
    return consul.nodes(Map.of("external-source", EXTERNAL_SOURCE)).thenCompose(nodes -> {
      List<CompletableFuture<List<ConsulRegistration>>> reads = new ArrayList<>();
      for (JsonNode n : nodes) {
        String node = n.path("Node").asText();
        reads.add(consul.nodeServices(node).thenApply(found -> owned(node, found.orElse(null))).toCompletableFuture());
      }
      return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).thenApply(done -> {
        Map<String, TargetRecord> owned = new TreeMap<>();
        reads.forEach(r -> r.join().forEach(reg -> owned.put(reg.key(), reg)));
        return owned;
      });
    });
  }

  private List<ConsulRegistration> owned(String node, JsonNode nodeServices) {
    List<ConsulRegistration> out = new ArrayList<>();
    if (nodeServices == null) {
      ourNodes.remove(node);
      return out;
    }
    ourNodes.add(node);
    foreign.keySet().removeIf(k -> k.startsWith(node + "/"));
    for (JsonNode s : nodeServices.path("Services")) {
      Map<String, String> meta = new TreeMap<>();
      s.path("Meta").fields().forEachRemaining(e -> meta.put(e.getKey(), e.getValue().asText()));
      String id = s.path("ID").asText();
      if (!ownerId.equals(meta.get("owner"))) {
        foreign.put(node + "/" + id, meta.getOrDefault("owner", "no owner"));
        continue;
      }
      List<String> tags = new ArrayList<>();
      s.path("Tags").forEach(t -> tags.add(t.asText()));
      out.add(new ConsulRegistration(node, id, s.path("Service").asText(), s.path("Address").asText(),
          s.path("Port").asInt(), tags, meta));
    }
    return out;
  }

  @Override
  public CompletionStage<WriteOutcome> write(List<Change> changes) {
    Map<String, String> conflicts = new TreeMap<>();
    for (Change c : changes) {
      String holder = foreign.get(c.key());
      if (holder != null) {
        conflicts.put(c.key(), "a service of another owner (" + holder + ") has this ID on the node; left alone");
      }
    }
    Set<String> newNodes = new TreeSet<>();
    for (Change c : changes) {
      if (c.value() instanceof ConsulRegistration r && !ourNodes.contains(r.node())) {
        newNodes.add(r.node());
      }
    }
    CompletableFuture<Void> nodesReady = CompletableFuture.completedFuture(null);
    for (String node : newNodes) {
      nodesReady = nodesReady.thenCompose(x -> ensureNode(node, changes, conflicts));
    }
    return nodesReady.thenCompose(x -> {
      ArrayNode ops = JSON.createArrayNode();
      for (Change c : changes) {
        if (!conflicts.containsKey(c.key())) {
          ops.add(op(c));
        }
      }
      if (ops.isEmpty()) {
        return CompletableFuture.completedFuture(new WriteOutcome(conflicts));
      }
      return consul.txn(ops).thenApply(result -> {
        if (!result.applied()) {
          if (result.errors().stream().anyMatch(e -> e.contains("Missing node registration"))) {
            ourNodes.clear(); // a node was removed behind our back: register it again on the retry
            throw new TargetUnavailableException(consul.describe() + ": a Tributary node vanished; registering it again");
          }
          throw new TargetConfigurationException(consul.describe() + " rolled back a transaction: " + String.join("; ", result.errors()));
        }
        return new WriteOutcome(conflicts);
      });
    });
  }

  /** Registers {@code node} unless a node of that name exists that is not Tributary's. */
  private CompletableFuture<Void> ensureNode(String node, List<Change> changes, Map<String, String> conflicts) {
    return consul.nodeServices(node).thenCompose(found -> {
      if (found.isPresent()) {
        String source = found.get().path("Node").path("Meta").path("external-source").asText("");
        if (!EXTERNAL_SOURCE.equals(source)) {
          for (Change c : changes) {
            if (c.key().startsWith(node + "/")) {
              conflicts.put(c.key(), "node " + node + " exists and is not Tributary's (external-source '" + source + "'); left alone");
            }
          }
          return CompletableFuture.<Void>completedFuture(null);
        }
        owned(node, found.get()); // learn its foreign services before writing next to them
        changes.stream().filter(c -> foreign.containsKey(c.key())).forEach(c ->
            conflicts.put(c.key(), "a service of another owner (" + foreign.get(c.key()) + ") has this ID on the node; left alone"));
        return CompletableFuture.<Void>completedFuture(null);
      }
      return consul.registerNode(node, "127.0.0.1", Map.of("external-source", EXTERNAL_SOURCE))
          .thenAccept(done -> ourNodes.add(node));
    }).toCompletableFuture();
  }

  private static ObjectNode op(Change c) {
    ObjectNode op = JSON.createObjectNode();
    ObjectNode service = op.putObject("Service");
    if (c.value() instanceof ConsulRegistration r) {
      service.put("Verb", "set");
      service.put("Node", r.node());
      ObjectNode s = service.putObject("Service");
      s.put("ID", r.serviceId());
      s.put("Service", r.service());
      s.set("Tags", JSON.valueToTree(r.tags()));
      s.put("Address", r.address());
      s.put("Port", r.port());
      s.set("Meta", JSON.valueToTree(new TreeMap<>(r.meta())));
    } else {
      ConsulRegistration was = (ConsulRegistration) c.previous();
      String node = was != null ? was.node() : c.key().substring(0, c.key().indexOf('/'));
      String id = was != null ? was.serviceId() : c.key().substring(c.key().indexOf('/') + 1);
      service.put("Verb", "delete");
      service.put("Node", node);
      service.putObject("Service").put("ID", id);
    }
    return op;
  }

  @Override
  public int maxBatch() {
    return maxBatch;
  }

  @Override
  public String describe() {
    return consul.describe();
  }
}
