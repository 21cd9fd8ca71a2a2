package io.tributary.translate.rule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.settings.TagSyntax;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Traefik rules, v2 and v3 syntax, into one canonical form; errors name the column. */
class RuleParserTest {

  private static String canonical(String rule) {
    return RulePrinter.print(RuleParser.parse(rule), TagSyntax.V3);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiterString = " => ", value = {
    "Host(`a.example.com`) => Host(`a.example.com`)",
    "Host(\"A.Example.com\") => Host(`a.example.com`)",
    "Host(`a.example.com`, `b.example.com`) => Host(`a.example.com`) || Host(`b.example.com`)",
    "Host(`a.example.com`) && PathPrefix(`/api`) => Host(`a.example.com`) && PathPrefix(`/api`)",
    "Host(`a`,`b`) && Path(`/x`) => (Host(`a`) || Host(`b`)) && Path(`/x`)",
    "(Host(`a`) || Host(`b`)) && !PathPrefix(`/admin`) => (Host(`a`) || Host(`b`)) && !PathPrefix(`/admin`)",
    "Host(`a`) || Host(`b`) && Method(`GET`) => Host(`a`) || Host(`b`) && Method(`GET`)",
    "Headers(`X-Canary`, `on`) => Header(`X-Canary`, `on`)",
    "HeadersRegexp(`X-Id`, `^[0-9]+$`) => HeaderRegexp(`X-Id`, `^[0-9]+$`)",
    "Query(`debug=1`) => Query(`debug`, `1`)",
    "Query(`a=1`, `b=2`) => Query(`a`, `1`) && Query(`b`, `2`)",
    "Query(`debug`, `1`) => Query(`debug`, `1`)",
    "Method(`GET`, `HEAD`) => Method(`GET`) || Method(`HEAD`)",
    "HostRegexp(`^[a-z]+\\.example\\.com$`) && ClientIP(`10.0.0.0/8`) => HostRegexp(`^[a-z]+\\.example\\.com$`) && ClientIP(`10.0.0.0/8`)",
    "HostSNI(`*`) => HostSNI(`*`)",
    "PathRegexp(`^/v[0-9]+/`) => PathRegexp(`^/v[0-9]+/`)",
    "!!Host(`a`) => !!Host(`a`)"
  })
  void v2AndV3SyntaxParseToOneCanonicalForm(String rule, String expected) {
    assertThat(canonical(rule)).isEqualTo(expected.strip());
    assertThat(canonical(canonical(rule))).isEqualTo(expected.strip()); // printing is stable
  }

  @Test
  void printsTheV2DialectWhenAsked() {
    var e = RuleParser.parse("Header(`X-A`, `1`) && Query(`k`, `v`)");
    assertThat(RulePrinter.print(e, TagSyntax.V2)).isEqualTo("Headers(`X-A`, `1`) && Query(`k=v`)");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiterString = " => ", value = {
    "Host(`a`) && (PathPrefix(`/b`) || Host(`c`)) => a,c",
    "Host(`a`) && !Host(`b`) => a",
    "HostRegexp(`.*`) => ''",
    "PathPrefix(`/x`) => ''"
  })
  void dnsHostsAreThePositiveHostLiterals(String rule, String hosts) {
    assertThat(String.join(",", RulePrinter.hosts(RuleParser.parse(rule)))).isEqualTo(hosts);
  }

  @Test
  void aRuleWhoseHostsCannotBeKnownIsFlagged() {
    assertThat(RulePrinter.hasUnknownHosts(RuleParser.parse("Host(`a`) && PathPrefix(`/x`)"))).isFalse();
    assertThat(RulePrinter.hasUnknownHosts(RuleParser.parse("Host(`a`) || HostRegexp(`.+`)"))).isTrue();
    assertThat(RulePrinter.hasUnknownHosts(RuleParser.parse("PathPrefix(`/x`)"))).isTrue();
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @CsvSource(delimiterString = " => ", value = {
    "'' => empty rule at column 1",
    "Host(`a`) && => expected a matcher, found the end at column 13",
    "Host(`a` => expected ',' or ')' in Host(...) at column 9",
    "Host(`a) && Path(`/`) => expected ',' or ')' in Host(...)",
    "Hots(`a`) => unknown matcher 'Hots'",
    "Host(a) => expected a string in backticks or double quotes at column 6",
    "(Host(`a`) => missing ')' at column 11",
    "Host(`a`) Path(`/`) => unexpected 'P' at column 11",
    "Host() => Host needs an argument at column 1",
    "Header(`X`) => Header takes a name and a value",
    "Host(`a\" => unterminated string at column 6"
  })
  void syntaxErrorsNameTheColumn(String rule, String message) {
    assertThatThrownBy(() -> RuleParser.parse(rule)).isInstanceOf(RuleSyntaxException.class).hasMessageContaining(message.strip());
  }

  /**
   * Found by the fuzzer (FuzzReplayTest): a rule of 3 000 {@code &&} parsed into a tree 3 000 deep,
   * and printing it overflowed the stack, an Error that escapes the translator's guard. Rules are
   * bounded instead: too many matchers or too deep a nesting is a syntax error naming the limit.
   */
  @Test
  void aRuleTooLargeToHandleSafelyIsASyntaxErrorNotAStackOverflow() {
    String many = "Host(`a.example.com`) && ".repeat(RuleParser.MAX_MATCHERS) + "Path(`/`)";
    assertThatThrownBy(() -> RuleParser.parse(many)).isInstanceOf(RuleSyntaxException.class)
        .hasMessageContaining("more than 256 matchers in one rule");
    String hosts = "Host(" + "`a`, ".repeat(RuleParser.MAX_MATCHERS) + "`b`)";
    assertThatThrownBy(() -> RuleParser.parse(hosts)).hasMessageContaining("more than 256 matchers");
    String deep = "(".repeat(5000) + "Host(`a`)" + ")".repeat(5000);
    assertThatThrownBy(() -> RuleParser.parse(deep)).hasMessageContaining("nest more than 32 deep");
    assertThatThrownBy(() -> RuleParser.parse("!".repeat(100_000) + "Host(`a`)")).hasMessageContaining("nest more than 32 deep");
    // at the limits, a rule still parses and prints
    String most = "Host(`a`) && ".repeat(RuleParser.MAX_MATCHERS - 1) + "Path(`/`)";
    assertThat(canonical(most)).endsWith("&& Path(`/`)");
    assertThat(canonical("(".repeat(32) + "Host(`a`)" + ")".repeat(32))).isEqualTo("Host(`a`)");
  }
}
