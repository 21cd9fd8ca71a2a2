package io.tributary.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class QuiescentExecutorTest {
  private final QuiescentExecutor executor = new QuiescentExecutor("test-worker");

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  @Test
  void onTheDriverTasksRunOnlyWhileItSettlesInTheOrderTheyCameIncludingTheOnesTheySubmit() {
    executor.runOnDriver();
    List<String> ran = Collections.synchronizedList(new ArrayList<>());
    executor.execute(() -> {
      ran.add("a on " + Thread.currentThread().getName());
      executor.execute(() -> ran.add("c"));
    });
    executor.execute(() -> ran.add("b"));
    assertThat(ran).as("nothing runs between two waits").isEmpty();
    assertThat(executor.isQuiescent()).isFalse();

    executor.awaitQuiescence();
    assertThat(ran).containsExactly("a on " + Thread.currentThread().getName(), "b", "c");
    assertThat(executor.isQuiescent()).isTrue();
  }

  @Test
  void handedBackTheWorkerRunsThemAgain() {
    executor.runOnDriver();
    executor.runOnWorker();
    List<String> ran = Collections.synchronizedList(new ArrayList<>());
    executor.execute(() -> ran.add(Thread.currentThread().getName()));
    executor.awaitQuiescence();
    assertThat(ran).containsExactly("test-worker");
  }

  @Test
  void aTaskThatFailsOnTheDriverFailsTheSettle() {
    executor.runOnDriver();
    executor.execute(() -> {
      throw new IllegalArgumentException("bug");
    });
    assertThatThrownBy(executor::awaitQuiescence).isInstanceOf(IllegalStateException.class).hasMessageContaining("bug");
  }
}
