package io.tributary.replay;

import static io.tributary.replay.Logs.web;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.eventlog.LogEventType;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The replay records the end-to-end lag as the live service does, in virtual time. */
class ReplayLagTest {

  @Test
  void aQuietChangeLagsOneQuietWindowAndAFlappingObjectIsToldApart() {
    var log = new Logs()
        .add(Duration.ZERO, "eu-1", LogEventType.ADDED, web("shop", "quiet", "quiet.example.com"))
        .add(Duration.ZERO, "eu-1", LogEventType.ADDED, web("shop", "flap", "flap.example.com"))
        .synced(Duration.ofMillis(1), "eu-1", "eu-2");
    for (int i = 0; i < 20; i++) { // changed every 100 ms for 2 s: debounce holds it until max-delay
      log.add(Duration.ofSeconds(10).plusMillis(i * 100L), "eu-1", LogEventType.MODIFIED,
          web("shop", "flap", "flap.example.com").annotation("traefik.ingress.kubernetes.io/router.priority", "" + i));
    }
    log.add(Duration.ofSeconds(20), "eu-1", LogEventType.MODIFIED,
        web("shop", "quiet", "quiet.example.com").annotation("traefik.ingress.kubernetes.io/router.priority", "7"));
    var result = log.replay(Logs.TWO_CLUSTERS, Logs.newWrites());

    ReplayLag lag = result.stats().lag();
    assertThat(lag.flappedObjects()).isEqualTo(1);
    // every write carries a receipt: the lists' (a Consul and a DNS record each) and the updates
    assertThat(lag.all().samples()).isEqualTo(result.stats().totalWrites());
    assertThat(lag.all().max()).isEqualTo(Duration.ofSeconds(2)); // the flapper's first change waited max-delay
    var quiet = lag.quiet();
    // quiet's Consul and DNS records, written as the lists end (SYNCED 1 ms later), and its update one quiet window on
    assertThat(quiet.samples()).isEqualTo(3);
    assertThat(quiet.p50()).isEqualTo(Duration.ofMillis(1));
    assertThat(quiet.max()).isEqualTo(Duration.ofMillis(250));
  }
}
