package io.tributary.replay;

import static io.tributary.replay.Logs.T0;
import static io.tributary.replay.Logs.web;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.eventlog.LogEventType;
import io.tributary.target.Op;
import io.tributary.target.Target;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CONFIG events in a log apply at their virtual time, deterministically, as a reload of the service does. */
class ReplayReloadTest {
  @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir;

  /** Two CONFIG events: a longer quiet window at 10 s, an ingress-class filter at 20 s. */
  private static Logs log() {
    return new Logs()
        .add(Duration.ZERO, "eu-1", LogEventType.ADDED, web("shop", "a", "a.example.com"))
        .add(Duration.ZERO, "eu-1", LogEventType.ADDED, web("shop", "legacy", "legacy.example.com").ingressClass("nginx"))
        .synced(Duration.ofMillis(1), "eu-1", "eu-2")
        .add(Duration.ofSeconds(5), "eu-1", LogEventType.MODIFIED,
            web("shop", "a", "a.example.com").annotation("traefik.ingress.kubernetes.io/router.priority", "5"))
        .config(Duration.ofSeconds(10), "tributary.debounce { quiet = 3s, max-delay = 10s }")
        .add(Duration.ofSeconds(12), "eu-1", LogEventType.MODIFIED,
            web("shop", "a", "a.example.com").annotation("traefik.ingress.kubernetes.io/router.priority", "12"))
        .config(Duration.ofSeconds(20), "tributary.translate.ingress-classes = [traefik]");
  }

  @Test
  void aNewQuietWindowAppliesToChangesAfterTheConfigEvent() {
    var writes = Logs.newWrites();
    log().replay(Logs.TWO_CLUSTERS, writes);
    var priority = writes.stream().filter(w -> w.target() == Target.CONSUL && w.change().op() == Op.UPDATE).toList();
    // before: 250 ms after the change; after: 3 s after it
    assertThat(priority).extracting(Logs.Write::at).containsExactly(T0.plusMillis(5_250), T0.plusSeconds(15));
  }

  @Test
  void aNewTranslationSettingTranslatesEveryObjectAgainAndWritesOnlyWhatChanged() {
    var writes = Logs.newWrites();
    var result = log().replay(Logs.TWO_CLUSTERS, writes);
    var atReload = writes.stream().filter(w -> !w.at().isBefore(T0.plusSeconds(20))).toList();
    // the nginx-class object is withdrawn; the traefik one (unclassed) is untouched
    assertThat(atReload).isNotEmpty().allSatisfy(w -> {
      assertThat(w.change().op()).isEqualTo(Op.DELETE);
      assertThat(w.change().key()).contains("legacy");
    });
    assertThat(result.stats().configChanges()).containsExactly(
        "version 1: debounce.max-delay, debounce.quiet",
        "version 2: translate.ingress-classes");
    assertThat(result.stats().ignored()).hasSize(1);
  }

  @Test
  void anInvalidConfigEventIsRefusedAndTheRunningConfigStays() {
    var writes = Logs.newWrites();
    var result = new Logs()
        .add(Duration.ZERO, "eu-1", LogEventType.ADDED, web("shop", "a", "a.example.com"))
        .synced(Duration.ofMillis(1), "eu-1", "eu-2")
        .config(Duration.ofSeconds(1), "tributary.debounce.quiet = soon\ntributary.debounce.bogus = 1")
        .add(Duration.ofSeconds(2), "eu-1", LogEventType.MODIFIED,
            web("shop", "a", "a.example.com").annotation("traefik.ingress.kubernetes.io/router.priority", "2"))
        .replay(Logs.TWO_CLUSTERS, writes);
    assertThat(result.stats().configChanges()).singleElement().asString()
        .startsWith("refused: ").contains("debounce.quiet").contains("bogus");
    assertThat(writes).filteredOn(w -> w.change().op() == Op.UPDATE).extracting(Logs.Write::at)
        .containsExactly(T0.plusMillis(2_250));
  }

  @Test
  void aConfigEventThatChangesNothingIsListedAsUnchanged() {
    var result = new Logs()
        .add(Duration.ZERO, "eu-1", LogEventType.ADDED, web("shop", "a", "a.example.com"))
        .synced(Duration.ofMillis(1), "eu-1", "eu-2")
        .config(Duration.ofSeconds(1), "tributary.debounce.quiet = 250ms") // the default: as a recording repeats it
        .replay(Logs.TWO_CLUSTERS, Logs.newWrites());
    assertThat(result.stats().configChanges()).containsExactly("unchanged");
  }

  @Test
  void aLogWithTwoConfigEventsGivesByteIdenticalTranscriptsAcrossRuns() throws Exception {
    List<String> transcripts = new java.util.ArrayList<>();
    for (int run = 0; run < 3; run++) {
      var file = dir.resolve("transcript-" + run + ".jsonl");
      try (var transcript = new TranscriptWriter(file)) {
        var result = Replay.run("test", log().events().iterator(), io.tributary.settings.TributarySettings.from(Logs.TWO_CLUSTERS),
            Logs.TWO_CLUSTERS, transcript);
        assertThat(result.deterministic()).isTrue();
      }
      transcripts.add(java.nio.file.Files.readString(file));
    }
    assertThat(transcripts.get(0)).isNotEmpty();
    assertThat(transcripts).containsOnly(transcripts.get(0));
  }
}
