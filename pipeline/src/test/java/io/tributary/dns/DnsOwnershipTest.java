package io.tributary.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.settings.DnsSettings.TxtFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The TXT ownership registry: names, texts and what a TXT found in a zone claims. */
class DnsOwnershipTest {
  private static DnsRecordSet rs(String type, List<String> sources) {
    return new DnsRecordSet("www.example.com", type, 60, List.of("192.0.2.1"), "tributary", sources);
  }

  @ParameterizedTest
  @CsvSource({
      "www.example.com, A, TRIBUTARY, _tributary-a.www.example.com",
      "www.example.com, CNAME, TRIBUTARY, _tributary-cname.www.example.com",
      "*.shop.example.com, AAAA, TRIBUTARY, _tributary-aaaa.*.shop.example.com",
      "www.example.com, A, EXTERNAL_DNS, a-www.example.com",
      "www.example.com, CNAME, EXTERNAL_DNS, cname-www.example.com"})
  void companionNames(String name, String type, TxtFormat format, String expected) {
    assertThat(DnsOwnership.companionName(name, type, format)).isEqualTo(expected);
  }

  @Test
  void tributaryFormatRoundTripsOwnerAndEverySourceIncludingLongOnes() {
    String longSource = "eu-1/IngressRoute/" + "n".repeat(63) + "/" + "x".repeat(253);
    var r = rs("A", List.of("eu-1/Ingress/shop/web", longSource, "us-1/Ingress/shop/web"));
    List<String> text = DnsOwnership.companionText(r, TxtFormat.TRIBUTARY);
    assertThat(text).allMatch(s -> s.length() <= 255);
    assertThat(text.get(0)).isEqualTo("heritage=tributary");
    var claim = DnsOwnership.parse(text);
    assertThat(claim).isEqualTo(new DnsOwnership.Claim(TxtFormat.TRIBUTARY, "tributary", r.sources()));
  }

  @Test
  void externalDnsFormatKeepsOneResourceAndTheRecordIsStoredThatWay() {
    var r = rs("A", List.of("eu-1/Ingress/shop/web", "us-1/Ingress/shop/web"));
    assertThat(DnsOwnership.companionText(r, TxtFormat.EXTERNAL_DNS))
        .containsExactly("heritage=external-dns,external-dns/owner=tributary,external-dns/resource=eu-1/Ingress/shop/web");
    var stored = DnsOwnership.storable(r, TxtFormat.EXTERNAL_DNS);
    assertThat(stored.sources()).containsExactly("eu-1/Ingress/shop/web");
    assertThat(DnsOwnership.parse(DnsOwnership.companionText(stored, TxtFormat.EXTERNAL_DNS)).sources())
        .isEqualTo(stored.sources());
    assertThat(DnsOwnership.storable(r, TxtFormat.TRIBUTARY)).isSameAs(r);
  }

  @Test
  void externalDnsRecordsWrittenByExternalDnsAreRecognised() {
    var claim = DnsOwnership.parse(List.of("heritage=external-dns,external-dns/owner=default,external-dns/resource=ingress/shop/web"));
    assertThat(claim).isEqualTo(new DnsOwnership.Claim(TxtFormat.EXTERNAL_DNS, "default", List.of("ingress/shop/web")));
    // external-dns may split a long TXT into several strings
    assertThat(DnsOwnership.parse(List.of("heritage=external-dns,external-dns/own", "er=default")).owner()).isEqualTo("default");
  }

  @Test
  void otherTxtRecordsClaimNothing() {
    assertThat(DnsOwnership.parse(List.of("v=spf1 -all"))).isNull();
    assertThat(DnsOwnership.parse(List.of("heritage=tributary"))).isNull();
    assertThat(DnsOwnership.parse(List.of("google-site-verification=abc"))).isNull();
  }
}
