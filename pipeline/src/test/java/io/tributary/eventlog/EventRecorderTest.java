package io.tributary.eventlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.watch.EventType;
import io.tributary.watch.ObjectKey;
import io.tributary.watch.WatchEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recorder: replayable lines, no managedFields, no Secrets, size-based rotation. */
class EventRecorderTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);
  @TempDir Path dir;

  private static WatchEvent event(String kind, String name) {
    ObjectNode o = JSON.createObjectNode().put("apiVersion", "v1").put("kind", kind);
    o.putObject("metadata").put("name", name).put("namespace", "shop").putArray("managedFields").addObject().put("manager", "kubectl");
    return WatchEvent.of("eu-1", EventType.ADDED, o);
  }

  private static List<LogEvent> read(Path file) throws Exception {
    List<LogEvent> out = new ArrayList<>();
    try (var r = EventLogReader.open(file, false)) {
      r.forEachRemaining(out::add);
    }
    return out;
  }

  @Test
  void recordsReplayableLinesWithoutManagedFieldsOrSecrets() throws Exception {
    Path file = dir.resolve("rec.jsonl");
    try (var rec = new EventRecorder(file, 1 << 20, 2, CLOCK)) {
      rec.offer(event("Ingress", "web"));
      rec.offer(event("Secret", "consul-token"));
      rec.offer(WatchEvent.synced("eu-1", "Ingress"));
      rec.offer(new WatchEvent(new ObjectKey("eu-1", "Ingress", "shop", "gone"), EventType.DELETED, null, null));
    }
    var events = read(file);
    assertThat(events).extracting(LogEvent::type).containsExactly(LogEventType.ADDED, LogEventType.SYNCED, LogEventType.DELETED);
    assertThat(events.get(0).object().path("metadata").has("managedFields")).isFalse();
    assertThat(Files.readString(file)).doesNotContain("consul-token");
    assertThat(events.get(2).object().path("metadata").path("name").asText()).isEqualTo("gone");
  }

  @Test
  void rotatesBySizeAndKeepsTheConfiguredNumberOfFiles() throws Exception {
    Path file = dir.resolve("rec.jsonl");
    try (var rec = new EventRecorder(file, 4096, 2, CLOCK)) {
      for (int i = 0; i < 5000; i++) {
        rec.offer(event("Ingress", "web-" + i));
      }
    }
    assertThat(file).exists();
    assertThat(dir.resolve("rec.jsonl.1")).exists();
    assertThat(dir.resolve("rec.jsonl.2")).exists();
    assertThat(dir.resolve("rec.jsonl.3")).doesNotExist();
    assertThat(read(dir.resolve("rec.jsonl.1"))).isNotEmpty(); // every rotated file is a complete, replayable log
  }

  @Test
  void aRestartKeepsThePreviousProcessesRecordingAsTheNewestRotatedFile() throws Exception {
    Path file = dir.resolve("rec.jsonl");
    try (var rec = new EventRecorder(file, 1 << 20, 2, CLOCK)) {
      rec.offer(event("Ingress", "before-the-crash"));
    }
    try (var rec = new EventRecorder(file, 1 << 20, 2, CLOCK)) {
      rec.offer(event("Ingress", "after-the-restart"));
    }
    assertThat(read(dir.resolve("rec.jsonl.1"))).extracting(e -> e.object().path("metadata").path("name").asText())
        .containsExactly("before-the-crash");
    assertThat(read(file)).extracting(e -> e.object().path("metadata").path("name").asText())
        .containsExactly("after-the-restart");
  }

  @Test
  void aClockSteppingBackDoesNotMakeTheLogGoBackInTime() throws Exception {
    Path file = dir.resolve("rec.jsonl");
    var times = new java.util.ArrayDeque<>(List.of(
        Instant.parse("2026-11-22T10:00:05Z"), Instant.parse("2026-11-22T10:00:01Z"), Instant.parse("2026-11-22T10:00:07Z")));
    Clock stepping = new Clock() {
      @Override
      public java.time.ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return times.removeFirst();
      }
    };
    try (var rec = new EventRecorder(file, 1 << 20, 2, stepping)) {
      rec.offer(event("Ingress", "a"));
      rec.offer(event("Ingress", "b"));
      rec.offer(event("Ingress", "c"));
    }
    assertThat(read(file)).extracting(LogEvent::at).containsExactly(
        Instant.parse("2026-11-22T10:00:05Z"), Instant.parse("2026-11-22T10:00:05Z"), Instant.parse("2026-11-22T10:00:07Z"));
  }

  @Test
  void aRecordingLeftOpenByAKilledProcessHoldsEveryLineRecorded() throws Exception {
    Path file = dir.resolve("live.jsonl.gz");
    var rec = new EventRecorder(file, 1 << 20, 2, CLOCK); // never closed: the process was killed
    for (int i = 0; i < 50; i++) {
      rec.offer(event("Ingress", "web-" + i));
    }
    rec.offer(WatchEvent.synced("eu-1", "Ingress"));
    List<LogEvent> events = new ArrayList<>();
    try (var r = EventLogReader.open(Files.newInputStream(file), "live.jsonl.gz", true)) {
      r.forEachRemaining(events::add);
    }
    assertThat(events).hasSize(51);
    assertThat(events.get(50).type()).isEqualTo(LogEventType.SYNCED);
    rec.close();
  }
}
