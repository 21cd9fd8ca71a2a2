package io.tributary.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import io.tributary.target.Change;
import io.tributary.target.ChangeSet;
import io.tributary.plan.RoutingState;
import io.tributary.target.Target;
import io.tributary.translate.TranslatedEvent;
import io.tributary.settings.TributarySettings;
import io.tributary.service.TargetWriters;
import io.tributary.testkit.BindServer;
import io.tributary.testkit.BindServerExtension;
import io.tributary.translate.Translator;
import io.tributary.watch.EventType;
import io.tributary.plan.PipelineListener;
import io.tributary.watch.WatchEvent;
import io.tributary.writer.WriteObserver;
import io.tributary.writer.WriterProtocol;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Property, against a real BIND 9: whatever order three clusters list in — one serving its names
 * through addresses, one through a load balancer's hostname (a CNAME), one through IPv6 — and
 * however their objects interleave, the zone ends with the same records, each name of one type
 * decided over all clusters; and a restart listing in another order sends no UPDATE at all.
 *
 * <p>Each trial is one order of the clusters (all six are tried) in a zone of its own; the planning
 * and the writers are the service's own ({@link RoutingState} feeding {@link TargetWriters#dnsZones}), the
 * writer given time to write after each cluster, so early clusters' records really reach the zone.
 */
class DnsArrivalOrderBindTest {
  private static final List<String> ZONES = List.of("o0.test", "o1.test", "o2.test", "o3.test", "o4.test", "o5.test");
  @RegisterExtension static final BindServerExtension BIND = new BindServerExtension(ZONES.toArray(String[]::new));

  private static final ActorTestKit KIT = ActorTestKit.create();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicLong SEQ = new AtomicLong();
  private static final List<String> CLUSTERS = List.of("alpha", "beta", "gamma");
  /** Which clusters serve each name. */
  private static final Map<String, List<String>> SERVED_BY = Map.of(
      "shared", List.of("alpha", "beta"),
      "lb-only", List.of("beta"),
      "v6", List.of("beta", "gamma"),
      "everywhere", List.of("alpha", "beta", "gamma"),
      "v4-only", List.of("alpha"));

  @AfterAll
  static void stopKit() {
    KIT.shutdownTestKit();
  }

  private static BindServer bind() {
    return BIND.server();
  }

  private static TributarySettings settings(String zone) {
    return TributarySettings.from(ConfigFactory.parseString("""
        tributary {
          writer { linger = 20ms }
          dns.zones = [{ name = "%s", server = "%s", tsig { name = %s, secret-file = "%s" } }]
          clusters {
            alpha.endpoints { type = load-balancer, addresses = ["192.0.2.11", "192.0.2.12"], port = 80 }
            beta.endpoints { type = load-balancer, addresses = ["lb.beta.example.net"], port = 80 }
            gamma.endpoints { type = load-balancer, addresses = ["2001:db8::31"], port = 80 }
          }
        }
        """.formatted(zone, bind().address(), BindServer.KEY, bind().secretFile())).withFallback(ConfigFactory.load()).resolve());
  }

  private static List<WatchEvent> objectsOf(String cluster, String zone, Random r) throws Exception {
    List<WatchEvent> out = new ArrayList<>();
    for (var e : SERVED_BY.entrySet()) {
      if (!e.getValue().contains(cluster)) {
        continue;
      }
      String json = "{'apiVersion':'networking.k8s.io/v1','kind':'Ingress','metadata':{'name':'" + e.getKey()
          + "','namespace':'shop','creationTimestamp':'2026-01-01T00:00:00Z'},'spec':{'rules':[{'host':'" + e.getKey() + "." + zone
          + "','http':{'paths':[{'path':'/','pathType':'Prefix','backend':{'service':{'name':'web','port':{'number':80}}}}]}}]}}";
      out.add(WatchEvent.of(cluster, EventType.ADDED, (ObjectNode) JSON.readTree(json.replace('\'', '"'))));
    }
    Collections.shuffle(out, r);
    return out;
  }

  /** Counts what a writer wrote. */
  private static final class Counter implements WriteObserver {
    final AtomicInteger written = new AtomicInteger();
    final AtomicInteger refused = new AtomicInteger();

    @Override
    public void written(Instant at, Target target, Change change) {
      written.incrementAndGet();
    }

    @Override
    public void refused(Target target, String key, String reason) {
      refused.incrementAndGet();
    }
  }

  /** One run of the service's planning and DNS writer over the clusters listing in {@code order}. */
  private static void run(String zone, List<String> order, Random r, Counter counter) throws Exception {
    TributarySettings settings = settings(zone);
    var state = new RoutingState(settings, PipelineListener.NONE);
    var blocking = KIT.system().dispatchers().lookup(DispatcherSelector.blocking());
    ActorRef<WriterProtocol.Command> writer = KIT.spawn(TargetWriters.dnsZones(settings.dns(),
        z -> new DnsZoneClient(z, settings.dns(), settings.ownerId(), blocking), settings.writer(), counter, Clock.systemUTC()));
    TestProbe<WriterProtocol.Ack> acks = KIT.createTestProbe();
    try {
      for (String cluster : order) {
        List<WatchEvent> events = new ArrayList<>(objectsOf(cluster, zone, r));
        Translator.KINDS.forEach(kind -> events.add(WatchEvent.synced(cluster, kind)));
        for (WatchEvent e : events) {
          for (ChangeSet set : state.apply(Translator.translated(e, settings))) {
            if (set.target() == Target.DNS) {
              writer.tell(new WriterProtocol.Apply(set, "s", SEQ.incrementAndGet(), acks.getRef()));
              acks.expectMessageClass(WriterProtocol.Ack.class, Duration.ofSeconds(10));
            }
          }
        }
        settle(zone, counter);
      }
    } finally {
      KIT.stop(writer);
    }
  }

  /** Waits until the writer has stopped writing to {@code zone}. */
  private static void settle(String zone, Counter counter) {
    long[] last = {-1, -1};
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(150)).until(() -> {
      long serial = bind().serial(zone);
      long writes = counter.written.get();
      boolean quiet = serial == last[0] && writes == last[1];
      last[0] = serial;
      last[1] = writes;
      return quiet;
    });
  }

  private static List<String> contents(String zone) {
    return bind().zoneLines(zone).stream().map(l -> l.replace(zone, "Z")).toList();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4, 5})
  void theZoneEndsTheSameWhateverOrderTheClustersListIn(int trial) throws Exception {
    String zone = ZONES.get(trial);
    List<List<String>> orders = permutations(CLUSTERS);
    Random r = new Random(trial);
    var first = new Counter();
    run(zone, orders.get(trial), r, first);

    List<String> records = contents(zone).stream().filter(l -> !l.contains(" TXT ")).toList();
    assertThat(records).as("order %s", orders.get(trial)).containsExactly(
        "everywhere.Z A 192.0.2.11", "everywhere.Z A 192.0.2.12", "everywhere.Z AAAA 2001:db8:0:0:0:0:0:31",
        "lb-only.Z CNAME lb.beta.example.net.",
        "shared.Z A 192.0.2.11", "shared.Z A 192.0.2.12",
        "v4-only.Z A 192.0.2.11", "v4-only.Z A 192.0.2.12",
        "v6.Z AAAA 2001:db8:0:0:0:0:0:31");
    // one ownership TXT per record set, none left behind by a replaced type
    assertThat(contents(zone).stream().filter(l -> l.contains(" TXT ")).map(l -> l.substring(0, l.indexOf(' '))))
        .containsExactly("_tributary-a.everywhere.Z", "_tributary-a.shared.Z", "_tributary-a.v4-only.Z",
            "_tributary-aaaa.everywhere.Z", "_tributary-aaaa.v6.Z", "_tributary-cname.lb-only.Z");
    assertThat(first.refused.get()).isZero();

    // a restart over the same clusters listing in the opposite order changes nothing
    long serial = bind().serial(zone);
    var again = new Counter();
    List<String> reversed = new ArrayList<>(orders.get(trial));
    Collections.reverse(reversed);
    List<String> before = contents(zone);
    run(zone, reversed, r, again);
    assertThat(again.written.get()).as("writes after a restart listing %s", reversed).isZero();
    assertThat(bind().serial(zone)).isEqualTo(serial);
    assertThat(contents(zone)).isEqualTo(before);
  }

  private static List<List<String>> permutations(List<String> items) {
    if (items.size() <= 1) {
      return List.of(items);
    }
    List<List<String>> out = new ArrayList<>();
    for (String head : items) {
      List<String> rest = new ArrayList<>(items);
      rest.remove(head);
      for (List<String> tail : permutations(rest)) {
        List<String> p = new ArrayList<>();
        p.add(head);
        p.addAll(tail);
        out.add(p);
      }
    }
    return out;
  }
}
