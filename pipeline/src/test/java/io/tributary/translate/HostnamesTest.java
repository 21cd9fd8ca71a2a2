package io.tributary.translate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostnamesTest {

  private static final String L63 = "a".repeat(63);

  @ParameterizedTest(name = "valid: {0}")
  @ValueSource(
      strings = {
        "example.com",
        "a.example.com",
        "a-b.example.com",
        "a--b.example.com",
        "0.example.com",
        "123.example.com",
        "x1.y2",
        "*.example.com",
        "*.a.b.example.com",
        "xn--bcher-kva.example",
        "1.2.3.example", // numeric labels are fine as long as it is not an IPv4 address
        "1.2.3",
        "1.2.3.4.5"
      })
  void validHostnames(String host) {
    assertThat(Hostnames.invalidReason(host)).isNull();
  }

  @Test
  void longestLabelIsValid() {
    assertThat(Hostnames.invalidReason(L63 + ".example.com")).isNull();
  }

  @Test
  void longestNameIsValid() {
    // 63 + 1 + 63 + 1 + 63 + 1 + 61 = 253
    String host = L63 + "." + L63 + "." + L63 + "." + "b".repeat(61);
    assertThat(host).hasSize(253);
    assertThat(Hostnames.invalidReason(host)).isNull();
  }

  static Stream<Arguments> invalidHostnames() {
    String tooLong = L63 + "." + L63 + "." + L63 + "." + "b".repeat(62);
    return Stream.of(
        Arguments.of("empty", "", "hostname is empty"),
        Arguments.of(
            "underscore",
            "bad_host.example.com",
            "label 'bad_host' has characters outside a-z 0-9 -"),
        Arguments.of(
            "upper case is not lower-cased here",
            "Example.com",
            "label 'Example' has characters outside a-z 0-9 -"),
        Arguments.of("space", "a b.example.com", "label 'a b' has characters outside a-z 0-9 -"),
        Arguments.of(
            "unicode", "bücher.example", "label 'bücher' has characters outside a-z 0-9 -"),
        Arguments.of("leading hyphen", "-a.example.com", "label '-a' starts or ends with '-'"),
        Arguments.of("trailing hyphen", "a-.example.com", "label 'a-' starts or ends with '-'"),
        Arguments.of("hyphen in tld", "example.com-", "label 'com-' starts or ends with '-'"),
        Arguments.of(
            "label too long",
            "a".repeat(64) + ".example.com",
            "label '" + "a".repeat(64) + "' is 64 characters long; at most 63 are allowed"),
        Arguments.of(
            "name too long", tooLong, "hostname is 254 characters long; at most 253 are allowed"),
        Arguments.of(
            "single label",
            "localhost",
            "hostname 'localhost' has a single label; at least two are required"),
        Arguments.of(
            "leading dot",
            ".example.com",
            "hostname has an empty label (a leading, trailing or doubled dot)"),
        Arguments.of(
            "trailing dot",
            "example.com.",
            "hostname has an empty label (a leading, trailing or doubled dot)"),
        Arguments.of(
            "double dot",
            "a..example.com",
            "hostname has an empty label (a leading, trailing or doubled dot)"),
        Arguments.of("ipv4", "10.0.0.1", "'10.0.0.1' is an IP address, not a hostname"),
        Arguments.of(
            "ipv4 out of range still looks like one",
            "999.1.1.1",
            "'999.1.1.1' is an IP address, not a hostname"),
        Arguments.of("ipv6", "::1", "'::1' is an IP address, not a hostname"),
        Arguments.of("ipv6 full", "fe80::1:2", "'fe80::1:2' is an IP address, not a hostname"),
        Arguments.of(
            "bare wildcard",
            "*",
            "a bare '*' would match every hostname; use a leftmost wildcard such as *.example.com"),
        Arguments.of(
            "wildcard in the middle",
            "a.*.com",
            "label '*': a wildcard is only allowed as the whole leftmost label"),
        Arguments.of(
            "wildcard last",
            "example.*",
            "label '*': a wildcard is only allowed as the whole leftmost label"),
        Arguments.of(
            "partial leftmost wildcard",
            "*a.example.com",
            "label '*a': a wildcard must be the whole leftmost label ('*.'), not part of one"),
        Arguments.of(
            "partial wildcard suffix",
            "a*.example.com",
            "label 'a*': a wildcard must be the whole leftmost label ('*.'), not part of one"),
        Arguments.of(
            "double wildcard",
            "*.*.example.com",
            "label '*': a wildcard is only allowed as the whole leftmost label"),
        Arguments.of(
            "wildcard over a tld",
            "*.com",
            "a wildcard needs at least two labels after '*.' (*.example.com, not *.com)"),
        Arguments.of(
            "wildcard with nothing after",
            "*.",
            "hostname has an empty label (a leading, trailing or doubled dot)"));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource
  void invalidHostnames(String why, String host, String reason) {
    assertThat(Hostnames.invalidReason(host)).isEqualTo(reason);
  }

  @Test
  void nullIsInvalid() {
    assertThat(Hostnames.invalidReason(null)).isEqualTo("hostname is empty");
  }

  @ParameterizedTest(name = "{0} covers {1}: {2}")
  @CsvSource({
    // exact names cover only themselves
    "example.com,           example.com,             true",
    "example.com,           a.example.com,           false",
    "a.example.com,         example.com,             false",
    // a wildcard covers exactly one extra label
    "*.example.com,         a.example.com,           true",
    "*.example.com,         api-1.example.com,       true",
    "*.example.com,         example.com,             false",
    "*.example.com,         a.b.example.com,         false",
    "*.example.com,         aexample.com,            false",
    "*.example.com,         .example.com,            false",
    "*.example.com,         a.example.org,           false",
    "*.example.com,         a.example.com.evil.net,  false",
    // a wildcard covers itself, not a narrower or wider wildcard
    "*.example.com,         *.example.com,           true",
    "*.example.com,         *.a.example.com,         false",
    "*.a.example.com,       *.example.com,           false",
    "*.com,                 *.example.com,           false",
    // only a leftmost '*.' is a wildcard
    "a.*.com,               a.b.com,                 false",
    "*example.com,          aexample.com,            false",
    // an exact pattern never covers a wildcard
    "a.example.com,         *.example.com,           false",
    "*.b.example.com,       a.b.example.com,         true",
  })
  void wildcardCovers(String pattern, String host, boolean covers) {
    assertThat(Hostnames.wildcardCovers(pattern, host)).isEqualTo(covers);
  }

  @Test
  void wildcardCoversIsFalseForNullOrEmpty() {
    assertThat(Hostnames.wildcardCovers(null, "a.example.com")).isFalse();
    assertThat(Hostnames.wildcardCovers("*.example.com", null)).isFalse();
    assertThat(Hostnames.wildcardCovers("", "")).isFalse();
    assertThat(Hostnames.wildcardCovers("*.example.com", "")).isFalse();
  }

  @Test
  void theFastPathAcceptsOnlyWhatTheRulesAccept() {
    var random = new java.util.Random(15);
    String alphabet = "abz09-.-..*:_A\u00e9";
    String[] seeds = {"shop.example.com", "a.b", "1.2.3.4", "xn--bcher-kva.example", "-a.b", "a-.b", "a..b", "a", "*.example.com"};
    for (int n = 0; n < 50_000; n++) {
      String host;
      if (n % 2 == 0) {
        var b = new StringBuilder();
        int len = 1 + random.nextInt(20);
        for (int i = 0; i < len; i++) {
          b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        host = b.toString();
      } else {
        var b = new StringBuilder(seeds[random.nextInt(seeds.length)]);
        b.setCharAt(random.nextInt(b.length()), alphabet.charAt(random.nextInt(alphabet.length())));
        host = b.toString();
      }
      if (Hostnames.plainValid(host)) {
        assertThat(Hostnames.ruleBroken(host)).as(host).isNull();
      }
    }
    assertThat(Hostnames.plainValid("shop.example.com")).isTrue();
    assertThat(Hostnames.plainValid("1.2.3.4")).as("left to the rules, which name it an IP address").isFalse();
    assertThat(Hostnames.plainValid("a" + "b".repeat(63) + ".com")).isFalse();
  }
}
