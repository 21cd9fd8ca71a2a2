package io.tributary.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code tributary.debounce.damping}: defaults, reading, and every problem reported together. */
class DampingSettingsTest {

  private static TributarySettings load(String hocon) {
    return TributarySettings.from(ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve());
  }

  private static List<String> problems(String hocon) {
    var e = catchThrowableOfType(SettingsException.class, () -> load(hocon));
    assertThat(e).as("the config is refused").isNotNull();
    return e.problems();
  }

  @Test
  void theDefaultsDampOnlyWhatFlapsAndNeverOneChange() {
    DampingSettings d = TributarySettings.defaults().debounce().damping();
    assertThat(d).isEqualTo(new DampingSettings(true, 1, Duration.ofSeconds(20), 10, 4, Duration.ofMinutes(5)));
    assertThat(d.suppress()).isGreaterThanOrEqualTo(d.penalty());
    // from the ceiling, the penalty decays to reuse in exactly max-hold
    assertThat(d.ceiling()).isEqualTo(4 * Math.pow(2, 15));
  }

  @Test
  void eachKeyIsRead() {
    var d = load("""
        tributary.debounce.damping { enabled = false, penalty = 2, half-life = 1m, suppress = 9.5, reuse = 3, max-hold = 1h }
        """).debounce().damping();
    assertThat(d).isEqualTo(new DampingSettings(false, 2, Duration.ofMinutes(1), 9.5, 3, Duration.ofHours(1)));
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    var problems = problems("""
        tributary.debounce.damping {
          enabled = maybe
          penalty = 0
          half-life = 0s
          suppress = 3
          reuse = 5
          max-hold = -1m
        }
        """);
    assertThat(problems).containsExactlyInAnyOrder(
        "String:2: debounce.damping.enabled must be true or false, not \"maybe\"",
        "String:3: debounce.damping.penalty (0) must be positive",
        "String:4: debounce.damping.half-life must be positive",
        "String:5: debounce.damping.suppress (3) must be above debounce.damping.reuse (5): a damped object is released once its penalty has decayed to reuse",
        "String:7: debounce.damping.max-hold must not be negative");
  }

  @Test
  void suppressBelowOneChangesPenaltyIsRefused() {
    assertThat(problems("tributary.debounce.damping { penalty = 5, suppress = 4.5 }")).containsExactly(
        "String:1: debounce.damping.suppress (4.5) must not be below debounce.damping.penalty (5): one change of a quiet object would be damped");
  }

  @Test
  void anUnknownDampingKeyIsRefusedWithTheNearestOne() {
    assertThat(problems("tributary.debounce.damping.half-live = 10s")).singleElement().asString()
        .contains("unknown key tributary.debounce.damping.half-live (did you mean half-life?)");
  }

  @Test
  void dampingIsAppliedLiveByAReload() {
    var before = ConfigFactory.defaultReference().resolve();
    var after = ConfigFactory.parseString("tributary.debounce.damping.max-hold = 1m").withFallback(before).resolve();
    var change = ConfigChange.between(before, after);
    assertThat(change.changed()).containsEntry("debounce.damping.max-hold", "5m → 1m");
    assertThat(change.refusal()).isNull();
  }
}
