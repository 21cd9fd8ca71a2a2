package io.tributary.watch;

import io.tributary.plan.PipelineListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** The coalescing rules of the watch buffer. */
class WatchBufferTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static WatchEvent event(String name, EventType type, int rv) {
    ObjectNode o = JSON.createObjectNode();
    o.put("kind", "Ingress");
    o.putObject("metadata").put("name", name).put("namespace", "ns").put("resourceVersion", "" + rv);
    return WatchEvent.of("eu-1", type, o);
  }

  @Test
  void keepsOnlyTheLatestStatePerObjectInFirstSeenOrder() {
    var b = new WatchBuffer(PipelineListener.NONE);
    b.offer(event("a", EventType.ADDED, 1));
    b.offer(event("b", EventType.ADDED, 2));
    for (int i = 3; i < 10_003; i++) {
      b.offer(event(i % 2 == 0 ? "a" : "b", EventType.MODIFIED, i));
    }
    assertThat(b.highWater()).isEqualTo(2);
    assertThat(b.coalesced()).isEqualTo(10_000);
    var first = b.poll();
    var second = b.poll();
    assertThat(first.key().name()).isEqualTo("a");
    assertThat(first.resourceVersion()).isEqualTo("10002");
    assertThat(second.key().name()).isEqualTo("b");
    assertThat(b.poll()).isNull();
  }

  @Test
  void anUpdateOfAPendingAddIsStillAnAdd() {
    var b = new WatchBuffer(PipelineListener.NONE);
    b.offer(event("a", EventType.ADDED, 1));
    b.offer(event("a", EventType.MODIFIED, 2));
    var e = b.poll();
    assertThat(e.type()).isEqualTo(EventType.ADDED);
    assertThat(e.resourceVersion()).isEqualTo("2");
  }

  @Test
  void aDeleteWinsOverAPendingUpdateAndAnAddAfterADeleteIsAnAdd() {
    var b = new WatchBuffer(PipelineListener.NONE);
    b.offer(event("a", EventType.MODIFIED, 1));
    b.offer(event("a", EventType.DELETED, 2));
    assertThat(b.poll().type()).isEqualTo(EventType.DELETED);
    b.offer(event("a", EventType.DELETED, 3));
    b.offer(event("a", EventType.ADDED, 4));
    assertThat(b.poll().type()).isEqualTo(EventType.ADDED);
  }

  @Test
  void isDrainedOnlyWhenCompletedAndEmptyAndRefusesLateOffers() {
    var b = new WatchBuffer(PipelineListener.NONE);
    b.offer(event("a", EventType.ADDED, 1));
    b.complete();
    assertThat(b.isDrained()).isFalse();
    b.poll();
    assertThat(b.isDrained()).isTrue();
    assertThatThrownBy(() -> b.offer(event("b", EventType.ADDED, 2)))
        .isInstanceOf(IllegalStateException.class);
  }
}
