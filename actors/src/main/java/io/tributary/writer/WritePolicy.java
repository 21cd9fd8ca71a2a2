package io.tributary.writer;

/**
 * What a target's records are, as far as its {@link ReconcilingWriter} must know before the
 * stream's desired state is complete (every cluster has listed).
 *
 * @param recordsMergeClusters a record group unites what several clusters declare (a DNS name holds
 *     every cluster's endpoints), so one the target already holds is changed only once the desired
 *     state is complete: after a restart the first cluster to list would otherwise shrink it to its
 *     own addresses (or turn it into its own CNAME) until the others had listed
 */
public record WritePolicy(boolean recordsMergeClusters) {

  /** Each record comes from one cluster (a Consul registration): written as soon as it is wanted. */
  public static final WritePolicy RECORDS_PER_CLUSTER = new WritePolicy(false);

  /** Record groups merge clusters (DNS names): held ones wait for the complete desired state. */
  public static final WritePolicy RECORDS_MERGE_CLUSTERS = new WritePolicy(true);
}
