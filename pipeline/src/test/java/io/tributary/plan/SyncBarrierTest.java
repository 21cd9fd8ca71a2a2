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
}
