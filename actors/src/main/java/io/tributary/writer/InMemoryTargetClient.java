package io.tributary.writer;

import io.tributary.target.Change;
import io.tributary.target.Target;
import io.tributary.target.TargetRecord;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * An in-memory target spoken to as a real one: what a {@link ReconcilingWriter} writes lands in a
 * map, and while {@link TargetOutages} has the target down every call fails at once with a {@link
 * TargetUnavailableException}, as a server refusing connections does. Calls complete before they
 * return, so a replay in virtual time stays deterministic.
 */
final class InMemoryTargetClient implements TargetClient {
  private final Target target;
  private final TargetOutages outages;
  private final TreeMap<String, TargetRecord> records;

  InMemoryTargetClient(Target target, SortedMap<String, TargetRecord> records, TargetOutages outages) {
    this.target = target;
    this.outages = outages;
    this.records = new TreeMap<>(records);
  }

  @Override
  public synchronized CompletionStage<Map<String, TargetRecord>> readOwned() {
    if (outages.isDown(target)) {
      return CompletableFuture.failedFuture(unavailable());
    }
    return CompletableFuture.completedFuture(new TreeMap<>(records));
  }

  @Override
  public synchronized CompletionStage<WriteOutcome> write(List<Change> changes) {
    if (outages.isDown(target)) {
      return CompletableFuture.failedFuture(unavailable());
    }
    for (Change c : changes) {
      if (c.value() == null) {
        records.remove(c.key());
      } else {
        records.put(c.key(), c.value());
      }
    }
    return CompletableFuture.completedFuture(WriteOutcome.ok());
  }

  @Override
  public int maxBatch() {
    return Integer.MAX_VALUE; // the writer's max-batch applies
  }

  @Override
  public String describe() {
    return "in-memory " + target.id();
  }

  private TargetUnavailableException unavailable() {
    return new TargetUnavailableException(describe() + " is down (TARGET_DOWN in the event log)");
  }
}
