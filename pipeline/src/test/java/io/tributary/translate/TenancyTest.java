package io.tributary.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import io.tributary.settings.TributarySettings;
import io.tributary.watch.EventType;
import io.tributary.watch.WatchEvent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Per-cluster and per-namespace hostname allow lists stop one tenant claiming another's names. */
class TenancyTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TributarySettings SETTINGS = TributarySettings.from(ConfigFactory.parseString("""
      tributary.translate.namespace-hosts { shop = ["shop.example.com", "*.shop.example.com"] }
      tributary.clusters.eu-1 { allowed-hosts = ["*.example.com"], endpoints.addresses = ["192.0.2.1"] }
      """).withFallback(ConfigFactory.defaultReference()).resolve());

  private static WatchEvent ingress(String cluster, String namespace, String host) throws Exception {
    ObjectNode o = (ObjectNode) JSON.readTree(("{'apiVersion':'networking.k8s.io/v1','kind':'Ingress',"
        + "'metadata':{'name':'web','namespace':'" + namespace + "'},'spec':{'rules':[{'host':'" + host + "','http':{'paths':"
        + "[{'path':'/','pathType':'Prefix','backend':{'service':{'name':'web','port':{'number':80}}}}]}}]}}").replace('\'', '"'));
    return WatchEvent.of(cluster, EventType.ADDED, o);
  }

  @ParameterizedTest(name = "{0}/{1} claims {2}: {3}")
  @CsvSource({
    "eu-1, shop,     shop.example.com,       accepted",
    "eu-1, shop,     api.shop.example.com,   accepted",
    "eu-1, shop,     pay.example.com,        namespace shop",
    "eu-1, payments, pay.example.com,        accepted",
    "eu-1, payments, pay.example.org,        cluster eu-1",
    "lab,  payments, pay.example.org,        accepted"
  })
  void claimsOutsideTheAllowListsAreRejectedWithTheReason(String cluster, String ns, String host, String outcome) throws Exception {
    var t = Translator.translated(ingress(cluster, ns, host), SETTINGS).translation();
    if (outcome.equals("accepted")) {
      assertThat(t).isInstanceOf(Translation.Accepted.class);
    } else {
      assertThat(((Translation.Rejected) t).reason()).contains("host " + host + " is not allowed").contains(outcome);
    }
  }
}
