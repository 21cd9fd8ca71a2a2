package io.tributary.traefik;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TraefikDocumentTest {
  private static final String ROOT = "traefik";
  // strings a careless typing or quoting would change
  private static final String[] ODD = {"true", "10", "", "yes", "null", "~", "a: b", "#x", "-0", "1.50", "Host(`a`) && Path(`/b`)", " lead"};

  private static TraefikEntry e(String key, String value) {
    return new TraefikEntry(key, value, "o");
  }

  @Test
  void aCanaryBecomesTypedNestedConfigurationInTheSchemasSpelling() {
    List<TraefikEntry> entries = List.of(
        e("traefik/http/routers/o.shop/entrypoints/0", "web"),
        e("traefik/http/routers/o.shop/entrypoints/1", "websecure"),
        e("traefik/http/routers/o.shop/priority", "1042"),
        e("traefik/http/routers/o.shop/rule", "Host(`shop.example.com`)"),
        e("traefik/http/routers/o.shop/service", "o.shop"),
        e("traefik/http/routers/o.shop/tls", "true"),
        e("traefik/http/services/o.shop/weighted/services/0/name", "shop-vm@consulcatalog"),
        e("traefik/http/services/o.shop/weighted/services/0/weight", "90"),
        e("traefik/http/services/o.shop/weighted/services/1/name", "shop@consulcatalog"),
        e("traefik/http/services/o.shop/weighted/services/1/weight", "10"));
    JsonNode doc = TraefikDocument.document(ROOT, entries);
    JsonNode router = doc.at("/http/routers/o.shop");
    assertThat(router.get("entryPoints").isArray()).isTrue();
    assertThat(router.get("entryPoints").get(1).asText()).isEqualTo("websecure");
    assertThat(router.get("priority").isIntegralNumber()).isTrue();
    assertThat(router.get("tls").isObject() && router.get("tls").isEmpty()).isTrue();
    assertThat(doc.at("/http/services/o.shop/weighted/services/0/weight").isNumber()).isTrue();
    assertThat(TraefikDocument.entries(ROOT, doc, "o")).isEqualTo(entries);
  }

  @Test
  void fieldsMatchTheSchemaWhateverTheirCaseAndNamesKeepTheirs() {
    var lower = TraefikDocument.document(ROOT, List.of(e("traefik/http/routers/o.A/entrypoints/0", "web")));
    var camel = TraefikDocument.document(ROOT, List.of(e("traefik/http/routers/o.A/entryPoints/0", "web")));
    assertThat(camel).isEqualTo(lower);
    assertThat(lower.at("/http/routers/o.A/entryPoints/0").asText()).isEqualTo("web");
    var headers = TraefikDocument.document(ROOT, List.of(
        e("traefik/http/middlewares/o.h/headers/customrequestheaders/X-Priority", "1")));
    assertThat(headers.at("/http/middlewares/o.h/headers/customRequestHeaders/X-Priority").isTextual()).isTrue();
  }

  @Test
  void valuesThatAreNotTheirTypesCanonicalTextStayStrings() {
    var doc = TraefikDocument.document(ROOT, List.of(
        e("traefik/http/services/o.s/weighted/services/0/weight", "ten"),
        e("traefik/http/services/o.s/weighted/services/1/weight", "010"),
        e("traefik/http/services/o.s/loadbalancer/passhostheader", "yes")));
    assertThat(doc.at("/http/services/o.s/weighted/services/0/weight").isTextual()).isTrue();
    assertThat(doc.at("/http/services/o.s/weighted/services/1/weight").isTextual()).isTrue();
    assertThat(doc.at("/http/services/o.s/loadBalancer/passHostHeader").isTextual()).isTrue();
  }

  @Test
  void keysThatCannotFormOneDocumentAreRefused() {
    assertThatThrownBy(() -> TraefikDocument.document(ROOT, List.of(e("other/http/routers/o.a/rule", "x"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not under traefik/");
    assertThatThrownBy(() -> TraefikDocument.document(ROOT, List.of(
        e("traefik/http/routers/o.a/rule", "x"), e("traefik/http/routers/o.a/rule/0", "y"))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TraefikDocument.document(ROOT, List.of(
        e("traefik/http/routers/o.a/entrypoints/0", "x"), e("traefik/http/routers/o.a/entrypoints/name", "y"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mixes");
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987, 1597, 2584, 4181, 6765, 10946})
  void entriesSurviveTheRoundTripThroughTheDocument(long seed) {
    List<TraefikEntry> entries = randomEntries(new Random(seed));
    JsonNode doc = TraefikDocument.document(ROOT, entries);
    assertThat(TraefikDocument.entries(ROOT, doc, "o")).isEqualTo(entries);
  }

  /** Varied entries in the canonical spelling (lower-case fields, contiguous indices), sorted by key. */
  static List<TraefikEntry> randomEntries(Random r) {
    TreeMap<String, String> kv = new TreeMap<>();
    for (int i = 0, n = 1 + r.nextInt(4); i < n; i++) {
      String router = ROOT + "/http/routers/o." + name(r) + "/";
      kv.put(router + "rule", r.nextBoolean() ? "Host(`" + name(r) + ".example.com`)" : odd(r));
      kv.put(router + "service", "o." + name(r));
      kv.put(router + "priority", r.nextBoolean() ? String.valueOf(r.nextInt(5000)) : odd(r));
      list(r, router + "entrypoints/", 1 + r.nextInt(3), () -> r.nextBoolean() ? "web" : odd(r), kv);
      list(r, router + "middlewares/", r.nextInt(3), () -> name(r) + "@consulcatalog", kv);
      switch (r.nextInt(3)) {
        case 0 -> kv.put(router + "tls", "true");
        case 1 -> kv.put(router + "tls/certresolver", "le");
        default -> { }
      }
    }
    for (int i = 0, n = 1 + r.nextInt(3); i < n; i++) {
      String service = ROOT + "/http/services/o." + name(r) + "/";
      if (r.nextBoolean()) {
        for (int m = 0, members = 1 + r.nextInt(3); m < members; m++) {
          kv.put(service + "weighted/services/" + m + "/name", name(r) + "@consulcatalog");
          kv.put(service + "weighted/services/" + m + "/weight",
              switch (r.nextInt(3)) { case 0 -> String.valueOf(r.nextInt(101)); case 1 -> r.nextInt(10) + ".25"; default -> odd(r); });
        }
      } else {
        for (int s = 0, servers = 1 + r.nextInt(2); s < servers; s++) {
          kv.put(service + "loadbalancer/servers/" + s + "/url", "http://10.0.0." + s + ":80");
        }
        kv.put(service + "loadbalancer/passhostheader", r.nextBoolean() ? "false" : odd(r));
        if (r.nextBoolean()) {
          kv.put(service + "loadbalancer/healthcheck/port", String.valueOf(r.nextInt(65536)));
          kv.put(service + "loadbalancer/healthcheck/headers/X-Check-" + name(r), odd(r));
        }
      }
    }
    for (int i = 0, n = r.nextInt(3); i < n; i++) {
      String mw = ROOT + "/http/middlewares/o." + name(r) + "/";
      switch (r.nextInt(4)) {
        case 0 -> {
          list(r, mw + "stripprefix/prefixes/", 1 + r.nextInt(2), () -> "/" + name(r), kv);
          kv.put(mw + "stripprefix/forceslash", String.valueOf(r.nextBoolean()));
        }
        case 1 -> list(r, mw + "ipallowlist/sourcerange/", 1 + r.nextInt(3), () -> "10." + r.nextInt(256) + ".0.0/16", kv);
        case 2 -> kv.put(mw + "headers/customrequestheaders/X-" + name(r).toUpperCase(), odd(r));
        default -> kv.put(mw + "plugin/myPlugin/someSetting/" + 0, odd(r)); // a plugin's own spelling
      }
    }
    if (r.nextBoolean()) {
      kv.put(ROOT + "/http/routers/o.extra/someunknownfield", odd(r)); // not in the schema: kept as written
    }
    List<TraefikEntry> out = new ArrayList<>();
    kv.forEach((k, v) -> out.add(e(k, v)));
    out.sort(Comparator.comparing(TraefikEntry::key));
    return out;
  }

  private static void list(Random r, String prefix, int n, java.util.function.Supplier<String> value, TreeMap<String, String> kv) {
    for (int i = 0; i < n; i++) {
      kv.put(prefix + i, value.get());
    }
  }

  private static String name(Random r) {
    return "n" + Integer.toString(r.nextInt(1 << 20), 36) + (r.nextBoolean() ? "-Mixed" : "");
  }

  private static String odd(Random r) {
    return ODD[r.nextInt(ODD.length)];
  }
}
