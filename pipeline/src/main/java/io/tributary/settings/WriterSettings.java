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
    Duration antiEntropyInterval) {

  static WriterSettings from(Config c, Problems p) {
    int max = c.getInt("max-batch");
    if (max < 1) {
      p.add("writer.max-batch must be at least 1");
    }
    int maxPending = c.getInt("max-pending");
    if (maxPending < max) {
      p.add("writer.max-pending must be at least writer.max-batch (" + max + ")");
    }
    double random = c.getDouble("retry.random-factor");
    if (random < 0 || random > 1) {
      p.add("writer.retry.random-factor must be between 0 and 1");
    }
    var min = p.duration(c, "retry.min-backoff");
    var maxB = p.duration(c, "retry.max-backoff");
    if (min != null && maxB != null && (min.isZero() || maxB.compareTo(min) < 0)) {
      p.add("writer.retry: min-backoff must be positive and max-backoff at least min-backoff");
    }
    var cMin = p.duration(c, "configuration-retry.min-backoff");
    var cMax = p.duration(c, "configuration-retry.max-backoff");
    if (cMin != null && cMax != null && (cMin.isZero() || cMax.compareTo(cMin) < 0)) {
      p.add("writer.configuration-retry: min-backoff must be positive and max-backoff at least min-backoff");
    }
    var antiEntropy = p.duration(c, "anti-entropy-interval");
    if (antiEntropy != null && antiEntropy.isZero()) {
      p.add("writer.anti-entropy-interval must be positive");
    }
    return new WriterSettings(
        max, p.duration(c, "ask-timeout"), p.duration(c, "linger"), maxPending, min, maxB, random, cMin, cMax, antiEntropy);
  }
}
