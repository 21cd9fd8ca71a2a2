package io.tributary.traefik;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.consul.ConsulClient;
import io.tributary.settings.ConsulSettings;
import io.tributary.settings.TraefikSettings;
import io.tributary.target.Change;
import io.tributary.target.TargetRecord;
import io.tributary.writer.TargetClient;
import io.tributary.writer.TargetConfigurationException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.ClassicActorSystemProvider;

/**
 * Traefik's dynamic configuration in Consul KV as a writer target, in Traefik's KV layout under
 * {@code <root>/}. It owns only the keys {@link TraefikOwnership} says are this owner's; every other
 * key under the root (a person's, another owner's) is never read as owned, changed or deleted.
 * Writes are {@code /v1/txn} transactions of at most 64 KV operations, each with check-and-set on
 * the {@code ModifyIndex} last read or written ({@code cas}/{@code delete-cas}; index 0 for a key
 * that must not exist yet), so a key changed behind Tributary's back rolls the transaction back
 * instead of being overwritten: those keys are isolated and answered as conflicts, the rest is
 * written, and the next anti-entropy read learns what is there now.
 */
public final class ConsulKvClient implements TargetClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int TXN_MAX_OPS = 64;

  private final ConsulClient consul;
  private final String ownerId;
  private final String root;
  private final int maxBatch;
  /** ModifyIndex of each owned key as last read or written: the check-and-set precondition. */
  private final Map<String, Long> modifyIndex = new ConcurrentHashMap<>();

  /** A client writing under {@code root} for {@code ownerId}, at most {@code maxBatch} (≤ 64) operations a transaction. */
  public ConsulKvClient(ConsulClient consul, String ownerId, String root, int maxBatch) {
    this.consul = consul;
    this.ownerId = ownerId;
    this.root = root;
    this.maxBatch = Math.max(1, Math.min(TXN_MAX_OPS, maxBatch));
  }

  /** The client for {@code tributary.traefik.sink = consul-kv}: Consul reached as {@code consul.http} says. */
  public static ConsulKvClient create(
      ClassicActorSystemProvider system, ConsulSettings consul, TraefikSettings traefik, String ownerId, int maxBatch) {
    return new ConsulKvClient(new ConsulClient(system, consul.http(), consul.datacenter()), ownerId, traefik.root(), maxBatch);
  }

  @Override
  public CompletionStage<Map<String, TargetRecord>> readOwned() {
    return consul.kvList(root + "/").thenApply(entries -> {
      Map<String, TargetRecord> owned = new TreeMap<>();
      Map<String, Long> indexes = new TreeMap<>();
      for (ConsulClient.KvEntry e : entries) {
        if (TraefikOwnership.owns(ownerId, root, e.key())) {
          owned.put(e.key(), new TraefikEntry(e.key(), new String(e.value(), StandardCharsets.UTF_8), ownerId));
          indexes.put(e.key(), e.modifyIndex());
        }
      }
      modifyIndex.clear();
      modifyIndex.putAll(indexes);
      return owned;
    });
  }

  @Override
  public CompletionStage<WriteOutcome> write(List<Change> changes) {
    Map<String, String> conflicts = new TreeMap<>();
    List<Change> writable = new ArrayList<>();
    for (Change c : changes) {
      if (!TraefikOwnership.owns(ownerId, root, c.key())) {
        // the planner never asks for this; if it did, the key is not ours to touch
        conflicts.put(c.key(), "not a key of owner " + ownerId + " under " + root + "/; left alone");
      } else {
        writable.add(c);
      }
    }
    return attempt(writable, conflicts).thenApply(done -> new WriteOutcome(conflicts));
  }

  /**
   * Writes {@code changes} in one transaction; when Consul rolls it back because keys changed
   * behind our back, those keys' objects (and routers in the batch naming them) become conflicts
   * and the rest is tried again, at most once per change.
   */
  private CompletableFuture<Void> attempt(List<Change> changes, Map<String, String> conflicts) {
    if (changes.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    ArrayNode ops = JSON.createArrayNode();
    changes.forEach(c -> ops.add(op(c)));
    return consul.txn(ops).toCompletableFuture().thenCompose(result -> {
      if (result.applied()) {
        learn(changes, result.results());
        return CompletableFuture.<Void>completedFuture(null);
      }
      Map<Integer, String> failed = failedOps(result.errors());
      if (failed.isEmpty() || failed.keySet().stream().anyMatch(i -> i >= changes.size())) {
        throw new TargetConfigurationException(consul.describe() + " rolled back a KV transaction: " + String.join("; ", result.errors()));
      }
      // a refused key may already hold what we want (an earlier answer was lost): one read each
      List<CompletableFuture<Void>> checks = new ArrayList<>();
      Map<Integer, String> conflicting = new ConcurrentHashMap<>();
      Set<Integer> done = ConcurrentHashMap.newKeySet();
      failed.forEach((i, what) -> {
        Change c = changes.get(i);
        checks.add(consul.kvGet(c.key()).toCompletableFuture().thenAccept(now -> {
          String want = c.value() instanceof TraefikEntry e ? e.value() : null;
          String has = now.map(kv -> new String(kv.value(), StandardCharsets.UTF_8)).orElse(null);
          if (java.util.Objects.equals(want, has)) {
            now.ifPresentOrElse(kv -> modifyIndex.put(c.key(), kv.modifyIndex()), () -> modifyIndex.remove(c.key()));
            done.add(i);
          } else {
            modifyIndex.remove(c.key()); // unknown until the next read
            conflicting.put(i, what);
          }
        }));
      });
      return CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new))
          .thenCompose(x -> attempt(isolate(changes, done, conflicting, conflicts), conflicts));
    });
  }

  /**
   * What is left to write once the changes at {@code done} turned out written and those at {@code
   * failed} conflict: the conflicting keys' objects become conflicts, and so do routers in the
   * batch naming one of them (a router must not name an object whose write did not happen).
   */
  private static List<Change> isolate(
      List<Change> changes, Set<Integer> done, Map<Integer, String> failed, Map<String, String> conflicts) {
    Map<String, String> badGroups = new TreeMap<>();
    failed.forEach((i, what) -> badGroups.putIfAbsent(changes.get(i).group(), what));
    Set<String> badNames = new TreeSet<>();
    badGroups.keySet().forEach(g -> badNames.add(g.substring(g.lastIndexOf('/') + 1)));
    List<Change> rest = new ArrayList<>();
    for (int i = 0; i < changes.size(); i++) {
      Change c = changes.get(i);
      if (done.contains(i)) {
        continue;
      }
      if (badGroups.containsKey(c.group())) {
        conflicts.put(c.key(), "changed in Consul KV behind Tributary's back (" + badGroups.get(c.group())
            + "); left alone until the next read");
      } else if (c.value() instanceof TraefikEntry e && e.isRouter() && badNames.contains(e.value())) {
        conflicts.put(c.key(), "held back: names " + e.value() + ", whose keys changed behind Tributary's back");
      } else {
        rest.add(c);
      }
    }
    // each round removes at least one change (every refused one is done or a conflict): this ends
    return rest;
  }

  /** Consul's rollback reasons by operation index (from "operation <i>: <what>"). */
  private static Map<Integer, String> failedOps(List<String> errors) {
    Map<Integer, String> out = new TreeMap<>();
    for (String e : errors) {
      if (e.startsWith("operation ")) {
        int colon = e.indexOf(':');
        try {
          out.put(Integer.parseInt(e.substring("operation ".length(), colon).trim()), e.substring(colon + 1).trim());
        } catch (RuntimeException ignored) {
          // not a reason we can attribute to one operation
        }
      }
    }
    return out;
  }

  /** Remembers the ModifyIndex of what was just set (from the results) and forgets what was deleted. */
  private void learn(List<Change> changes, JsonNode results) {
    Map<String, Long> written = new TreeMap<>();
    if (results != null) {
      results.forEach(r -> {
        JsonNode kv = r.path("KV");
        if (kv.hasNonNull("Key")) {
          written.put(kv.get("Key").asText(), kv.path("ModifyIndex").asLong());
        }
      });
    }
    for (Change c : changes) {
      if (c.value() == null) {
        modifyIndex.remove(c.key());
      } else if (written.containsKey(c.key())) {
        modifyIndex.put(c.key(), written.get(c.key()));
      } else {
        modifyIndex.remove(c.key()); // without an index the next write of it fails and is retried after a read
      }
    }
  }

  private ObjectNode op(Change c) {
    ObjectNode op = JSON.createObjectNode();
    ObjectNode kv = op.putObject("KV");
    Long index = modifyIndex.get(c.key());
    kv.put("Key", c.key());
    if (c.value() instanceof TraefikEntry e) {
      kv.put("Verb", "cas");
      kv.put("Value", Base64.getEncoder().encodeToString(e.value().getBytes(StandardCharsets.UTF_8)));
      // a key we never saw must still be absent: index 0
      kv.put("Index", c.previous() == null || index == null ? 0 : index);
    } else {
      kv.put("Verb", "delete-cas");
      kv.put("Index", index == null ? 0 : index);
    }
    return op;
  }

  @Override
  public int maxBatch() {
    return maxBatch;
  }

  @Override
  public String describe() {
    return "Traefik KV under " + root + "/ in " + consul.describe();
  }
}
