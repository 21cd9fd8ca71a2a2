package io.tributary.translate.rule;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Regexps as Traefik (Go's RE2) reads them. */
class GoRegexpTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "/api/v[0-9]+/.*", "^/(foo|bar)$", "(?i)/Shop", "(?P<id>[0-9]+)", "(?<first_name>[a-z]+)", "a{2,3}", "a{2,}b",
      "[]a]", "[^]a]+", "[[:alpha:]]+", "\\Q(?=literal)\\E", "a+?", "a*?b", "x{1,2}?", "\\++", "[+]+", "\\d\\s\\w",
      "a|b+|c", "(?s:.*)", "\\pL+", "/users/{id}", "a{,3}", "x{", "[{]+", "\\{1}", "a{1000}", "a{0,1000}"})
  void readsWhatRe2Reads(String regex) {
    assertThat(GoRegexp.problem(regex)).isNull();
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "/a(?=b); a lookahead", "/a(?!b); a lookahead", "(?<=a)b; a lookbehind", "(?<!a)b; a lookbehind",
      "(a)\\1; a backreference", "(?<x>a)\\k<x>; a backreference", "(?>ab); an atomic group",
      "a++; a possessive quantifier", "a*+; a possessive quantifier", "a?+; a possessive quantifier",
      "a{2}+; a possessive quantifier", "a{1001}; a repetition count above 1000", "a{2,5000}; a repetition count above 1000"})
  void refusesWhatRe2Lacks(String regex, String construct) {
    assertThat(GoRegexp.problem(regex)).isEqualTo("uses " + construct + ", which Traefik's regular expressions (Go, RE2) do not support");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/a(b", "[a-", "*a", "a{2,1}", "(?P<>a)"})
  void refusesWhatDoesNotCompile(String regex) {
    assertThat(GoRegexp.problem(regex)).startsWith("is not a regular expression: ");
  }

  @Test
  void rulesNameTheMatcherOfEachBadRegexpAndLeaveHostTemplatesAlone() {
    var rule = RuleParser.parse("HostRegexp(`{sub:[a-z]+}.example.com`) && (PathRegexp(`/a(?=b)`) || HeaderRegexp(`X-V`, `(1`))"
        + " && QueryRegexp(`q`, `ok.*`)");
    assertThat(GoRegexp.problems(rule)).containsExactly(
        "PathRegexp: '/a(?=b)' uses a lookahead, which Traefik's regular expressions (Go, RE2) do not support",
        "HeaderRegexp: '(1' is not a regular expression: Unclosed group");
  }
}
