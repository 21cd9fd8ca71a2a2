package io.tributary.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code tributary.admin}: defaults, port 0, and every problem reported with the others. */
class AdminSettingsTest {
  private static TributarySettings parse(String hocon) {
    return TributarySettings.from(ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve());
  }

  private static List<String> problems(String hocon) {
    var e = catchThrowableOfType(SettingsException.class, () -> parse(hocon));
    assertThat(e).as("the config is refused").isNotNull();
    return e.problems();
  }

  @Test
  void theDefaultsListOnEveryInterfaceOnPort9096WithAMinuteOfGrace() {
    var admin = TributarySettings.defaults().admin();
    assertThat(admin).isEqualTo(new AdminSettings("0.0.0.0", 9096, Duration.ofSeconds(60)));
  }

  @Test
  void portZeroIsAFreePortAndBindTakesAddressesAndHostNames() {
    assertThat(parse("tributary.admin { bind = \"127.0.0.1\", port = 0, ready-grace = 0s }").admin())
        .isEqualTo(new AdminSettings("127.0.0.1", 0, Duration.ZERO));
    assertThat(parse("tributary.admin.bind = \"::1\"").admin().bind()).isEqualTo("::1");
    assertThat(parse("tributary.admin.bind = localhost").admin().bind()).isEqualTo("localhost");
  }

  @Test
  void badValuesAndUnknownKeysAreReportedTogether() {
    assertThat(problems("""
        tributary.admin { bind = "every interface", port = 70000, ready-grace = -5s, readygrace = 5s }
        tributary.writer.max-batch = lots
        """))
        .anySatisfy(p -> assertThat(p).endsWith("admin.bind 'every interface' must be an IP address or a host name (0.0.0.0: every interface)"))
        .anySatisfy(p -> assertThat(p).endsWith("admin.port 70000 must be between 0 (a free port, logged at start) and 65535"))
        .anySatisfy(p -> assertThat(p).endsWith("admin.ready-grace must not be negative"))
        .anySatisfy(p -> assertThat(p).contains("unknown key tributary.admin.readygrace (did you mean ready-grace?)"))
        .anySatisfy(p -> assertThat(p).contains("writer.max-batch must be a whole number"));
  }

  @Test
  void theMetricsPortCannotBeTheAdminPort() {
    assertThat(problems("""
        tributary.admin.port = 9095
        kamon.prometheus { start-embedded-http-server = yes, embedded-server.port = 9095 }
        """))
        .singleElement().asString()
        .endsWith("admin.port 9095 is also kamon.prometheus.embedded-server.port (the metrics endpoint): give one of them another port");
    // with Kamon's server off the port is free
    assertThat(parse("""
        tributary.admin.port = 9095
        kamon.prometheus { start-embedded-http-server = no, embedded-server.port = 9095 }
        """).admin().port()).isEqualTo(9095);
  }
}
