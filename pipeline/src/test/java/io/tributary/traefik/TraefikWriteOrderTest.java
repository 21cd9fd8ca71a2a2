package io.tributary.traefik;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.target.Change;
import io.tributary.target.Diff;
import io.tributary.target.Target;
import io.tributary.target.TargetRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Traefik's write order: no state between two batches has a router naming an absent service or middleware. */
class TraefikWriteOrderTest {
  private static final String R = "traefik/http/routers/o1.shop/";
  private static final String S = "traefik/http/services/o1.shop/weighted/services/";
  private static final String M = "traefik/http/middlewares/o1.strip/stripPrefix/prefixes/0";

  private static Map<String, TargetRecord> state(String... kv) {
    Map<String, TargetRecord> m = new TreeMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], new TraefikEntry(kv[i], kv[i + 1], "o1"));
    }
    return m;
  }

  private static Map<String, TargetRecord> canary(String service, int weight) {
    return state(R + "rule", "Host(`shop`)", R + "service", service, R + "entrypoints/0", "web",
        R + "middlewares/0", "o1.strip", R + "priority", "1000",
        "traefik/http/services/" + service + "/weighted/services/0/name", "vm@consulcatalog",
        "traefik/http/services/" + service + "/weighted/services/0/weight", String.valueOf(100 - weight),
        "traefik/http/services/" + service + "/weighted/services/1/name", "k8s@consulcatalog",
        "traefik/http/services/" + service + "/weighted/services/1/weight", String.valueOf(weight),
        M, "/checkout");
  }

  /** Routers whose service or middleware (of this provider) is absent in {@code kv}. */
  static List<String> dangling(Map<String, String> kv) {
    List<String> out = new ArrayList<>();
    for (var e : kv.entrySet()) {
      String k = e.getKey();
      int at = k.indexOf("/http/routers/");
      if (at < 0 || e.getValue().contains("@")) {
        continue;
      }
      String rest = k.substring(at + "/http/routers/".length());
      String field = rest.substring(rest.indexOf('/') + 1);
      String section = field.equals("service") ? "services" : field.startsWith("middlewares/") ? "middlewares" : null;
      if (section == null) {
        continue;
      }
      String prefix = k.substring(0, at) + "/http/" + section + "/" + e.getValue() + "/";
      if (kv.keySet().stream().noneMatch(x -> x.startsWith(prefix))) {
        out.add(k + " -> " + e.getValue());
      }
    }
    return out;
  }

  /** Writes known → desired in batches of {@code max} as the writer does, checking every state in between. */
  private static int writeChecked(Map<String, TargetRecord> known, Map<String, TargetRecord> desired, int max) {
    Map<String, String> kv = new TreeMap<>();
    known.forEach((k, r) -> kv.put(k, ((TraefikEntry) r).value()));
    List<List<Change>> batches = Diff.batches(Diff.full(known, desired, Diff.orderFor(Target.TRAEFIK)), max);
    for (List<Change> batch : batches) {
      for (Change c : batch) {
        if (c.value() == null) {
          kv.remove(c.key());
        } else {
          kv.put(c.key(), ((TraefikEntry) c.value()).value());
        }
      }
      assertThat(dangling(kv)).as("after batch %s", batch).isEmpty();
    }
    Map<String, String> want = new TreeMap<>();
    desired.forEach((k, r) -> want.put(k, ((TraefikEntry) r).value()));
    assertThat(kv).isEqualTo(want);
    return batches.size();
  }

  @Test
  void aKeyBelongsToItsObject() {
    assertThat(new TraefikEntry(R + "rule", "x", "o1").group()).isEqualTo("traefik/http/routers/o1.shop");
    assertThat(new TraefikEntry(S + "0/name", "x", "o1").group()).isEqualTo("traefik/http/services/o1.shop");
    assertThat(new TraefikEntry(M, "x", "o1").group()).isEqualTo("traefik/http/middlewares/o1.strip");
    assertThat(new TraefikEntry("a/b/http/routers/o1.x/rule", "x", "o1").group()).isEqualTo("a/b/http/routers/o1.x");
    assertThat(new TraefikEntry(R + "rule", "x", "o1").writeRank()).isEqualTo(1);
    assertThat(new TraefikEntry(S + "0/name", "x", "o1").writeRank()).isZero();
    assertThat(new TraefikEntry(M, "x", "o1").writeRank()).isZero();
  }

  @Test
  void servicesAndMiddlewaresAreCreatedBeforeRoutersAndDeletedAfterThem() {
    var created = Diff.full(Map.of(), canary("o1.shop", 10), Diff.Order.MAKE_BEFORE_BREAK);
    int firstRouter = indexOf(created, true);
    assertThat(created.subList(firstRouter, created.size())).allMatch(c -> ((TraefikEntry) c.value()).isRouter());
    var deleted = Diff.full(canary("o1.shop", 10), Map.of(), Diff.Order.MAKE_BEFORE_BREAK);
    int firstOther = indexOf(deleted, false);
    assertThat(deleted.subList(0, firstOther)).allMatch(c -> ((TraefikEntry) c.previous()).isRouter());
    assertThat(deleted.subList(firstOther, deleted.size())).noneMatch(c -> ((TraefikEntry) c.previous()).isRouter());
  }

  private static int indexOf(List<Change> changes, boolean router) {
    for (int i = 0; i < changes.size(); i++) {
      TargetRecord r = changes.get(i).value() != null ? changes.get(i).value() : changes.get(i).previous();
      if (((TraefikEntry) r).isRouter() == router) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void noBatchBoundaryLeavesARouterDangling() {
    for (int max : new int[] {1, 2, 4, 6, 64}) {
      var empty = Map.<String, TargetRecord>of();
      writeChecked(empty, canary("o1.shop", 10), max);
      writeChecked(canary("o1.shop", 10), canary("o1.shop", 100), max);
      // the router moves to another service: the new one exists before, the old one goes after
      writeChecked(canary("o1.shop", 10), canary("o1.shop-v2", 50), max);
      writeChecked(canary("o1.shop", 10), empty, max);
    }
    assertThat(writeChecked(Map.of(), canary("o1.shop", 10), 6)).as("service+middleware, then the router").isEqualTo(2);
  }

  @Test
  void recordsOfOneRankKeepTheKeyOrder() {
    var known = state("b", "1", "c", "1");
    var desired = state("a", "1", "b", "2", "d", "1");
    assertThat(Diff.full(known, desired, Diff.Order.MAKE_BEFORE_BREAK)).extracting(c -> c.op().id() + ":" + c.key())
        .containsExactly("create:a", "create:d", "update:b", "delete:c");
  }
}
