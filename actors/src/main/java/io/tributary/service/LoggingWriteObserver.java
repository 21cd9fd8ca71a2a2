package io.tributary.service;

import io.tributary.target.Change;
import io.tributary.target.Target;
import io.tributary.writer.TranscriptLine;
import io.tributary.writer.WriteObserver;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs every write (target, op, key) at INFO on {@code io.tributary.writes}: the output of {@code
 * run} for targets kept in memory. A target in dry run logs each change it would have been written
 * on {@code io.tributary.dry-run}, as the line the write transcript has for it.
 */
public final class LoggingWriteObserver implements WriteObserver {
  private static final Logger LOG = LoggerFactory.getLogger("io.tributary.writes");
  private static final Logger DRY_RUN = LoggerFactory.getLogger("io.tributary.dry-run");

  @Override
  public void written(Instant at, Target target, Change change) {
    LOG.info("{} {} {}", target.id(), change.op().id(), change.key());
  }

  @Override
  public void dryRun(Instant at, Target target, Change change) {
    if (DRY_RUN.isInfoEnabled()) {
      DRY_RUN.info("{}", TranscriptLine.of(at, target, change, true)); // as an argument: the JSON may hold "{}"
    }
  }
}
