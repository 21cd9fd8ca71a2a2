package io.tributary.edge;

import io.tributary.eventlog.LogEvent;
import kamon.Kamon;
import kamon.metric.Gauge;
import kamon.tag.TagSet;

/** The edge process's own metrics: events published by cluster and type, and the watch buffer's depth. */
public final class EdgeMetrics implements EdgePublisher.Listener {
  private final Gauge bufferDepth = Kamon.gauge("tributary_edge_buffer_depth", "objects waiting to be published").withoutTags();
  private final kamon.metric.Metric.Counter published =
      Kamon.counter("tributary_edge_published_total", "events acknowledged by Kafka");
  private final kamon.metric.Metric.Gauge lastPublished =
      Kamon.gauge("tributary_edge_last_published_seconds", "when the last event of a cluster was acknowledged (epoch seconds)");

  @Override
  public void published(LogEvent event) {
    published.withTags(TagSet.from(java.util.Map.of("cluster", String.valueOf(event.cluster()), "type", event.type().name()))).increment();
    lastPublished.withTags(TagSet.of("cluster", String.valueOf(event.cluster()))).update(event.at().getEpochSecond());
  }

  @Override
  public void bufferDepth(int depth) {
    bufferDepth.update(depth);
  }
}
