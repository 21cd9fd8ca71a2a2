package io.tributary.consul;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.settings.ConsulSettings;
import io.tributary.settings.TagSyntax;
import io.tributary.translate.Backend;
import io.tributary.translate.PathMatch;
import io.tributary.translate.Route;
import io.tributary.translate.rule.RuleExpr;
import io.tributary.watch.ObjectKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Consul service names: template, wildcard, exact suffix, slug, hashed long names. */
class ServiceNamesTest {
  private static final String LABEL = "[a-z0-9]([a-z0-9-]*[a-z0-9])?";

  private static Route route(String host, String path, PathMatch match) {
    return new Route(new ObjectKey("eu-1", "Ingress", "shop", "web"), Instant.EPOCH, host, path, match,
        new Backend("web", 80, null), List.of(), List.of(), null, false, false, false);
  }

  private static ConsulSettings template(String t) {
    return new ConsulSettings("dc1", "tributary-{cluster}", t, TagSyntax.V3, List.of());
  }

  private static String sha6(String s) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)))
        .substring(0, 6);
  }

  @ParameterizedTest(name = "{0} + {1} {2} with {3} → {4}")
  @CsvSource({
    "shop.example.com,   /api/cart, PREFIX, '{host}{path}',      shop-example-com-api-cart",
    "shop.example.com,   /,         PREFIX, '{host}{path}',      shop-example-com",
    "shop.example.com,   /api,      EXACT,  '{host}{path}',      shop-example-com-api-exact",
    "shop.example.com,   /,         EXACT,  '{host}{path}',      shop-example-com-exact",
    "*.apps.example.com, /,         PREFIX, '{host}{path}',      wildcard-apps-example-com",
    "*.apps.example.com, /v1,       EXACT,  '{host}{path}',      wildcard-apps-example-com-v1-exact",
    "shop.example.com,   /api,      PREFIX, 'k8s-{host}',        k8s-shop-example-com",
    "shop.example.com,   /api,      PREFIX, '{path}--{host}',    api-shop-example-com",
    "shop.example.com,   /Api_V2/,  PREFIX, 'Web_{host}{path}',  web-shop-example-com-api-v2",
    "shop.example.com,   /api,      PREFIX, 'static',            static"
  })
  void theTemplateIsFilledAndSlugged(String host, String path, PathMatch match, String template, String expected) {
    assertThat(ServiceNames.serviceName(route(host, path, match), template(template))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "''{0}'' → ''{1}''")
  @CsvSource({
    "Shop.Example.com/API//v1_beta, shop-example-com-api-v1-beta",
    "--a--b--,                      a-b",
    "2001:db8::1,                   2001-db8-1",
    "192.0.2.11,                    192-0-2-11",
    "'',                            ''",
    "ÄÖ-ü,                          ''"
  })
  void slugKeepsLowerCaseLettersAndDigitsAndOneDashPerRun(String raw, String expected) {
    assertThat(ServiceNames.slug(raw, 63)).isEqualTo(expected);
  }

  @Test
  void aNameOfExactly63CharactersIsKeptAsItIs() {
    String raw = "a".repeat(63);
    assertThat(ServiceNames.slug(raw, 63)).isEqualTo(raw);
  }

  @Test
  void aLongNameIsCutTo56CharactersAndSuffixedWithTheHashOfTheUnsluggedString() throws Exception {
    String host = "a-very-long-subdomain-name-for-testing.another-long-label.example.com";
    String raw = host + "/first/path/segment";
    String name = ServiceNames.serviceName(route(host, "/first/path/segment", PathMatch.PREFIX), ConsulSettings.defaults());
    assertThat(name)
        .hasSize(63)
        .matches(LABEL)
        .isEqualTo(ServiceNames.slug(raw, 200).substring(0, 56) + "-" + sha6(raw));
  }

  @Test
  void aCutThatEndsOnADashDoesNotDoubleIt() throws Exception {
    String raw = "x".repeat(55) + "/" + "y".repeat(20); // the 56th character is the separator
    assertThat(ServiceNames.slug(raw, 63)).isEqualTo("x".repeat(55) + "-" + sha6(raw)).matches(LABEL);
  }

  @Test
  void longNamesThatDifferOnlyAfterTheCutStayDistinctAndAreStable() {
    String host = "a-very-long-subdomain-name-for-testing.another-long-label.example.com";
    var settings = ConsulSettings.defaults();
    String a = ServiceNames.serviceName(route(host, "/first/path/segment", PathMatch.PREFIX), settings);
    String b = ServiceNames.serviceName(route(host, "/first/path/segmenu", PathMatch.PREFIX), settings);
    String exact = ServiceNames.serviceName(route(host, "/first/path/segment", PathMatch.EXACT), settings);
    assertThat(List.of(a, b, exact)).allMatch(n -> n.length() <= 63 && n.matches(LABEL)).doesNotHaveDuplicates();
    for (int i = 0; i < 3; i++) {
      assertThat(ServiceNames.serviceName(route(host, "/first/path/segment", PathMatch.PREFIX), settings)).isEqualTo(a);
    }
  }

  @Test
  void aRicherRuleThanHostAndPathGetsAHashSoItNeverSharesThePlainRoutesName() {
    var headers = new RuleExpr.And(
        new RuleExpr.Matcher("Host", List.of("a.example.com")), new RuleExpr.Matcher("Headers", List.of("X-Beta", "1")));
    var plain = new RuleExpr.Matcher("Host", List.of("a.example.com"));
    Route rich = new Route(new ObjectKey("eu-1", "IngressRoute", "shop", "web"), Instant.EPOCH, "a.example.com", "/",
        PathMatch.PREFIX, new Backend("web", 80, null), List.of(), List.of(), null, false, false, false, headers,
        List.of("a.example.com"));
    Route same = new Route(rich.source(), Instant.EPOCH, "a.example.com", "/", PathMatch.PREFIX, rich.backend(),
        List.of(), List.of(), null, false, false, false, plain, List.of("a.example.com"));
    var settings = ConsulSettings.defaults();
    assertThat(ServiceNames.serviceName(same, settings)).isEqualTo("a-example-com");
    assertThat(ServiceNames.serviceName(rich, settings)).matches("a-example-com-[0-9a-f]{6}");
  }

  @Test
  void slugAgreesWithItsDefinitionForAnyInput() {
    // the definition: lower-case, runs outside [a-z0-9] become one '-', trimmed; long ones cut and hashed
    var random = new java.util.Random(15);
    String alphabet = "abcXYZ019-._ /*{}\u00e9\u0130\u212a\u00df\u0391\ud83d\ude00";
    for (int n = 0; n < 20_000; n++) {
      var b = new StringBuilder();
      int len = random.nextInt(90);
      for (int i = 0; i < len; i++) {
        b.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String raw = b.toString();
      int max = 10 + random.nextInt(60);
      assertThat(ServiceNames.slug(raw, max)).as(raw).isEqualTo(slugByDefinition(raw, max));
    }
  }

  private static String slugByDefinition(String raw, int maxLen) {
    String s = raw.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    if (s.length() <= maxLen) {
      return s;
    }
    return s.substring(0, maxLen - 7).replaceAll("-+$", "") + "-" + ServiceNames.hash6(raw);
  }
}
