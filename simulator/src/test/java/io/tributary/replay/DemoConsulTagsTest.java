package io.tributary.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.tributary.consul.ConsulRegistration;
import io.tributary.target.Target;
import io.tributary.settings.TributarySettings;
import io.tributary.translate.rule.RuleParser;
import io.tributary.translate.rule.RulePrinter;
import io.tributary.writer.WriteObserver;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Consul tags the demo produces are what a VM-side Traefik can use: every router rule parses
 * with the project's rule parser and prints back unchanged, and every tag has one of the shapes
 * docs/translation.md documents.
 */
class DemoConsulTagsTest {
  // the documented tag shapes (docs/translation.md, "Consul")
  private static final Pattern DOCUMENTED = Pattern.compile(
      "traefik\\.enable=true"
          + "|traefik\\.http\\.routers\\.(?<router>[a-z0-9-]+)\\.(rule|service|entrypoints|middlewares|priority|tls)=.+"
          + "|traefik\\.http\\.middlewares\\.[a-z0-9-]+\\.(stripprefix\\.prefixes|ipallowlist\\.sourcerange|ipwhitelist\\.sourcerange|headers\\.[a-z.]+)=.+"
          + "|traefik\\.http\\.services\\.(?<svc>[a-z0-9-]+)\\.loadbalancer\\.server\\.port=\\d+");

  @Test
  void everyTagOfTheDemoIsDocumentedAndEveryRuleParses() throws Exception {
    var config = ConfigFactory.parseResources("conf/demo.conf").withFallback(ConfigFactory.load()).resolve();
    var result = Replay.run("demo", DemoScenario.events().iterator(), TributarySettings.from(config), config, WriteObserver.NONE);
    List<ConsulRegistration> registrations = result.state().get(Target.CONSUL).values().stream()
        .map(ConsulRegistration.class::cast).toList();
    assertThat(registrations).isNotEmpty();
    int rules = 0;
    for (ConsulRegistration r : registrations) {
      assertThat(r.tags()).as(r.key()).contains("traefik.enable=true")
          .anyMatch(t -> t.equals("traefik.http.services." + r.service() + ".loadbalancer.server.port=" + r.port()));
      for (String tag : r.tags()) {
        var m = DOCUMENTED.matcher(tag);
        assertThat(m.matches()).as("undocumented tag on %s: %s", r.key(), tag).isTrue();
        if (m.group("router") != null) {
          assertThat(m.group("router")).as(tag).isEqualTo(r.service());
        }
        String prefix = "traefik.http.routers." + r.service() + ".rule=";
        if (tag.startsWith(prefix)) {
          String rule = tag.substring(prefix.length());
          assertThat(RulePrinter.print(RuleParser.parse(rule), io.tributary.settings.TagSyntax.V3)).as(tag).isEqualTo(rule);
          rules++;
        }
      }
    }
    assertThat(rules).isGreaterThan(20);
  }
}
