package io.tributary.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tributary.consul.ConsulRegistration;
import io.tributary.eventlog.EventLogReader;
import io.tributary.eventlog.LogEvent;
import io.tributary.eventlog.LogEventType;
import io.tributary.kind.ResourceKind;
import io.tributary.settings.TributarySettings;
import io.tributary.target.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recorded log of Gateways, HTTPRoutes and ReferenceGrants in two clusters — a route arriving
 * before its Gateway, a weighted split, a cross-namespace backend granted and then no longer, a
 * Gateway whose listener stops matching — recorded by the event recorder, replays to the
 * expected state, byte-identically every time.
 */
class GatewayApiReplayTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Config CONFIG = ConfigFactory.parseString("""
      tributary.translate.gateway-classes = [traefik]
      tributary.clusters {
        eu-1.endpoints { addresses = ["192.0.2.11"], port = 8080 }
        eu-2.endpoints { addresses = ["192.0.2.21"], port = 8080 }
      }
      """).withFallback(ConfigFactory.load()).resolve();

  @TempDir Path dir;

  private static ObjectNode json(String s) {
    try {
      return (ObjectNode) JSON.readTree(s.replace('\'', '"'));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static ObjectNode gateway(String hostname, String rv) {
    return json("{'apiVersion':'gateway.networking.k8s.io/v1','kind':'Gateway','metadata':{'name':'shared','namespace':'infra',"
        + "'resourceVersion':'" + rv + "','creationTimestamp':'2026-11-01T00:00:00Z'},'spec':{'gatewayClassName':'traefik',"
        + "'listeners':[{'name':'http','port':80,'protocol':'HTTP','hostname':'" + hostname + "',"
        + "'allowedRoutes':{'namespaces':{'from':'All'}}}]}}");
  }

  private static final ObjectNode SHOP = json("{'apiVersion':'gateway.networking.k8s.io/v1','kind':'HTTPRoute','metadata':"
      + "{'name':'shop','namespace':'shop','resourceVersion':'1','creationTimestamp':'2026-11-01T00:00:00Z'},'spec':{'parentRefs':"
      + "[{'name':'shared','namespace':'infra'}],'hostnames':['shop.example.com'],'rules':[{'matches':[{'path':{'type':'PathPrefix',"
      + "'value':'/cart'}}],'backendRefs':[{'name':'cart','port':80,'weight':80},{'name':'cart-next','port':80,'weight':20}]}]}}");
  private static final ObjectNode API = json("{'apiVersion':'gateway.networking.k8s.io/v1','kind':'HTTPRoute','metadata':"
      + "{'name':'api','namespace':'shop','resourceVersion':'2','creationTimestamp':'2026-11-01T00:00:00Z'},'spec':{'parentRefs':"
      + "[{'name':'shared','namespace':'infra'}],'hostnames':['api.example.com'],'rules':[{'backendRefs':"
      + "[{'name':'api','namespace':'backend','port':8080}]}]}}");
  private static final ObjectNode GRANT = json("{'apiVersion':'gateway.networking.k8s.io/v1beta1','kind':'ReferenceGrant','metadata':"
      + "{'name':'shop-routes','namespace':'backend','resourceVersion':'3'},'spec':{'from':[{'group':'gateway.networking.k8s.io',"
      + "'kind':'HTTPRoute','namespace':'shop'}],'to':[{'group':'','kind':'Service'}]}}");

  private static List<LogEvent> events() {
    Instant t0 = Instant.parse("2026-11-22T10:00:00Z");
    List<LogEvent> log = new ArrayList<>();
    // eu-1 lists its routes before its Gateway; eu-2 the other way round
    log.add(LogEvent.watch(t0, "eu-1", LogEventType.ADDED, SHOP));
    log.add(LogEvent.watch(t0, "eu-1", LogEventType.ADDED, API));
    log.add(LogEvent.watch(t0.plusMillis(100), "eu-2", LogEventType.ADDED, gateway("*.example.com", "10")));
    log.add(LogEvent.watch(t0.plusMillis(200), "eu-2", LogEventType.ADDED, SHOP));
    log.add(LogEvent.watch(t0.plusMillis(300), "eu-1", LogEventType.ADDED, gateway("*.example.com", "10")));
    for (String cluster : List.of("eu-1", "eu-2")) {
      for (ResourceKind kind : ResourceKind.values()) {
        if (kind.watchedInClusters()) {
          log.add(LogEvent.synced(t0.plusSeconds(1), cluster, kind.kind()));
        }
      }
    }
    log.add(LogEvent.watch(t0.plusSeconds(5), "eu-1", LogEventType.ADDED, GRANT));
    log.add(LogEvent.watch(t0.plusSeconds(10), "eu-1", LogEventType.MODIFIED, gateway("*.example.org", "11")));
    log.add(LogEvent.watch(t0.plusSeconds(15), "eu-1", LogEventType.MODIFIED, gateway("*.example.com", "12")));
    log.add(LogEvent.watch(t0.plusSeconds(20), "eu-1", LogEventType.DELETED, GRANT));
    return log;
  }

  private record Outputs(byte[] transcript, byte[] state, ReplayResult result) {}

  private Outputs replay(String name, Path log) throws IOException {
    Path transcript = dir.resolve(name + ".transcript.jsonl");
    Path state = dir.resolve(name + ".state.json");
    ReplayResult result;
    try (var t = new TranscriptWriter(transcript); var in = EventLogReader.open(log, false)) {
      result = Replay.run(name, in, TributarySettings.from(CONFIG), CONFIG, t);
    }
    StateFile.write(state, result.state());
    assertThat(result.foreignSubmitters()).as("work that escaped virtual time").isEmpty();
    return new Outputs(Files.readAllBytes(transcript), Files.readAllBytes(state), result);
  }

  @Test
  void aGatewayApiLogReplaysToTheExpectedStateIdenticallyEveryTime() throws IOException {
    // recorded as `tributary record` and `record-to` record what the watchers hand over
    Path log = dir.resolve("gateway-api.jsonl.gz");
    var clock = new java.util.concurrent.atomic.AtomicReference<Instant>(Instant.EPOCH);
    var recorder = new io.tributary.eventlog.EventRecorder(log, 100_000_000, 1, new java.time.Clock() {
      public java.time.ZoneId getZone() {
        return java.time.ZoneOffset.UTC;
      }

      public java.time.Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      public Instant instant() {
        return clock.get();
      }
    });
    for (LogEvent e : events()) {
      clock.set(e.at());
      recorder.offer(e.type() == LogEventType.SYNCED ? io.tributary.watch.WatchEvent.synced(e.cluster(), e.kind()) : e.toWatchEvent());
    }
    recorder.close();
    assertThat(recorder.written()).isEqualTo(events().size());
    Outputs first = replay("gateway-1", log);
    Outputs second = replay("gateway-2", log);
    assertThat(second.transcript()).isEqualTo(first.transcript());
    assertThat(second.state()).isEqualTo(first.state());

    String transcript = new String(first.transcript());
    // the granted cross-namespace backend was routed while its ReferenceGrant was there ...
    assertThat(transcript).contains("api-example-com");
    // ... and, at the end, is not
    var consul = first.result().state().get(Target.CONSUL);
    assertThat(consul.values()).map(r -> ((ConsulRegistration) r).service()).doesNotContain("api-example-com");
    // both clusters serve the split route (the split stays in each cluster), after eu-1's listener came back
    var shop = consul.values().stream().map(r -> (ConsulRegistration) r)
        .filter(r -> r.tags().contains("traefik.http.routers." + r.service() + ".rule=Host(`shop.example.com`) && (Path(`/cart`) || PathPrefix(`/cart/`))"))
        .toList();
    assertThat(shop).extracting(ConsulRegistration::address).containsExactlyInAnyOrder("192.0.2.11", "192.0.2.21");
    assertThat(new TreeSet<>(first.result().state().get(Target.DNS).keySet())).containsExactly("shop.example.com/A");
    assertThat(new String(first.state())).contains("192.0.2.11", "192.0.2.21");
  }
  private static ObjectNode namespace(String rv, boolean labelled) {
    return json("{'apiVersion':'v1','kind':'Namespace','metadata':{'name':'shop','resourceVersion':'" + rv + "','labels':{"
        + "'kubernetes.io/metadata.name':'shop'" + (labelled ? ",'shared-gateway-access':'true'" : "") + "}}}");
  }

  @Test
  void aLogWithNamespaceLabelsReplaysIdenticallyAndFollowsTheLabel() throws IOException {
    Instant t0 = Instant.parse("2026-11-22T10:00:00Z");
    ObjectNode selecting = gateway("*.example.com", "10");
    ((ObjectNode) selecting.path("spec").path("listeners").get(0).path("allowedRoutes").path("namespaces"))
        .put("from", "Selector").putObject("selector").putObject("matchLabels").put("shared-gateway-access", "true");
    List<LogEvent> log = new ArrayList<>();
    // the route and its Gateway before the Namespace, as informers may deliver them
    log.add(LogEvent.watch(t0, "eu-1", LogEventType.ADDED, SHOP));
    log.add(LogEvent.watch(t0, "eu-1", LogEventType.ADDED, selecting));
    log.add(LogEvent.watch(t0.plusMillis(100), "eu-1", LogEventType.ADDED, namespace("1", true)));
    for (String cluster : List.of("eu-1", "eu-2")) { // every configured cluster lists: deletes flow
      for (ResourceKind kind : ResourceKind.values()) {
        if (kind.watchedInClusters()) {
          log.add(LogEvent.synced(t0.plusSeconds(1), cluster, kind.kind()));
        }
      }
    }
    log.add(LogEvent.watch(t0.plusSeconds(10), "eu-1", LogEventType.MODIFIED, namespace("2", false)));
    Path file = dir.resolve("namespaces.jsonl");
    try (var w = io.tributary.eventlog.EventLogWriter.open(file)) {
      log.forEach(w::write);
    }
    Outputs first = replay("ns-1", file);
    Outputs second = replay("ns-2", file);
    assertThat(second.transcript()).isEqualTo(first.transcript());
    assertThat(second.state()).isEqualTo(first.state());
    String transcript = new String(first.transcript());
    assertThat(transcript).contains("shop-example-com-cart"); // admitted while labelled ...
    assertThat(first.result().state().get(Target.CONSUL)).isEmpty(); // ... withdrawn once the label went
  }
}
