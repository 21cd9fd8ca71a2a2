package io.tributary.replay;

import static io.tributary.replay.Logs.T0;
import static io.tributary.replay.Logs.web;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.eventlog.LogEvent;
import io.tributary.eventlog.LogEventType;
import io.tributary.target.Op;
import io.tributary.target.Target;
import io.tributary.target.TargetRecord;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The simulator acts on the log's fault events as the live service meets the faults: a target
 * down is retried with the writer's backoff and loses nothing, a lost cluster keeps its records
 * and relists after it is back — deterministically.
 */
class ReplayFaultEventsTest {
  private static final Duration DOWN_AT = Duration.ofSeconds(10);
  private static final Duration UP_AT = Duration.ofSeconds(70);

  private static Duration s(double seconds) {
    return Duration.ofMillis(Math.round(seconds * 1000));
  }

  /** Five Ingresses in each cluster, then changes in eu-1 before, during and after {@code 10 s .. 70 s}. */
  private static Logs busyLog(boolean withOutage) {
    var log = new Logs();
    for (String c : List.of("eu-1", "eu-2")) {
      for (int i = 0; i < 5; i++) {
        log.add(s(0), c, LogEventType.ADDED, web("shop", "app" + i, "app" + i + "-" + c + ".example.com"));
      }
    }
    log.synced(s(0.001), "eu-1", "eu-2");
    log.add(s(5), "eu-1", LogEventType.MODIFIED, web("shop", "app0", "app0-eu-1.example.com").annotation(PRIORITY, "5"));
    if (withOutage) {
      log.events().add(new LogEvent(T0.plus(DOWN_AT), null, LogEventType.TARGET_DOWN, null, null, null, "consul"));
    }
    // during the outage: a new object, updates (one record changed three times), a delete
    log.add(s(12), "eu-1", LogEventType.ADDED, web("shop", "new", "new-eu-1.example.com"));
    for (int i = 0; i < 3; i++) {
      log.add(s(20 + i * 10), "eu-1", LogEventType.MODIFIED,
          web("shop", "app1", "app1-eu-1.example.com").annotation(PRIORITY, "" + (10 + i)));
    }
    log.add(s(45), "eu-1", LogEventType.DELETED, web("shop", "app2", "app2-eu-1.example.com"));
    log.add(s(50), "eu-2", LogEventType.MODIFIED, web("shop", "app3", "app3-eu-2.example.com").annotation(PRIORITY, "7"));
    if (withOutage) {
      log.events().add(new LogEvent(T0.plus(UP_AT), null, LogEventType.TARGET_UP, null, null, null, "consul"));
    }
    log.add(s(90), "eu-1", LogEventType.MODIFIED, web("shop", "app4", "app4-eu-1.example.com").annotation(PRIORITY, "9"));
    return log;
  }

  private static final String PRIORITY = "traefik.ingress.kubernetes.io/router.priority";

  @Test
  void aTargetDownDelaysItsWritesUntilItIsUpRetryingWithBackoffAndLosesNothing() {
    var baselineWrites = Logs.newWrites();
    ReplayResult baseline = busyLog(false).replay(Logs.TWO_CLUSTERS, baselineWrites);
    var writes = Logs.newWrites();
    ReplayResult outage = busyLog(true).replay(Logs.TWO_CLUSTERS, writes);
    Instant down = T0.plus(DOWN_AT);
    Instant up = T0.plus(UP_AT);

    // none lost: every target ends record by record as without the outage
    for (Target t : Target.values()) {
      assertThat(outage.state().get(t)).as(t.id()).isEqualTo(baseline.state().get(t));
    }
    // nothing reaches Consul while it is down
    assertThat(writes).filteredOn(w -> w.target() == Target.CONSUL && !w.at().isBefore(down) && w.at().isBefore(up))
        .isEmpty();
    // what the outage delayed reaches it after it is up, each record in its latest state only
    var delayed = lastByKey(baselineWrites, Target.CONSUL, down, up);
    assertThat(delayed).isNotEmpty();
    var afterUp = writes.stream().filter(w -> w.target() == Target.CONSUL && !w.at().isBefore(up)
        && w.at().isBefore(T0.plusSeconds(90))).toList();
    assertThat(lastByKey(afterUp, Target.CONSUL, up, T0.plusSeconds(90))).isEqualTo(delayed);
    assertThat(afterUp).hasSize(delayed.size()); // coalesced per record: app1's three updates are one
    // in order: a record's create comes before any update of it, and the delete of app2 is there
    assertThat(afterUp).extracting(w -> w.change().op()).contains(Op.CREATE, Op.UPDATE, Op.DELETE);
    // the other targets never noticed: DNS and Traefik wrote what and when they did without it
    for (Target t : List.of(Target.DNS, Target.TRAEFIK)) {
      assertThat(described(writes, t)).isEqualTo(described(baselineWrites, t));
    }
    // the change after recovery is written as usual
    assertThat(writes).filteredOn(w -> w.at().isAfter(T0.plusSeconds(90)) && w.target() == Target.CONSUL).isNotEmpty();

    ReplayFaults.Outage o = outage.stats().faults().outages().get(0);
    assertThat(o.target()).isEqualTo(Target.CONSUL);
    assertThat(o.down()).isEqualTo(down);
    assertThat(o.up()).isEqualTo(up);
    assertThat(o.writesWhileDown()).isZero();
    assertThat(o.writesAfterUp()).isEqualTo(delayed.size());
    // the writer's backoff: 200 ms after the first failure, doubling, capped at 3 s (writer.retry);
    // so about 20 attempts in the 58 s between the first write and TARGET_UP, not thousands
    List<Duration> gaps = gaps(o.attempts());
    assertThat(gaps.get(0)).isEqualTo(Duration.ofMillis(200));
    for (int i = 1; i < gaps.size(); i++) {
      assertThat(gaps.get(i)).isBetween(gaps.get(i - 1), Duration.ofSeconds(3));
    }
    assertThat(gaps).contains(Duration.ofSeconds(3));
    assertThat(o.failedAttempts()).isBetween(15L, 30L);
    // the first change that met it down, out of its debounce window (quiet 250 ms)
    assertThat(o.attempts().get(0)).isEqualTo(T0.plusSeconds(12).plusMillis(250));
    // converged within one max-backoff (plus the writer's linger) of recovery
    assertThat(o.drained()).isAfter(up).isBeforeOrEqualTo(up.plusSeconds(3).plusMillis(50));
    assertThat(afterUp.get(0).at()).isEqualTo(o.drained());

    var summary = summary(outage);
    assertThat(summary).contains("outage           consul down 60.0 s from " + down + ": " + o.failedAttempts()
        + " failed attempts, 200 ms apart growing to 3.0 s");
    assertThat(summary).contains(delayed.size() + " changes written after it answered again");
    assertThat(summary).doesNotContain("not acted on");
  }

  @Test
  void aReplayedOutageIsDeterministic() {
    var first = Logs.newWrites();
    ReplayResult a = busyLog(true).replay(Logs.TWO_CLUSTERS, first);
    var second = Logs.newWrites();
    ReplayResult b = busyLog(true).replay(Logs.TWO_CLUSTERS, second);
    assertThat(transcript(second)).isEqualTo(transcript(first));
    assertThat(b.stats().faults().outages()).isEqualTo(a.stats().faults().outages());
    assertThat(b.state()).isEqualTo(a.state());
  }

  @Test
  void aTargetStillDownAtTheEndKeepsItsChangesPending() {
    var log = busyLog(false);
    log.events().add(0, new LogEvent(T0, null, LogEventType.TARGET_DOWN, null, null, null, "dns"));
    var writes = Logs.newWrites();
    ReplayResult result = log.replay(Logs.TWO_CLUSTERS, writes);
    assertThat(writes).filteredOn(w -> w.target() == Target.DNS).isEmpty();
    assertThat(result.state().get(Target.DNS)).isEmpty();
    assertThat(result.stats().faults().pendingAtEnd(Target.DNS)).isPositive();
    assertThat(result.stats().faults().outages().get(0).up()).isNull();
    assertThat(summary(result)).contains("dns down from " + T0 + " to the end of the log")
        .contains("changes still pending at the end");
  }

  @Test
  void aTargetDownWhileNothingIsWrittenChangesNothing() {
    var baseline = Logs.newWrites();
    busyLog(false).replay(Logs.TWO_CLUSTERS, baseline);
    var log = busyLog(false);
    log.events().add(new LogEvent(T0.plusSeconds(91), null, LogEventType.TARGET_DOWN, null, null, null, "traefik"));
    log.events().add(new LogEvent(T0.plusSeconds(95), null, LogEventType.TARGET_UP, null, null, null, "traefik"));
    log.events().add(new LogEvent(T0.plusSeconds(96), null, LogEventType.TARGET_UP, null, null, null, "traefik"));
    log.events().add(new LogEvent(T0.plusSeconds(97), null, LogEventType.TARGET_DOWN, null, null, null, "etcd"));
    var writes = Logs.newWrites();
    ReplayResult result = log.replay(Logs.TWO_CLUSTERS, writes);
    assertThat(transcript(writes)).isEqualTo(transcript(baseline));
    assertThat(result.stats().faults().ignored()).containsExactly(
        T0.plusSeconds(96) + " TARGET_UP: traefik is already up",
        T0.plusSeconds(97) + " TARGET_DOWN: unknown target 'etcd' (one of consul, dns, traefik)");
  }

  /** eu-2's objects: a, b, c; while it is lost b is deleted and a changed; it comes back with a, c and a new d. */
  private static Logs clusterLog(boolean lost, boolean back) {
    var log = new Logs();
    for (String c : List.of("eu-1", "eu-2")) {
      for (String n : List.of("a", "b", "c")) {
        log.add(s(0), c, LogEventType.ADDED, web("shop", n, n + "-" + c + ".example.com"));
      }
    }
    log.synced(s(0.001), "eu-1", "eu-2");
    if (lost) {
      log.events().add(new LogEvent(T0.plusSeconds(10), "eu-2", LogEventType.CLUSTER_LOST, null, null, null, null));
    }
    // what happens in eu-2 meanwhile: with the watch down, a live service sees none of it
    log.add(s(20), "eu-2", LogEventType.MODIFIED, web("shop", "a", "a-eu-2.example.com").annotation(PRIORITY, "3"));
    log.add(s(21), "eu-2", LogEventType.DELETED, web("shop", "b", "b-eu-2.example.com"));
    log.add(s(25), "eu-1", LogEventType.MODIFIED, web("shop", "a", "a-eu-1.example.com").annotation(PRIORITY, "4"));
    if (lost && back) {
      log.events().add(new LogEvent(T0.plusSeconds(40), "eu-2", LogEventType.CLUSTER_BACK, null, null, null, null));
      // the relist: every object the API server has now, then the markers
      log.add(s(40.1), "eu-2", LogEventType.ADDED, web("shop", "a", "a-eu-2.example.com").annotation(PRIORITY, "3"));
      log.add(s(40.1), "eu-2", LogEventType.ADDED, web("shop", "c", "c-eu-2.example.com"));
      log.add(s(40.1), "eu-2", LogEventType.ADDED, web("shop", "d", "d-eu-2.example.com"));
      log.synced(s(40.2), "eu-2");
    } else if (!lost) {
      log.add(s(40.1), "eu-2", LogEventType.ADDED, web("shop", "d", "d-eu-2.example.com"));
    }
    return log;
  }

  @Test
  void aLostClusterKeepsItsRecordsAndItsRelistDeletesOnlyWhatIsGone() {
    var writes = Logs.newWrites();
    ReplayResult result = clusterLog(true, true).replay(Logs.TWO_CLUSTERS, writes);
    // while lost: eu-2's records stay, its changes wait; eu-1 is written as usual
    assertThat(writes).filteredOn(w -> w.at().isAfter(T0.plusSeconds(10)) && w.at().isBefore(T0.plusSeconds(40))
        && w.change().key().contains("eu-2")).isEmpty();
    assertThat(writes).filteredOn(w -> w.at().isAfter(T0.plusSeconds(25)) && w.at().isBefore(T0.plusSeconds(26))
        && w.target() == Target.CONSUL).isNotEmpty();
    // after the relist the targets hold what they would had the watch never dropped
    ReplayResult direct = clusterLog(false, false).replay(Logs.TWO_CLUSTERS, Logs.newWrites());
    for (Target t : Target.values()) {
      assertThat(result.state().get(t)).as(t.id()).isEqualTo(direct.state().get(t));
    }
    // b, deleted while the watch was down, is deleted when the relist's Ingress marker comes
    assertThat(writes).filteredOn(w -> w.change().op() == Op.DELETE)
        .allMatch(w -> w.change().key().contains("b-eu-2") && w.at().equals(T0.plus(s(40.2))));
    assertThat(writes).filteredOn(w -> w.change().op() == Op.DELETE).isNotEmpty();

    ReplayFaults.ClusterLoss loss = result.stats().faults().clusterLosses().get(0);
    assertThat(loss).isEqualTo(new ReplayFaults.ClusterLoss(
        "eu-2", T0.plusSeconds(10), T0.plusSeconds(40), 2, 3, 1, T0.plus(s(40.2))));
    assertThat(result.stats().faults().clusterStates()).containsEntry("eu-2", "synced");
    assertThat(summary(result)).contains("cluster lost     eu-2 lost 30.0 s from " + T0.plusSeconds(10)
        + ": 2 of its events unseen (watch down), records kept")
        .contains("relisted 3 objects; 1 not listed again deleted; synced again at " + T0.plus(s(40.2)));
  }

  @Test
  void aClusterLostToTheEndIsNeverDeletedMerelyForBeingLost() {
    var writes = Logs.newWrites();
    ReplayResult result = clusterLog(true, false).replay(Logs.TWO_CLUSTERS, writes);
    assertThat(writes).filteredOn(w -> w.change().op() == Op.DELETE).isEmpty();
    assertThat(result.state().get(Target.CONSUL).keySet()).filteredOn(k -> k.contains("eu-2")).hasSize(3);
    assertThat(result.stats().faults().clusterStates()).containsEntry("eu-2", "disconnected");
  }

  private static Map<String, TargetRecord> lastByKey(List<Logs.Write> writes, Target target, Instant from, Instant to) {
    Map<String, TargetRecord> last = new LinkedHashMap<>();
    for (Logs.Write w : writes) {
      if (w.target() == target && !w.at().isBefore(from) && w.at().isBefore(to)) {
        last.put(w.change().key(), w.change().value());
      }
    }
    return new java.util.TreeMap<>(last);
  }

  private static List<String> described(List<Logs.Write> writes, Target target) {
    return writes.stream().filter(w -> w.target() == target).map(w -> w.at() + " " + w.describe() + " " + w.change().value())
        .toList();
  }

  private static String transcript(List<Logs.Write> writes) {
    return writes.stream().map(w -> w.at() + " " + w.describe() + " " + w.change().value()).collect(Collectors.joining("\n"));
  }

  private static List<Duration> gaps(List<Instant> attempts) {
    List<Duration> gaps = new ArrayList<>();
    for (int i = 1; i < attempts.size(); i++) {
      gaps.add(Duration.between(attempts.get(i - 1), attempts.get(i)));
    }
    return gaps;
  }

  private static String summary(ReplayResult result) {
    var bytes = new ByteArrayOutputStream();
    ReplayReport.printSummary(result, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
