package io.tributary.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import io.tributary.target.Change;
import io.tributary.target.ChangeSet;
import io.tributary.target.Op;
import io.tributary.target.Target;
import io.tributary.service.TargetWriters;
import io.tributary.settings.TributarySettings;
import io.tributary.testkit.ConsulDouble;
import io.tributary.writer.WriteObserver;
import io.tributary.writer.WriterProtocol;
import java.time.Duration;
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

/**
 * Registration mode agent against the Consul double over real HTTP: two clusters, each with its own
 * agent (its own port and node); the live wiring ({@link TargetWriters#consulAgents}) is what runs.
 */
class ConsulAgentWriterTest {
  private static final ActorTestKit KIT = ActorTestKit.create();
  private static final AtomicLong SEQ = new AtomicLong();

  private final ConsulDouble consul = ConsulDouble.start();
  private final ConsulDouble.Agent agentA = consul.startAgent("k8s-a-node-1", "10.1.0.5");
  private final ConsulDouble.Agent agentB = consul.startAgent("k8s-b-node-1", "10.2.0.5");
  private final TestProbe<WriterProtocol.Ack> acks = KIT.createTestProbe();

  @AfterAll
  static void stopKit() {
    HttpTestKits.shutdown(KIT);
  }

  @AfterEach
  void stopConsul() {
    agentA.close();
    agentB.close();
    consul.close();
  }

  private TributarySettings settings() {
    return TributarySettings.from(ConfigFactory.parseString("""
        tributary.consul {
          registration-mode = agent
          agent-address-template = "%s"
          http.request-timeout = 1s
        }
        tributary.writer { retry { min-backoff = 100ms, max-backoff = 500ms }, linger = 20ms }
        tributary.clusters {
          a { consul-agent = "%s", endpoints { addresses = ["10.1.0.1"], port = 80 } }
          b { endpoints { addresses = ["10.2.0.1"], port = 80 } }
        }
        """.formatted(agentB.address(), agentA.address())).withFallback(ConfigFactory.defaultReference()).resolve());
  }

  private ActorRef<WriterProtocol.Command> writer() {
    return KIT.spawn(TargetWriters.consulAgents(settings(), WriteObserver.NONE));
  }

  private static ConsulRegistration owned(String cluster, String owner, String service, String address, String... tags) {
    Map<String, String> meta = new TreeMap<>(Map.of("owner", owner, "cluster", cluster));
    return new ConsulRegistration("tributary-" + cluster, service + "-" + cluster + "-" + address.replace('.', '-') + "-80",
        service, address, 80, List.of(tags), meta);
  }

  private static ConsulRegistration reg(String cluster, String service, String address, String... tags) {
    return owned(cluster, "tributary", service, address, tags);
  }

  private void send(ActorRef<WriterProtocol.Command> writer, List<Change> changes) {
    writer.tell(new WriterProtocol.Apply(new ChangeSet(Target.CONSUL, changes), "s", SEQ.incrementAndGet(), acks.getRef()));
    acks.expectMessageClass(WriterProtocol.Ack.class);
  }

  private void complete(ActorRef<WriterProtocol.Command> writer) {
    writer.tell(new WriterProtocol.Apply(ChangeSet.complete(Target.CONSUL), "s", SEQ.incrementAndGet(), acks.getRef()));
    acks.expectMessageClass(WriterProtocol.Ack.class);
  }

  private static Change create(ConsulRegistration r) {
    return new Change(Op.CREATE, r.key(), r, null);
  }

  private List<String> nodesOf(String service) {
    return consul.catalogService(service).stream().map(n -> n.path("Node").asText()).sorted().toList();
  }

  @Test
  void createsUpdatesAndDeletesAcrossTwoClustersOnEachAgentsNode() {
    var w = writer();
    var wwwA = reg("a", "www", "10.1.0.1", "traefik.enable=true");
    var wwwB = reg("b", "www", "10.2.0.1", "traefik.enable=true");
    var api = reg("b", "api", "10.2.0.1", "traefik.enable=true");
    send(w, List.of(create(wwwA), create(wwwB), create(api)));
    await().atMost(Duration.ofSeconds(5)).until(() -> nodesOf("www").size() == 2 && nodesOf("api").size() == 1);
    assertThat(nodesOf("www")).containsExactly("k8s-a-node-1", "k8s-b-node-1");
    JsonNode instance = consul.catalogService("api").get(0);
    assertThat(instance.path("ServiceID").asText()).isEqualTo("api-b-10-2-0-1-80");
    assertThat(instance.path("ServiceMeta").path("owner").asText()).isEqualTo("tributary");
    assertThat(consul.count("PUT", "/v1/agent/service/register")).isEqualTo(3);
    assertThat(consul.count("PUT", "/v1/txn")).isZero();

    var wwwA2 = reg("a", "www", "10.1.0.1", "traefik.enable=true", "traefik.http.routers.www.priority=10");
    send(w, List.of(new Change(Op.UPDATE, wwwA2.key(), wwwA2, wwwA), new Change(Op.DELETE, api.key(), null, api)));
    await().atMost(Duration.ofSeconds(5)).until(() -> consul.catalogService("api").isEmpty()
        && consul.catalogService("www").stream().anyMatch(n -> n.path("ServiceTags").toString().contains("priority=10")));
    assertThat(consul.count("PUT", "/v1/agent/service/deregister/api-b-10-2-0-1-80")).isEqualTo(1);
  }

  @Test
  void aRestartOverUnchangedClustersWritesNothing() {
    var regs = List.of(reg("a", "www", "10.1.0.1"), reg("b", "www", "10.2.0.1"), reg("b", "api", "10.2.0.1"));
    var first = writer();
    send(first, regs.stream().map(ConsulAgentWriterTest::create).toList());
    complete(first);
    await().atMost(Duration.ofSeconds(5)).until(() -> consul.instanceCount() == 3);
    KIT.stop(first);

    consul.clearRequests();
    var second = writer();
    send(second, regs.stream().map(ConsulAgentWriterTest::create).toList());
    complete(second);
    // both agents have been read (owned and foreign) and the writers have settled
    await().atMost(Duration.ofSeconds(5)).until(() -> consul.count("GET", "/v1/agent/services") >= 4);
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3)).until(() -> consul.writes() == 0);
    assertThat(consul.instanceCount()).isEqualTo(3);
  }

  @Test
  void foreignServicesOnTheAgentAreNeverModifiedOrDeleted() {
    // another owner on agent A: one with an ID we want, one with its own ID
    var clash = owned("a", "someone-else", "www", "10.1.0.1", "theirs");
    var other = owned("a", "someone-else", "legacy", "10.1.0.9", "theirs");
    var setup = KIT.spawn(io.tributary.writer.ReconcilingWriter.create(Target.CONSUL, io.tributary.writer.WritePolicy.RECORDS_PER_CLUSTER,
        new ConsulAgentClient(new ConsulClient(KIT.system(), settings().consul().http().withAddress(agentA.address().toString()), "dc1"),
            "a", "tributary-a", "someone-else", 64),
        settings().writer(), WriteObserver.NONE, java.time.Clock.systemUTC()));
    send(setup, List.of(create(clash), create(other)));
    await().atMost(Duration.ofSeconds(5)).until(() -> consul.instanceCount() == 2);
    KIT.stop(setup);

    var w = writer();
    var mine = reg("a", "www", "10.1.0.1", "mine");
    var api = reg("a", "api", "10.1.0.1", "mine");
    send(w, List.of(create(mine), create(api)));
    complete(w); // stale reaping is on: still nothing foreign may go
    await().atMost(Duration.ofSeconds(5)).until(() -> consul.instanceCount() == 3);
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3)).until(() -> consul.instanceCount() == 3);
    var onA = consul.nodeServices("k8s-a-node-1");
    assertThat(onA).filteredOn(s -> s.path("ID").asText().equals("www-a-10-1-0-1-80"))
        .singleElement().satisfies(s -> assertThat(s.path("Tags").toString()).contains("theirs"));
    assertThat(onA).extracting(s -> s.path("ID").asText()).contains("legacy-a-10-1-0-9-80", "api-a-10-1-0-1-80");
    assertThat(consul.count("PUT", "/v1/agent/service/deregister/")).isZero();
  }

  @Test
  void anAgentThatIsDownHoldsBackOnlyItsOwnCluster() {
    var w = writer();
    agentA.refuseConnections();
    var a = reg("a", "www", "10.1.0.1");
    var b = reg("b", "www", "10.2.0.1");
    send(w, List.of(create(a), create(b))); // acknowledged although agent A is down
    await().atMost(Duration.ofSeconds(5)).until(() -> nodesOf("www").equals(List.of("k8s-b-node-1")));
    var b2 = reg("b", "api", "10.2.0.1");
    send(w, List.of(create(b2)));
    await().atMost(Duration.ofSeconds(5)).until(() -> consul.catalogService("api").size() == 1);
    assertThat(nodesOf("www")).containsExactly("k8s-b-node-1");

    agentA.resume();
    await().atMost(Duration.ofSeconds(5)).until(() -> nodesOf("www").equals(List.of("k8s-a-node-1", "k8s-b-node-1")));
  }
}
