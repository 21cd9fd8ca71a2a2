package io.tributary.admin;

import io.tributary.testkit.ManualClock;
import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.tributary.plan.PipelineListener;
import io.tributary.settings.TributarySettings;
import io.tributary.target.Change;
import io.tributary.target.Op;
import io.tributary.target.Target;
import io.tributary.watch.EventType;
import io.tributary.watch.ObjectKey;
import io.tributary.watch.WatchEvent;
import io.tributary.writer.WriteObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The collector's rules, with time in the test's hand: readiness, grace, what /status counts. */
class ServiceStatusTest {
  private static final String CONFIG = """
      tributary {
        admin.ready-grace = 60s
        clusters {
          eu-1.endpoints { addresses = ["192.0.2.1"], port = 80 }
          eu-2.endpoints { addresses = ["192.0.2.2"], port = 80 }
        }
      }
      """;

  /** A clock the test moves. */
  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-01T10:00:00Z"));
  private final List<String> forwarded = new ArrayList<>();
  private final ServiceStatus status = new ServiceStatus(
      TributarySettings.from(ConfigFactory.parseString(CONFIG).withFallback(ConfigFactory.defaultReference()).resolve()),
      new ConfigVersion("0123456789ab", "/etc/tributary/config/tributary.conf"),
      clock);
  private final PipelineListener listener = status.listening(new PipelineListener() {
    @Override
    public void clusterState(String cluster, String state, String detail) {
      forwarded.add(cluster + " " + state);
    }

    @Override
    public void partlyAccepted(ObjectKey key, int routes, List<String> warnings,
        List<io.tributary.translate.Translation.RejectedPart> parts, int kept) {
      forwarded.add("partly " + key + " " + parts.stream().map(io.tributary.translate.Translation.RejectedPart::path).toList());
    }
  });
  private final WriteObserver observer = status.observing((at, target, change) -> forwarded.add(target.id() + " " + change.key()));

  private void everythingReconciled() {
    listener.clusterState("eu-1", "synced", "");
    listener.clusterState("eu-2", "synced", "");
    for (Target t : Target.values()) {
      observer.reconciled(t);
    }
  }

  @Test
  void notReadyUntilEveryClusterHasSyncedAndEveryTargetHasReconciledSayingWhatIsMissing() {
    listener.clusterState("eu-1", "starting", "");
    listener.clusterState("eu-2", "failed", "cannot list Ingress (networking.k8s.io/v1): access denied (403)");
    observer.pending(Target.CONSUL, 4);
    observer.failed(Target.CONSUL, true, "Consul dc1 at http://consul:8500 answered 403 to 'read the catalog'");
    assertThat(status.readiness().notReady()).containsExactly(
        "cluster eu-1 has not synced yet (starting)",
        "cluster eu-2 has not synced yet (failed: cannot list Ingress (networking.k8s.io/v1): access denied (403))",
        "target consul has not reconciled yet (4 pending; failing: Consul dc1 at http://consul:8500 answered 403 to 'read the catalog')",
        "target dns has not reconciled yet (0 pending)",
        "target traefik has not reconciled yet (0 pending)");
    everythingReconciled();
    assertThat(status.readiness()).isEqualTo(new ServiceStatus.Readiness(true, List.of()));
    assertThat(forwarded).contains("eu-1 starting", "eu-2 failed", "eu-1 synced", "eu-2 synced");
  }

  @Test
  void onceReadyAClusterDownLongerThanTheGraceMakesItUnreadyAndATargetOutageDoesNot() {
    everythingReconciled();
    assertThat(status.readiness().ready()).isTrue();
    listener.clusterState("eu-2", "disconnected", "the Ingress (networking.k8s.io/v1) watch has been disconnected for 4s");
    observer.failed(Target.DNS, false, "example.com: 192.0.2.53:53 timed out");
    clock.advance(Duration.ofSeconds(60));
    assertThat(status.readiness().ready()).as("within the grace").isTrue();
    // a restarting watcher changes state, but the cluster has been down since it first left synced
    listener.clusterState("eu-2", "failed", "cannot connect");
    listener.clusterState("eu-2", "starting", "");
    clock.advance(Duration.ofSeconds(1));
    assertThat(status.readiness().notReady()).containsExactly(
        "cluster eu-2 has not been synced for 61s, longer than admin.ready-grace 60s (starting)");
    listener.clusterState("eu-2", "synced", "");
    assertThat(status.readiness().ready()).isTrue();
  }

  @Test
  void aClusterAddedLaterGetsTheGraceAndARemovedOneNoLongerCountsNorSpeaksUntilReAdded() {
    everythingReconciled();
    assertThat(status.readiness().ready()).isTrue();
    listener.clusterState("ap-1", "starting", "");
    clock.advance(Duration.ofSeconds(30));
    assertThat(status.readiness().ready()).isTrue();
    clock.advance(Duration.ofSeconds(31));
    assertThat(status.readiness().notReady()).containsExactly(
        "cluster ap-1 has not been synced for 61s, longer than admin.ready-grace 60s (starting)");

    listener.clusterState("ap-1", "removed", "records withdrawn in PT5M");
    listener.clusterState("ap-1", "synced", ""); // its stopping watcher's last report
    assertThat(status.readiness().ready()).isTrue();
    assertThat(status.toJson().at("/clusters/ap-1/state").asText()).isEqualTo("removed");
    listener.clusterState("ap-1", "starting", "");
    assertThat(status.toJson().at("/clusters/ap-1/state").asText()).isEqualTo("starting");
  }

  @Test
  void theStreamStoppingEndsLivenessAndReadiness() {
    everythingReconciled();
    assertThat(status.health()).isEqualTo(new ServiceStatus.Health(true, ""));
    listener.pipelineStopped(new IllegalStateException("writer consul: boom\nat some.Frame"));
    assertThat(status.health()).isEqualTo(new ServiceStatus.Health(false, "the routing pipeline failed: IllegalStateException: writer consul: boom"));
    assertThat(status.readiness().notReady()).containsExactly("the routing pipeline failed: IllegalStateException: writer consul: boom");
    assertThat(status.toJson().at("/pipeline/state").asText()).isEqualTo("failed");
  }

  @Test
  void objectsEventsRejectionsAndWritesAreCountedPerClusterAndTarget() {
    var web = new ObjectKey("eu-1", "Ingress", "shop", "web");
    var bad = new ObjectKey("eu-1", "Ingress", "shop", "bad");
    listener.debounced(new WatchEvent(web, EventType.ADDED, "1", null));
    listener.debounced(new WatchEvent(web, EventType.MODIFIED, "2", null));
    listener.debounced(new WatchEvent(bad, EventType.ADDED, "3", null));
    listener.debounced(new WatchEvent(new ObjectKey("consul", "VmBackends", "", "vm"), EventType.ADDED, "1", null));
    listener.rejected(bad, "metadata.annotations: router.priority 'high' is not a whole number");
    listener.kindMissing("eu-1", "IngressRoute", "traefik.io/v1alpha1 is not served");
    clock.advance(Duration.ofMillis(2500));
    observer.written(clock.instant(), Target.CONSUL, new Change(Op.DELETE, "k", null, null));
    var json = status.toJson();
    assertThat(json.at("/config/version").asText()).isEqualTo("0123456789ab");
    assertThat(json.at("/clusters/eu-1/objects").asInt()).isEqualTo(2);
    assertThat(json.at("/clusters/eu-1/lastEventAge").asDouble()).isEqualTo(2.5);
    assertThat(json.at("/clusters/eu-1/missingKinds/0").asText()).isEqualTo("IngressRoute");
    assertThat(json.at("/clusters/eu-2/lastEventAge").isNull()).isTrue();
    assertThat(json.has("consul") || json.at("/clusters").has("consul")).as("VM services are no cluster").isFalse();
    assertThat(json.at("/rejected/0/object").asText()).isEqualTo("eu-1/Ingress/shop/bad");
    assertThat(json.at("/targets/consul/lastWrite").asText()).isEqualTo("2026-12-01T10:00:02.500Z");
    assertThat(forwarded).contains("consul k");

    listener.accepted(bad, 1, List.of());
    listener.debounced(new WatchEvent(bad, EventType.DELETED, "4", null));
    json = status.toJson();
    assertThat(json.path("rejected")).isEmpty();
    assertThat(json.at("/clusters/eu-1/objects").asInt()).isEqualTo(1);
  }

  @Test
  void eachTargetShowsItsPolicyAndDryRunAsConfiguredAndWhatTheyKeptFromIt() {
    var modes = new ServiceStatus(TributarySettings.from(ConfigFactory.parseString("""
        tributary { consul.policy = upsert-only, dns.policy = create-only, traefik.dry-run = true }
        """).withFallback(ConfigFactory.defaultReference()).resolve()), new ConfigVersion("v", null), clock);
    var observing = modes.observing(WriteObserver.NONE);
    var listening = modes.listening(PipelineListener.NONE);
    var delete = new Change(Op.DELETE, "k", null, null);
    listening.withheld(Target.CONSUL, io.tributary.target.ChangePolicy.UPSERT_ONLY, List.of(delete, delete));
    observing.withheld(Target.CONSUL, delete, io.tributary.target.ChangePolicy.UPSERT_ONLY);
    observing.dryRun(clock.instant(), Target.TRAEFIK, delete);
    var json = modes.toJson();
    assertThat(json.at("/targets/consul/policy").asText()).isEqualTo("upsert-only");
    assertThat(json.at("/targets/consul/withheld").asInt()).isEqualTo(3);
    assertThat(json.at("/targets/dns/policy").asText()).isEqualTo("create-only");
    assertThat(json.at("/targets/traefik/dryRun").asBoolean()).isTrue();
    assertThat(json.at("/targets/traefik/dryRunChanges").asInt()).isEqualTo(1);
    assertThat(json.at("/targets/traefik/lastWrite").isNull()).as("a dry run writes nothing").isTrue();
  }

  @Test
  void aPartlyAcceptedObjectIsListedWithItsRejectedPartsUntilItIsWhole() {
    var web = new ObjectKey("eu-1", "Ingress", "shop", "web");
    var part = new io.tributary.translate.Translation.RejectedPart("spec.rules[1]", "spec.rules[1]: no host");
    listener.partlyAccepted(web, 2, List.of(), List.of(part), 0);
    var json = status.toJson();
    assertThat(json.at("/rejected/0/object").asText()).isEqualTo("eu-1/Ingress/shop/web");
    assertThat(json.at("/rejected/0/partly").asBoolean()).isTrue();
    assertThat(json.at("/rejected/0/reason").asText()).isEqualTo("spec.rules[1]: no host");
    assertThat(json.at("/rejected/0/parts/0/path").asText()).isEqualTo("spec.rules[1]");
    assertThat(json.at("/rejected/0/parts/0/reason").asText()).isEqualTo("spec.rules[1]: no host");
    assertThat(json.path("rejectedTotal").asInt()).isEqualTo(1);
    assertThat(json.path("partlyAcceptedTotal").asInt()).isEqualTo(1);
    assertThat(forwarded).contains("partly eu-1/Ingress/shop/web [spec.rules[1]]");

    listener.accepted(web, 3, List.of());
    json = status.toJson();
    assertThat(json.path("rejected")).isEmpty();
    assertThat(json.path("partlyAcceptedTotal").asInt()).isZero();
  }

  @Test
  void aRejectedObjectKeepingItsRoutesFromBeforeTheRestartIsMarkedUntilItIsAccepted() {
    var web = new ObjectKey("eu-1", "Ingress", "shop", "web");
    var other = new ObjectKey("eu-1", "Ingress", "shop", "other");
    listener.rejected(other, "bad");
    listener.rejected(web, "spec.rules[0]: no host");
    listener.keptFromBeforeRestart(web, 2);
    var json = status.toJson();
    assertThat(json.at("/rejected/1/object").asText()).isEqualTo("eu-1/Ingress/shop/web");
    assertThat(json.at("/rejected/1/keptFromBeforeRestart").asBoolean()).isTrue();
    assertThat(json.at("/rejected/0/keptFromBeforeRestart").isMissingNode()).isTrue();
    assertThat(json.path("keptFromBeforeRestartTotal").asInt()).isEqualTo(1);

    listener.rejected(web, "another typo"); // its routes in force are still those from before the restart
    assertThat(status.toJson().at("/rejected/1/keptFromBeforeRestart").asBoolean()).isTrue();
    listener.accepted(web, 1, List.of());
    assertThat(status.toJson().path("keptFromBeforeRestartTotal").asInt()).isZero();
  }

  @Test
  void atMostFiveHundredRejectionsAreListedAndAllAreCounted() {
    for (int i = 0; i < 600; i++) {
      listener.rejected(new ObjectKey("eu-1", "Ingress", "ns", String.format("o%03d", i)), "bad");
    }
    var json = status.toJson();
    assertThat(json.path("rejected")).hasSize(ServiceStatus.MAX_REJECTED_LISTED);
    assertThat(json.path("rejectedTotal").asInt()).isEqualTo(600);
  }

  @Test
  void theConfigVersionIsTheSameForTheSameSettingsWrittenDifferentlyAndChangesWithAValue() {
    var a = ConfigVersion.of(ConfigFactory.parseString("tributary { owner-id = a, debounce.quiet = 1s }").resolve(), Path.of("x.conf"));
    var b = ConfigVersion.of(ConfigFactory.parseString("tributary.debounce.quiet = 1s\n\n# moved\ntributary.owner-id = a").resolve(), null);
    var c = ConfigVersion.of(ConfigFactory.parseString("tributary { owner-id = b, debounce.quiet = 1s }").resolve(), null);
    assertThat(a.version()).isEqualTo(b.version()).hasSize(12).isNotEqualTo(c.version());
    assertThat(a.file()).isEqualTo(Path.of("x.conf").toAbsolutePath().toString());
    assertThat(b.file()).isNull();
  }
}
