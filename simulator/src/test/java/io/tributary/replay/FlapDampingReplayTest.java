package io.tributary.replay;

import static io.tributary.replay.Logs.T0;
import static io.tributary.replay.Logs.web;
import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tributary.eventlog.LogEventType;
import io.tributary.target.Target;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Flap damping end to end: a log in which one object toggles every second for half an hour and
 * ends where it began costs a handful of writes, not one per toggle, and the final state is the
 * same as without damping.
 */
class FlapDampingReplayTest {
  private static final String PRIORITY = "traefik.ingress.kubernetes.io/router.priority";
  private static final Config NO_DAMPING =
      ConfigFactory.parseString("tributary.debounce.damping.enabled = false").withFallback(Logs.TWO_CLUSTERS).resolve();

  /** 200 objects listed, then "flapper" toggled every second for 30 min, back to where it began; "quiet" changes once. */
  private static Logs flappingLog() {
    var log = new Logs();
    for (int i = 0; i < 200; i++) {
      log.add(Duration.ofMillis(i), "eu-1", LogEventType.ADDED, web("shop", "app-" + i, "h" + i + ".example.com"));
    }
    log.add(Duration.ofMillis(200), "eu-1", LogEventType.ADDED, web("shop", "flapper", "flap.example.com"));
    log.synced(Duration.ofMillis(300), "eu-1", "eu-2");
    for (int s = 1; s <= 1800; s++) {
      String priority = s % 2 == 1 ? "20" : "10"; // odd: 20, even: 10; the last (1800) as it was listed
      log.add(Duration.ofSeconds(10 + s), "eu-1", LogEventType.MODIFIED,
          s == 1800 ? web("shop", "flapper", "flap.example.com") : web("shop", "flapper", "flap.example.com").annotation(PRIORITY, priority));
      if (s == 900) {
        log.add(Duration.ofSeconds(10 + s).plusMillis(500), "eu-1", LogEventType.MODIFIED,
            web("shop", "app-7", "h7.example.com").annotation(PRIORITY, "42"));
      }
    }
    return log;
  }

  private static long records(ReplayResult r) {
    return r.state().values().stream().mapToLong(java.util.Map::size).sum();
  }

  @Test
  void aFlapperCostsAHandfulOfWritesAndTheFinalStateIsTheSame() {
    var damped = Logs.newWrites();
    ReplayResult on = flappingLog().replay(Logs.TWO_CLUSTERS, damped);
    var plain = Logs.newWrites();
    ReplayResult off = flappingLog().replay(NO_DAMPING, plain);

    assertThat(on.state()).isEqualTo(off.state());
    // net state changes: every record of the final state was created from nothing, and app-7 changed once
    long net = records(on) + 1;
    double perNetChange = (double) damped.size() / net;
    double withoutDamping = (double) plain.size() / net;
    assertThat(perNetChange).as("writes per net change, damped (%d writes, %d net changes; %.2f without damping)",
        damped.size(), net, withoutDamping).isLessThanOrEqualTo(1.1);
    assertThat(withoutDamping).isGreaterThan(5);

    var flapper = damped.stream().filter(w -> w.change().key().contains("flap-example-com")).toList();
    var flapperUndamped = plain.stream().filter(w -> w.change().key().contains("flap-example-com")).toList();
    assertThat(flapperUndamped).hasSizeGreaterThan(1800);
    assertThat(flapper.size()).as("the flapper's writes").isLessThanOrEqualTo(25);

    // the quiet object is written one quiet window after its change, damping or not
    var app7 = damped.stream().filter(w -> w.change().key().contains("h7-example-com") && w.at().isAfter(T0.plusSeconds(5))).toList();
    assertThat(app7).extracting(Logs.Write::at).containsExactly(T0.plusSeconds(910).plusMillis(750));

    // the summary names the damped object
    assertThat(on.stats().damped()).extracting(d -> d.key().name()).containsExactly("flapper");
    assertThat(on.stats().damped().get(0).held()).isGreaterThan(1700);
    assertThat(off.stats().damped()).isEmpty();
    assertThat(on.stats().dampedNow()).isZero();
  }

  @Test
  void theSummaryShowsTheDampedObjects() {
    ReplayResult on = flappingLog().replay(Logs.TWO_CLUSTERS, Logs.newWrites());
    var text = new java.io.ByteArrayOutputStream();
    ReplayReport.printSummary(on, new java.io.PrintStream(text, true, java.nio.charset.StandardCharsets.UTF_8));
    assertThat(text.toString(java.nio.charset.StandardCharsets.UTF_8))
        .containsPattern("damped +1 flapping objects, \\d+ changes held \\(debounce.damping\\); most held:")
        .containsPattern("eu-1/Ingress/shop/flapper: \\d+ changes held, damped \\d+ times?");
    assertThat(List.of(Target.values())).isNotEmpty();
  }
}
