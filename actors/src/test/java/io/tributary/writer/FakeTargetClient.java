package io.tributary.writer;

import io.tributary.target.Change;
import io.tributary.target.TargetRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * A target in memory with switchable failures, for testing {@link ReconcilingWriter}: it records
 * every call, holds owned and foreign records, and answers synchronously.
 */
final class FakeTargetClient implements TargetClient {
  final TreeMap<String, TargetRecord> owned = new TreeMap<>();
  final TreeMap<String, String> foreign = new TreeMap<>();
  final List<List<Change>> writes = new ArrayList<>();
  volatile int reads;
  volatile int failedCalls;
  private final int maxBatch;
  private volatile Supplier<RuntimeException> failure;

  FakeTargetClient(int maxBatch) {
    this.maxBatch = maxBatch;
  }

  /** Every call fails with what {@code failure} makes, until {@link #heal()}. */
  synchronized void failWith(Supplier<RuntimeException> failure) {
    this.failure = failure;
  }

  synchronized void heal() {
    this.failure = null;
  }

  synchronized int writeCalls() {
    return writes.size();
  }

  synchronized int changesWritten() {
    return writes.stream().mapToInt(List::size).sum();
  }

  synchronized Map<String, TargetRecord> ownedCopy() {
    return new TreeMap<>(owned);
  }

  @Override
  public synchronized CompletionStage<Map<String, TargetRecord>> readOwned() {
    if (failure != null) {
      failedCalls++;
      return CompletableFuture.failedFuture(failure.get());
    }
    reads++;
    return CompletableFuture.completedFuture(new TreeMap<>(owned));
  }

  @Override
  public synchronized CompletionStage<WriteOutcome> write(List<Change> changes) {
    if (failure != null) {
      failedCalls++;
      return CompletableFuture.failedFuture(failure.get());
    }
    if (changes.size() > maxBatch) {
      throw new AssertionError("batch of " + changes.size() + " > " + maxBatch);
    }
    writes.add(List.copyOf(changes));
    Map<String, String> conflicts = new TreeMap<>();
    for (Change c : changes) {
      if (foreign.containsKey(c.key())) {
        conflicts.put(c.key(), "held by " + foreign.get(c.key()));
      } else if (c.value() == null) {
        owned.remove(c.key());
      } else {
        owned.put(c.key(), c.value());
      }
    }
    return CompletableFuture.completedFuture(new WriteOutcome(conflicts));
  }

  @Override
  public int maxBatch() {
    return maxBatch;
  }

  @Override
  public String describe() {
    return "fake target";
  }
}
