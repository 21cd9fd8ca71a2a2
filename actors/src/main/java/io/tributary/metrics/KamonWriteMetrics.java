package io.tributary.metrics;

import io.tributary.diff.Change;
import io.tributary.diff.Target;
import io.tributary.writer.WriteObserver;
import java.time.Instant;
import java.util.Map;
import kamon.Kamon;
import kamon.tag.TagSet;

/**
 * What the writers do, as Kamon metrics, passed on to {@code next} (the write log):
 *
 * <ul>
 *   <li>{@code tributary_target_writes_total{target,op}} — records written (create, update, delete)
 *   <li>{@code tributary_target_pending{target}} — changes a writer holds not yet written; rising
 *       while a target is down, back to 0 once it has caught up
 *   <li>{@code tributary_target_failures_total{target,kind}} — failed reads/writes, {@code kind}
 *       {@code unavailable} (retried with backoff) or {@code configuration} (token, key, ACL: fix it)
 *   <li>{@code tributary_target_refused_total{target}} — changes refused because a foreign record
 *       holds the name (see the WARN log for which)
 * </ul>
 */
public final class KamonWriteMetrics implements WriteObserver {
  private final WriteObserver next;

  public KamonWriteMetrics(WriteObserver next) {
    this.next = next;
  }

  @Override
  public void written(Instant at, Target target, Change change) {
    Kamon.counter("tributary_target_writes_total", "records written to a target")
        .withTags(TagSet.from(Map.of("target", target.id(), "op", change.op().id())))
        .increment();
    next.written(at, target, change);
  }

  @Override
  public void pending(Target target, int changes) {
    Kamon.gauge("tributary_target_pending", "changes a writer holds not yet written")
        .withTags(TagSet.from(Map.of("target", target.id())))
        .update(changes);
    next.pending(target, changes);
  }

  @Override
  public void failed(Target target, boolean configuration) {
    Kamon.counter("tributary_target_failures_total", "failed reads and writes of a target")
        .withTags(TagSet.from(Map.of("target", target.id(), "kind", configuration ? "configuration" : "unavailable")))
        .increment();
    next.failed(target, configuration);
  }

  @Override
  public void refused(Target target, String key, String reason) {
    Kamon.counter("tributary_target_refused_total", "changes refused because a foreign record holds the name")
        .withTags(TagSet.from(Map.of("target", target.id())))
        .increment();
    next.refused(target, key, reason);
  }
}
