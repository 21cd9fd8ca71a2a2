package io.tributary.consul;

import io.tributary.target.Change;
import io.tributary.target.Target;
import io.tributary.target.TargetRecord;
import io.tributary.writer.PartitionedWriter;
import io.tributary.writer.WriteObserver;
import io.tributary.writer.WriterProtocol;
import java.time.Duration;
import java.util.Collection;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.pekko.actor.typed.Behavior;

/**
 * Registration mode {@code agent}: the Consul writer the stream sees, in front of one writer per
 * cluster (each a {@link io.tributary.writer.ReconcilingWriter} over that cluster's agent), so an
 * agent that is down delays only its own cluster's registrations (see {@link PartitionedWriter}).
 */
public final class ConsulAgentWriters {
  private ConsulAgentWriters() {}

  /**
   * @param writerOf the writer of a cluster's registrations (given the observer to report to), or
   *     null when the cluster has no agent
   * @param clusterOfNode the cluster of a record key's node part (the inverse of the node-name template)
   * @param clusters the configured clusters, whose writers start (and read their agents) at once
   * @param askTimeout how long to wait for a cluster's writer before handing it the same part again
   */
  public static Behavior<WriterProtocol.Command> create(
      BiFunction<String, WriteObserver, Behavior<WriterProtocol.Command>> writerOf,
      Function<String, String> clusterOfNode,
      Collection<String> clusters,
      WriteObserver observer,
      Duration askTimeout) {
    return PartitionedWriter.create(Target.CONSUL, c -> clusterOf(c, clusterOfNode), writerOf, clusters, observer, askTimeout);
  }

  private static String clusterOf(Change c, Function<String, String> clusterOfNode) {
    TargetRecord r = c.value() != null ? c.value() : c.previous();
    if (r instanceof ConsulRegistration reg && reg.meta().containsKey("cluster")) {
      return reg.meta().get("cluster");
    }
    return clusterOfNode.apply(c.key().substring(0, c.key().indexOf('/')));
  }
}
