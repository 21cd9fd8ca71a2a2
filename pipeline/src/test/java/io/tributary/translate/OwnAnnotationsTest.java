package io.tributary.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.consul.ServiceNames;
import io.tributary.dns.DnsPlanner;
import io.tributary.settings.ClusterEndpoints;
import io.tributary.settings.ConsulSettings;
import io.tributary.settings.DnsSettings;
import io.tributary.settings.TranslateSettings;
import io.tributary.watch.ObjectKey;
import java.util.List;
import org.junit.jupiter.api.Test;

/** tributary.io/ annotations on any kind: service name, DNS on/off and TTL, strip, visibility, typos. */
class OwnAnnotationsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectKey KEY = new ObjectKey("eu-1", "Ingress", "shop", "web");

  private static Translation translate(String annotations) throws Exception {
    ObjectNode o = (ObjectNode) JSON.readTree(("{'apiVersion':'networking.k8s.io/v1','kind':'Ingress',"
        + "'metadata':{'name':'web','namespace':'shop','annotations':{" + annotations + "}},"
        + "'spec':{'rules':[{'host':'www.example.com','http':{'paths':[{'path':'/api','pathType':'Prefix',"
        + "'backend':{'service':{'name':'web','port':{'number':80}}}}]}}]}}").replace('\'', '"'));
    return Translator.translate(KEY, o, TranslateSettings.defaults());
  }

  @Test
  void optionsApplyToEveryRouteOfTheObject() throws Exception {
    var t = (Translation.Accepted) translate("'tributary.io/consul-service-name':'shop-api','tributary.io/ttl':'300',"
        + "'tributary.io/strip-prefix':'true','tributary.io/visibility':'private'");
    Route r = t.routes().get(0);
    assertThat(ServiceNames.serviceName(r, ConsulSettings.defaults())).isEqualTo("shop-api");
    assertThat(r.stripPrefix()).isTrue();
    assertThat(r.entrypoints()).containsExactly("internal");
    var dns = DnsPlanner.plan("www.example.com", List.of(r), c -> new ClusterEndpoints(c, List.of("192.0.2.1"), 80), DnsSettings.defaults(), "o");
    assertThat(dns.records().get(0).ttlSeconds()).isEqualTo(300);
  }

  @Test
  void dnsFalseKeepsTheRouteButNoHostname() throws Exception {
    var t = (Translation.Accepted) translate("'tributary.io/dns':'false'");
    assertThat(t.routes().get(0).dnsHosts()).isEmpty();
    assertThat(t.routes().get(0).host()).isEqualTo("www.example.com");
  }

  @Test
  void badValuesRejectAndUnknownKeysWarn() throws Exception {
    var bad = (Translation.Rejected) translate("'tributary.io/dns':'nope','tributary.io/ttl':'5','tributary.io/visibility':'secret',"
        + "'tributary.io/consul-service-name':'Shop_API'");
    assertThat(bad.reason())
        .contains("tributary.io/dns]: 'nope' is neither true nor false")
        .contains("tributary.io/ttl]: 5 is outside 30..86400 seconds")
        .contains("tributary.io/visibility]: 'secret' is not one of [private, public]")
        .contains("'Shop_API' is not a lower-case DNS label");
    var typo = (Translation.Accepted) translate("'tributary.io/stip-prefix':'true','tributary.io/weight':'10'");
    assertThat(typo.warnings()).anySatisfy(w -> assertThat(w).contains("tributary.io/stip-prefix]: unknown Tributary annotation (a typo?)"));
    assertThat(typo.routes().get(0).stripPrefix()).isFalse();
    assertThat(typo.routes().get(0).weight()).isEqualTo(10);
    assertThat(((Translation.Rejected) translate("'tributary.io/weight':'150'")).reason()).contains("150 is outside 0..100");
  }

  @Test
  void mirrorIsAShareOfOneToHundredPercentAlongsideAWeightOrAlone() throws Exception {
    var both = (Translation.Accepted) translate("'tributary.io/mirror':'25','tributary.io/weight':'10'");
    assertThat(both.routes().get(0).mirrorPercent()).isEqualTo(25);
    assertThat(both.routes().get(0).weight()).isEqualTo(10);
    var alone = (Translation.Accepted) translate("'tributary.io/mirror':'100'");
    assertThat(alone.routes().get(0).mirrorPercent()).isEqualTo(100);
    assertThat(alone.routes().get(0).weight()).isNull();
    assertThat(((Translation.Rejected) translate("'tributary.io/mirror':'0'")).reason()).contains("0 is outside 1..100");
    assertThat(((Translation.Rejected) translate("'tributary.io/mirror':'half'")).reason()).contains("'half' is not a number 1..100");
  }
}
