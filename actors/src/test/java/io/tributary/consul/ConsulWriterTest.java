package io.tributary.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.target.Change;
import io.tributary.target.ChangeSet;
import io.tributary.target.Op;
import io.tributary.target.Target;
import io.tributary.service.TargetWriters;
import io.tributary.settings.ConsulHttpSettings;
import io.tributary.settings.SecretSource;
import io.tributary.settings.WriterSettings;
import io.tributary.testkit.ConsulDouble;
import io.tributary.writer.ReconcilingWriter;
import io.tributary.writer.WritePolicy;
import io.tributary.writer.WriteObserver;
import io.tributary.writer.WriterProtocol;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Consul writer (reconciling writer + catalog client) against the Consul double over real HTTP:
 * what issue 5 asks to show. Real time, since the I/O is real; backoffs are the shipped defaults
 * except where a test says otherwise.
 */
class ConsulWriterTest {
  private static final ActorTestKit KIT = ActorTestKit.create();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicLong SEQ = new AtomicLong();
  private static final WriterSettings WRITER = new WriterSettings(64, Duration.ofSeconds(30), Duration.ofMillis(50), 100_000,
      Duration.ofMillis(200), Duration.ofSeconds(3), 0.2, Duration.ofSeconds(1), Duration.ofSeconds(4), Duration.ofMinutes(5),
      new io.tributary.settings.BackoffSettings(Duration.ofMillis(200), Duration.ofSeconds(30), 0.2));

  private final ConsulDouble consul = ConsulDouble.start();
  private final TestProbe<WriterProtocol.Ack> acks = KIT.createTestProbe();

  @AfterAll
  static void stopKit() {
    HttpTestKits.shutdown(KIT);
  }

  @AfterEach
  void stopConsul() {
    consul.close();
  }

  private ActorRef<WriterProtocol.Command> writer(SecretSource token, WriterSettings settings) {
    var http = new ConsulHttpSettings(consul.address().toString(), token, "", "", Duration.ofSeconds(2), 4);
    var client = new ConsulCatalogClient(new ConsulClient(KIT.system(), http, "dc1"), "tributary", 64);
    return KIT.spawn(ReconcilingWriter.create(Target.CONSUL, WritePolicy.RECORDS_PER_CLUSTER, client, settings, WriteObserver.NONE, Clock.systemUTC()));
  }

  private ActorRef<WriterProtocol.Command> writer() {
    return writer(SecretSource.none(), WRITER);
  }

  static ConsulRegistration reg(String cluster, String service, String address, String... tags) {
    Map<String, String> meta = new TreeMap<>(Map.of("owner", "tributary", "cluster", cluster, "host", service + ".example.com"));
    return new ConsulRegistration("tributary-" + cluster, service + "-" + cluster + "-" + address.replace('.', '-') + "-80",
        service, address, 80, List.of(tags), meta);
  }

  private void send(ActorRef<WriterProtocol.Command> writer, List<Change> changes) {
    for (int i = 0; i < changes.size(); i += 64) {
      writer.tell(new WriterProtocol.Apply(new ChangeSet(Target.CONSUL, changes.subList(i, Math.min(changes.size(), i + 64))),
          "s", SEQ.incrementAndGet(), acks.getRef()));
      acks.expectMessageClass(WriterProtocol.Ack.class);
    }
  }

  private void complete(ActorRef<WriterProtocol.Command> writer) {
    writer.tell(new WriterProtocol.Apply(ChangeSet.complete(Target.CONSUL), "s", SEQ.incrementAndGet(), acks.getRef()));
    acks.expectMessageClass(WriterProtocol.Ack.class);
  }

  private static Change create(ConsulRegistration r) {
    return new Change(Op.CREATE, r.key(), r, null);
  }

  private static List<String> nodesOf(List<JsonNode> instances) {
    return instances.stream().map(n -> n.path("Node").asText()).sorted().toList();
  }

  @Test
  void createsUpdatesAndDeletesAcrossThreeClustersOneServiceWithInstancesOnEachClustersNode() {
    var w = writer();
    var wwwA = reg("eu-1", "www", "10.1.0.1", "traefik.enable=true");
    var wwwB = reg("us-1", "www", "10.2.0.1", "traefik.enable=true");
    var api = reg("ap-1", "api", "10.3.0.1", "traefik.enable=true");
    send(w, List.of(create(wwwA), create(wwwB), create(api)));
    await().atMost(Duration.ofSeconds(5)).until(() -> consul.catalogService("www").size() == 2 && consul.catalogService("api").size() == 1);
    assertThat(nodesOf(consul.catalogService("www"))).containsExactly("tributary-eu-1", "tributary-us-1");
    JsonNode instance = consul.catalogService("api").get(0);
    assertThat(instance.path("ServiceMeta").path("owner").asText()).isEqualTo("tributary");
    assertThat(instance.path("NodeMeta").path("external-source").asText()).isEqualTo("tributary");

    var wwwA2 = reg("eu-1", "www", "10.1.0.1", "traefik.enable=true", "traefik.http.routers.www.priority=10");
    send(w, List.of(new Change(Op.UPDATE, wwwA2.key(), wwwA2, wwwA), new Change(Op.DELETE, api.key(), null, api)));
    await().atMost(Duration.ofSeconds(5)).until(() -> consul.catalogService("api").isEmpty());
    assertThat(consul.catalogService("www")).anySatisfy(
        n -> assertThat(n.path("ServiceTags").toString()).contains("traefik.http.routers.www.priority=10"));
  }

  @Test
  void burstsGoOutInFullTransactionsIdleMeansNoWritesAndARestartRewritesNothing() {
    var w = writer();
    List<Change> changes = new ArrayList<>();
    List<ConsulRegistration> regs = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      var r = reg("eu-1", "svc-" + i, "10.1.0.1");
      regs.add(r);
      changes.add(create(r));
    }
    send(w, changes);
    await().atMost(Duration.ofSeconds(10)).until(() -> consul.instanceCount() == 1000);
    assertThat(consul.count("PUT", "/v1/txn")).isLessThanOrEqualTo((1000 + 63) / 64);
    assertThat(consul.count("PUT", "/v1/catalog/register")).isEqualTo(1); // the cluster's node, once

    consul.clearRequests();
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> consul.writes() == 0);

    // a new writer (a restart) is told the same desired state: it reads, compares, writes nothing
    KIT.stop(w);
    var restarted = writer();
    send(restarted, changes);
    complete(restarted);
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> consul.writes() == 0);
    assertThat(consul.count("GET", "/v1/catalog/nodes")).isEqualTo(1);
    assertThat(consul.instanceCount()).isEqualTo(1000);
  }

  @Test
  void foreignServicesAreNeverModifiedOrDeleted() throws Exception {
    var c = new ConsulClient(KIT.system(), new ConsulHttpSettings(consul.address().toString(), SecretSource.none(), "", "", Duration.ofSeconds(2), 2), "dc1");
    // a VM's own "www" on its own node, and another owner's instance on one of our nodes
    c.registerNode("vm-1", "192.0.2.10", Map.of()).toCompletableFuture().get();
    var ops = JSON.createArrayNode();
    var vm = ops.addObject().putObject("Service");
    vm.put("Verb", "set").put("Node", "vm-1");
    vm.putObject("Service").put("ID", "www").put("Service", "www").put("Port", 80).putObject("Meta").put("owner", "vm-team");
    c.registerNode("tributary-eu-1", "127.0.0.1", Map.of("external-source", "tributary")).toCompletableFuture().get();
    var other = ops.addObject().putObject("Service");
    var theirs = reg("eu-1", "www", "10.1.0.9");
    other.put("Verb", "set").put("Node", theirs.node());
    other.putObject("Service").put("ID", theirs.serviceId()).put("Service", "www").put("Port", 80).putObject("Meta").put("owner", "other-tributary");
    assertThat(c.txn(ops).toCompletableFuture().get().applied()).isTrue();
    long foreignIndex = consul.index();

    var w = writer();
    var ours = reg("eu-1", "www", "10.1.0.1");
    send(w, List.of(create(ours), create(theirs))); // the second collides with the other owner's ID
    complete(w); // desired state whole: stale records of ours would now be deleted, foreign never
    await().atMost(Duration.ofSeconds(5)).until(() -> consul.catalogService("www").size() == 3);
    await().during(Duration.ofSeconds(1)).until(() -> consul.catalogService("www").size() == 3);
    assertThat(consul.catalogService("www")).filteredOn(n -> n.path("Node").asText().equals("vm-1"))
        .singleElement().satisfies(n -> assertThat(n.path("ModifyIndex").asLong()).isLessThanOrEqualTo(foreignIndex));
    assertThat(consul.catalogService("www")).filteredOn(n -> n.path("ServiceID").asText().equals(theirs.serviceId()))
        .singleElement().satisfies(n -> assertThat(n.path("ServiceMeta").path("owner").asText()).isEqualTo("other-tributary"));
  }

  @Test
  void aSixtySecondOutageLosesNothingIsNotHammeredAndConvergesSoonAfter() {
    var w = writer();
    send(w, List.of(create(reg("eu-1", "warm-up", "10.1.0.1"))));
    await().atMost(Duration.ofSeconds(5)).until(() -> consul.instanceCount() == 1);
    consul.failAll(500);
    consul.clearRequests();
    Instant start = Instant.now();
    // 2 000 changes over the minute: four rounds of 500 services, each round moving every address
    Map<String, ConsulRegistration> last = new TreeMap<>();
    for (int round = 0; round < 4; round++) {
      List<Change> changes = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        var r = new ConsulRegistration("tributary-eu-1", "svc-" + i, "svc-" + i, "10.1.0." + (round + 1), 80, List.of("round=" + round),
            Map.of("owner", "tributary", "cluster", "eu-1"));
        ConsulRegistration was = last.put(r.key(), r);
        changes.add(was == null ? create(r) : new Change(Op.UPDATE, r.key(), r, was));
      }
      send(w, changes); // accepted at once: the stream is not stalled by the outage
      int next = round + 1;
      await().atMost(Duration.ofSeconds(20)).until(() -> Duration.between(start, Instant.now()).getSeconds() >= next * 15L);
    }
    long duringOutage = consul.requests().size();
    // the breaker: at most one attempt per max-backoff (3 s) once backed off, ~25 in a minute
    assertThat(duringOutage).isBetween(5L, 35L);
    int before = consul.requests().size();
    consul.heal();
    Instant healed = Instant.now();
    await().atMost(Duration.ofSeconds(5)).until(() -> consul.instanceCount() == 501
        && consul.nodeServices("tributary-eu-1").stream().allMatch(s -> s.path("Tags").toString().contains("round=3")
            || s.path("ID").asText().startsWith("warm-up")));
    long writes = consul.requests().subList(before, consul.requests().size()).stream()
        .filter(r -> r.path().equals("/v1/txn")).count();
    // only the latest state of each service was written: 500 sets in ⌈500/64⌉ transactions
    assertThat(writes).isLessThanOrEqualTo((500 + 63) / 64);
    assertThat(Duration.between(healed, Instant.now())).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void aBadTokenIsReportedNotHammeredAndFixingItAppliesWhatWasPending(@TempDir Path dir) throws Exception {
    consul.requireTokens("the-right-token");
    Path token = dir.resolve("consul-token");
    Files.writeString(token, "a-wrong-token", StandardCharsets.UTF_8);
    var w = writer(new SecretSource(token.toString(), ""), WRITER); // configuration retry: 1 s, doubling to 4 s
    send(w, List.of(create(reg("eu-1", "www", "10.1.0.1")), create(reg("eu-1", "api", "10.1.0.1"))));
    await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(7)).until(() -> consul.instanceCount() == 0);
    // 6 s of refusals: attempts at 0, 1, 3 and 7 s at most, never a storm
    assertThat(consul.requests()).allSatisfy(r -> assertThat(r.status()).isEqualTo(403));
    assertThat(consul.requests().size()).isBetween(2, 5);
    Files.writeString(token, "the-right-token", StandardCharsets.UTF_8);
    await().atMost(Duration.ofSeconds(6)).until(() -> consul.instanceCount() == 2);
  }

  @Test
  void theServiceUsesTheConsulWriterWhenAnAddressIsConfigured() {
    var settings = io.tributary.settings.TributarySettings.from(com.typesafe.config.ConfigFactory.parseString(
        "tributary.consul.http.address = \"" + consul.address() + "\"").withFallback(com.typesafe.config.ConfigFactory.load()));
    var w = KIT.spawn(TargetWriters.from(settings, WriteObserver.NONE).get(Target.CONSUL));
    send(w, List.of(create(reg("eu-1", "www", "10.1.0.1"))));
    await().atMost(Duration.ofSeconds(5)).until(() -> consul.instanceCount() == 1);
  }
}
