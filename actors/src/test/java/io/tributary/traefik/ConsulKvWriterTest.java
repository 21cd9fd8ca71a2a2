package io.tributary.traefik;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.consul.ConsulClient;
import io.tributary.consul.HttpTestKits;
import io.tributary.settings.BackoffSettings;
import io.tributary.settings.ConsulHttpSettings;
import io.tributary.settings.SecretSource;
import io.tributary.settings.WriterSettings;
import io.tributary.target.Change;
import io.tributary.target.ChangeSet;
import io.tributary.target.Diff;
import io.tributary.target.Target;
import io.tributary.target.TargetRecord;
import io.tributary.testkit.ConsulDouble;
import io.tributary.writer.ReconcilingWriter;
import io.tributary.writer.WriteObserver;
import io.tributary.writer.WritePolicy;
import io.tributary.writer.WriterProtocol;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Traefik writer for Consul KV (reconciling writer + {@link ConsulKvClient}) against the Consul
 * double over real HTTP: ownership under the root, restarts, conflicts, and the must-show that no
 * state a reader can see between transactions has a router naming something absent.
 */
class ConsulKvWriterTest {
  private static final ActorTestKit KIT = ActorTestKit.create();
  private static final AtomicLong SEQ = new AtomicLong();
  private static final String OWNER = "tributary";
  private static final String ROUTER = "traefik/http/routers/tributary.shop-canary/";
  private static final String SERVICE = "traefik/http/services/tributary.shop-canary/weighted/services/";
  private static final String STRIP = "traefik/http/middlewares/tributary.shop-strip/stripPrefix/prefixes/0";
  private static final WriterSettings WRITER = new WriterSettings(64, Duration.ofSeconds(30), Duration.ofMillis(50), 100_000,
      Duration.ofMillis(200), Duration.ofSeconds(3), 0.2, Duration.ofSeconds(1), Duration.ofSeconds(4), Duration.ofMinutes(5),
      new BackoffSettings(Duration.ofMillis(200), Duration.ofSeconds(30), 0.2));

  private final ConsulDouble consul = ConsulDouble.start();
  private final TestProbe<WriterProtocol.Ack> acks = KIT.createTestProbe();
  private final Map<String, String> refused = new ConcurrentHashMap<>();
  private final WriteObserver observer = new WriteObserver() {
    @Override
    public void written(Instant at, Target target, Change change) {}

    @Override
    public void refused(Target target, String key, String reason) {
      refused.put(key, reason);
    }
  };

  @AfterAll
  static void stopKit() {
    HttpTestKits.shutdown(KIT);
  }

  @AfterEach
  void stopConsul() {
    consul.close();
  }

  private ConsulKvClient client(SecretSource token, int maxBatch) {
    var http = new ConsulHttpSettings(consul.address().toString(), token, "", "", Duration.ofSeconds(2), 4);
    return new ConsulKvClient(new ConsulClient(KIT.system(), http, "dc1"), OWNER, "traefik", maxBatch);
  }

  private ActorRef<WriterProtocol.Command> writer(SecretSource token, int maxBatch) {
    return KIT.spawn(ReconcilingWriter.create(Target.TRAEFIK, WritePolicy.RECORDS_PER_CLUSTER, client(token, maxBatch), WRITER,
        observer, Clock.systemUTC()));
  }

  private ActorRef<WriterProtocol.Command> writer(int maxBatch) {
    return writer(SecretSource.none(), maxBatch);
  }

  /** The canary of seed 000: a router with a stripPrefix middleware onto a VM/Kubernetes weighted service. */
  private static Map<String, TargetRecord> canary(int weight) {
    Map<String, TargetRecord> m = new TreeMap<>();
    put(m, ROUTER + "rule", "Host(`shop.example.com`) && PathPrefix(`/checkout`)");
    put(m, ROUTER + "service", "tributary.shop-canary");
    put(m, ROUTER + "priority", "1050");
    put(m, ROUTER + "entrypoints/0", "web");
    put(m, ROUTER + "middlewares/0", "tributary.shop-strip");
    put(m, ROUTER + "middlewares/1", "auth@file");
    put(m, SERVICE + "0/name", "shop-vm@consulcatalog");
    put(m, SERVICE + "0/weight", String.valueOf(100 - weight));
    put(m, SERVICE + "1/name", "shop@consulcatalog");
    put(m, SERVICE + "1/weight", String.valueOf(weight));
    put(m, STRIP, "/checkout");
    return m;
  }

  private static void put(Map<String, TargetRecord> m, String key, String value) {
    m.put(key, new TraefikEntry(key, value, OWNER));
  }

  private static Map<String, String> values(Map<String, TargetRecord> records) {
    Map<String, String> out = new TreeMap<>();
    records.forEach((k, r) -> out.put(k, ((TraefikEntry) r).value()));
    return out;
  }

  private void send(ActorRef<WriterProtocol.Command> writer, List<Change> changes) {
    writer.tell(new WriterProtocol.Apply(new ChangeSet(Target.TRAEFIK, changes), "s", SEQ.incrementAndGet(), acks.getRef()));
    acks.expectMessageClass(WriterProtocol.Ack.class);
  }

  private void step(ActorRef<WriterProtocol.Command> writer, Map<String, TargetRecord> from, Map<String, TargetRecord> to) {
    send(writer, Diff.full(from, to, Diff.orderFor(Target.TRAEFIK)));
  }

  private void complete(ActorRef<WriterProtocol.Command> writer) {
    writer.tell(new WriterProtocol.Apply(ChangeSet.complete(Target.TRAEFIK), "s", SEQ.incrementAndGet(), acks.getRef()));
    acks.expectMessageClass(WriterProtocol.Ack.class);
  }

  private Map<String, String> ours() {
    Map<String, String> out = new TreeMap<>();
    consul.kv("traefik/").forEach((k, v) -> {
      if (TraefikOwnership.owns(OWNER, "traefik", k)) {
        out.put(k, v);
      }
    });
    return out;
  }

  @Test
  void createsUpdatesAndDeletesACanarysEntries() {
    var w = writer(64);
    step(w, Map.of(), canary(10));
    await().atMost(Duration.ofSeconds(5)).until(() -> ours().equals(values(canary(10))));
    step(w, canary(10), canary(100));
    await().atMost(Duration.ofSeconds(5)).until(() -> ours().equals(values(canary(100))));
    assertThat(consul.kv(SERVICE + "0/weight")).containsEntry(SERVICE + "0/weight", "0");
    step(w, canary(100), Map.of());
    await().atMost(Duration.ofSeconds(5)).until(() -> consul.kv("traefik/").isEmpty());
    // each step fits one transaction: three, all check-and-set
    assertThat(consul.count("PUT", "/v1/txn")).isEqualTo(3);
    assertThat(consul.transactions()).allSatisfy(t -> t.ops().forEach(op ->
        assertThat(op.path("KV").path("Verb").asText()).isIn("cas", "delete-cas")));
  }

  @Test
  void aHandWrittenKeyAndAnotherOwnersRouterSurviveEveryReconciliationIncludingARestart() {
    Map<String, String> foreign = new TreeMap<>(Map.of(
        "traefik/http/routers/my-own/rule", "Host(`mine.example.com`)",
        "traefik/http/routers/my-own/service", "vm@consulcatalog",
        "traefik/http/routers/tributary/rule", "Host(`no-dot.example.com`)", // no owner prefix: a person's
        "traefik/http/routers/other.shop/rule", "Host(`other.example.com`)",
        "traefik/http/routers/other.shop/service", "other.shop",
        "traefik/http/services/other.shop/loadBalancer/servers/0/url", "http://10.0.0.9",
        "traefik/notes", "written by hand"));
    foreign.forEach(consul::putKv);
    consul.putKv(ROUTER.replace("shop-canary", "stale") + "rule", "Host(`gone.example.com`)"); // ours, no longer wanted
    int before = consul.transactions().size();

    var w = writer(64);
    step(w, Map.of(), canary(10));
    complete(w);
    await().atMost(Duration.ofSeconds(5)).until(() -> ours().equals(values(canary(10))));
    KIT.stop(w);
    var restarted = writer(64);
    step(restarted, Map.of(), canary(50));
    complete(restarted);
    await().atMost(Duration.ofSeconds(5)).until(() -> ours().equals(values(canary(50))));

    Map<String, String> all = consul.kv("traefik/");
    foreign.forEach((k, v) -> assertThat(all).containsEntry(k, v));
    // no transaction of ours ever named a foreign key, not even to check it
    consul.transactions().subList(before, consul.transactions().size()).forEach(t -> t.ops().forEach(op ->
        assertThat(TraefikOwnership.owns(OWNER, "traefik", op.path("KV").path("Key").asText())).isTrue()));
  }

  @Test
  void aRestartOverUnchangedKvWritesNothing() {
    var w = writer(64);
    step(w, Map.of(), canary(10));
    await().atMost(Duration.ofSeconds(5)).until(() -> ours().equals(values(canary(10))));
    KIT.stop(w);
    consul.clearRequests();
    var restarted = writer(64);
    step(restarted, Map.of(), canary(10));
    complete(restarted);
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> consul.writes() == 0);
    assertThat(consul.count("GET", "/v1/kv/traefik/")).isEqualTo(1);
  }

  @Test
  void noStateBetweenTransactionsHasARouterNamingAMissingServiceOrMiddleware() {
    var w = writer(4); // small transactions: every step spans several
    step(w, Map.of(), canary(10));
    await().atMost(Duration.ofSeconds(5)).until(() -> ours().equals(values(canary(10))));
    step(w, canary(10), canary(100));
    await().atMost(Duration.ofSeconds(5)).until(() -> ours().equals(values(canary(100))));
    step(w, canary(100), Map.of());
    await().atMost(Duration.ofSeconds(5)).until(() -> consul.kv("traefik/").isEmpty());

    List<ConsulDouble.Transaction> txns = consul.transactions();
    assertThat(txns).hasSizeGreaterThanOrEqualTo(6).allSatisfy(t -> assertThat(t.ops().size()).isLessThanOrEqualTo(4));
    Map<String, String> kv = new TreeMap<>();
    for (ConsulDouble.Transaction t : txns) {
      for (JsonNode op : t.ops()) {
        apply(kv, op.path("KV"));
      }
      assertThat(dangling(kv)).as("after the transaction at index %d: %s", t.index(), t.ops()).isEmpty();
    }
    assertThat(kv).isEmpty();
  }

  private static void apply(Map<String, String> kv, JsonNode op) {
    String key = op.path("Key").asText();
    switch (op.path("Verb").asText()) {
      case "set", "cas" -> kv.put(key, new String(Base64.getDecoder().decode(op.path("Value").asText()), StandardCharsets.UTF_8));
      case "delete", "delete-cas" -> kv.remove(key);
      case "delete-tree" -> kv.keySet().removeIf(k -> k.startsWith(key));
      default -> { } // get and the like change nothing
    }
  }

  /** Routers whose service or middleware of this provider (a name without '@') has no key. */
  static List<String> dangling(Map<String, String> kv) {
    List<String> out = new ArrayList<>();
    kv.forEach((k, name) -> {
      int at = k.indexOf("/http/routers/");
      if (at < 0 || name.contains("@")) {
        return;
      }
      String rest = k.substring(at + "/http/routers/".length());
      String field = rest.substring(rest.indexOf('/') + 1);
      String section = field.equals("service") ? "services" : field.matches("middlewares/\\d+") ? "middlewares" : null;
      if (section == null) {
        return;
      }
      String prefix = k.substring(0, at) + "/http/" + section + "/" + name + "/";
      if (kv.keySet().stream().noneMatch(x -> x.startsWith(prefix))) {
        out.add(k + " names " + name + ", which is absent");
      }
    });
    return out;
  }

  @Test
  void theCheckerSeesADanglingRouter() {
    assertThat(dangling(Map.of(ROUTER + "service", "tributary.shop-canary"))).hasSize(1);
    assertThat(dangling(Map.of(ROUTER + "middlewares/0", "tributary.shop-strip", STRIP, "/x"))).isEmpty();
    assertThat(dangling(Map.of(ROUTER + "service", "shop@consulcatalog"))).isEmpty();
  }

  @Test
  void aKeyChangedBehindOurBackIsAConflictAndNotOverwritten() {
    var w = writer(64);
    step(w, Map.of(), canary(10));
    await().atMost(Duration.ofSeconds(5)).until(() -> ours().equals(values(canary(10))));
    consul.putKv(SERVICE + "1/weight", "33"); // an operator's hand edit
    var next = canary(20);
    put(next, ROUTER + "priority", "2000");
    step(w, canary(10), next);
    await().atMost(Duration.ofSeconds(5)).until(() -> "2000".equals(consul.kv(ROUTER + "priority").get(ROUTER + "priority")));
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2))
        .until(() -> "33".equals(consul.kv(SERVICE + "1/weight").get(SERVICE + "1/weight")));
    // the whole service is left alone (never half-written), the router, naming it unchanged, goes ahead
    assertThat(consul.kv(SERVICE + "0/weight")).containsEntry(SERVICE + "0/weight", "90");
    assertThat(refused).containsKeys(SERVICE + "0/weight", SERVICE + "1/weight");
    assertThat(refused.get(SERVICE + "1/weight")).contains("behind Tributary's back");
  }

  @Test
  void aBadTokenIsAConfigurationErrorAndFixingItAppliesWhatWasPending(@TempDir Path dir) throws Exception {
    consul.requireTokens("the-right-token");
    Path token = dir.resolve("consul-token");
    Files.writeString(token, "a-wrong-token", StandardCharsets.UTF_8);
    var w = writer(new SecretSource(token.toString(), ""), 64);
    step(w, Map.of(), canary(10));
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> consul.kv("traefik/").isEmpty());
    assertThat(consul.requests()).allSatisfy(r -> assertThat(r.status()).isEqualTo(403));
    Files.writeString(token, "the-right-token", StandardCharsets.UTF_8);
    await().atMost(Duration.ofSeconds(8)).until(() -> ours().equals(values(canary(10))));
  }

  @Test
  void unreachableIsUnavailableAndDescribeShowsNoCredentials() {
    var http = new ConsulHttpSettings("http://user:s3cret@127.0.0.1:1", SecretSource.none(), "", "", Duration.ofSeconds(1), 1);
    var client = new ConsulKvClient(new ConsulClient(KIT.system(), http, "dc1"), OWNER, "traefik", 64);
    assertThat(client.describe()).contains("dc1").contains("127.0.0.1:1").doesNotContain("s3cret").doesNotContain("user");
    var failure = client.readOwned().toCompletableFuture().handle((ok, e) -> e).join();
    assertThat(io.tributary.concurrent.Failures.unwrap(failure)).isInstanceOf(io.tributary.writer.TargetUnavailableException.class)
        .hasMessageNotContaining("s3cret");
    assertThat(client.maxBatch()).isEqualTo(64);
    assertThat(new ConsulKvClient(new ConsulClient(KIT.system(), http, "dc1"), OWNER, "traefik", 500).maxBatch()).isEqualTo(64);
  }
}
