package io.tributary.traefik;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the file client writes validates against Traefik's schema; broken documents do not. */
class TraefikSchemaTest {
  private static JsonSchema schema;

  @BeforeAll
  static void load() throws IOException {
    try (InputStream in = TraefikSchemaTest.class.getResourceAsStream("/schemas/traefik-v3-file-provider.json")) {
      schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
    }
  }

  private static JsonNode written(List<TraefikEntry> entries) throws IOException {
    var client = new TraefikFileClient(Path.of("unused.yml"), "traefik", "o", 256, Runnable::run);
    return new YAMLMapper().readTree(client.render(entries));
  }

  @Test
  void theStranglerCanaryAsWrittenValidates() throws IOException {
    for (int weight : new int[] {0, 10, 100}) {
      JsonNode doc = written(TraefikFileClientTest.canary(weight));
      assertThat(doc.at("/http/services/o.shop-checkout-canary/weighted/services/1/weight").asInt()).isEqualTo(weight);
      assertThat(schema.validate(doc)).isEmpty();
    }
  }

  @Test
  void moreOfWhatTraefikAcceptsValidates() throws IOException {
    List<TraefikEntry> entries = new ArrayList<>(TraefikFileClientTest.canary(10));
    entries.add(TraefikFileClientTest.e("traefik/http/middlewares/o.allow/ipallowlist/sourcerange/0", "10.0.0.0/8"));
    entries.add(TraefikFileClientTest.e("traefik/http/middlewares/o.hdr/headers/customrequestheaders/X-Canary", "true"));
    entries.add(TraefikFileClientTest.e("traefik/http/services/o.vm/loadbalancer/servers/0/url", "http://10.0.0.1:8080"));
    entries.add(TraefikFileClientTest.e("traefik/http/services/o.vm/loadbalancer/passhostheader", "false"));
    entries.add(TraefikFileClientTest.e("traefik/http/services/o.vm/loadbalancer/healthcheck/port", "8081"));
    entries.sort((a, b) -> a.key().compareTo(b.key()));
    assertThat(schema.validate(written(entries))).isEmpty();
  }

  @Test
  void theValidatorRejectsAWeightThatIsNotANumberAndAnUnknownRouterProperty() throws IOException {
    ObjectNode doc = (ObjectNode) written(TraefikFileClientTest.canary(10));
    ((ObjectNode) doc.at("/http/services/o.shop-checkout-canary/weighted/services/1")).put("weight", "ten");
    Set<ValidationMessage> errors = schema.validate(doc);
    assertThat(errors).isNotEmpty();
    assertThat(errors.toString()).contains("weight");

    ObjectNode other = (ObjectNode) written(TraefikFileClientTest.canary(10));
    ((ObjectNode) other.at("/http/routers/o.shop-checkout-canary")).put("entrypointz", "web");
    assertThat(schema.validate(other).toString()).contains("entrypointz");

    // and what a string weight in KV becomes in the file: the document keeps it a string for the schema to refuse
    List<TraefikEntry> bad = new ArrayList<>(TraefikFileClientTest.canary(10));
    bad.replaceAll(x -> x.key().endsWith("/1/weight") ? TraefikFileClientTest.e(x.key(), "ten") : x);
    assertThat(schema.validate(written(bad))).isNotEmpty();
  }

  @Test
  void whatThePlannerMakesOfACanaryWithAMirrorAndCarriedMiddlewaresValidates() throws IOException {
    var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    var defs = new java.util.HashMap<String, io.tributary.translate.Middlewares.Definition>();
    for (String[] m : new String[][] {
        {"office", "{\"spec\": {\"ipAllowList\": {\"sourceRange\": [\"10.0.0.0/8\"], \"ipStrategy\": {\"depth\": 2}}}}"},
        {"hdrs", "{\"spec\": {\"headers\": {\"customRequestHeaders\": {\"X-Team\": \"shop\"}, \"stsSeconds\": 300, \"frameDeny\": true}}}"},
        {"https", "{\"spec\": {\"redirectScheme\": {\"scheme\": \"https\", \"permanent\": true}}}"},
        {"limit", "{\"spec\": {\"rateLimit\": {\"average\": 100, \"burst\": 50}}}"},
        {"secure", "{\"spec\": {\"chain\": {\"middlewares\": [{\"name\": \"office\"}, {\"name\": \"hdrs\"}]}}}"}}) {
      var key = new io.tributary.watch.ObjectKey("eu-1", "Middleware", "shop", m[0]);
      var d = io.tributary.translate.Middlewares.define(key, (ObjectNode) mapper.readTree(m[1]));
      defs.put(d.name(), d);
    }
    var plain = new io.tributary.translate.Route(new io.tributary.watch.ObjectKey("eu-1", "Ingress", "shop", "checkout"),
        java.time.Instant.EPOCH, "shop.example.com", "/checkout", io.tributary.translate.PathMatch.PREFIX,
        new io.tributary.translate.Backend("checkout", 80, null), List.of("websecure"),
        List.of("shop-https@kubernetescrd", "shop-secure@kubernetescrd", "shop-limit@kubernetescrd", "auth@file"),
        null, true, true, false);
    var route = plain.withOwnOptions(plain.entrypoints(), true, plain.dnsHosts(), null, null, 30).withMirrorPercent(10);
    var config = TraefikPlanner.plan(route, h -> "shop-vm", io.tributary.settings.ConsulSettings.defaults(), "o",
        (cluster, name) -> defs.get(name), java.util.Map.of());
    assertThat(config.middlewares()).hasSize(6);
    JsonNode doc = written(config.entries("traefik", "o"));
    assertThat(schema.validate(doc)).isEmpty();
    assertThat(doc.at("/http/services/o.shop-example-com-checkout-canary-mirror/mirroring/mirrors/0/percent").asInt()).isEqualTo(10);
    assertThat(DynamicConfig.fromDocument(doc)).isEqualTo(config);
  }
}
