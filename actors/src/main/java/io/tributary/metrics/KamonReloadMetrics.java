package io.tributary.metrics;

import io.tributary.reload.ConfigReloader;
import java.util.Map;
import kamon.Kamon;
import kamon.tag.TagSet;

/** Counts config reloads by outcome ({@code tributary_config_reloads_total{result}}) and keeps the version applied. */
public final class KamonReloadMetrics implements ConfigReloader.Listener {
  private final ConfigReloader.Listener next;

  /** Counts, then tells {@code next}. */
  public KamonReloadMetrics(ConfigReloader.Listener next) {
    this.next = next;
    for (String result : new String[] {"applied", "unchanged", "refused"}) {
      counter(result); // present at 0 from the start, so an alert on an increase sees the first one
    }
    Kamon.gauge("tributary_config_version", "the configuration version running (0 at start, one more per applied reload)")
        .withoutTags().update(0);
  }

  @Override
  public void reloaded(String cause, ConfigReloader.Outcome outcome) {
    if (outcome instanceof ConfigReloader.Applied a) {
      counter("applied").increment();
      Kamon.gauge("tributary_config_version").withoutTags().update(a.version());
    } else if (outcome instanceof ConfigReloader.Unchanged) {
      counter("unchanged").increment();
    } else {
      counter("refused").increment();
    }
    next.reloaded(cause, outcome);
  }

  private static kamon.metric.Counter counter(String result) {
    return Kamon.counter("tributary_config_reloads_total", "config reloads by outcome (applied, unchanged, refused)")
        .withTags(TagSet.from(Map.of("result", result)));
  }
}
