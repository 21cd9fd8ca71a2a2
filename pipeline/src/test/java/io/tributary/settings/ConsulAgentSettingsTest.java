package io.tributary.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** consul.registration-mode agent: which agent each cluster registers through, and what is refused. */
class ConsulAgentSettingsTest {
  private static TributarySettings parse(String hocon) {
    return TributarySettings.from(ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve());
  }

  private static final String CLUSTERS = """
      tributary.clusters {
        a { consul-agent = "http://10.0.0.5:8500", endpoints { addresses = ["192.0.2.1"] } }
        b { endpoints { addresses = ["192.0.2.2"] } }
      }
      """;

  @Test
  void aClustersOwnAgentWinsOverTheTemplate() {
    var s = parse(CLUSTERS + """
        tributary.consul { registration-mode = agent, agent-address-template = "https://consul.{cluster}.internal:8501" }
        """);
    assertThat(s.consul().registrationMode()).isEqualTo(ConsulSettings.RegistrationMode.AGENT);
    assertThat(s.consul().isRemote()).isTrue();
    assertThat(s.consulAgent("a")).isEqualTo("http://10.0.0.5:8500");
    assertThat(s.consulAgent("b")).isEqualTo("https://consul.b.internal:8501");
  }

  @Test
  void catalogModeIsTheDefaultAndIgnoresAgents() {
    var s = parse(CLUSTERS);
    assertThat(s.consul().registrationMode()).isEqualTo(ConsulSettings.RegistrationMode.CATALOG);
    assertThat(s.consul().isRemote()).isFalse();
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource(delimiter = '|', value = {
    "tributary.consul.registration-mode = agent | clusters.b.consul-agent is not set and consul.agent-address-template is empty",
    "tributary.consul.registration-mode = sidecar | 'sidecar' is not one of catalog, agent",
    "tributary.consul.agent-address-template = \"consul:8500\" | consul.agent-address-template 'consul:8500' must be an http:// or https:// URL",
    "tributary.clusters.a.consul-agent = \"10.0.0.5:8500\" | clusters.a.consul-agent '10.0.0.5:8500' is not a URL"
  })
  void badAgentSettingsAreRejectedWithTheReason(String hocon, String reason) {
    assertThatThrownBy(() -> parse(CLUSTERS + hocon))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining(reason);
  }
}
