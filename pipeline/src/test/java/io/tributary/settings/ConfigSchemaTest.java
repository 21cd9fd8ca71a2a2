package io.tributary.settings;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The edit distance behind "did you mean" suggestions for unknown keys. */
class ConfigSchemaTest {
  @Test
  void oneSlipIsOneEdit() {
    assertThat(ConfigSchema.distance("kindz", "kinds")).isEqualTo(1);
    assertThat(ConfigSchema.distance("nmae", "name")).isEqualTo(1); // a swap of neighbours
    assertThat(ConfigSchema.distance("Max_Batch", "max-batch")).isEqualTo(1);
    assertThat(ConfigSchema.distance("", "ttl")).isEqualTo(3);
    assertThat(ConfigSchema.distance("bogus-key", "owner-id")).isGreaterThan(3);
  }
}
