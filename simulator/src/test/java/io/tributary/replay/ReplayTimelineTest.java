package io.tributary.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.eventlog.LogEvent;
import io.tributary.eventlog.LogEventType;
import io.tributary.target.Change;
import io.tributary.target.Op;
import io.tributary.target.Target;
import io.tributary.watch.ObjectKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The report's time series stay within a fixed number of buckets however long the log, and lose no count. */
class ReplayTimelineTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static LogEvent added(Instant at, String cluster) {
    return new LogEvent(at, cluster, LogEventType.ADDED, "Ingress", null, null, null);
  }

  @Test
  void aDayOfEventsFitsInTheBucketsWithEveryCountKept() {
    ReplayTimeline t = new ReplayTimeline();
    long events = 0;
    // one event a second for a day (86 400 s): the buckets widen from 1 s to 512 s
    for (long s = 0; s < 86_400; s++) {
      t.eventRead(added(T0.plusSeconds(s), s % 2 == 0 ? "eu-1" : "eu-2"));
      t.written(T0.plusSeconds(s), Target.CONSUL, new Change(Op.DELETE, "k" + s, null, null));
      events++;
    }
    assertThat(t.buckets()).isLessThanOrEqualTo(ReplayTimeline.MAX_BUCKETS);
    assertThat(t.bucketWidth()).isEqualTo(Duration.ofSeconds(512));
    assertThat(Arrays.stream(t.eventsIn()).sum()).isEqualTo(events);
    assertThat(Arrays.stream(t.writes(Target.CONSUL)).sum()).isEqualTo(events);
    assertThat(Arrays.stream(t.writes(Target.DNS)).sum()).isZero();
    assertThat(t.byClusterKind()).containsOnlyKeys("eu-1/Ingress", "eu-2/Ingress");
    assertThat(Arrays.stream(t.byClusterKind().get("eu-1/Ingress")).sum()).isEqualTo(events / 2);
    // a full bucket holds its width's events
    assertThat(t.eventsIn()[0]).isEqualTo(512);
  }

  @Test
  void markersAreKeptInOrderUpToTheirLimitThenCounted() {
    ReplayTimeline t = new ReplayTimeline();
    t.eventRead(added(T0, "eu-1"));
    t.eventRead(new LogEvent(T0.plusSeconds(5), null, LogEventType.TARGET_DOWN, null, null, null, "consul"));
    t.eventRead(LogEvent.synced(T0.plusSeconds(6), "eu-1", "Ingress"));
    t.eventRead(new LogEvent(T0.plusSeconds(7), "eu-2", LogEventType.CLUSTER_LOST, null, null, null, null));
    assertThat(t.markers()).extracting(ReplayTimeline.Marker::kind).containsExactly(
        ReplayTimeline.MarkerKind.TARGET_DOWN, ReplayTimeline.MarkerKind.SYNCED, ReplayTimeline.MarkerKind.CLUSTER_LOST);
    assertThat(t.markers()).extracting(ReplayTimeline.Marker::subject).containsExactly("consul", "eu-1/Ingress", "eu-2");
    for (int i = 0; i < ReplayTimeline.MAX_MARKERS + 10; i++) {
      t.eventRead(new LogEvent(T0.plusSeconds(10 + i), null, LogEventType.CONFIG, null, null, "x = 1", null));
    }
    assertThat(t.markers()).hasSize(ReplayTimeline.MAX_MARKERS);
    assertThat(t.markersDropped()).isEqualTo(13);
  }

  @Test
  void pendingIsALevelCarriedAcrossQuietBucketsAndTheMostWithinOne() {
    ReplayTimeline t = new ReplayTimeline();
    var clock = new java.time.Clock() {
      Instant now = T0;

      @Override
      public java.time.ZoneId getZone() {
        return java.time.ZoneOffset.UTC;
      }

      @Override
      public java.time.Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now;
      }
    };
    t.useClock(clock);
    t.eventRead(added(T0, "eu-1"));
    t.pending(Target.DNS, 3);
    clock.now = T0.plusMillis(500);
    t.pending(Target.DNS, 7);
    clock.now = T0.plusMillis(900);
    t.pending(Target.DNS, 2);
    clock.now = T0.plusSeconds(4);
    t.pending(Target.DNS, 0);
    assertThat(t.pending(Target.DNS)).containsExactly(7, 2, 2, 2, 0);
    assertThat(t.topFlappers(3)).isEmpty();
    t.superseded(new ObjectKey("eu-1", "Ingress", "a", "x"));
    t.superseded(new ObjectKey("eu-1", "Ingress", "a", "x"));
    t.superseded(new ObjectKey("eu-1", "Ingress", "a", "y"));
    assertThat(t.topFlappers(1)).containsExactly(new ReplayTimeline.Flapper(new ObjectKey("eu-1", "Ingress", "a", "x"), 2));
  }
}
