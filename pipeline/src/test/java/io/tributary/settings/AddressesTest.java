package io.tributary.settings;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** IPv6 literals in the one form the DNS writer compares them in (RFC 5952). */
class AddressesTest {
  @ParameterizedTest
  @CsvSource({
      "2001:DB8::1, 2001:db8::1",
      "2001:db8:0:0:0:0:0:1, 2001:db8::1",
      "2001:0db8:0000:0000:0001:0000:0000:0001, 2001:db8::1:0:0:1",
      "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
      "::1, ::1",
      "fe80:0:0:0:0:0:0:0, fe80::",
      "0:0:0:0:0:0:0:0, ::",
      "2001:db8:0:0:1:0:0:0, 2001:db8:0:0:1::"})
  void canonicalIpv6(String in, String out) {
    assertThat(Addresses.canonicalIpv6(in)).isEqualTo(out);
  }
}
