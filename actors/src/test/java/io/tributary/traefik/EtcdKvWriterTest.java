package io.tributary.traefik;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.settings.SecretSource;
import io.tributary.target.Change;
import io.tributary.target.Op;
import io.tributary.testkit.EtcdServer;
import io.tributary.testkit.EtcdServerExtension;
import io.tributary.writer.WriterProtocol;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Traefik writer's etcd sink (a reconciling writer over {@link EtcdKvClient}) against a real
 * etcd over plain HTTP: what issue 13 asks of it ({@link EtcdKvTlsTest} and {@link EtcdKvAuthTest}
 * cover TLS and users). Real time, since the I/O is real. Every test but the one about foreign
 * keys under {@code traefik/} uses a root of its own, so a complete marker of one test cannot
 * remove another's keys and they share one server.
 */
class EtcdKvWriterTest extends EtcdWriterTestSupport {
  @RegisterExtension static final EtcdServerExtension ETCD = new EtcdServerExtension();

  private static EtcdServer etcd() {
    return ETCD.server();
  }

  private Counting client(String root) {
    return client(settings(root, etcd().endpoint(), "", SecretSource.none(), "", "", ""));
  }

  @Test
  void createsUpdatesAndDeletesACanarysEntries() {
    String root = "crud";
    var w = writer(client(root));
    complete(w);
    var v1 = canary(root, "shop-checkout", 90);
    send(w, creates(v1));
    eventually(() -> assertThat(etcd().getPrefix(root + "/")).isEqualTo(asMap(v1)));

    var v2 = canary(root, "shop-checkout", 0);
    List<Change> updates = new ArrayList<>();
    for (int i = 0; i < v1.size(); i++) {
      if (!v1.get(i).equals(v2.get(i))) {
        updates.add(new Change(Op.UPDATE, v2.get(i).key(), v2.get(i), v1.get(i)));
      }
    }
    assertThat(updates).hasSize(2);
    send(w, updates);
    eventually(() -> assertThat(etcd().getPrefix(root + "/")).isEqualTo(asMap(v2)));

    send(w, v2.stream().map(x -> new Change(Op.DELETE, x.key(), null, x)).toList());
    eventually(() -> assertThat(etcd().getPrefix(root + "/")).isEmpty());
    assertThat(observer.refused).isEmpty();
  }

  @Test
  void aHandWrittenKeyAndAnotherOwnersRouterSurviveWritesTheCompleteMarkerAndARestart() {
    String root = "traefik";
    etcd().put("traefik/http/routers/handmade/rule", "Host(`handmade.example.com`)");
    etcd().put("traefik/http/routers/other.x/rule", "Host(`other.example.com`)");
    // left by an earlier run of this owner, no longer wanted: removed at the complete marker
    etcd().put("traefik/http/routers/" + OWNER + ".stale/rule", "Host(`stale.example.com`)");
    var entries = canary(root, "keep", 50);
    var first = writer(client(root));
    send(first, creates(entries));
    complete(first);
    Map<String, String> expected = new TreeMap<>(asMap(entries));
    expected.put("traefik/http/routers/handmade/rule", "Host(`handmade.example.com`)");
    expected.put("traefik/http/routers/other.x/rule", "Host(`other.example.com`)");
    eventually(() -> assertThat(etcd().getPrefix("traefik/")).isEqualTo(expected));

    stop(first);
    observer.written.clear();
    var second = writer(client(root));
    send(second, creates(entries));
    complete(second);
    var probe = KIT.<WriterProtocol.State>createTestProbe();
    eventually(() -> {
      second.tell(new WriterProtocol.GetState(probe.getRef()));
      assertThat(probe.receiveMessage(Duration.ofSeconds(5)).records()).containsOnlyKeys(asMap(entries).keySet());
    });
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(observer.written::isEmpty);
    assertThat(etcd().getPrefix("traefik/")).isEqualTo(expected);
    assertThat(observer.refused).isEmpty();
  }

  @Test
  void aRestartOverUnchangedEtcdWritesNothing() {
    String root = "restart";
    var entries = canary(root, "shop", 90);
    var first = writer(client(root));
    send(first, creates(entries));
    eventually(() -> assertThat(etcd().getPrefix(root + "/")).isEqualTo(asMap(entries)));
    stop(first);
    long revision = etcd().revision();

    var client = client(root);
    var second = writer(client);
    send(second, creates(entries));
    complete(second);
    var probe = KIT.<WriterProtocol.State>createTestProbe();
    eventually(() -> {
      second.tell(new WriterProtocol.GetState(probe.getRef()));
      assertThat(probe.receiveMessage(Duration.ofSeconds(5)).records()).containsOnlyKeys(asMap(entries).keySet());
    });
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> client.batches.isEmpty());
    assertThat(etcd().revision()).isEqualTo(revision);
  }

  @Test
  void eachBatchIsOneTransaction() {
    String root = "batches";
    var client = client(root);
    var w = writer(client);
    eventually(() -> assertThat(observer.outageFailures.get() + observer.configurationFailures.get()).isZero());
    List<TraefikEntry> entries = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      entries.addAll(canary(root, "svc-" + i, i * 4)); // 150 keys: at least 3 batches of at most 64
    }
    long before = etcd().revision();
    send(w, creates(entries));
    eventually(() -> assertThat(etcd().getPrefix(root + "/")).hasSize(150));
    eventually(() -> assertThat(client.batches.stream().mapToInt(Integer::intValue).sum()).isEqualTo(150));
    assertThat(client.batches).allMatch(n -> n <= EtcdKvClient.MAX_BATCH).hasSizeGreaterThanOrEqualTo(3);
    assertThat(etcd().revision() - before).isEqualTo(client.batches.size());
  }

  @Test
  void aKeyChangedBehindTributarysBackIsReportedNotOverwrittenAndTheRestOfTheBatchIsWritten() {
    String root = "conflict";
    var w = writer(client(root));
    complete(w);
    var v1 = canary(root, "shop", 90);
    send(w, creates(v1));
    eventually(() -> assertThat(etcd().getPrefix(root + "/")).isEqualTo(asMap(v1)));
    String weight = root + "/http/services/" + OWNER + ".shop/weighted/services/0/weight";
    etcd().put(weight, "75"); // an operator's hand edit
    // someone else created a key this writer now wants to create
    String taken = root + "/http/routers/" + OWNER + ".taken/rule";
    etcd().put(taken, "Host(`someone.example.com`)");

    var v2 = canary(root, "shop", 80);
    List<Change> batch = new ArrayList<>();
    for (int i = 0; i < v1.size(); i++) {
      if (!v1.get(i).equals(v2.get(i))) {
        batch.add(new Change(Op.UPDATE, v2.get(i).key(), v2.get(i), v1.get(i)));
      }
    }
    batch.add(new Change(Op.CREATE, taken, e(taken, "Host(`mine.example.com`)"), null));
    send(w, batch);
    eventually(() -> assertThat(observer.refused).containsKeys(weight, taken));
    assertThat(observer.refused.get(weight)).contains("changed in etcd at").contains("now '75'");
    assertThat(observer.refused.get(taken)).contains("already exists");
    assertThat(etcd().get(weight)).isEqualTo("75");
    assertThat(etcd().get(taken)).isEqualTo("Host(`someone.example.com`)");
    assertThat(etcd().get(root + "/http/services/" + OWNER + ".shop/weighted/services/1/weight")).isEqualTo("20");
  }

  @Test
  void etcdStoppedFor30SecondsWhileChangesArriveLosesNothingAndConvergesSoonAfter() {
    String root = "outage";
    var client = client(root);
    var w = writer(client);
    complete(w);
    Map<String, TraefikEntry> desired = new LinkedHashMap<>();
    List<Change> before = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      for (TraefikEntry x : canary(root, "svc-" + i, 90)) {
        before.add(new Change(Op.CREATE, x.key(), x, null));
        desired.put(x.key(), x);
      }
    }
    send(w, before);
    eventually(() -> assertThat(etcd().getPrefix(root + "/")).hasSize(desired.size()));

    etcd().stop();
    Instant down = Instant.now();
    int writtenBefore = observer.written.size();
    int failuresBefore = observer.outageFailures.get();
    List<Change> during = new ArrayList<>();
    for (int round = 0; round < 5; round++) {
      for (int i = 0; i < 40; i++) { // 20 existing canaries and 20 new ones, changed several times
        for (TraefikEntry x : canary(root, "svc-" + i, (round * 17 + i) % 101)) {
          var was = desired.get(x.key());
          if (round == 4 && i % 5 == 0) {
            if (was != null) {
              during.add(new Change(Op.DELETE, x.key(), null, was));
              desired.remove(x.key());
            }
            continue;
          }
          if (x.equals(was)) {
            continue;
          }
          during.add(was == null ? new Change(Op.CREATE, x.key(), x, null) : new Change(Op.UPDATE, x.key(), x, was));
          desired.put(x.key(), x);
        }
      }
    }
    send(w, during);
    // the rest of the 30 s outage: every change accepted, none written
    Duration rest = Duration.ofSeconds(30).minus(Duration.between(down, Instant.now()));
    await().during(rest).atMost(rest.plusSeconds(5)).until(() -> observer.written.size() == writtenBefore);
    int failures = observer.outageFailures.get() - failuresBefore;
    // backoff from 200 ms doubling to 2 s: about 20 attempts in 30 s, never a busy loop
    assertThat(failures).isPositive().isLessThan(40);
    assertThat(observer.configurationFailures.get()).isZero();

    etcd().startAgain();
    Instant back = Instant.now();
    Map<String, String> expected = new TreeMap<>();
    desired.values().forEach(x -> expected.put(x.key(), x.value()));
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
        .untilAsserted(() -> assertThat(etcd().getPrefix(root + "/")).isEqualTo(expected));
    assertThat(Duration.between(back, Instant.now())).isLessThan(Duration.ofSeconds(10));
    assertThat(observer.refused).isEmpty();
  }
}
