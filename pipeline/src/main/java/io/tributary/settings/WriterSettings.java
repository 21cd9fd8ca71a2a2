package io.tributary.settings;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * {@code tributary.writer}: the contract between the stream and the writer actors.
 *
 * @param maxBatch most operations handed to a writer at once (Consul's /v1/txn takes 64)
 * @param askTimeout how long the stream waits for a writer to accept a batch before failing
 */
public record WriterSettings(int maxBatch, Duration askTimeout) {

  static WriterSettings from(Config c, Problems p) {
    int max = c.hasPath("max-batch") ? c.getInt("max-batch") : 64;
    if (max < 1) {
      p.add("writer.max-batch must be at least 1");
    }
    return new WriterSettings(max, p.duration(c, "ask-timeout"));
  }
}
