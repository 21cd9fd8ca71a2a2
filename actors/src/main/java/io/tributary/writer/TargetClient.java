package io.tributary.writer;

import io.tributary.target.Change;
import io.tributary.target.TargetRecord;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The I/O a {@link ReconcilingWriter} needs from one target instance (a Consul datacenter, a DNS
 * zone). Implementations hold no desired state: the writer decides what to write, the client only
 * reads and writes. Failures are signalled by failing the returned stage with a {@link
 * TargetUnavailableException} (retried with backoff) or a {@link TargetConfigurationException}
 * (reported, retried slowly); anything else is treated as unavailable.
 */
public interface TargetClient {

  /**
   * The records this owner holds in the target now, by {@link TargetRecord#key()}. Only records
   * that carry this owner's mark (Consul meta, DNS TXT companion): never a foreign one.
   */
  CompletionStage<Map<String, TargetRecord>> readOwned();

  /**
   * Writes {@code changes} (at most {@link #maxBatch()}; {@code previous} is what the writer
   * believes the target holds, {@code value} null for a delete), atomically where the target
   * allows. Keys refused because a foreign record holds them are answered as conflicts, not
   * failures: the rest of the batch is written.
   */
  CompletionStage<WriteOutcome> write(List<Change> changes);

  /** Most changes one {@link #write} call takes (Consul's /v1/txn: 64; DNS: records per UPDATE). */
  int maxBatch();

  /** Where this client writes, for logs and errors; never contains a secret. */
  String describe();

  /** Releases connections; the default has none. */
  default void close() {}

  /** What a write did besides succeeding: keys a foreign record holds, with the reason. */
  record WriteOutcome(Map<String, String> conflicts) {
    public WriteOutcome {
      conflicts = Map.copyOf(conflicts);
    }

    /** Every change written. */
    public static WriteOutcome ok() {
      return new WriteOutcome(Map.of());
    }
  }
}
