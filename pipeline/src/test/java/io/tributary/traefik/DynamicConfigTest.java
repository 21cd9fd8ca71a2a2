package io.tributary.traefik;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The dynamic-configuration model reads back from its KV entries and from its file document unchanged. */
class DynamicConfigTest {

  static DynamicConfig sample() throws Exception {
    var routers = new TreeMap<String, DynamicConfig.Router>();
    routers.put("o.shop", new DynamicConfig.Router("Host(`shop.example.com`)", List.of("web", "websecure"),
        List.of("o.shop-strip", "auth@file"), "o.shop", 1051, true));
    routers.put("o.plain", new DynamicConfig.Router("Host(`a.example.com`)", List.of(), List.of(), "o.lb", null, false));
    var services = new TreeMap<String, DynamicConfig.Service>();
    services.put("o.shop", new DynamicConfig.Weighted(List.of(
        new DynamicConfig.Member("o.shop-mirror", 75), new DynamicConfig.Member("shop@consulcatalog", 25))));
    services.put("o.shop-mirror", new DynamicConfig.Mirroring("shop-vm@consulcatalog",
        List.of(new DynamicConfig.Mirror("shop@consulcatalog", 10))));
    services.put("o.lb", new DynamicConfig.LoadBalancer(List.of(
        new DynamicConfig.Server("http://10.0.0.1:8080", 3), new DynamicConfig.Server("http://10.0.0.2:8080", null))));
    var middlewares = new TreeMap<String, DynamicConfig.Middleware>();
    middlewares.put("o.shop-strip", DynamicConfig.Middleware.stripPrefix(List.of("/checkout")));
    middlewares.put("o.shop-chain", DynamicConfig.Middleware.chain(List.of("o.shop-strip", "o.shop-allow")));
    middlewares.put("o.shop-allow", new DynamicConfig.Middleware("ipAllowList", (ObjectNode) new ObjectMapper().readTree(
        "{\"sourceRange\": [\"10.0.0.0/8\"], \"ipStrategy\": {\"depth\": 1, \"excludedIPs\": [\"10.0.0.9\"]}}")));
    middlewares.put("o.shop-hdrs", new DynamicConfig.Middleware("headers", (ObjectNode) new ObjectMapper().readTree(
        "{\"customRequestHeaders\": {\"X-Canary\": \"yes\"}, \"sslRedirect\": true}")));
    middlewares.put("o.shop-https", new DynamicConfig.Middleware("redirectScheme", (ObjectNode) new ObjectMapper().readTree(
        "{\"scheme\": \"https\", \"permanent\": true}")));
    return new DynamicConfig(routers, services, middlewares);
  }

  @Test
  void kvEntriesReadBackIntoTheSameModel() throws Exception {
    DynamicConfig c = sample();
    assertThat(DynamicConfig.fromEntries("traefik", c.entries("traefik", "o"))).isEqualTo(c);
  }

  @Test
  void theFileDocumentReadsBackIntoTheSameModelAndIsSpelledAsTheSchemaSpellsIt() throws Exception {
    DynamicConfig c = sample();
    ObjectNode doc = c.document();
    assertThat(DynamicConfig.fromDocument(doc)).isEqualTo(c);
    assertThat(doc.at("/http/routers/o.shop/entryPoints/1").asText()).isEqualTo("websecure");
    assertThat(doc.at("/http/routers/o.shop/priority").isInt()).isTrue();
    assertThat(doc.at("/http/middlewares/o.shop-allow/ipAllowList/ipStrategy/excludedIPs/0").asText()).isEqualTo("10.0.0.9");
    assertThat(doc.at("/http/middlewares/o.shop-hdrs/headers/sslRedirect").isBoolean()).isTrue();
  }

  @Test
  void whatTheModelDoesNotHoldIsNamedWhenRead() throws Exception {
    var tcp = new ObjectMapper().readTree("{\"tcp\": {\"routers\": {}}}");
    assertThatThrownBy(() -> DynamicConfig.fromDocument(tcp)).hasMessageContaining("tcp");
    var failover = new ObjectMapper().readTree("{\"http\": {\"services\": {\"x\": {\"failover\": {}}}}}");
    assertThatThrownBy(() -> DynamicConfig.fromDocument(failover)).hasMessageContaining("service x");
  }

  @Test
  void aConfigurationJoinedWithAnotherKeepsItsOwnDefinitions() throws Exception {
    DynamicConfig c = sample();
    assertThat(DynamicConfig.EMPTY.isEmpty()).isTrue();
    assertThat(c.with(DynamicConfig.EMPTY)).isEqualTo(c);
    assertThat(c.routers()).containsKey("o.shop");
    assertThat(Map.copyOf(c.services())).hasSize(3);
  }
}
