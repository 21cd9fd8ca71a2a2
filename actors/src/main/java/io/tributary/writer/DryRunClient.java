package io.tributary.writer;

import io.tributary.target.Change;
import io.tributary.target.TargetRecord;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A target in dry run: read as it is, never written. A write is answered as done without touching
 * the target, and later reads answer the target's records with every change it was asked to write
 * applied: so the writer's first read shows what a real run would change, and an anti-entropy
 * pass reports only what changed in the target since, not the same change at every pass.
 */
public final class DryRunClient implements TargetClient {
  private final TargetClient target;
  /** The changes asked for, by key: the record written, or empty for a delete. */
  private final Map<String, Optional<TargetRecord>> written = new HashMap<>();

  /** {@code target}, only ever read. */
  public DryRunClient(TargetClient target) {
    this.target = target;
  }

  @Override
  public CompletionStage<Map<String, TargetRecord>> readOwned() {
    return target.readOwned().thenApply(this::withWritten);
  }

  private synchronized Map<String, TargetRecord> withWritten(Map<String, TargetRecord> read) {
    Map<String, TargetRecord> records = new TreeMap<>(read);
    written.forEach((key, record) -> {
      if (record.isPresent()) {
        records.put(key, record.get());
      } else {
        records.remove(key);
      }
    });
    return records;
  }

  @Override
  public synchronized CompletionStage<WriteOutcome> write(List<Change> changes) {
    changes.forEach(c -> written.put(c.key(), Optional.ofNullable(c.value())));
    return CompletableFuture.completedFuture(WriteOutcome.ok());
  }

  @Override
  public int maxBatch() {
    return target.maxBatch();
  }

  @Override
  public String describe() {
    return target.describe() + " (dry run: read, never written)";
  }

  @Override
  public void close() {
    target.close();
  }
}
