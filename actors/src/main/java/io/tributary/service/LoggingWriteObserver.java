package io.tributary.service;

import io.tributary.target.Change;
import io.tributary.target.Target;
import io.tributary.writer.WriteObserver;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs every write (target, op, key) at INFO: the output of {@code run} until real writers exist. */
public final class LoggingWriteObserver implements WriteObserver {
  private static final Logger LOG = LoggerFactory.getLogger("io.tributary.writes");

  @Override
  public void written(Instant at, Target target, Change change) {
    LOG.info("{} {} {}", target.id(), change.op().id(), change.key());
  }
}
