package io.tributary.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.typesafe.config.ConfigFactory;
import io.tributary.target.ChangePolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Item 14.4: {@code policy} and {@code dry-run} per target block and per DNS zone, validated like every key. */
class TargetModeSettingsTest {
  @TempDir Path dir;

  private Path write(String hocon) throws IOException {
    Path file = dir.resolve("modes.conf");
    Files.writeString(file, hocon);
    return file;
  }

  private TributarySettings load(String hocon) throws IOException {
    return TributarySettings.from(ConfigFactory.parseFile(write(hocon).toFile()).withFallback(ConfigFactory.defaultReference()).resolve());
  }

  private List<String> problems(String hocon) throws IOException {
    var e = catchThrowableOfType(SettingsException.class, () -> load(hocon));
    assertThat(e).as("the config is refused").isNotNull();
    return e.problems();
  }

  private String at(int line) {
    return dir.resolve("modes.conf") + ":" + line + ": ";
  }

  @Test
  void everyTargetSyncsAndIsWrittenByDefault() throws IOException {
    var settings = load("tributary.dns.zones = [example.com, { name = example.org }]");
    assertThat(settings.targetModes()).containsOnlyKeys("consul", "dns", "dns/example.com", "dns/example.org", "traefik")
        .allSatisfy((target, mode) -> assertThat(mode).isEqualTo(TargetMode.DEFAULT));
  }

  @Test
  void eachBlockSetsItsOwnAndAZoneInheritsDnssUnlessItSetsItsOwn() throws IOException {
    var settings = load("""
        tributary {
          consul { policy = upsert-only }
          traefik { dry-run = true }
          dns {
            policy = create-only
            dry-run = true
            zones = [example.com, { name = example.org, policy = sync }, { name = example.net, dry-run = false }]
          }
        }
        """);
    assertThat(settings.consul().mode()).isEqualTo(new TargetMode(ChangePolicy.UPSERT_ONLY, false));
    assertThat(settings.traefik().mode()).isEqualTo(new TargetMode(ChangePolicy.SYNC, true));
    assertThat(settings.dns().mode()).isEqualTo(new TargetMode(ChangePolicy.CREATE_ONLY, true));
    assertThat(settings.dns().modeOf("www.example.com")).isEqualTo(new TargetMode(ChangePolicy.CREATE_ONLY, true));
    assertThat(settings.dns().modeOf("www.example.org")).isEqualTo(new TargetMode(ChangePolicy.SYNC, true));
    assertThat(settings.dns().modeOf("www.example.net")).isEqualTo(new TargetMode(ChangePolicy.CREATE_ONLY, false));
    assertThat(settings.dns().modeOf("elsewhere.test")).isEqualTo(settings.dns().mode());
  }

  @Test
  void runDryRunPutsEveryTargetAndZoneInDryRunKeepingTheirPolicies() throws IOException {
    var settings = load("""
        tributary {
          consul.policy = upsert-only
          dns.zones = [example.com, { name = example.org, policy = create-only, dry-run = false }]
        }
        """).inDryRun();
    assertThat(settings.targetModes().values()).allMatch(TargetMode::dryRun);
    assertThat(settings.consul().mode().changePolicy()).isEqualTo(ChangePolicy.UPSERT_ONLY);
    assertThat(settings.dns().modeOf("a.example.org").changePolicy()).isEqualTo(ChangePolicy.CREATE_ONLY);
    assertThat(settings.dns().modeOf("a.example.com").changePolicy()).isEqualTo(ChangePolicy.SYNC);
  }

  @Test
  void unknownPoliciesAndNonBooleansAreListedWithTheirLines() throws IOException {
    var problems = problems("""
        tributary {
          consul.policy = upsert_only
          traefik.dry-run = maybe
          dns {
            zones = [{ name = example.com, policy = nope }]
            polcy = sync
          }
        }
        """);
    assertThat(problems).containsExactly(
        at(2) + "consul.policy 'upsert_only' must be one of sync, upsert-only, create-only",
        at(3) + "traefik.dry-run must be true or false, not \"maybe\"",
        at(5) + "dns.zones[0].policy 'nope' must be one of sync, upsert-only, create-only",
        at(6) + "unknown key tributary.dns.polcy (did you mean policy?)");
  }
}
