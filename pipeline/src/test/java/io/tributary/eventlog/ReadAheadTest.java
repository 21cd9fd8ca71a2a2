package io.tributary.eventlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ReadAheadTest {

  @Test
  void givesTheSourcesElementsInOrderAcrossChunks() {
    List<Integer> source = IntStream.range(0, 10_000).boxed().toList();
    List<Integer> read = new ArrayList<>();
    try (var ahead = new ReadAhead<>(source.iterator(), "test-reader")) {
      ahead.forEachRemaining(read::add);
      assertThat(ahead.hasNext()).isFalse();
    }
    assertThat(read).isEqualTo(source);
  }

  @Test
  void aFailureOfTheSourceComesAfterEveryElementReadBeforeItAsTheSameException() {
    var bad = new EventLogException("log.jsonl", 1001, "not JSON");
    Iterator<Integer> failing = new Iterator<>() {
      int n;

      @Override
      public boolean hasNext() {
        if (n == 1000) {
          throw bad;
        }
        return true;
      }

      @Override
      public Integer next() {
        return n++;
      }
    };
    List<Integer> read = new ArrayList<>();
    try (var ahead = new ReadAhead<>(failing, "test-reader")) {
      assertThatThrownBy(() -> ahead.forEachRemaining(read::add)).isSameAs(bad);
      assertThatThrownBy(ahead::hasNext).as("and again when asked again").isSameAs(bad);
    }
    assertThat(read).hasSize(1000).startsWith(0).endsWith(999);
  }

  @Test
  void closingBeforeTheEndStopsTheReader() {
    Iterator<Integer> endless = java.util.stream.Stream.iterate(0, i -> i + 1).iterator();
    var ahead = new ReadAhead<>(endless, "test-reader-endless");
    assertThat(ahead.next()).isZero();
    ahead.close();
    assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("test-reader-endless") && t.isAlive());
  }
}
