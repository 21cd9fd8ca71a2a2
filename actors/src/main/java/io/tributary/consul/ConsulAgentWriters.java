package io.tributary.consul;

import io.tributary.diff.Change;
import io.tributary.diff.ChangeSet;
import io.tributary.diff.Target;
import io.tributary.diff.TargetRecord;
import io.tributary.writer.WriterProtocol;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Registration mode {@code agent}: the Consul writer the stream sees, in front of one writer per
 * cluster (each a {@link io.tributary.writer.ReconcilingWriter} over that cluster's agent). A batch
 * is split by cluster and acknowledged once every cluster's writer has taken its part. Those writers
 * acknowledge as soon as they have merged a batch, also while their agent is down, so an agent
 * that is down delays only its own cluster's registrations; the stream waits only when that
 * writer's pending limit ({@code writer.max-pending}) is reached.
 */
public final class ConsulAgentWriters extends AbstractBehavior<WriterProtocol.Command> {
  private static final String STREAM = "consul-agents";

  /** Messages of this writer besides the writer protocol. */
  sealed interface Internal extends WriterProtocol.Command permits PartDone, StateDone {}

  /** A cluster's writer answered part {@code part} of batch {@code batch} (ack null: no answer in time). */
  record PartDone(long batch, String cluster, WriterProtocol.Apply part, WriterProtocol.Ack ack) implements Internal {}

  /** A cluster's writer reported its state for request {@code request} (null: no answer in time). */
  record StateDone(long request, WriterProtocol.State state) implements Internal {}

  private record Pending(ActorRef<WriterProtocol.Ack> replyTo, int changes, int[] remaining) {}

  private record StateRequest(ActorRef<WriterProtocol.State> replyTo, TreeMap<String, TargetRecord> records, int[] remaining) {}

  private final Function<String, Behavior<WriterProtocol.Command>> writerOf;
  private final Function<String, String> clusterOfNode;
  private final Duration askTimeout;
  private final Map<String, ActorRef<WriterProtocol.Command>> writers = new TreeMap<>();
  private final Map<String, Long> sequences = new HashMap<>();
  private final Map<Long, Pending> pending = new HashMap<>();
  private final Map<Long, StateRequest> stateRequests = new HashMap<>();
  private boolean complete;
  private long nextBatch;
  private String lastStream = "";
  private long lastSequence = -1;
  private long inFlightBatch = -1;

  /**
   * @param writerOf the writer of a cluster's registrations, or null when the cluster has no agent
   * @param clusterOfNode the cluster of a record key's node part (the inverse of the node-name template)
   * @param askTimeout how long to wait for a cluster's writer before handing it the same part again
   */
  public static Behavior<WriterProtocol.Command> create(
      Function<String, Behavior<WriterProtocol.Command>> writerOf, Function<String, String> clusterOfNode, Duration askTimeout) {
    return Behaviors.setup(ctx -> new ConsulAgentWriters(ctx, writerOf, clusterOfNode, askTimeout));
  }

  private ConsulAgentWriters(
      ActorContext<WriterProtocol.Command> context, Function<String, Behavior<WriterProtocol.Command>> writerOf,
      Function<String, String> clusterOfNode, Duration askTimeout) {
    super(context);
    this.writerOf = writerOf;
    this.clusterOfNode = clusterOfNode;
    this.askTimeout = askTimeout;
  }

  @Override
  public Receive<WriterProtocol.Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(WriterProtocol.Apply.class, this::onApply)
        .onMessage(PartDone.class, this::onPartDone)
        .onMessage(WriterProtocol.GetState.class, this::onGetState)
        .onMessage(StateDone.class, this::onStateDone)
        .build();
  }

  private Behavior<WriterProtocol.Command> onApply(WriterProtocol.Apply apply) {
    if (apply.isRepeatOf(lastStream, lastSequence)) {
      Pending inFlight = pending.get(inFlightBatch);
      if (inFlight != null) {
        // the stream asked again while the parts are out: answer the new asker when they are in
        pending.put(inFlightBatch, new Pending(apply.replyTo(), inFlight.changes(), inFlight.remaining()));
      } else {
        apply.replyTo().tell(new WriterProtocol.Ack(Target.CONSUL, apply.batch().size()));
      }
      return this;
    }
    lastStream = apply.stream();
    lastSequence = apply.sequence();
    long batch = nextBatch++;
    Map<String, List<Change>> byCluster = new LinkedHashMap<>();
    for (Change c : apply.batch().changes()) {
      String cluster = clusterOf(c);
      byCluster.computeIfAbsent(cluster, k -> new java.util.ArrayList<>()).add(c);
    }
    if (apply.batch().complete()) {
      complete = true;
      writers.keySet().forEach(c -> byCluster.putIfAbsent(c, List.of()));
    }
    int[] remaining = {0};
    pending.put(batch, new Pending(apply.replyTo(), apply.batch().size(), remaining));
    inFlightBatch = batch;
    byCluster.forEach((cluster, changes) -> {
      ActorRef<WriterProtocol.Command> writer = writer(cluster);
      if (writer == null) {
        getContext().getLog().error(
            "consul: {} changes for cluster {} not written: registration-mode agent and no Consul agent configured for it"
                + " (clusters.{}.consul-agent or consul.agent-address-template)", changes.size(), cluster, cluster);
        return;
      }
      ChangeSet part = changes.isEmpty() ? ChangeSet.complete(Target.CONSUL) : new ChangeSet(Target.CONSUL, changes, apply.batch().complete());
      long seq = sequences.merge(cluster, 1L, Long::sum);
      remaining[0]++;
      send(batch, cluster, writer, new WriterProtocol.Apply(part, STREAM, seq, null));
    });
    finishIfDone(batch);
    return this;
  }

  private void send(long batch, String cluster, ActorRef<WriterProtocol.Command> writer, WriterProtocol.Apply part) {
    getContext().ask(
        WriterProtocol.Ack.class,
        writer,
        askTimeout,
        replyTo -> new WriterProtocol.Apply(part.batch(), part.stream(), part.sequence(), replyTo),
        (ack, failure) -> new PartDone(batch, cluster, part, ack));
  }

  private Behavior<WriterProtocol.Command> onPartDone(PartDone done) {
    Pending p = pending.get(done.batch());
    if (p == null) {
      return this;
    }
    if (done.ack() == null) {
      // that writer is holding back (its pending limit): hand it the same part again, as the stream does
      ActorRef<WriterProtocol.Command> writer = writers.get(done.cluster());
      if (writer != null) {
        send(done.batch(), done.cluster(), writer, done.part());
      }
      return this;
    }
    p.remaining()[0]--;
    finishIfDone(done.batch());
    return this;
  }

  private void finishIfDone(long batch) {
    Pending p = pending.get(batch);
    if (p != null && p.remaining()[0] <= 0) {
      pending.remove(batch);
      p.replyTo().tell(new WriterProtocol.Ack(Target.CONSUL, p.changes()));
    }
  }

  private ActorRef<WriterProtocol.Command> writer(String cluster) {
    ActorRef<WriterProtocol.Command> existing = writers.get(cluster);
    if (existing != null) {
      return existing;
    }
    Behavior<WriterProtocol.Command> behavior = writerOf.apply(cluster);
    if (behavior == null) {
      return null;
    }
    // a failing writer restarts with backoff; its I/O failures never get here (its own child handles them)
    ActorRef<WriterProtocol.Command> writer = getContext().spawn(
        Behaviors.supervise(behavior).onFailure(SupervisorStrategy.restartWithBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2)),
        "consul-agent-" + cluster);
    writers.put(cluster, writer);
    if (complete) {
      // the desired state was complete before this cluster had anything: its writer may reap at once
      long seq = sequences.merge(cluster, 1L, Long::sum);
      writer.tell(new WriterProtocol.Apply(ChangeSet.complete(Target.CONSUL), STREAM, seq,
          getContext().getSystem().ignoreRef()));
    }
    return writer;
  }

  private String clusterOf(Change c) {
    TargetRecord r = c.value() != null ? c.value() : c.previous();
    if (r instanceof ConsulRegistration reg && reg.meta().containsKey("cluster")) {
      return reg.meta().get("cluster");
    }
    return clusterOfNode.apply(c.key().substring(0, c.key().indexOf('/')));
  }

  private Behavior<WriterProtocol.Command> onGetState(WriterProtocol.GetState get) {
    long request = nextBatch++;
    int[] remaining = {writers.size()};
    stateRequests.put(request, new StateRequest(get.replyTo(), new TreeMap<>(), remaining));
    writers.values().forEach(w -> getContext().ask(
        WriterProtocol.State.class, w, askTimeout, WriterProtocol.GetState::new, (state, failure) -> new StateDone(request, state)));
    finishState(request);
    return this;
  }

  private Behavior<WriterProtocol.Command> onStateDone(StateDone done) {
    StateRequest r = stateRequests.get(done.request());
    if (r == null) {
      return this;
    }
    if (done.state() != null) {
      r.records().putAll(done.state().records());
    }
    r.remaining()[0]--;
    finishState(done.request());
    return this;
  }

  private void finishState(long request) {
    StateRequest r = stateRequests.get(request);
    if (r != null && r.remaining()[0] <= 0) {
      stateRequests.remove(request);
      r.replyTo().tell(new WriterProtocol.State(Target.CONSUL, r.records()));
    }
  }
}
