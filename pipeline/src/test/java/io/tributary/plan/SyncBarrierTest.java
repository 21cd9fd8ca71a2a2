package io.tributary.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.translate.Translator;
import org.junit.jupiter.api.Test;

/** The sync barrier: who it waits for, and the one moment the desired state is complete. */
class SyncBarrierTest {

  @Test
  void configuredClustersAreWaitedForUntilTheyListedEveryTranslatedKind() {
    var barrier = new SyncBarrier(PlanFixtures.TWO_CLUSTERS);
    assertThat(barrier.waitingFor()).containsExactly("eu-1", "eu-2");
    Translator.KINDS.forEach(k -> barrier.synced("eu-1", k));
    assertThat(barrier.waitingFor()).containsExactly("eu-2");
    assertThat(barrier.completeDue()).isFalse();
    Translator.KINDS.forEach(k -> barrier.synced("eu-2", k));
    assertThat(barrier.open()).isTrue();
    assertThat(barrier.completeDue()).isTrue();
    assertThat(barrier.completeDue()).isFalse(); // once
  }

  @Test
  void aClusterOnlyALogNamesIsWaitedForTheKindsItShowed() {
    var barrier = new SyncBarrier(PlanFixtures.settings("tributary.clusters {}"));
    barrier.seen("us-1", "Ingress");
    barrier.seen("us-1", "IngressRoute.traefik.containo.us"); // the legacy group counts as IngressRoute
    assertThat(barrier.synced("us-1", "Ingress")).isFalse();
    assertThat(barrier.synced("us-1", "IngressRoute")).isTrue();
  }

  @Test
  void aNewClusterClosesTheBarrierAgain() {
    var barrier = new SyncBarrier(PlanFixtures.settings("tributary.clusters {}"));
    barrier.seen("eu-1", "Ingress");
    assertThat(barrier.synced("eu-1", "Ingress")).isTrue();
    barrier.seen("eu-9", "Ingress");
    assertThat(barrier.open()).isFalse();
    assertThat(barrier.waitingFor()).containsExactly("eu-9");
  }

  @Test
  void withTheGatewayApiOnAClusterIsWaitedForUntilItsGatewaysReferenceGrantsAndNamespacesListedToo() {
    var gateways = PlanFixtures.settings("""
        tributary.translate.gateway-classes = [traefik]
        tributary.clusters.eu-1.endpoints { addresses = ["192.0.2.11"], port = 8080 }
        """);
    var barrier = new SyncBarrier(gateways);
    java.util.List.of("Ingress", "IngressRoute", "Service", "HTTPRoute").forEach(k -> barrier.synced("eu-1", k));
    // an HTTPRoute whose Gateway has not listed yet has no routes: deleting its records now would be a mass deregistration
    assertThat(barrier.open()).isFalse();
    barrier.synced("eu-1", "Gateway");
    assertThat(barrier.open()).isFalse();
    assertThat(barrier.synced("eu-1", "ReferenceGrant")).isFalse();
    // nor has one attached through a namespace label selector before the Namespaces' labels are known
    assertThat(barrier.synced("eu-1", "Namespace")).isTrue();

    // a cluster whose kinds leave Namespace out is not waited for on its account
    var without = new SyncBarrier(PlanFixtures.settings("""
        tributary.translate.gateway-classes = [traefik]
        tributary.clusters.eu-1 {
          kinds = [Ingress, Service, Gateway, HTTPRoute, ReferenceGrant]
          endpoints { addresses = ["192.0.2.11"], port = 8080 }
        }
        """));
    java.util.List.of("Ingress", "Service", "Gateway", "HTTPRoute").forEach(k -> without.synced("eu-1", k));
    assertThat(without.synced("eu-1", "ReferenceGrant")).isTrue();

    // with the Gateway API off (the default) its kinds are neither watched nor waited for
    var off = new SyncBarrier(PlanFixtures.settings("tributary.clusters.eu-1.endpoints { addresses = [\"192.0.2.11\"], port = 8080 }"));
    assertThat(off.open()).isFalse();
    java.util.List.of("Ingress", "IngressRoute", "Service").forEach(k -> off.synced("eu-1", k));
    assertThat(off.open()).isTrue();
  }

  @Test
  void aClusterOnlyALogNamesWaitsForTheGatewayApiKindsItShowed() {
    var barrier = new SyncBarrier(PlanFixtures.settings("tributary.clusters {}"));
    barrier.seen("us-1", "HTTPRoute");
    barrier.seen("us-1", "Gateway");
    assertThat(barrier.synced("us-1", "HTTPRoute")).isFalse();
    assertThat(barrier.synced("us-1", "Gateway")).isTrue();
  }
}
