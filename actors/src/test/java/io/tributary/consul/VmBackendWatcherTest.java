package io.tributary.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.tributary.settings.ConsulHttpSettings;
import io.tributary.settings.SecretSource;
import io.tributary.settings.VmDiscoverySettings;
import io.tributary.testkit.ConsulDouble;
import io.tributary.translate.VmBackends;
import io.tributary.watch.WatchEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** VM services found in the Consul double by tag, as the snapshots the pipeline receives. */
class VmBackendWatcherTest {
  private static final ActorTestKit KIT = ActorTestKit.create();
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ConsulDouble consul = ConsulDouble.start();
  private final List<WatchEvent> offered = new CopyOnWriteArrayList<>();

  @AfterAll
  static void stopKit() {
    HttpTestKits.shutdown(KIT);
  }

  @AfterEach
  void stopConsul() {
    consul.close();
  }

  private ConsulClient client() {
    return new ConsulClient(KIT.system(),
        new ConsulHttpSettings(consul.address().toString(), SecretSource.none(), "", "", Duration.ofSeconds(2), 2), "dc1");
  }

  private void registerVm(ConsulClient c, String id, String name, String... tags) {
    ArrayNode ops = JSON.createArrayNode();
    var svc = ops.addObject().putObject("Service");
    svc.put("Verb", "set").put("Node", "vm-1");
    var s = svc.putObject("Service").put("ID", id).put("Service", name).put("Address", "10.9.0.1").put("Port", 80);
    var t = s.putArray("Tags");
    for (String tag : tags) {
      t.add(tag);
    }
    c.txn(ops).toCompletableFuture().join();
  }

  private Map<String, String> lastSnapshot() {
    return offered.isEmpty() ? null : VmBackends.byHost(offered.get(offered.size() - 1).object());
  }

  @Test
  void taggedVmServicesAreOfferedAsOneSnapshotWheneverTheyChangeAlsoAcrossAConsulOutage() {
    var c = client();
    c.registerNode("vm-1", "10.9.0.1", Map.of()).toCompletableFuture().join();
    registerVm(c, "shop-1", "shop-vm", "tributary.vm-host=shop.example.com", "http");
    registerVm(c, "db-1", "db", "primary");
    var settings = new VmDiscoverySettings("tributary.vm-host=", Duration.ofSeconds(1));
    KIT.spawn(Behaviors.supervise(VmBackendWatcher.create(client(), settings, offered::add))
        .onFailure(SupervisorStrategy.restartWithBackoff(Duration.ofMillis(100), Duration.ofMillis(500), 0.2).withLoggingEnabled(false)));
    await().atMost(Duration.ofSeconds(10)).until(() -> Map.of("shop.example.com", "shop-vm").equals(lastSnapshot()));
    assertThat(offered).hasSize(1);
    assertThat(offered.get(0).key().cluster()).isEqualTo(VmBackends.SOURCE);

    registerVm(c, "api-1", "api-vm", "tributary.vm-host=api.example.com");
    await().atMost(Duration.ofSeconds(10)).until(() -> Map.of("shop.example.com", "shop-vm", "api.example.com", "api-vm").equals(lastSnapshot()));

    // Consul fails for a while: the watcher is restarted with backoff and picks up what changed meanwhile
    consul.failAll(500);
    int before = offered.size();
    await().pollDelay(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> offered.size() == before);
    consul.heal();
    registerVm(c, "shop-1", "shop-vm", "http"); // no longer tagged
    await().atMost(Duration.ofSeconds(10)).until(() -> Map.of("api.example.com", "api-vm").equals(lastSnapshot()));
  }
}
