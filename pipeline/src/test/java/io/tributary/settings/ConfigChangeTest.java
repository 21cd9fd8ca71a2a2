package io.tributary.settings;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

/** What a reload changes, and what the running service refuses to change without a restart. */
class ConfigChangeTest {
  private static Config config(String hocon) {
    return ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve();
  }

  private static final Config BASE = config("tributary.clusters.a.endpoints { addresses = [\"192.0.2.1\"] }");

  @Test
  void liveKeysAreListedWithOldAndNewValues() {
    var change = ConfigChange.between(BASE, config("""
        tributary.clusters.a.endpoints { addresses = ["192.0.2.1"] }
        tributary.debounce.quiet = 1s
        tributary.translate.ingress-classes = [traefik]
        tributary.clusters.b.endpoints { addresses = ["192.0.2.2"] }
        """));
    assertThat(change.refusal()).isNull();
    assertThat(change.changed()).containsEntry("debounce.quiet", "250ms → 1s")
        .containsEntry("translate.ingress-classes", "[] → [\"traefik\"]")
        .containsKey("clusters.b.endpoints.addresses");
    assertThat(change.retranslates()).isTrue();
  }

  @Test
  void nothingChangedIsEmpty() {
    assertThat(ConfigChange.between(BASE, BASE).isEmpty()).isTrue();
    assertThat(ConfigChange.between(BASE, BASE).refusal()).isNull();
  }

  @Test
  void targetsAreLiveTheirWritersStartedAnew() {
    var change = ConfigChange.between(BASE, config("""
        tributary.clusters.a.endpoints { addresses = ["192.0.2.1"] }
        tributary.consul.http.address = "http://127.0.0.1:8500"
        tributary.traefik.sink = file
        tributary.traefik.file.path = "/tmp/t.yml"
        tributary.writer.retry.max-backoff = 10s
        """));
    assertThat(change.refusal()).isNull();
  }

  @Test
  void theOwnerIdIsRefusedWithTheReason() {
    var change = ConfigChange.between(BASE, config("tributary.owner-id = other\ntributary.debounce.quiet = 1s"));
    assertThat(change.refusal()).startsWith("owner-id cannot change while running");
  }

  @Test
  void whatNeedsARestartIsRefusedNamingEveryKey() {
    var change = ConfigChange.between(BASE, config("""
        tributary.writer.ask-timeout = 5s
        tributary.record-to.path = "/tmp/x.jsonl.gz"
        tributary.last-accepted.path = "/var/lib/tributary/last-accepted.json"
        tributary.debounce.quiet = 1s
        """));
    assertThat(change.refusal()).isEqualTo(
        "cannot be applied while running (restart to apply): last-accepted.path, record-to.path, writer.ask-timeout");
    assertThat(change.retranslates()).isFalse();
  }

  @Test
  void logLevelsApplyLiveAndABadLevelIsAProblemWithItsKey() {
    var change = ConfigChange.between(BASE, config("tributary.clusters.a.endpoints { addresses = [\"192.0.2.1\"] }\n"
        + "tributary.log.levels { \"io.tributary.writes\" = warn }"));
    assertThat(change.refusal()).isNull();
    assertThat(TributarySettings.from(config("tributary.log.levels { \"io.tributary.writes\" = warn }")).log().levels())
        .containsEntry("io.tributary.writes", "WARN");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> TributarySettings.from(config("tributary.log.levels { \"io.tributary\" = LOUD }")))
        .hasMessageContaining("log.levels.\"io.tributary\" 'LOUD' must be one of TRACE, DEBUG, INFO, WARN, ERROR, OFF");
  }
}
