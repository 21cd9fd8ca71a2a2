package io.tributary.settings;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * {@code tributary.writer}: the contract between the stream and the writer actors, and how real
 * writers (Consul, DNS) pace themselves against their target.
 *
 * @param maxBatch most operations handed to a writer at once (Consul's /v1/txn takes 64)
 * @param askTimeout how long the stream waits for a writer to accept a batch before asking again
 * @param linger how long a writer waits for more changes before sending a batch smaller than a
 *     full one: a burst becomes full batches, a single change still goes out promptly
 * @param maxPending changes a writer holds unwritten (coalesced by key) before it stops accepting
 *     more, which backpressures the stream
 * @param minBackoff first wait after a failed write or read (timeouts, 5xx, SERVFAIL)
 * @param maxBackoff longest wait between attempts while a target is down: it bounds the request
 *     rate during an outage and the delay to converge after recovery
 * @param randomFactor jitter added to each backoff, so several writers do not retry in lockstep
 * @param configMinBackoff first wait after the target refused us (403, NOTAUTH, REFUSED): only an
 *     operator can fix that, so it is retried slowly rather than hammered
 * @param configMaxBackoff longest such wait; also how long a fixed credential may take to be used
 * @param antiEntropyInterval how often a writer rereads what it owns in the target and repairs drift
 * @param restart backoff of a writer actor that failed (a bug; a target's failures are retried by
 *     the writer itself, see {@code minBackoff}), applied where each writer is spawned
 */
public record WriterSettings(
    int maxBatch,
    Duration askTimeout,
    Duration linger,
    int maxPending,
    Duration minBackoff,
    Duration maxBackoff,
    double randomFactor,
    Duration configMinBackoff,
    Duration configMaxBackoff,
    Duration antiEntropyInterval,
    BackoffSettings restart) {

  /** These settings with {@code max} as the batch size. */
  public WriterSettings withMaxBatch(int max) {
    return new WriterSettings(max, askTimeout, linger, maxPending, minBackoff, maxBackoff, randomFactor,
        configMinBackoff, configMaxBackoff, antiEntropyInterval, restart);
  }

  /**
   * These settings without jitter on the retry backoff: a replay must retry at the same virtual
   * instants every time it runs.
   */
  public WriterSettings withoutJitter() {
    return new WriterSettings(maxBatch, askTimeout, linger, maxPending, minBackoff, maxBackoff, 0,
        configMinBackoff, configMaxBackoff, antiEntropyInterval, restart);
  }

  static WriterSettings from(Config c, Problems p) {
    Integer max = p.integer(c, "max-batch");
    if (max != null && max < 1) {
      p.add(c, "max-batch", "writer.max-batch must be at least 1");
    }
    Integer maxPending = p.integer(c, "max-pending");
    if (max != null && maxPending != null && maxPending < max) {
      p.add(c, "max-pending", "writer.max-pending must be at least writer.max-batch (" + max + ")");
    }
    Double random = p.number(c, "retry.random-factor");
    if (random != null && (random < 0 || random > 1)) {
      p.add(c, "retry.random-factor", "writer.retry.random-factor must be between 0 and 1");
    }
    var min = p.duration(c, "retry.min-backoff");
    var maxB = p.duration(c, "retry.max-backoff");
    if (min != null && maxB != null && (min.isZero() || maxB.compareTo(min) < 0)) {
      p.add(c, "retry.min-backoff", "writer.retry: min-backoff must be positive and max-backoff at least min-backoff");
    }
    var cMin = p.duration(c, "configuration-retry.min-backoff");
    var cMax = p.duration(c, "configuration-retry.max-backoff");
    if (cMin != null && cMax != null && (cMin.isZero() || cMax.compareTo(cMin) < 0)) {
      p.add(c, "configuration-retry.min-backoff",
          "writer.configuration-retry: min-backoff must be positive and max-backoff at least min-backoff");
    }
    var antiEntropy = p.duration(c, "anti-entropy-interval");
    if (antiEntropy != null && antiEntropy.isZero()) {
      p.add(c, "anti-entropy-interval", "writer.anti-entropy-interval must be positive");
    }
    return new WriterSettings(
        Problems.or(max, 1), p.duration(c, "ask-timeout"), p.duration(c, "linger"), Problems.or(maxPending, 1), min, maxB,
        random == null ? 0 : random, cMin, cMax, antiEntropy,
        BackoffSettings.from(p.block(c, "restart"), p.under("restart"), "writer.restart"));
  }
}
