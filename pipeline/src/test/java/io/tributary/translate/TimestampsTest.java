package io.tributary.translate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TimestampsTest {

  @Test
  void readsWhatInstantParseReadsForRandomInstants() {
    var random = new Random(15);
    for (int i = 0; i < 10_000; i++) {
      Instant t = Instant.ofEpochSecond(random.nextLong(0, 4_102_444_800L)); // to 2100
      assertThat(Timestamps.parse(t.toString())).isEqualTo(t);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"2026-12-01T23:38:08.5Z", "2026-12-01T23:38:08+01:00", "2024-02-29T00:00:00Z", "2026-12-01T24:00:00Z"})
  void otherFormsAreReadAsTheFormatterReadsThem(String text) {
    assertThat(Timestamps.parse(text)).isEqualTo(Instant.parse(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "2026-12-01T25:00:00Z", "2026-12-01T23:59:6xZ", "yesterday"})
  void malformedTextsFailAsInstantParseFails(String text) {
    assertThatThrownBy(() -> Timestamps.parse(text)).isInstanceOf(DateTimeParseException.class);
  }
}
