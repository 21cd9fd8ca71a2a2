package io.tributary.debounce;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.plan.PipelineListener;
import io.tributary.settings.DampingSettings;
import io.tributary.settings.DebounceSettings;
import io.tributary.time.VirtualStreamHarness;
import io.tributary.watch.EventType;
import io.tributary.watch.ObjectKey;
import io.tributary.watch.WatchBuffer;
import io.tributary.watch.WatchBufferSource;
import io.tributary.watch.WatchEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.LongFunction;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Flap damping in the debounce stage, on virtual time. */
class DebounceDampingTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  private static final Duration QUIET = Duration.ofMillis(250);
  private static final Duration MAX_DELAY = Duration.ofSeconds(2);
  /** The built-in defaults (reference.conf). */
  private static final DampingSettings DEFAULTS =
      new DampingSettings(true, 1, Duration.ofSeconds(20), 10, 4, Duration.ofMinutes(5));
  private static final DebounceSettings DAMPED = new DebounceSettings(QUIET, MAX_DELAY, DEFAULTS);
  private static final DebounceSettings PLAIN = new DebounceSettings(QUIET, MAX_DELAY);

  record Emitted(Instant at, WatchEvent event) {
    long second() {
      return Duration.between(T0, at).toSeconds();
    }

    String name() {
      return event.key().name();
    }
  }

  /** What the stage reported about damping, in order. */
  private final List<String> reports = Collections.synchronizedList(new ArrayList<>());
  private final List<Emitted> emitted = Collections.synchronizedList(new ArrayList<>());
  private VirtualStreamHarness harness;
  private WatchBuffer buffer;

  private final PipelineListener listener = new PipelineListener() {
    @Override
    public void damped(ObjectKey key) {
      reports.add("damped " + key.name() + "@" + Duration.between(T0, harness.time.now()).toMillis());
    }

    @Override
    public void released(ObjectKey key, int held, Duration heldFor) {
      reports.add("released " + key.name() + " held " + held + " for " + heldFor.toMillis() + "ms");
    }
  };

  private void start(DebounceSettings initial, LongFunction<DebounceSettings> versions) {
    harness = new VirtualStreamHarness(T0);
    buffer = new WatchBuffer(PipelineListener.NONE);
    WatchBufferSource.of(buffer)
        .via(DebounceStage.flow(initial, versions, listener))
        .runWith(Sink.foreach(e -> emitted.add(new Emitted(harness.time.now(), e))), harness.materializer);
    harness.time.settle();
  }

  private void start(DebounceSettings settings) {
    start(settings, v -> settings);
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
    return event(cluster, name, version, EventType.MODIFIED);
  }

  private static WatchEvent event(String cluster, String name, int version, EventType type) {
    ObjectNode o = JSON.createObjectNode();
    o.put("kind", "Ingress");
    o.putObject("metadata").put("name", name).put("namespace", "ns").put("resourceVersion", "" + version);
    // the flapping field: two states, back and forth
    o.putObject("spec").put("priority", version % 2 == 0 ? "10" : "20");
    return WatchEvent.of(cluster, type, o);
  }

  /** {@code name} changes once a second from {@code from} (inclusive) to {@code to} (exclusive), versions counting on. */
  private void flap(String name, int from, int to) {
    for (int s = from; s < to; s++) {
      offerAt(Duration.ofSeconds(s), ingress("eu-1", name, s));
    }
  }

  private List<Emitted> of(String name) {
    return emitted.stream().filter(e -> !e.event().isSynced() && !e.event().isReconfigured() && e.name().equals(name)).toList();
  }

  @Test
  void anObjectTogglingEverySecondForThirtyMinutesCostsAHandfulOfEmissionsNotEighteenHundred() {
    start(DAMPED);
    flap("flapper", 0, 1801); // versions 0 .. 1800: it ends where it began
    harness.time.advanceTo(T0.plus(Duration.ofMinutes(40)));
    List<Emitted> out = of("flapper");
    // 12 changes pass before the penalty exceeds 10 (sum of 2^(-i/20), i < 13, is 10.65), then one
    // release per max-hold (5 min) while it flaps, and the last when it has stopped
    assertThat(out.subList(0, 12)).extracting(Emitted::at)
        .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 12).mapToObj(s -> T0.plusSeconds(s).plus(QUIET)).toList());
    assertThat(out).hasSizeLessThanOrEqualTo(12 + 30 / 5 + 1);
    assertThat(out.get(out.size() - 1).event().resourceVersion()).isEqualTo("1800");
    assertThat(reports).first().isEqualTo("damped flapper@12000");
  }

  @Test
  void withAggressiveSettingsAFlapperCostsAtMostThreeEmissions() {
    var aggressive = new DebounceSettings(QUIET, MAX_DELAY,
        new DampingSettings(true, 1, Duration.ofMinutes(1), 2.5, 1, Duration.ofHours(1)));
    start(aggressive);
    flap("flapper", 0, 600);
    harness.time.advanceTo(T0.plus(Duration.ofHours(2)));
    List<Emitted> out = of("flapper");
    assertThat(out).hasSizeLessThanOrEqualTo(3);
    assertThat(out.get(out.size() - 1).event().resourceVersion()).isEqualTo("599");
  }

  @Test
  void aQuietObjectIsEmittedExactlyOneQuietWindowAfterEachChangeEvenWithDampingOn() {
    start(DAMPED);
    // once, then every 30 s for ten minutes: its penalty never comes near suppress
    List<Instant> changes = new ArrayList<>();
    for (int i = 0; i <= 20; i++) {
      Duration at = Duration.ofSeconds(30L * i).plusMillis(7);
      offerAt(at, ingress("eu-1", "quiet", i));
      changes.add(T0.plus(at));
    }
    harness.time.advanceTo(T0.plus(Duration.ofMinutes(15)));
    assertThat(of("quiet")).extracting(Emitted::at)
        .containsExactlyElementsOf(changes.stream().map(c -> c.plus(QUIET)).toList());
    assertThat(reports).isEmpty();
  }

  @Test
  void aBurstCountsOnceAndAnObjectChangingFasterThanTheQuietWindowIsDampedByItsMaxDelayWrites() {
    start(DAMPED);
    // 1 000 changes in 100 ms: one window, one emission, no damping
    for (int i = 0; i < 1000; i++) {
      offerAt(Duration.ofNanos(i * 100_000L), ingress("eu-1", "burst", i));
    }
    // a change every 50 ms for 5 minutes: a max-delay emission every 2 s until damped
    for (int i = 0; i < 6000; i++) {
      offerAt(Duration.ofSeconds(10).plusMillis(50L * i), ingress("eu-1", "fast", i));
    }
    harness.time.advanceTo(T0.plus(Duration.ofMinutes(20)));
    assertThat(of("burst")).hasSize(1);
    assertThat(reports).noneMatch(r -> r.contains("burst"));
    List<Emitted> fast = of("fast");
    assertThat(fast.size()).isBetween(3, 20); // undamped: 150
    assertThat(fast.get(fast.size() - 1).event().resourceVersion()).isEqualTo("5999");
  }

  @Test
  void aDampedObjectIsReleasedWhenItsPenaltyHasDecayedToReuse() {
    start(DAMPED);
    flap("o", 0, 13); // damped by the 13th change, at 12 s
    harness.time.advanceTo(T0.plusSeconds(30));
    assertThat(of("o")).hasSize(12);
    // penalty at 12 s: the 13 changes' penalties decayed; released when it has halved down to 4
    double p = 0;
    for (int i = 0; i <= 12; i++) {
      p += Math.pow(2, -(12 - i) / 20.0);
    }
    Instant expected = T0.plusSeconds(12).plusNanos((long) (20e9 * Math.log(p / 4) / Math.log(2)));
    harness.time.advanceTo(expected.minusMillis(1));
    assertThat(of("o")).hasSize(12);
    harness.time.advanceTo(expected.plusMillis(1));
    assertThat(of("o")).hasSize(13);
    assertThat(of("o").get(12).event().resourceVersion()).isEqualTo("12");
    assertThat(Duration.between(expected, of("o").get(12).at()).abs()).isLessThan(Duration.ofMillis(1));
    assertThat(reports).containsExactly("damped o@12000",
        "released o held 1 for " + Duration.between(T0.plusSeconds(12), of("o").get(12).at()).toMillis() + "ms");
  }

  @Test
  void aDampedObjectThatKeepsFlappingIsReleasedAtTheLatestAtMaxHold() {
    var oneMinute = new DebounceSettings(QUIET, MAX_DELAY,
        new DampingSettings(true, 1, Duration.ofSeconds(20), 10, 4, Duration.ofMinutes(1)));
    start(oneMinute);
    flap("o", 0, 600);
    harness.time.advanceTo(T0.plus(Duration.ofMinutes(20)));
    List<Emitted> out = of("o");
    // damped at 12 s, released at 72 s (max-hold), damped again by its change at 72 s, ...
    assertThat(out.get(12).at()).isEqualTo(T0.plusSeconds(72));
    assertThat(out.get(13).at()).isEqualTo(T0.plusSeconds(132));
    for (int i = 13; i < out.size(); i++) {
      assertThat(Duration.between(out.get(i - 1).at(), out.get(i).at())).isLessThanOrEqualTo(Duration.ofSeconds(61));
    }
    assertThat(out.get(out.size() - 1).event().resourceVersion()).isEqualTo("599");
    assertThat(out.size()).isBetween(12 + 9, 12 + 11);
  }

  @Test
  void aDampedObjectThatEndsDeletedIsEmittedAsDeletedAtRelease() {
    start(DAMPED);
    flap("o", 0, 20);
    offerAt(Duration.ofSeconds(20), event("eu-1", "o", 20, EventType.DELETED));
    harness.time.advanceTo(T0.plus(Duration.ofMinutes(10)));
    List<Emitted> out = of("o");
    assertThat(out).hasSize(13);
    assertThat(out.get(12).event().type()).isEqualTo(EventType.DELETED);
  }

  @Test
  void withDampingOffAFlapperIsEmittedAfterEveryChangeAsBefore() {
    start(PLAIN);
    flap("o", 0, 300);
    harness.time.advanceTo(T0.plus(Duration.ofMinutes(10)));
    assertThat(of("o")).extracting(Emitted::at)
        .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 300).mapToObj(s -> T0.plusSeconds(s).plus(QUIET)).toList());
    assertThat(reports).isEmpty();
  }

  @Test
  void aReloadSwitchesDampingForLaterChangesAndTurningItOffReleasesDampedObjectsBehindTheMarker() {
    start(PLAIN, v -> v == 1 ? DAMPED : PLAIN);
    flap("o", 0, 60);
    harness.time.advanceTo(T0.plusSeconds(60));
    assertThat(of("o")).hasSize(60); // version 0: no damping
    offerAt(Duration.ofSeconds(60).plusMillis(500), WatchEvent.reconfigured(1));
    flap("o", 61, 121);
    assertThat(of("o")).hasSize(60 + 12); // damped from the 13th change after the reload
    offerAt(Duration.ofSeconds(121).plusMillis(500), WatchEvent.reconfigured(2));
    List<String> tail = emitted.subList(emitted.size() - 2, emitted.size()).stream()
        .map(e -> e.event().type() + "@" + Duration.between(T0, e.at()).toMillis()).toList();
    assertThat(tail).containsExactly("RECONFIGURED@121500", "MODIFIED@121500");
    assertThat(of("o").get(of("o").size() - 1).event().resourceVersion()).isEqualTo("120");
    flap("o", 122, 140);
    harness.time.advanceTo(T0.plusSeconds(141));
    assertThat(of("o")).hasSize(60 + 12 + 1 + 18); // version 2: no damping again
  }

  @Test
  void syncedReleasesTheDampedObjectsOfItsClusterBeforeTheMarker() {
    start(DAMPED);
    for (int s = 0; s < 13; s++) {
      offerAt(Duration.ofSeconds(s), ingress("eu-1", "a", s));
      offerAt(Duration.ofSeconds(s).plusMillis(100), ingress("eu-2", "b", s));
    }
    offerAt(Duration.ofSeconds(13), WatchEvent.synced("eu-1", "Ingress"));
    List<String> tail = emitted.subList(emitted.size() - 2, emitted.size()).stream()
        .map(e -> e.name() + ":" + e.event().type() + "@" + Duration.between(T0, e.at()).toMillis()).toList();
    assertThat(tail).containsExactly("a:MODIFIED@13000", ":SYNCED@13000");
    assertThat(of("b")).hasSize(12); // eu-2's damped object stays held
  }

  @Test
  void completionReleasesEveryDampedObject() {
    start(DAMPED);
    flap("o", 0, 13);
    buffer.complete();
    harness.time.settle();
    assertThat(of("o")).hasSize(13);
    assertThat(of("o").get(12).at()).isEqualTo(T0.plusSeconds(12));
    assertThat(reports).containsExactly("damped o@12000", "released o held 1 for 0ms");
  }

  @Test
  void dampingIsDeterministic() throws Exception {
    start(DAMPED);
    script();
    List<Emitted> first = List.copyOf(emitted);
    stop();
    emitted.clear();
    start(DAMPED);
    script();
    assertThat(emitted).extracting(e -> e.event().key() + "#" + e.event().resourceVersion() + "@" + e.at())
        .isEqualTo(first.stream().map(e -> e.event().key() + "#" + e.event().resourceVersion() + "@" + e.at()).toList());
  }

  private void script() {
    for (int i = 0; i < 2000; i++) {
      offerAt(Duration.ofMillis(i * 130L), ingress("eu-" + (i % 2), "o" + (i % 7), i));
    }
    harness.time.advanceTo(T0.plus(Duration.ofMinutes(10)));
  }
}
