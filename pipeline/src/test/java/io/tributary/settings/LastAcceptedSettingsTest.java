package io.tributary.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code tributary.last-accepted}: off by default, a path turns it on, a bad interval is a problem with its key. */
class LastAcceptedSettingsTest {
  private static TributarySettings parse(String hocon) {
    return TributarySettings.from(ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve());
  }

  @Test
  void offByDefault() {
    var keep = TributarySettings.defaults().lastAccepted();
    assertThat(keep.enabled()).isFalse();
    assertThat(keep.writeInterval()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void aPathTurnsItOn() {
    var keep = parse("tributary.last-accepted { path = \"/var/lib/tributary/last-accepted.json\", write-interval = 1s }").lastAccepted();
    assertThat(keep.enabled()).isTrue();
    assertThat(keep.path()).isEqualTo("/var/lib/tributary/last-accepted.json");
    assertThat(keep.writeInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(parse("tributary.last-accepted.path = \"  \"").lastAccepted().enabled()).isFalse();
  }

  @Test
  void aZeroNegativeOrMistypedIntervalAndAnUnknownKeyAreProblemsTogether() {
    assertThatThrownBy(() -> parse("tributary.last-accepted { write-interval = 0s, path = \"/x\" }"))
        .hasMessageContaining("last-accepted.write-interval must be positive");
    assertThatThrownBy(() -> parse("tributary.last-accepted { write-interval = -1s }"))
        .hasMessageContaining("last-accepted.write-interval must not be negative");
    assertThatThrownBy(() -> parse("tributary.last-accepted { write-interval = soon, pth = \"/x\" }"))
        .hasMessageContaining("write-interval must be a duration")
        .hasMessageContaining("unknown key tributary.last-accepted.pth (did you mean path?)");
  }
}
