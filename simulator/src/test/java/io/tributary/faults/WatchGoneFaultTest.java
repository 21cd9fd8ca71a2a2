package io.tributary.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.Config;
import io.tributary.service.LiveServices;
import io.tributary.settings.TributarySettings;
import io.tributary.testkit.BindServerExtension;
import io.tributary.testkit.ConsulDouble;
import io.tributary.watch.MockCluster;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;

/**
 * Fault test: API servers that drop every watch every few seconds and answer the re-watch with 410
 * Gone (the resourceVersion expired), while objects are deleted, created and changed. The watchers
 * must relist, and the relist must turn every object that vanished meanwhile into a delete: at the
 * end Consul and BIND hold exactly what the objects left should produce, no record of a deleted
 * object, none of a created one missing.
 */
class WatchGoneFaultTest {
  @RegisterExtension static final BindServerExtension BIND = new BindServerExtension(Faults.ZONE);

  private static final ActorTestKit KIT = ActorTestKit.create();
  private static final int DROPS = 5;

  private final ConsulDouble consul = ConsulDouble.start();
  private final Map<String, MockCluster> clusters = new TreeMap<>();

  @AfterAll
  static void stopKit() {
    io.tributary.consul.HttpTestKits.shutdown(KIT);
  }

  @AfterEach
  void stopAll() {
    clusters.values().forEach(MockCluster::close);
    consul.close();
  }

  @Test
  void watchesDroppedEveryFewSecondsAndAnswered410MissNoDeleteAndNoCreate() {
    clusters.put("eu-1", new MockCluster(MockCluster.Mode.TRAEFIK));
    clusters.put("eu-2", new MockCluster(MockCluster.Mode.TRAEFIK));
    Config config = Faults.config(consul, BIND.server(), Map.of(
        "eu-1", Faults.endpoints("192.0.2.11"),
        "eu-2", Faults.endpoints("192.0.2.21")), "");
    var churn = new Churn(15, clusters);
    churn.seed(15);
    LiveServices.start(KIT, TributarySettings.from(config), clusters);
    Duration initial = Faults.awaitConverged(config, clusters, consul, BIND.server(), Duration.ofSeconds(60));
    System.out.printf("[fault watch-410] initial sync of %d objects converged in %d ms%n", churn.creates.get(), initial.toMillis());

    long started = System.nanoTime();
    int deletesWhileDown = 0;
    for (int drop = 1; drop <= DROPS; drop++) {
      // the watches drop; every re-watch is told its resourceVersion is gone
      Map<String, Integer> refusedBefore = new TreeMap<>();
      clusters.forEach((name, c) -> {
        c.watchesGone = true;
        refusedBefore.put(name, c.watchesRefused.get());
        c.goAway();
        c.comeBack();
      });
      int deletes = churn.deletes.get();
      churn.deletes(4);
      churn.creates(3);
      churn.updates(3);
      deletesWhileDown += churn.deletes.get() - deletes;
      // two refusals after those changes: a relist happened in between, after every one of them
      await().atMost(Duration.ofSeconds(60)).until(() ->
          clusters.entrySet().stream().allMatch(e -> e.getValue().watchesRefused.get() >= refusedBefore.get(e.getKey()) + 2));
      Map<String, Integer> openedBefore = new TreeMap<>();
      clusters.forEach((name, c) -> {
        openedBefore.put(name, c.watchesOpened.get());
        c.watchesGone = false;
      });
      await().atMost(Duration.ofSeconds(60)).until(() ->
          clusters.entrySet().stream().allMatch(e -> e.getValue().watchesOpened.get() > openedBefore.get(e.getKey())));
      // and some changes while the watches are open again
      for (int i = 0; i < 8; i++) {
        churn.step();
      }
    }
    long churnMillis = (System.nanoTime() - started) / 1_000_000;
    int refused = clusters.values().stream().mapToInt(c -> c.watchesRefused.get()).sum();
    var expected = Faults.expected(config, clusters);
    Duration converged = Faults.awaitConverged(expected, consul, BIND.server(), Duration.ofSeconds(30));
    System.out.printf("[fault watch-410] %d watch drops per cluster over %d ms, %d re-watches answered 410, %d creates,"
            + " %d updates, %d deletes (%d while the watches were down); converged %d ms after the last change:"
            + " %d Consul registrations, %d DNS records as desired%n",
        DROPS, churnMillis, refused, churn.creates.get(), churn.updates.get(), churn.deletes.get(), deletesWhileDown,
        converged.toMillis(), expected.consul().size(), expected.dns().size());
    assertThat(deletesWhileDown).isPositive();
  }
}
