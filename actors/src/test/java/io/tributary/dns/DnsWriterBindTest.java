package io.tributary.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.target.Change;
import io.tributary.target.ChangeSet;
import io.tributary.target.Op;
import io.tributary.target.Target;
import io.tributary.settings.DnsSettings;
import io.tributary.settings.DnsSettings.TxtFormat;
import io.tributary.settings.DnsZoneSettings;
import io.tributary.settings.SecretSource;
import io.tributary.settings.WriterSettings;
import io.tributary.service.TargetWriters;
import io.tributary.testkit.BindServer;
import io.tributary.testkit.BindServerExtension;
import io.tributary.writer.RecordingObserver;
import io.tributary.writer.WriterProtocol;
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
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DNS writer (a reconciling writer per zone over {@link DnsZoneClient}) against a real BIND 9:
 * what issue 6 asks to show. Real time, since the I/O is real. Every test uses names of its own,
 * so they share one server.
 */
class DnsWriterBindTest {
  @RegisterExtension static final BindServerExtension BIND = new BindServerExtension("example.com", "example.org");

  private static final ActorTestKit KIT = ActorTestKit.create();
  private static final AtomicLong SEQ = new AtomicLong();
  private static final WriterSettings WRITER = new WriterSettings(50, Duration.ofSeconds(30), Duration.ofMillis(50), 100_000,
      Duration.ofMillis(200), Duration.ofSeconds(2), 0.2, Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofMinutes(5),
      new io.tributary.settings.BackoffSettings(Duration.ofMillis(200), Duration.ofSeconds(30), 0.2));

  @TempDir Path tmp;
  private final TestProbe<WriterProtocol.Ack> acks = KIT.createTestProbe();
  private final RecordingObserver observer = new RecordingObserver();

  private final List<ActorRef<WriterProtocol.Command>> writers = new ArrayList<>();

  @AfterAll
  static void stopKit() {
    KIT.shutdownTestKit();
  }

  @AfterEach
  void stopWriters() {
    writers.forEach(KIT::stop); // a writer left running would repair drift in the next test's names
  }

  private static BindServer bind() {
    return BIND.server();
  }

  private DnsSettings settings(Path secretFile, TxtFormat format, String takeover) {
    var tsig = new DnsZoneSettings.TsigKey(BindServer.KEY, "hmac-sha256", new SecretSource(secretFile.toString(), ""));
    List<DnsZoneSettings> zones = List.of(
        new DnsZoneSettings("example.com", bind().address(), tsig, null, Duration.ofSeconds(30), List.of(), List.of()),
        new DnsZoneSettings("example.org", bind().address(), tsig, null, Duration.ZERO, List.of(), List.of()));
    return new DnsSettings(Duration.ofSeconds(60), zones, List.of(), List.of(), format, takeover, 50, Duration.ofSeconds(2));
  }

  private ActorRef<WriterProtocol.Command> writer(DnsSettings dns, WriterSettings writer) {
    var blocking = KIT.system().dispatchers().lookup(DispatcherSelector.blocking());
    var w = KIT.spawn(TargetWriters.dnsZones(dns, zone -> new DnsZoneClient(zone, dns, "tributary", blocking), writer, observer,
        Clock.systemUTC()));
    writers.add(w);
    return w;
  }

  private ActorRef<WriterProtocol.Command> writer() {
    return writer(settings(bind().secretFile(), TxtFormat.TRIBUTARY, ""), WRITER);
  }

  static DnsRecordSet rs(String name, String type, String... values) {
    return new DnsRecordSet(name, type, 60, List.of(values), "tributary", List.of("eu-1/Ingress/shop/" + name.split("\\.")[0]));
  }

  private void send(ActorRef<WriterProtocol.Command> writer, List<Change> changes) {
    for (int i = 0; i < changes.size(); i += 50) {
      writer.tell(new WriterProtocol.Apply(new ChangeSet(Target.DNS, changes.subList(i, Math.min(changes.size(), i + 50))),
          "s", SEQ.incrementAndGet(), acks.getRef()));
      acks.expectMessageClass(WriterProtocol.Ack.class, Duration.ofSeconds(10));
    }
  }

  private void complete(ActorRef<WriterProtocol.Command> writer) {
    writer.tell(new WriterProtocol.Apply(ChangeSet.complete(Target.DNS), "s", SEQ.incrementAndGet(), acks.getRef()));
    acks.expectMessageClass(WriterProtocol.Ack.class, Duration.ofSeconds(10));
  }

  private static Change create(DnsRecordSet r) {
    return new Change(Op.CREATE, r.key(), r, null);
  }

  private static Change update(DnsRecordSet from, DnsRecordSet to) {
    return new Change(Op.UPDATE, to.key(), to, from);
  }

  private static Change delete(DnsRecordSet r) {
    return new Change(Op.DELETE, r.key(), null, r);
  }

  private static void eventually(Runnable assertion) {
    await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).untilAsserted(assertion::run);
  }

  @Test
  void createsUpdatesAndDeletesARecordsAaaaAndCnamesWithTheirOwnershipTxt() {
    var w = writer();
    complete(w); // every cluster has listed: updates of existing record sets flow
    var a = rs("crud-a.example.com", "A", "192.0.2.1", "192.0.2.2");
    var aaaa = rs("crud-a.example.com", "AAAA", "2001:db8::1");
    var cname = rs("crud-c.example.org", "CNAME", "lb-1.example.net");
    send(w, List.of(create(a), create(aaaa), create(cname)));
    eventually(() -> {
      assertThat(bind().query("crud-a.example.com", "A")).containsExactly("192.0.2.1", "192.0.2.2");
      assertThat(bind().query("crud-a.example.com", "AAAA")).containsExactly("2001:db8:0:0:0:0:0:1"); // dnsjava prints it in full
      assertThat(bind().query("crud-c.example.org", "CNAME")).containsExactly("lb-1.example.net.");
    });
    assertThat(bind().query("_tributary-a.crud-a.example.com", "TXT"))
        .containsExactly("\"heritage=tributary\" \"tributary/owner=tributary\" \"tributary/source=eu-1/Ingress/shop/crud-a\"");
    assertThat(bind().query("_tributary-cname.crud-c.example.org", "TXT")).hasSize(1);

    // endpoint sets change; the CNAME moves to another load balancer
    var a2 = rs("crud-a.example.com", "A", "192.0.2.2", "192.0.2.3");
    var cname2 = rs("crud-c.example.org", "CNAME", "lb-2.example.net");
    send(w, List.of(update(a, a2), update(cname, cname2)));
    eventually(() -> {
      assertThat(bind().query("crud-a.example.com", "A")).containsExactly("192.0.2.2", "192.0.2.3");
      assertThat(bind().query("crud-c.example.org", "CNAME")).containsExactly("lb-2.example.net.");
    });

    send(w, List.of(delete(a2), delete(aaaa), delete(cname2)));
    eventually(() -> assertThat(bind().zoneLines("example.com")).noneMatch(l -> l.contains("crud-a")));
    assertThat(bind().zoneLines("example.org")).noneMatch(l -> l.contains("crud-c"));
    assertThat(observer.refused).isEmpty();
  }

  @Test
  void aWildcardNameAnswersForEveryNameBelowIt() {
    var w = writer();
    send(w, List.of(create(rs("*.wild.example.com", "A", "192.0.2.90"))));
    eventually(() -> assertThat(bind().query("anything.wild.example.com", "A")).containsExactly("192.0.2.90"));
    assertThat(bind().zoneLines("example.com")).anyMatch(l -> l.startsWith("_tributary-a.*.wild.example.com TXT"));
  }

  @Test
  void aRecordSetCreatedBySomeoneElseIsNeitherChangedNorDeletedAndTheConflictIsReported() {
    bind().nsupdate("update add taken.example.com 300 A 198.51.100.7");
    var w = writer();
    var mine = rs("taken.example.com", "A", "192.0.2.10");
    var free = rs("free.example.com", "A", "192.0.2.11");
    send(w, List.of(create(mine), create(free)));
    eventually(() -> assertThat(observer.refused).containsKey("taken.example.com/A"));
    assertThat(observer.refused.get("taken.example.com/A")).contains("created by someone else");
    eventually(() -> assertThat(bind().query("free.example.com", "A")).containsExactly("192.0.2.11"));
    assertThat(bind().query("taken.example.com", "A")).containsExactly("198.51.100.7");

    // once every cluster has synced, Tributary deletes what it owns and nobody wants: not the foreign set
    complete(w);
    send(w, List.of(delete(free)));
    eventually(() -> assertThat(bind().query("free.example.com", "A")).isEmpty());
    assertThat(bind().query("taken.example.com", "A")).containsExactly("198.51.100.7");
    assertThat(bind().query("_tributary-a.taken.example.com", "TXT")).isEmpty();
  }

  @Test
  void aWrongTsigSecretIsAConfigurationErrorRetriedSlowlyAndFixingItAppliesThePendingChanges() throws Exception {
    Path secret = tmp.resolve("tsig.secret");
    Files.writeString(secret, java.util.Base64.getEncoder().encodeToString(new byte[32]));
    var w = writer(settings(secret, TxtFormat.TRIBUTARY, ""), WRITER);
    List<Change> changes = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      changes.add(create(rs("badkey-" + i + ".example.com", "A", "192.0.2." + (i + 1))));
    }
    send(w, changes); // accepted: an outage of the key delays writes, never drops them
    eventually(() -> assertThat(observer.configurationFailures.get()).isGreaterThanOrEqualTo(2));
    int failures = observer.configurationFailures.get();
    // the configuration backoff (1 s doubling to 2 s here, 5 s to 60 s by default) bounds the attempts
    // two zones, each retried at most every second: a storm would be hundreds
    await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(5))
        .until(() -> observer.configurationFailures.get() - failures <= 10);
    assertThat(bind().query("badkey-0.example.com", "A")).isEmpty();

    Files.writeString(secret, bind().secret()); // the operator fixes the secret file
    eventually(() -> assertThat(bind().zoneLines("example.com").stream().filter(l -> l.startsWith("badkey-") && l.contains(" A ")))
        .hasSize(20));
    assertThat(observer.outageFailures.get()).isZero();
  }

  @Test
  void bindStoppedFor30SecondsWhile500ChangesArriveEndsWithExactlyTheDesiredZone() {
    var w = writer();
    complete(w);
    Map<String, DnsRecordSet> desired = new TreeMap<>();
    List<Change> before = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      var r = rs("outage-" + i + ".example.org", "A", "192.0.2." + (i % 250 + 1));
      before.add(create(r));
      desired.put(r.key(), r);
    }
    send(w, before);
    eventually(() -> assertThat(bind().query("outage-99.example.org", "A")).hasSize(1));

    bind().stop();
    Instant down = Instant.now();
    int writtenBefore = observer.written.size();
    List<Change> during = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      int n = i % 200; // 100 existing names and 100 new ones, most changed several times
      var key = "outage-" + n + ".example.org/A";
      var was = desired.get(key);
      if (i % 7 == 0 && was != null) {
        during.add(delete(was));
        desired.remove(key);
        continue;
      }
      var next = rs("outage-" + n + ".example.org", "A", "198.51.100." + (i % 250 + 1), "203.0.113." + (n % 250 + 1));
      during.add(was == null ? create(next) : update(was, next));
      desired.put(key, next);
    }
    send(w, during);
    // the rest of the 30 s outage: every change accepted, none written
    Duration rest = Duration.ofSeconds(30).minus(Duration.between(down, Instant.now()));
    await().during(rest).atMost(rest.plusSeconds(2)).until(() -> observer.written.size() == writtenBefore);
    assertThat(observer.outageFailures.get()).isPositive();
    bind().start();

    List<String> expected = new ArrayList<>();
    desired.values().forEach(r -> r.values().forEach(v -> expected.add(r.name() + " A " + v)));
    expected.sort(null);
    eventually(() -> assertThat(bind().zoneLines("example.org").stream().filter(l -> l.startsWith("outage-")).toList())
        .containsExactlyElementsOf(expected));
    assertThat(bind().zoneLines("example.org").stream().filter(l -> l.startsWith("_tributary-a.outage-")).count())
        .isEqualTo(desired.size());
    assertThat(observer.refused).isEmpty();
  }

  @Test
  void aRecordDeletedBehindTributarysBackIsRecreatedAtTheNextAntiEntropyPass() {
    var fast = new WriterSettings(50, Duration.ofSeconds(30), Duration.ofMillis(50), 100_000, Duration.ofMillis(200),
        Duration.ofSeconds(2), 0.2, Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(2),
        new io.tributary.settings.BackoffSettings(Duration.ofMillis(200), Duration.ofSeconds(30), 0.2));
    var w = writer(settings(bind().secretFile(), TxtFormat.TRIBUTARY, ""), fast);
    complete(w);
    var r = rs("drift.example.com", "A", "192.0.2.50");
    var gone = rs("drift-gone.example.com", "A", "192.0.2.51");
    send(w, List.of(create(r), create(gone)));
    eventually(() -> assertThat(bind().query("drift-gone.example.com", "A")).hasSize(1));

    bind().nsupdate("update delete drift.example.com A");
    bind().nsupdate("update delete drift-gone.example.com A", "update delete _tributary-a.drift-gone.example.com TXT");
    eventually(() -> {
      assertThat(bind().query("drift.example.com", "A")).containsExactly("192.0.2.50");
      assertThat(bind().query("drift-gone.example.com", "A")).containsExactly("192.0.2.51");
      assertThat(bind().query("_tributary-a.drift-gone.example.com", "TXT")).hasSize(1);
    });
  }

  @Test
  void aRestartOverAnUnchangedZoneWritesNothing() {
    var first = writer();
    var a = rs("restart.example.com", "A", "192.0.2.60");
    var v6 = rs("restart.example.com", "AAAA", "2001:db8::60");
    send(first, List.of(create(a), create(v6)));
    eventually(() -> assertThat(bind().query("restart.example.com", "AAAA")).hasSize(1));
    KIT.stop(first);
    writers.remove(first);
    observer.written.clear();

    var second = writer();
    send(second, List.of(create(a), create(v6)));
    var probe = KIT.<WriterProtocol.State>createTestProbe();
    eventually(() -> {
      second.tell(new WriterProtocol.GetState(probe.getRef()));
      assertThat(probe.receiveMessage(Duration.ofSeconds(5)).records()).containsKeys(a.key(), v6.key());
    });
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(observer.written::isEmpty);
  }

  @Test
  void takesOverRecordSetsOfTheNamedExternalDnsOwnerAndLeavesNoOrphanedTxt() {
    String txt = "\"heritage=external-dns,external-dns/owner=old-cluster,external-dns/resource=ingress/shop/legacy\"";
    bind().nsupdate("update add legacy.example.com 300 A 192.0.2.70",
        "update add legacy.example.com 300 TXT " + txt,
        "update add a-legacy.example.com 300 TXT " + txt,
        "update add other.example.com 300 A 192.0.2.71",
        "update add a-other.example.com 300 TXT \"heritage=external-dns,external-dns/owner=someone,external-dns/resource=ingress/x/y\"");
    var w = writer(settings(bind().secretFile(), TxtFormat.TRIBUTARY, "old-cluster"), WRITER);
    complete(w);
    send(w, List.of(create(rs("legacy.example.com", "A", "192.0.2.72")), create(rs("other.example.com", "A", "192.0.2.73"))));
    eventually(() -> assertThat(bind().query("legacy.example.com", "A")).containsExactly("192.0.2.72"));
    eventually(() -> assertThat(observer.refused).containsKey("other.example.com/A"));
    assertThat(observer.refused.get("other.example.com/A")).contains("owned by external-dns owner 'someone'");
    assertThat(bind().query("legacy.example.com", "TXT")).isEmpty();
    assertThat(bind().query("a-legacy.example.com", "TXT")).isEmpty();
    assertThat(bind().query("_tributary-a.legacy.example.com", "TXT")).hasSize(1);
    assertThat(bind().query("other.example.com", "A")).containsExactly("192.0.2.71");
    assertThat(bind().query("a-other.example.com", "TXT")).hasSize(1);
  }

  @Test
  void externalDnsFormatWritesExternalDnsRegistryRecords() {
    var w = writer(settings(bind().secretFile(), TxtFormat.EXTERNAL_DNS, ""), WRITER);
    var r = new DnsRecordSet("edns.example.org", "A", 60, List.of("192.0.2.80"), "tributary",
        List.of("eu-1/Ingress/a/b", "us-1/Ingress/a/b"));
    send(w, List.of(create(r)));
    eventually(() -> assertThat(bind().query("a-edns.example.org", "TXT"))
        .containsExactly("\"heritage=external-dns,external-dns/owner=tributary,external-dns/resource=eu-1/Ingress/a/b\""));
    // read back equal to what is wanted: a restart writes nothing
    KIT.stop(w);
    writers.remove(w);
    observer.written.clear();
    var again = writer(settings(bind().secretFile(), TxtFormat.EXTERNAL_DNS, ""), WRITER);
    send(again, List.of(create(r)));
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(observer.written::isEmpty);
  }

  @Test
  void aChangeOfTypeOfAnOwnedNameIsOneUpdateThatReplacesTheSetAndItsTxt() {
    var w = writer();
    complete(w);
    var cname = rs("retype.example.com", "CNAME", "lb.beta.example.net");
    send(w, List.of(create(cname)));
    eventually(() -> assertThat(bind().query("retype.example.com", "CNAME")).containsExactly("lb.beta.example.net."));

    // addresses arrive: the CNAME leaves and the A set comes in one UPDATE (the serial moves once)
    long before = bind().serial("example.com");
    var a = rs("retype.example.com", "A", "192.0.2.31", "192.0.2.32");
    send(w, List.of(delete(cname), create(a)));
    eventually(() -> assertThat(bind().query("retype.example.com", "A")).containsExactly("192.0.2.31", "192.0.2.32"));
    assertThat(bind().serial("example.com")).isEqualTo(before + 1);
    assertThat(bind().query("retype.example.com", "CNAME")).isEmpty();
    assertThat(bind().query("_tributary-cname.retype.example.com", "TXT")).isEmpty();
    assertThat(bind().query("_tributary-a.retype.example.com", "TXT")).hasSize(1);

    // and back: the addresses go, the CNAME comes, again one UPDATE
    long again = bind().serial("example.com");
    send(w, List.of(delete(a), create(cname)));
    eventually(() -> assertThat(bind().query("retype.example.com", "CNAME")).containsExactly("lb.beta.example.net."));
    assertThat(bind().serial("example.com")).isEqualTo(again + 1);
    assertThat(bind().query("retype.example.com", "A")).isEmpty();
    assertThat(bind().query("_tributary-a.retype.example.com", "TXT")).isEmpty();
    assertThat(bind().query("_tributary-cname.retype.example.com", "TXT")).hasSize(1);
    assertThat(observer.refused).isEmpty();
  }

  @Test
  void aRestartWhoseFirstClusterWantsAnotherTypeChangesNothingUntilEveryClusterListed() {
    var first = writer();
    complete(first);
    var a = rs("mixed-restart.example.com", "A", "192.0.2.41");
    send(first, List.of(create(a)));
    eventually(() -> assertThat(bind().query("mixed-restart.example.com", "A")).hasSize(1));
    KIT.stop(first);
    writers.remove(first);
    observer.written.clear();
    long before = bind().serial("example.com");

    // the cluster with a load-balancer hostname lists first, then the one with addresses; the
    // pipeline then withdraws the CNAME and says the desired state is complete
    var second = writer();
    var cname = rs("mixed-restart.example.com", "CNAME", "lb.beta.example.net");
    send(second, List.of(create(cname)));
    var probe = KIT.<WriterProtocol.State>createTestProbe();
    eventually(() -> {
      second.tell(new WriterProtocol.GetState(probe.getRef()));
      assertThat(probe.receiveMessage(Duration.ofSeconds(5)).records()).containsKey(a.key());
    });
    send(second, List.of(create(a)));
    send(second, List.of(delete(cname)));
    complete(second);
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(observer.written::isEmpty);
    assertThat(bind().serial("example.com")).isEqualTo(before);
    assertThat(bind().query("mixed-restart.example.com", "A")).containsExactly("192.0.2.41");
    assertThat(observer.refused).isEmpty();
  }

  @Test
  void aRefusedCreateNamesWhatHoldsTheName() {
    bind().nsupdate("update add edns-cname.example.com 300 CNAME lb.other.example.net",
        "update add cname-edns-cname.example.com 300 TXT \"heritage=external-dns,external-dns/owner=team-x,external-dns/resource=ingress/a/b\"",
        "update add plain-cname.example.com 300 CNAME lb.other.example.net");
    var w = writer();
    complete(w);
    // a CNAME of this very owner that the writer has not read yet (written by another process)
    bind().nsupdate("update add own-cname.example.com 300 CNAME lb.beta.example.net",
        "update add _tributary-cname.own-cname.example.com 300 TXT \"heritage=tributary\" \"tributary/owner=tributary\"");
    send(w, List.of(create(rs("edns-cname.example.com", "A", "192.0.2.51")), create(rs("plain-cname.example.com", "A", "192.0.2.52")),
        create(rs("own-cname.example.com", "A", "192.0.2.53"))));
    eventually(() -> assertThat(observer.refused).hasSize(3));
    assertThat(observer.refused.get("edns-cname.example.com/A"))
        .contains("holds a CNAME [lb.other.example.net]").contains("owned by external-dns owner 'team-x'");
    assertThat(observer.refused.get("plain-cname.example.com/A")).contains("holds a CNAME").contains("no ownership TXT");
    assertThat(observer.refused.get("own-cname.example.com/A")).contains("owned by this instance ('tributary')")
        .contains("retried after the next zone read");
    assertThat(observer.refused.values()).noneMatch(r -> r.contains("not owned by Tributary"));
  }

  @Test
  void addressesReplacedByACnameAtANameWithForeignDataAreReportedNotLost() {
    var w = writer();
    complete(w);
    var a = rs("spf.example.com", "A", "192.0.2.61");
    send(w, List.of(create(a)));
    eventually(() -> assertThat(bind().query("spf.example.com", "A")).hasSize(1));
    bind().nsupdate("update add spf.example.com 300 TXT \"v=spf1 -all\"");

    send(w, List.of(delete(a), create(rs("spf.example.com", "CNAME", "lb.beta.example.net"))));
    eventually(() -> assertThat(observer.refused).containsKey("spf.example.com/CNAME"));
    assertThat(observer.refused.get("spf.example.com/CNAME")).contains("holds other records");
    assertThat(bind().query("spf.example.com", "TXT")).containsExactly("\"v=spf1 -all\"");
    assertThat(bind().query("spf.example.com", "CNAME")).isEmpty();
  }
}
