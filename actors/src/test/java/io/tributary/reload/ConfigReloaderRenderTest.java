package io.tributary.reload;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tributary.settings.ConfigChange;
import org.junit.jupiter.api.Test;

/** What a recording's CONFIG event carries reads back into the same configuration. */
class ConfigReloaderRenderTest {
  @Test
  void theRenderedBlockParsesBackToTheSameTributaryConfig() {
    Config config = ConfigFactory.parseString("""
        tributary {
          owner-id = "a"
          debounce.quiet = 1s
          translate.vm-backends { "shop.example.com" = shop-vm }
          clusters.eu-1.endpoints { addresses = ["192.0.2.1"], port = 8080 }
        }
        """).withFallback(ConfigFactory.defaultReference()).resolve();
    Config back = ConfigFactory.parseString(ConfigReloader.render(config)).withFallback(ConfigFactory.defaultReference()).resolve();
    assertThat(ConfigChange.between(config, back).isEmpty()).isTrue();
    assertThat(back.getString("tributary.owner-id")).isEqualTo("a");
  }
}
