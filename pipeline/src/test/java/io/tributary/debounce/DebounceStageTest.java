package io.tributary.debounce;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.settings.DebounceSettings;
import io.tributary.time.VirtualStreamHarness;
import io.tributary.watch.EventType;
import io.tributary.plan.PipelineListener;
import io.tributary.watch.WatchBuffer;
import io.tributary.watch.WatchBufferSource;
import io.tributary.watch.WatchEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Debounce on virtual time: quiet window, max delay, per-key independence, sync flush, drain. */
class DebounceStageTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  private static final DebounceSettings SETTINGS =
      new DebounceSettings(Duration.ofMillis(250), Duration.ofSeconds(2));

  record Emitted(Instant at, WatchEvent event) {}

  private VirtualStreamHarness harness;
  private WatchBuffer buffer;
  private final List<Emitted> emitted = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void start() {
    harness = new VirtualStreamHarness(T0);
    buffer = new WatchBuffer(PipelineListener.NONE);
    WatchBufferSource.of(buffer)
        .via(DebounceStage.flow(SETTINGS, PipelineListener.NONE))
        .runWith(Sink.foreach(e -> emitted.add(new Emitted(harness.time.now(), e))), harness.materializer);
    harness.time.settle();
  }

  @AfterEach
  void stop() throws Exception {
    harness.close();
  }

  private void offerAt(Duration offset, WatchEvent e) {
    harness.time.advanceTo(T0.plus(offset));
    buffer.offer(e);
    harness.time.settle();
  }

  private static WatchEvent ingress(String cluster, String name, int version) {
    ObjectNode o = JSON.createObjectNode();
    o.put("kind", "Ingress");
    o.putObject("metadata").put("name", name).put("namespace", "ns").put("resourceVersion", "" + version);
    return WatchEvent.of(cluster, EventType.MODIFIED, o);
  }

  @Test
  void oneChangeIsEmittedExactlyWhenTheQuietWindowEnds() {
    offerAt(Duration.ZERO, ingress("eu-1", "a", 1));
    harness.time.advanceTo(T0.plusMillis(249));
    assertThat(emitted).isEmpty();
    harness.time.advanceTo(T0.plusMillis(250));
    assertThat(emitted).extracting(Emitted::at).containsExactly(T0.plusMillis(250));
  }

  @Test
  void aThousandChangesWithin100msYieldOneEmissionOfTheLastStateAtQuietTime() {
    for (int i = 0; i < 1000; i++) {
      offerAt(Duration.ofNanos(i * 100_000L), ingress("eu-1", "burst", i));
    }
    Instant last = T0.plusNanos(999 * 100_000L);
    harness.time.advanceTo(last.plusSeconds(10));
    assertThat(emitted).hasSize(1);
    assertThat(emitted.get(0).at()).isEqualTo(last.plusMillis(250));
    assertThat(emitted.get(0).event().resourceVersion()).isEqualTo("999");
  }

  @Test
  void anObjectChangedEvery50msForeverIsStillEmittedAtLeastEveryMaxDelay() {
    int changes = 10_000 / 50; // ten seconds of flapping
    for (int i = 0; i < changes; i++) {
      offerAt(Duration.ofMillis(i * 50L), ingress("eu-1", "flapper", i));
    }
    assertThat(emitted).hasSizeGreaterThanOrEqualTo(4);
    Instant previous = T0;
    for (Emitted e : emitted) {
      assertThat(Duration.between(previous, e.at())).isLessThanOrEqualTo(SETTINGS.maxDelay());
      previous = e.at();
    }
    // the first emission comes exactly max-delay after the first pending change
    assertThat(emitted.get(0).at()).isEqualTo(T0.plus(SETTINGS.maxDelay()));
  }

  @Test
  void objectsAreDebouncedIndependently() {
    offerAt(Duration.ZERO, ingress("eu-1", "a", 1));
    offerAt(Duration.ofMillis(100), ingress("eu-1", "b", 1));
    offerAt(Duration.ofMillis(200), ingress("eu-1", "a", 2));
    harness.time.advanceTo(T0.plusSeconds(5));
    assertThat(emitted)
        .extracting(e -> e.event().key().name() + "@" + Duration.between(T0, e.at()).toMillis())
        .containsExactly("b@350", "a@450");
  }

  @Test
  void syncedMarkerFlushesItsClustersPendingObjectsFirstAndLeavesOtherClustersAlone() {
    offerAt(Duration.ZERO, ingress("eu-1", "a", 1));
    offerAt(Duration.ofMillis(10), ingress("eu-2", "b", 1));
    offerAt(Duration.ofMillis(20), ingress("eu-1", "c", 1));
    offerAt(Duration.ofMillis(30), WatchEvent.synced("eu-1", "Ingress"));
    assertThat(emitted)
        .extracting(e -> e.event().key().name() + ":" + e.event().type() + "@" + Duration.between(T0, e.at()).toMillis())
        .containsExactly("a:MODIFIED@30", "c:MODIFIED@30", ":SYNCED@30");
    harness.time.advanceTo(T0.plusSeconds(1));
    assertThat(emitted).last().extracting(e -> e.event().key().name()).isEqualTo("b");
  }

  @Test
  void completionFlushesEverythingPending() {
    offerAt(Duration.ZERO, ingress("eu-1", "a", 1));
    buffer.complete();
    harness.time.settle();
    assertThat(emitted).extracting(e -> e.event().key().name()).containsExactly("a");
    assertThat(emitted.get(0).at()).isEqualTo(T0);
  }

  @Test
  void theSameSequenceAlwaysGivesTheSameEmissions() throws Exception {
    List<String> first = runScript();
    stop();
    start();
    emitted.clear();
    assertThat(runScript()).isEqualTo(first);
  }

  private List<String> runScript() {
    for (int i = 0; i < 200; i++) {
      offerAt(Duration.ofMillis(i * 7L), ingress("eu-" + (i % 3), "o" + (i % 11), i));
    }
    harness.time.advanceTo(T0.plusSeconds(10));
    return emitted.stream()
        .map(e -> e.event().key() + "#" + e.event().resourceVersion() + "@" + e.at())
        .toList();
  }
}
