package io.tributary.replay;

import static io.tributary.replay.Logs.T0;
import static io.tributary.replay.Logs.web;
import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.tributary.target.Op;
import io.tributary.target.Target;
import io.tributary.dns.DnsRecordSet;
import io.tributary.eventlog.LogEventType;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The must-shows, end to end through the production pipeline in virtual time. */
class ReplayBehaviourTest {

  private static Duration ms(long ms) {
    return Duration.ofMillis(ms);
  }

  @Test
  void aThousandUpdatesWithin100msThenQuietGiveOneWritePerRecordAtQuietTime() {
    var log = new Logs().add(ms(0), "eu-1", LogEventType.ADDED, web("shop", "a", "a.example.com")).synced(ms(1), "eu-1", "eu-2");
    for (int i = 0; i < 1000; i++) {
      var object = web("shop", "a", "a.example.com").annotation("traefik.ingress.kubernetes.io/router.priority", "" + i);
      log.add(Duration.ofSeconds(10).plusNanos(i * 100_000L), "eu-1", LogEventType.MODIFIED, object);
    }
    var writes = Logs.newWrites();
    log.replay(Logs.TWO_CLUSTERS, writes);
    var afterBurst = writes.stream().filter(w -> w.at().isAfter(T0.plusSeconds(5))).toList();
    // the priority lives in the Consul tags only: one update of the one instance, nothing for DNS
    assertThat(afterBurst).extracting(Logs.Write::describe)
        .containsExactly("consul update tributary-eu-1/a-example-com-eu-1-192-0-2-11-8080");
    var lastChange = T0.plusSeconds(10).plusNanos(999 * 100_000L);
    assertThat(afterBurst.get(0).at()).isEqualTo(lastChange.plusMillis(250));
    assertThat(afterBurst.get(0).change().value().toString()).contains("priority=999");
  }

  @Test
  void anObjectChangedEvery50msIsStillWrittenAtLeastEveryMaxDelay() {
    var log = new Logs().synced(ms(0), "eu-1", "eu-2");
    for (int i = 0; i < 200; i++) { // ten seconds, every state different
      var object = web("shop", "flap", "flap.example.com").annotation("traefik.ingress.kubernetes.io/router.priority", "" + i);
      log.add(ms(1000 + i * 50L), "eu-1", LogEventType.MODIFIED, object);
    }
    var writes = Logs.newWrites();
    log.replay(Logs.TWO_CLUSTERS, writes);
    var consul = writes.stream().filter(w -> w.target() == Target.CONSUL).toList();
    assertThat(consul).hasSizeGreaterThanOrEqualTo(5);
    for (int i = 1; i < consul.size(); i++) {
      assertThat(Duration.between(consul.get(i - 1).at(), consul.get(i).at())).isLessThanOrEqualTo(Duration.ofSeconds(2));
    }
    assertThat(consul.get(0).at()).isEqualTo(T0.plusSeconds(3)); // first change at 1 s + max-delay 2 s
  }

  @Test
  void updatesOfOnlyResourceVersionStatusOrManagedFieldsWriteNothing() {
    var writes = Logs.newWrites();
    new Logs()
        .add(ms(0), "eu-1", LogEventType.ADDED, web("shop", "a", "a.example.com"))
        .synced(ms(1), "eu-1", "eu-2")
        .add(ms(5000), "eu-1", LogEventType.MODIFIED, web("shop", "a", "a.example.com"))
        .add(ms(10000), "eu-1", LogEventType.MODIFIED, web("shop", "a", "a.example.com").statusIp("192.0.2.99"))
        .add(ms(15000), "eu-1", LogEventType.MODIFIED, web("shop", "a", "a.example.com").manager("argocd"))
        .replay(Logs.TWO_CLUSTERS, writes);
    assertThat(writes).allMatch(w -> w.at().isBefore(T0.plusSeconds(1)));
    assertThat(writes).extracting(w -> w.change().op()).containsOnly(Op.CREATE).hasSize(2);
  }

  @Test
  void deletingTheLastIngressOfAHostDeletesItsInstancesAndRecords() {
    var writes = Logs.newWrites();
    var result =
        new Logs()
            .add(ms(0), "eu-1", LogEventType.ADDED, web("shop", "a", "a.example.com"))
            .synced(ms(1), "eu-1", "eu-2")
            .add(ms(5000), "eu-1", LogEventType.DELETED, web("shop", "a", "a.example.com"))
            .replay(Logs.TWO_CLUSTERS, writes);
    assertThat(writes).extracting(Logs.Write::describe).containsExactly(
        "consul create tributary-eu-1/a-example-com-eu-1-192-0-2-11-8080",
        "dns create a.example.com/A",
        "consul delete tributary-eu-1/a-example-com-eu-1-192-0-2-11-8080",
        "dns delete a.example.com/A");
    assertThat(result.state().get(Target.CONSUL)).isEmpty();
    assertThat(result.state().get(Target.DNS)).isEmpty();
  }

  @Test
  void anUpsertOnlyConsulKeepsADeletedRoutesInstanceAndTheSummarySaysWhatWasWithheld() {
    var config = ConfigFactory.parseString("tributary.consul.policy = upsert-only").withFallback(Logs.TWO_CLUSTERS).resolve();
    var writes = Logs.newWrites();
    var result =
        new Logs()
            .add(ms(0), "eu-1", LogEventType.ADDED, web("shop", "a", "a.example.com"))
            .synced(ms(1), "eu-1", "eu-2")
            .add(ms(5000), "eu-1", LogEventType.DELETED, web("shop", "a", "a.example.com"))
            .replay(config, writes);
    assertThat(writes).extracting(Logs.Write::describe).containsExactly(
        "consul create tributary-eu-1/a-example-com-eu-1-192-0-2-11-8080",
        "dns create a.example.com/A",
        "dns delete a.example.com/A");
    assertThat(result.state().get(Target.CONSUL)).containsOnlyKeys("tributary-eu-1/a-example-com-eu-1-192-0-2-11-8080");
    var summary = new java.io.ByteArrayOutputStream();
    ReplayReport.printSummary(result, new java.io.PrintStream(summary, true, java.nio.charset.StandardCharsets.UTF_8));
    assertThat(summary.toString(java.nio.charset.StandardCharsets.UTF_8))
        .contains("  withheld         1 changes, by the targets' policies\n    consul (upsert-only): 1 delete\n");
  }

  @Test
  void aHostServedByTwoClustersKeepsTheSurvivorsRecords() {
    var result =
        new Logs()
            .add(ms(0), "eu-1", LogEventType.ADDED, web("shop", "a", "a.example.com"))
            .add(ms(1), "eu-2", LogEventType.ADDED, web("shop", "a", "a.example.com"))
            .synced(ms(2), "eu-1", "eu-2")
            .add(ms(5000), "eu-2", LogEventType.DELETED, web("shop", "a", "a.example.com"))
            .replay(Logs.TWO_CLUSTERS, Logs.newWrites());
    assertThat(result.state().get(Target.CONSUL)).containsOnlyKeys("tributary-eu-1/a-example-com-eu-1-192-0-2-11-8080");
    var dns = (DnsRecordSet) result.state().get(Target.DNS).get("a.example.com/A");
    assertThat(dns.values()).containsExactly("192.0.2.11");
  }

  @Test
  void malformedObjectsAreRejectedWithAReasonAndEveryOtherObjectStillLands() {
    var result =
        new Logs()
            .add(ms(0), "eu-1", LogEventType.ADDED, web("shop", "bad-host", "Bad_Host.example.com"))
            .add(ms(1), "eu-1", LogEventType.ADDED,
                IngressFactory.ingress("shop", "no-backend").path("nb.example.com", "/", "Prefix", null, 0))
            .add(ms(2), "eu-1", LogEventType.ADDED, web("shop", "good", "good.example.com"))
            .add(ms(3), "eu-2", LogEventType.ADDED, web("shop", "good", "good.example.com"))
            .synced(ms(4), "eu-1", "eu-2")
            .replay(Logs.TWO_CLUSTERS, Logs.newWrites());
    assertThat(result.stats().rejected()).hasSize(2);
    assertThat(result.stats().rejected().values())
        .anySatisfy(r -> assertThat(r).contains("Bad_Host.example.com").contains("not a valid hostname"))
        .anySatisfy(r -> assertThat(r).contains("backend"));
    assertThat(result.state().get(Target.CONSUL)).hasSize(2);
    assertThat(result.state().get(Target.DNS)).containsOnlyKeys("good.example.com/A");
  }

  @Test
  void anIngressWithTwoGoodHostsAndAHostLessRuleLandsTheTwoAndTheSummaryReportsTheThird() {
    var mixed = IngressFactory.ingress("shop", "mixed").path("a.example.com", "/", "Prefix", "web", 80)
        .path("", "/", "Prefix", "web", 80).path("b.example.com", "/", "Prefix", "web", 80);
    var result = new Logs()
        .add(ms(0), "eu-1", LogEventType.ADDED, mixed)
        .synced(ms(1), "eu-1", "eu-2")
        .replay(Logs.TWO_CLUSTERS, Logs.newWrites());
    assertThat(result.state().get(Target.DNS)).containsOnlyKeys("a.example.com/A", "b.example.com/A");
    assertThat(result.state().get(Target.CONSUL)).containsOnlyKeys(
        "tributary-eu-1/a-example-com-eu-1-192-0-2-11-8080", "tributary-eu-1/b-example-com-eu-1-192-0-2-11-8080");
    assertThat(result.stats().rejected()).isEmpty();
    assertThat(result.stats().partlyAccepted()).containsOnlyKeys(new io.tributary.watch.ObjectKey("eu-1", "Ingress", "shop", "mixed"));
    var out = new java.io.ByteArrayOutputStream();
    ReplayReport.printSummary(result, new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
    assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8))
        .contains("rejected objects 0 now")
        .contains("  partly accepted  1 objects now\n    eu-1/Ingress/shop/mixed spec.rules[1]: spec.rules[1]: no host; a host-less rule");
  }

  @Test
  void aClusterTheConfigDoesNotNameGetsTheDefaultEndpoint() {
    var result =
        new Logs()
            .add(ms(0), "lab", LogEventType.ADDED, web("shop", "a", "a.example.com"))
            .synced(ms(1), "lab")
            .replay(ConfigFactory.load(), Logs.newWrites());
    var dns = (DnsRecordSet) result.state().get(Target.DNS).get("a.example.com/CNAME");
    assertThat(dns.values()).containsExactly("ingress.lab.tributary.invalid");
  }

  @Test
  void withoutASyncedMarkerDeletesAreHeldAndReported() {
    var result =
        new Logs()
            .add(ms(0), "eu-1", LogEventType.ADDED, web("shop", "a", "a.example.com"))
            .add(ms(5000), "eu-1", LogEventType.DELETED, web("shop", "a", "a.example.com"))
            .replay(Logs.TWO_CLUSTERS, Logs.newWrites());
    assertThat(result.state().get(Target.CONSUL)).hasSize(1);
    assertThat(result.stats().heldDeletes()).isEqualTo(2);
    assertThat(result.stats().waitingFor()).containsExactly("eu-1", "eu-2");
  }

  @Test
  void theSummaryReportsEventsObjectsCoalescingWritesAndRejections() {
    var result =
        new Logs()
            .add(ms(0), "eu-1", LogEventType.ADDED, web("shop", "a", "a.example.com"))
            .add(ms(10), "eu-1", LogEventType.MODIFIED, web("shop", "a", "a.example.com").statusIp("192.0.2.1"))
            .add(ms(20), "eu-1", LogEventType.ADDED, web("shop", "bad", "Bad_Host.example.com"))
            .synced(ms(30), "eu-1", "eu-2")
            .replay(Logs.TWO_CLUSTERS, Logs.newWrites());
    var out = new java.io.ByteArrayOutputStream();
    ReplayReport.printSummary(result, new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
    String summary = out.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(summary)
        .contains("events read      15") // 3 objects + SYNCED for 6 kinds in 2 clusters
        .contains("objects          2")
        .contains("coalesced        1 events")
        .contains("consul         create 1, update 0, delete 0")
        .contains("dns            create 1, update 0, delete 0")
        .contains("rejected objects 1 now")
        .contains("eu-1/Ingress/shop/bad: spec.rules[0].host");
    assertThat(List.of(result.stats().clusters().toArray())).containsExactly("eu-1", "eu-2");
  }

  @Test
  void aStranglerCanaryIsWrittenToTraefikAndFollowsTheWeight() {
    var config = ConfigFactory.parseString("""
        tributary.translate.vm-backends { "shop.example.com" = "shop-vm" }
        """).withFallback(Logs.TWO_CLUSTERS).resolve();
    var cart = (java.util.function.Function<String, IngressFactory>) w -> {
      var f = IngressFactory.ingress("shop", "cart").path("shop.example.com", "/api/cart", "Prefix", "cart", 80);
      return w == null ? f : f.annotation("tributary.io/weight", w);
    };
    var writes = Logs.newWrites();
    var result = new Logs()
        .add(ms(0), "eu-1", LogEventType.ADDED, cart.apply("10"))
        .synced(ms(1), "eu-1", "eu-2")
        .add(ms(5000), "eu-1", LogEventType.MODIFIED, cart.apply("50"))
        .replay(config, writes);
    var weightKey = "traefik/http/services/tributary.shop-example-com-api-cart-canary/weighted/services/1/weight";
    assertThat(result.state().get(Target.TRAEFIK)).containsKey(weightKey);
    assertThat(((io.tributary.traefik.TraefikEntry) result.state().get(Target.TRAEFIK).get(weightKey)).value()).isEqualTo("50");
    // the second step only moved the weights
    assertThat(writes.stream().filter(w -> w.at().isAfter(T0.plusSeconds(4))).map(Logs.Write::describe).toList())
        .containsExactlyInAnyOrder(
            "traefik update traefik/http/services/tributary.shop-example-com-api-cart-canary/weighted/services/0/weight",
            "traefik update " + weightKey);
    // the Kubernetes service has no router of its own while the canary routes its requests
    assertThat(result.state().get(Target.CONSUL).values())
        .allSatisfy(r -> assertThat(((io.tributary.consul.ConsulRegistration) r).tags()).noneMatch(t -> t.contains(".rule=")));

    var removed = new Logs()
        .add(ms(0), "eu-1", LogEventType.ADDED, cart.apply("10"))
        .synced(ms(1), "eu-1", "eu-2")
        .add(ms(5000), "eu-1", LogEventType.MODIFIED, cart.apply(null))
        .replay(config, Logs.newWrites());
    assertThat(removed.state().get(Target.TRAEFIK)).isEmpty();
    assertThat(removed.state().get(Target.CONSUL).values())
        .allSatisfy(r -> assertThat(((io.tributary.consul.ConsulRegistration) r).tags()).anyMatch(t -> t.contains(".rule=")));
  }

  @Test
  void anotherNamespaceClaimingAHostnameLosesReportedAndTakesOverWhenTheOwnerLeaves() {
    var owner = IngressFactory.ingress("shop", "web").created(T0.minusSeconds(86_400)).path("www.example.com", "/", "Prefix", "web", 80);
    var claimant = IngressFactory.ingress("intruder", "web").created(T0).path("www.example.com", "/", "Prefix", "web", 80);
    var log = new Logs()
        .add(ms(0), "eu-1", LogEventType.ADDED, owner)
        .add(ms(1), "eu-2", LogEventType.ADDED, claimant)
        .synced(ms(2), "eu-1", "eu-2");
    var before = log.replay(Logs.TWO_CLUSTERS, Logs.newWrites());
    assertThat(before.state().get(Target.CONSUL)).containsOnlyKeys("tributary-eu-1/www-example-com-eu-1-192-0-2-11-8080");
    assertThat(before.stats().notes().values()).anySatisfy(n -> assertThat(n).anySatisfy(line -> assertThat(line)
        .contains("conflict: Host(`www.example.com`) claimed by eu-1/Ingress/shop/web (older) and eu-2/Ingress/intruder/web")));

    var after = log.add(ms(5000), "eu-1", LogEventType.DELETED, owner).replay(Logs.TWO_CLUSTERS, Logs.newWrites());
    assertThat(after.state().get(Target.CONSUL)).containsOnlyKeys("tributary-eu-2/www-example-com-eu-2-192-0-2-21-8080");
    assertThat(after.stats().notes()).isEmpty();
  }

  /** An object given as JSON with single quotes, at any resourceVersion. */
  private static ObjectSource json(String json) {
    return (cluster, resourceVersion) -> {
      try {
        var o = (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.replace('\'', '"'));
        ((com.fasterxml.jackson.databind.node.ObjectNode) o.get("metadata")).put("resourceVersion", Long.toString(resourceVersion));
        return o;
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
    };
  }

  @Test
  void anIngressRouteWaitsForItsMiddlewareAndLandsInConsulWithItsDefinition() {
    var route = json("{'apiVersion':'traefik.io/v1alpha1','kind':'IngressRoute','metadata':{'name':'admin','namespace':'shop',"
        + "'creationTimestamp':'2026-01-01T00:00:00Z'},'spec':{'routes':[{'match':'Host(`admin.example.com`)','kind':'Rule',"
        + "'middlewares':[{'name':'office'}],'services':[{'name':'admin','port':80}]}]}}");
    var office = json("{'apiVersion':'traefik.io/v1alpha1','kind':'Middleware','metadata':{'name':'office','namespace':'shop'},"
        + "'spec':{'ipAllowList':{'sourceRange':['10.0.0.0/8']}}}");
    var writes = Logs.newWrites();
    new Logs()
        .add(ms(0), "eu-1", LogEventType.ADDED, route)
        .synced(ms(1), "eu-1", "eu-2")
        .add(ms(5000), "eu-1", LogEventType.ADDED, office)
        .replay(Logs.TWO_CLUSTERS, writes);
    var consul = writes.stream().filter(w -> w.target() == Target.CONSUL).toList();
    // nothing reaches Consul before the allow list exists: published without it, the admin page would be open
    assertThat(consul).singleElement().satisfies(w -> {
      assertThat(w.at()).isAfter(T0.plusSeconds(5));
      assertThat(w.change().value().toString())
          .contains("traefik.http.middlewares.eu-1-shop-office.ipallowlist.sourcerange=10.0.0.0/8")
          .contains("traefik.http.routers.admin-example-com.middlewares=eu-1-shop-office");
    });
  }

  @Test
  void anIngressRouteToATraefikServiceWaitsForItAndIsRegisteredAsARouteToOneService() {
    var route = json("{'apiVersion':'traefik.io/v1alpha1','kind':'IngressRoute','metadata':{'name':'shop','namespace':'shop',"
        + "'creationTimestamp':'2026-01-01T00:00:00Z'},'spec':{'routes':[{'match':'Host(`shop.example.com`)','kind':'Rule',"
        + "'services':[{'name':'canary','kind':'TraefikService'}]}]}}");
    var canary = json("{'apiVersion':'traefik.containo.us/v1alpha1','kind':'TraefikService','metadata':{'name':'canary','namespace':'shop'},"
        + "'spec':{'weighted':{'services':[{'name':'shop-v1','port':80,'weight':9},{'name':'shop-v2','port':80,'weight':1}]}}}");
    var writes = Logs.newWrites();
    new Logs()
        .add(ms(0), "eu-1", LogEventType.ADDED, route)
        .synced(ms(1), "eu-1", "eu-2")
        .add(ms(5000), "eu-1", LogEventType.ADDED, canary)
        .replay(Logs.TWO_CLUSTERS, writes);
    var consul = writes.stream().filter(w -> w.target() == Target.CONSUL).toList();
    // nothing reaches Consul while the cluster's Traefik could not serve the route
    assertThat(consul).singleElement().satisfies(w -> {
      assertThat(w.at()).isAfter(T0.plusSeconds(5));
      assertThat(w.change().value().toString())
          .contains("traefik.http.routers.shop-example-com.rule=Host(`shop.example.com`)")
          .doesNotContain("weighted"); // the split stays in the cluster
    });
  }

  @Test
  void aRecordedVmBackendSnapshotMakesAWeightedRouteACanaryInTheReplay() {
    var cart = web("shop", "cart", "shop.example.com").annotation("tributary.io/weight", "20");
    ObjectSource vms = (cluster, rv) -> io.tributary.translate.VmBackends.snapshot(java.util.Map.of("shop-vm", List.of("shop.example.com")));
    var writes = Logs.newWrites();
    var result = new Logs()
        .add(ms(0), "eu-1", LogEventType.ADDED, cart)
        .synced(ms(1), "eu-1", "eu-2")
        .add(ms(5000), io.tributary.translate.VmBackends.SOURCE, LogEventType.MODIFIED, vms)
        .replay(Logs.TWO_CLUSTERS, writes);
    var traefik = writes.stream().filter(w -> w.target() == Target.TRAEFIK).toList();
    assertThat(traefik).isNotEmpty().allSatisfy(w -> assertThat(w.at()).isAfter(T0.plusSeconds(5)));
    assertThat(traefik).anySatisfy(w -> assertThat(w.change().value().toString()).contains("shop-vm@consulcatalog"));
    assertThat(result.stats().clusters()).containsExactly("eu-1", "eu-2");
  }
}
