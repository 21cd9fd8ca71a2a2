package io.tributary.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 11.4: every problem of a file at once, with key and file:line; unknown keys refused. */
class ConfigValidationTest {
  @TempDir Path dir;

  /** The problems of {@code hocon} written to a file {@code bad.conf}, loaded as the CLI does. */
  private List<String> problems(String hocon) throws IOException {
    Path file = dir.resolve("bad.conf");
    Files.writeString(file, hocon);
    var config = ConfigFactory.parseFile(file.toFile()).withFallback(ConfigFactory.defaultReference()).resolve();
    var e = catchThrowableOfType(SettingsException.class, () -> TributarySettings.from(config));
    assertThat(e).as("the config is refused").isNotNull();
    return e.problems();
  }

  private String at(int line) {
    return dir.resolve("bad.conf") + ":" + line + ": ";
  }

  @Test
  void aTypeErrorDoesNotHideTheOtherProblems() throws IOException {
    var problems = problems("""
        tributary {
          writer.max-batch = "lots"
          dns.max-records-per-update = 0
          debounce {
            quiet = 5 lightyears
          }
        }
        """);
    assertThat(problems).containsExactly(
        at(2) + "writer.max-batch must be a whole number, not \"lots\"",
        at(3) + "dns.max-records-per-update must be between 1 and 1000",
        at(5) + "debounce.quiet must be a duration (250ms, 2s, 5m), not \"5 lightyears\"");
  }

  @Test
  void unknownKeysAndBadValuesAreListedTogetherInLineOrder() throws IOException {
    var problems = problems("""
        tributary {
          writer.max-batch = "lots"
          bogus-key = 1
          clusters.alpha {
            kindz = [Ingress]
            endpoints { addresses = ["192.0.2.1"], port = 70000 }
          }
        }
        """);
    assertThat(problems).containsExactly(
        at(2) + "writer.max-batch must be a whole number, not \"lots\"",
        at(3) + "unknown key tributary.bogus-key (known keys here: admin, clusters, consul, debounce, dns, kafka, last-accepted, log, owner-id, record-to,"
            + " reload, source, traefik, translate, vm-discovery, watch, writer)",
        at(5) + "unknown key tributary.clusters.alpha.kindz (did you mean kinds?)",
        at(6) + "clusters.alpha.endpoints.port 70000 is out of range");
  }

  @Test
  void anUnknownTopLevelKeyIsRefusedByName() throws IOException {
    assertThat(problems("tributary.bogus-key = 1\n"))
        .singleElement().asString().startsWith(at(1) + "unknown key tributary.bogus-key");
  }

  @Test
  void aTypoInAClusterIsRefusedWithTheNearestKey() throws IOException {
    assertThat(problems("""
        tributary.clusters.alpha {
          kindz = [Ingress]
          endpoints { addresses = ["192.0.2.1"] }
        }
        """)).containsExactly(at(2) + "unknown key tributary.clusters.alpha.kindz (did you mean kinds?)");
  }

  @Test
  void unknownKeysInsideADnsZoneAreRefused() throws IOException {
    assertThat(problems("""
        tributary.dns.zones = [{
          name = example.com
          server = "10.0.0.53:53"
          tsig { name = k, secret-env = TSIG, algo = hmac-sha512 }
          tll = 60s
        }]
        """)).containsExactly(
        at(4) + "unknown key tributary.dns.zones[0].tsig.algo (did you mean algorithm?)",
        at(5) + "unknown key tributary.dns.zones[0].tll (did you mean ttl?)");
  }

  @Test
  void unknownKeysDeepInAClusterAreRefused() throws IOException {
    assertThat(problems("""
        tributary.clusters.alpha {
          namespaces { allow = [shop], denny = [kube-system] }
          endpoints { type = nodes, host-port = 8080, adress-type = ExternalIP }
        }
        """)).containsExactly(
        at(2) + "unknown key tributary.clusters.alpha.namespaces.denny (did you mean deny?)",
        at(3) + "unknown key tributary.clusters.alpha.endpoints.adress-type (did you mean address-type?)");
  }

  @Test
  void aBlockOfTheWrongTypeIsReportedOnceAndTheRestStillChecked() throws IOException {
    assertThat(problems("""
        tributary {
          writer = 5
          consul.http { max-connections = [4] }
          clusters.alpha.endpoints = "192.0.2.1"
          clusters.beta { namespaces = [shop], endpoints { addresses = ["192.0.2.2"] } }
        }
        """)).containsExactly(
        at(2) + "writer must be a block { ... }, not 5",
        at(3) + "consul.http.max-connections must be a whole number, not the list [4]",
        at(4) + "clusters.alpha.endpoints must be a block { ... }, not \"192.0.2.1\"",
        at(5) + "clusters.beta.namespaces must be a block { ... }, not the list [\"shop\"]");
  }

  @Test
  void userNamedEntriesAndKeysOutsideTributaryAreAccepted() {
    var config = ConfigFactory.parseString("""
        pekko.loglevel = DEBUG
        kamon.whatever.we = like
        tributary {
          translate {
            visibility-entrypoints { partner = [partner] }
            namespace-hosts { shop = ["*.shop.example.com"] }
            vm-backends { "shop.example.com" = shop-vm }
          }
          clusters.eu-1.endpoints {
            type = nodes, host-port = 8080
            node-selector { "node-role.kubernetes.io/ingress" = "true", topology.kubernetes.io/zone = a }
          }
          dns.zones = ["example.org"]
        }
        """).withFallback(ConfigFactory.defaultReference()).resolve();
    var s = TributarySettings.from(config);
    assertThat(s.translate().visibilityEntrypoints()).containsKeys("public", "private", "partner");
    assertThat(s.translate().vmBackends()).containsEntry("shop.example.com", "shop-vm");
    assertThat(s.clusters().get("eu-1").endpointSettings().nodeSelector())
        .containsEntry("node-role.kubernetes.io/ingress", "true")
        .containsEntry("topology.kubernetes.io/zone", "a");
  }

  @Test
  void everyShippedConfigLoadsWithoutProblems() throws IOException {
    List<Path> shipped;
    try (Stream<Path> files = Files.list(Path.of("..", "conf"))) {
      shipped = files.filter(f -> f.toString().endsWith(".conf")).sorted().toList();
    }
    assertThat(shipped).extracting(f -> f.getFileName().toString()).contains("reference.conf", "demo.conf");
    for (Path f : shipped) {
      var config = ConfigFactory.parseFile(f.toFile()).withFallback(ConfigFactory.defaultReference()).resolve();
      assertThatCode(() -> TributarySettings.from(config)).as(f.toString()).doesNotThrowAnyException();
    }
  }

  @Test
  void middlewareMapEntriesAreCheckedWithKeyAndLine() throws IOException {
    var problems = problems("""
        tributary.translate.middleware-map {
          "shop/auth" = "auth@file"
          "shop/oops" = "no-provider"
          "Shop_Auth" = "auth@file"
          "a-b/c" = "x@file"
          "a/b-c" = "y@file"
          "shop/n" = 3
        }
        """);
    assertThat(problems).containsExactly(
        at(3) + "translate.middleware-map.\"shop/oops\" 'no-provider' must name a middleware with its provider,"
            + " <name>@<provider> (auth@file)",
        at(4) + "translate.middleware-map key 'Shop_Auth' must be <namespace>/<name> of a Middleware object",
        at(6) + "translate.middleware-map key 'a/b-c' names the same Middleware as 'a-b/c' (both are a-b-c@kubernetescrd)",
        at(7) + "translate.middleware-map.\"shop/n\" '3' must name a middleware with its provider, <name>@<provider> (auth@file)");
  }

  @Test
  void aMiddlewareMapIsReadAsWritten() {
    var s = TributarySettings.from(ConfigFactory.parseString("""
        tributary.translate.middleware-map { "shop/auth" = "auth@file" }
        """).withFallback(ConfigFactory.defaultReference()).resolve());
    assertThat(s.translate().middlewareMap()).containsExactly(java.util.Map.entry("shop/auth", "auth@file"));
  }

  @Test
  void nginxClassesAreIngressClassNamesAndDropSnippetsABoolean() throws IOException {
    var problems = problems("""
        tributary.translate {
          nginx-classes = ["nginx", "Bad_Class", ""]
          nginx-drop-snippets = maybe
        }
        """);
    assertThat(problems).containsExactly(
        at(2) + "translate.nginx-classes: '' is not an IngressClass name (a lower-case DNS-1123 subdomain, at most 253 characters)",
        at(2) + "translate.nginx-classes: 'Bad_Class' is not an IngressClass name (a lower-case DNS-1123 subdomain, at most 253 characters)",
        at(3) + "translate.nginx-drop-snippets must be true or false, not \"maybe\"");
  }

  @Test
  void nginxClassesAreReadAsWritten() {
    var s = TributarySettings.from(ConfigFactory.parseString("""
        tributary.translate { nginx-classes = ["nginx", "nginx-internal"], nginx-drop-snippets = true }
        """).withFallback(ConfigFactory.defaultReference()).resolve());
    assertThat(s.translate().nginxClasses()).containsExactlyInAnyOrder("nginx", "nginx-internal");
    assertThat(s.translate().nginxDropSnippets()).isTrue();
    assertThat(TributarySettings.from(ConfigFactory.defaultReference().resolve()).translate().nginxClasses()).isEmpty();
  }
}
