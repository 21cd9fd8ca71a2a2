package io.tributary.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.plan.PipelineListener;
import io.tributary.watch.EventType;
import io.tributary.watch.ObjectKey;
import io.tributary.watch.WatchEvent;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Offsets become committable only after everything consumed up to them was planned and acked, and nothing moved for a tick. */
class CommitTrackerTest {
  private final CommitTracker<String> tracker = new CommitTracker<>();
  private final PipelineListener listener = tracker.listening(PipelineListener.NONE);

  private static WatchEvent event(String name) {
    return new WatchEvent(new ObjectKey("eu-1", "Ingress", "ns", name), EventType.ADDED, "1", null);
  }

  @Test
  void anOffsetIsCommittedOnlyOnceItsEventWasPlannedAndEveryChangeAcked() {
    WatchEvent a = event("a");
    listener.offered(a);
    tracker.consumed(0, "offset-1");
    assertThat(tracker.tick()).isEmpty(); // in the buffer
    listener.taken(a);
    assertThat(tracker.tick()).isEmpty(); // in debounce
    listener.planning(a);
    tracker.sent();
    assertThat(tracker.tick()).isEmpty(); // its change set is with the writer
    tracker.acked();
    assertThat(tracker.idle()).isTrue();
    assertThat(tracker.tick()).as("idle once: not yet").isEmpty();
    assertThat(tracker.tick()).as("idle for a whole tick with nothing moving").isEqualTo(Map.of(0, "offset-1"));
    assertThat(tracker.tick()).as("nothing new").isEmpty();
  }

  @Test
  void anyActivityBetweenTwoIdleTicksPostponesTheCommit() {
    tracker.consumed(0, "offset-1");
    tracker.tick();
    // the diff between planning an event and handing on its change sets looks idle; the activity shows
    listener.planning(event("x"));
    assertThat(tracker.tick()).isEmpty();
    assertThat(tracker.tick()).isEqualTo(Map.of(0, "offset-1"));
  }

  @Test
  void coalescedEventsCountThroughTheStateThatSupersededThem() {
    WatchEvent a1 = event("a");
    WatchEvent a2 = event("a");
    listener.offered(a1);
    listener.offered(a2);
    listener.coalescedInBuffer(a2.key()); // merged in the buffer
    tracker.consumed(0, "offset-2");
    listener.taken(a2);
    WatchEvent a3 = event("a");
    listener.offered(a3);
    tracker.consumed(0, "offset-3");
    listener.taken(a3);
    listener.coalescedInDebounce(a3.key()); // a3 supersedes a2 in debounce
    tracker.tick();
    assertThat(tracker.tick()).as("a3 is still in debounce").isEmpty();
    listener.planning(a3);
    tracker.tick();
    assertThat(tracker.tick()).isEqualTo(Map.of(0, "offset-3"));
  }

  @Test
  void aDrainedPipelineCommitsEverythingConsumedButOnlyWhenIdle() {
    WatchEvent a = event("a");
    listener.offered(a);
    tracker.consumed(2, "offset-9");
    assertThat(tracker.drained()).isEmpty();
    listener.taken(a);
    listener.planning(a);
    assertThat(tracker.drained()).isEqualTo(Map.of(2, "offset-9"));
  }

  @Test
  void aFailedCommitIsOfferedAgain() {
    tracker.consumed(1, "o");
    tracker.tick();
    assertThat(tracker.tick()).isEqualTo(Map.of(1, "o"));
    tracker.commitFailed();
    assertThat(tracker.tick()).isEqualTo(Map.of(1, "o"));
  }
}
