package io.tributary.consul;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.target.Change;
import io.tributary.target.TargetRecord;
import io.tributary.writer.TargetClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One cluster's registrations written through a Consul agent (registration mode {@code agent}):
 * {@code /v1/agent/service/register} and {@code /deregister/<id>}, one call per change in order,
 * since the agent API has no transaction. The services appear in the catalog on the agent's node;
 * records keep the cluster's logical node ({@code tributary-<cluster>}) in their key, so the plan
 * does not depend on which node the agent runs on. It owns only services whose meta {@code owner}
 * is this owner id and {@code cluster} is this cluster (one agent may serve several clusters);
 * a service of another owner with one of our IDs is reported as a conflict and never touched.
 */
public final class ConsulAgentClient implements TargetClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ConsulClient agent;
  private final String cluster;
  private final String logicalNode;
  private final String ownerId;
  private final int maxBatch;
  /** Service IDs on this agent held by another owner → that owner; refreshed on every read. */
  private final Map<String, String> foreign = new ConcurrentHashMap<>();

  /**
   * @param agent a client whose address is the cluster's agent
   * @param logicalNode the node part of this cluster's record keys ({@code consul.node-name-template})
   */
  public ConsulAgentClient(ConsulClient agent, String cluster, String logicalNode, String ownerId, int maxBatch) {
    this.agent = agent;
    this.cluster = cluster;
    this.logicalNode = logicalNode;
    this.ownerId = ownerId;
    this.maxBatch = maxBatch;
  }

  @Override
  public CompletionStage<Map<String, TargetRecord>> readOwned() {
    String owned = "Meta.owner == " + quoted(ownerId) + " and Meta.cluster == " + quoted(cluster);
    // a second, cheap read learns the IDs another owner holds, so a create never replaces one
    return agent.agentServices(owned).thenCombine(agent.agentServices("Meta.owner != " + quoted(ownerId)), (mine, others) -> {
      foreign.clear();
      others.forEach((id, s) -> foreign.put(id, s.path("Meta").path("owner").asText("no owner")));
      Map<String, TargetRecord> out = new TreeMap<>();
      for (JsonNode s : mine.values()) {
        Map<String, String> meta = new TreeMap<>();
        s.path("Meta").fields().forEachRemaining(e -> meta.put(e.getKey(), e.getValue().asText()));
        // the filter is the agent's; never trust it to decide what we may delete
        if (!ownerId.equals(meta.get("owner")) || !cluster.equals(meta.get("cluster"))) {
          continue;
        }
        List<String> tags = new ArrayList<>();
        s.path("Tags").forEach(t -> tags.add(t.asText()));
        var reg = new ConsulRegistration(logicalNode, s.path("ID").asText(), s.path("Service").asText(),
            s.path("Address").asText(), s.path("Port").asInt(), tags, meta);
        out.put(reg.key(), reg);
      }
      return out;
    });
  }

  @Override
  public CompletionStage<WriteOutcome> write(List<Change> changes) {
    Map<String, String> conflicts = new TreeMap<>();
    CompletableFuture<Void> done = CompletableFuture.completedFuture(null);
    for (Change c : changes) {
      String id = c.key().substring(c.key().indexOf('/') + 1);
      String holder = foreign.get(id);
      if (holder != null) {
        conflicts.put(c.key(), "a service of another owner (" + holder + ") has this ID on the agent; left alone");
        continue;
      }
      // sequential: the agent has no transaction, and order per service ID must hold
      if (c.value() instanceof ConsulRegistration r) {
        done = done.thenCompose(x -> agent.agentRegister(body(r)).toCompletableFuture());
      } else {
        // 404: already gone (by hand, or a lost answer to our own deregister): nothing to do
        done = done.thenCompose(x -> agent.agentDeregister(id).thenAccept(found -> {}).toCompletableFuture());
      }
    }
    return done.thenApply(x -> new WriteOutcome(conflicts));
  }

  private static ObjectNode body(ConsulRegistration r) {
    ObjectNode s = JSON.createObjectNode();
    s.put("ID", r.serviceId());
    s.put("Name", r.service());
    s.set("Tags", JSON.valueToTree(r.tags()));
    s.put("Address", r.address());
    s.put("Port", r.port());
    s.set("Meta", JSON.valueToTree(new TreeMap<>(r.meta())));
    // the tags are ours: nobody else's catalog write may change them behind the agent's back
    s.put("EnableTagOverride", false);
    return s;
  }

  private static String quoted(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  @Override
  public int maxBatch() {
    return maxBatch;
  }

  @Override
  public String describe() {
    return agent.describe() + " (agent of cluster " + cluster + ")";
  }

  /** Keys of {@code ids} a foreign service holds (for tests and reports). */
  Set<String> foreignIds() {
    return Set.copyOf(foreign.keySet());
  }
}
