package io.tributary.writer;

import io.tributary.target.Change;
import io.tributary.target.Target;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** What writers told their observer, for tests against real targets: writes, refusals, failures by kind and reason. */
public final class RecordingObserver implements WriteObserver {
  public final List<Change> written = new CopyOnWriteArrayList<>();
  public final Map<String, String> refused = new ConcurrentHashMap<>();
  public final AtomicInteger outageFailures = new AtomicInteger();
  public final AtomicInteger configurationFailures = new AtomicInteger();
  public final List<String> failureReasons = new CopyOnWriteArrayList<>();
  public final AtomicInteger recovered = new AtomicInteger();
  public final AtomicInteger reconciled = new AtomicInteger();

  @Override
  public void written(Instant at, Target target, Change change) {
    written.add(change);
  }

  @Override
  public void failed(Target target, boolean configuration, String reason) {
    (configuration ? configurationFailures : outageFailures).incrementAndGet();
    failureReasons.add(reason);
  }

  @Override
  public void recovered(Target target) {
    recovered.incrementAndGet();
  }

  @Override
  public void reconciled(Target target) {
    reconciled.incrementAndGet();
  }

  @Override
  public void refused(Target target, String key, String reason) {
    refused.put(key, reason);
  }
}
