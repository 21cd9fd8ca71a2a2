package io.tributary.writer;

import io.tributary.target.Change;
import io.tributary.target.ChangeSet;
import io.tributary.target.Target;
import io.tributary.target.TargetRecord;
import io.tributary.settings.BackoffSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The writer the stream sees for a target spread over independent instances (the zones of DNS, the
 * agents of Consul's agent mode): one writer per partition behind it, so an instance that is down
 * or misconfigured delays only its own records. Each batch is split by partition and acknowledged
 * once every partition concerned has taken its part; partition writers acknowledge as soon as they
 * have merged a part (also while their instance is down), so the stream waits only when one of them
 * reaches its pending limit. The stream's "desired state complete" marker reaches every partition,
 * including those spawned later, and the pending count is reported summed over the partitions; the
 * target has recovered when its last failing partition has, and reconciled once every partition
 * started so far has.
 */
public final class PartitionedWriter extends AbstractBehavior<WriterProtocol.Message> {
  private static final String STREAM = "partitioned";

  /** This writer's own messages, its partitions' answers; never part of the protocol. */
  sealed interface Internal extends WriterProtocol.Message permits PartDone, StateDone {}

  /** A partition's writer answered its part of batch {@code batch} (ack null: no answer in time). */
  private record PartDone(long batch, String partition, WriterProtocol.Apply part, WriterProtocol.Ack ack) implements Internal {}

  /** A partition's writer reported its state for request {@code request} (null: no answer in time). */
  private record StateDone(long request, WriterProtocol.State state) implements Internal {}

  private record Pending(List<ActorRef<WriterProtocol.Ack>> replyTo, int changes, int[] remaining) {}

  private record StateRequest(ActorRef<WriterProtocol.State> replyTo, TreeMap<String, TargetRecord> records, int[] remaining) {}

  private final Target target;
  private final Function<Change, String> partitionOf;
  private final BiFunction<String, WriteObserver, Behavior<WriterProtocol.Command>> writerOf;
  private final WriteObserver observer;
  private final Duration askTimeout;
  private final BackoffSettings restart;
  private final Map<String, ActorRef<WriterProtocol.Command>> writers = new TreeMap<>();
  private final Map<String, Long> sequences = new HashMap<>();
  private final Map<String, Integer> pendingPerPartition = new ConcurrentHashMap<>();
  // partitions' observers run on their writers' threads: what they aggregate is concurrent
  private final Set<String> started = ConcurrentHashMap.newKeySet();
  private final Set<String> failing = ConcurrentHashMap.newKeySet();
  private final Set<String> reconciled = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean reconciledReported = new AtomicBoolean();
  private final Map<Long, Pending> pending = new HashMap<>();
  private final Map<Long, StateRequest> stateRequests = new HashMap<>();
  private boolean complete;
  private long nextBatch;
  private String lastStream = "";
  private long lastSequence = -1;
  private long inFlightBatch = -1;

  /**
   * @param partitionOf the partition a change belongs to, or null if none takes it (logged, dropped)
   * @param writerOf the writer of a partition, given the observer to report to; null when the
   *     partition cannot be written (logged, its changes dropped)
   * @param partitions partitions whose writers start at once (to read their instance early); others
   *     start with their first change
   * @param askTimeout how long to wait for a partition's writer before handing it the same part again
   * @param restart backoff of a partition's writer that failed (a bug: its target's failures are its
   *     session's)
   */
  public static Behavior<WriterProtocol.Command> create(
      Target target,
      Function<Change, String> partitionOf,
      BiFunction<String, WriteObserver, Behavior<WriterProtocol.Command>> writerOf,
      Collection<String> partitions,
      WriteObserver observer,
      Duration askTimeout,
      BackoffSettings restart) {
    return Behaviors.<WriterProtocol.Message>setup(ctx -> {
          var writer = new PartitionedWriter(ctx, target, partitionOf, writerOf, observer, askTimeout, restart);
          partitions.forEach(writer::writer);
          return writer;
        })
        .narrow();
  }

  private PartitionedWriter(
      ActorContext<WriterProtocol.Message> context,
      Target target,
      Function<Change, String> partitionOf,
      BiFunction<String, WriteObserver, Behavior<WriterProtocol.Command>> writerOf,
      WriteObserver observer,
      Duration askTimeout,
      BackoffSettings restart) {
    super(context);
    this.target = target;
    this.partitionOf = partitionOf;
    this.writerOf = writerOf;
    this.observer = observer;
    this.askTimeout = askTimeout;
    this.restart = restart;
  }

  @Override
  public Receive<WriterProtocol.Message> createReceive() {
    return newReceiveBuilder()
        .onMessage(WriterProtocol.Apply.class, this::onApply)
        .onMessage(PartDone.class, this::onPartDone)
        .onMessage(WriterProtocol.GetState.class, this::onGetState)
        .onMessage(StateDone.class, this::onStateDone)
        .build();
  }

  private Behavior<WriterProtocol.Message> onApply(WriterProtocol.Apply apply) {
    if (apply.isRepeatOf(lastStream, lastSequence)) {
      Pending inFlight = pending.get(inFlightBatch);
      if (inFlight != null) {
        inFlight.replyTo().add(apply.replyTo()); // the stream asked again: answer it too when the parts are in
      } else {
        apply.replyTo().tell(new WriterProtocol.Ack(target, apply.batch().size()));
      }
      return this;
    }
    lastStream = apply.stream();
    lastSequence = apply.sequence();
    long batch = nextBatch++;
    Map<String, List<Change>> byPartition = new LinkedHashMap<>();
    for (Change c : apply.batch().changes()) {
      String partition = partitionOf.apply(c);
      if (partition == null) {
        getContext().getLog().warn("{}: {} belongs to no configured partition; not written", target.id(), c.key());
        continue;
      }
      byPartition.computeIfAbsent(partition, k -> new ArrayList<>()).add(c);
    }
    if (apply.batch().complete()) {
      complete = true;
      writers.keySet().forEach(p -> byPartition.putIfAbsent(p, List.of()));
      if (writers.isEmpty() && reconciledReported.compareAndSet(false, true)) {
        observer.reconciled(target); // no instance to write: nothing can hold readiness back
      }
    }
    int[] remaining = {0};
    pending.put(batch, new Pending(new ArrayList<>(List.of(apply.replyTo())), apply.batch().size(), remaining));
    inFlightBatch = batch;
    byPartition.forEach((partition, changes) -> {
      ActorRef<WriterProtocol.Command> writer = writer(partition);
      if (writer == null) {
        getContext().getLog().error("{}: {} changes for {} not written: nothing is configured to write them",
            target.id(), changes.size(), partition);
        return;
      }
      remaining[0]++;
      send(batch, partition, writer, part(partition, new ChangeSet(target, changes, apply.batch().complete())));
    });
    finishIfDone(batch);
    return this;
  }

  /** The next part for {@code partition}: its own sequence, so its writer recognises repeats. */
  private WriterProtocol.Apply part(String partition, ChangeSet changes) {
    return new WriterProtocol.Apply(changes, STREAM, sequences.merge(partition, 1L, Long::sum), null);
  }

  private void send(long batch, String partition, ActorRef<WriterProtocol.Command> writer, WriterProtocol.Apply part) {
    getContext().ask(
        WriterProtocol.Ack.class,
        writer,
        askTimeout,
        part::withReplyTo,
        (ack, failure) -> new PartDone(batch, partition, part, ack));
  }

  private Behavior<WriterProtocol.Message> onPartDone(PartDone done) {
    Pending p = pending.get(done.batch());
    if (p == null) {
      return this;
    }
    if (done.ack() == null) {
      // that writer is holding back (its pending limit): hand it the same part again, as the stream does
      send(done.batch(), done.partition(), writers.get(done.partition()), done.part());
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
      p.replyTo().forEach(r -> r.tell(new WriterProtocol.Ack(target, p.changes())));
    }
  }

  private ActorRef<WriterProtocol.Command> writer(String partition) {
    ActorRef<WriterProtocol.Command> existing = writers.get(partition);
    if (existing != null) {
      return existing;
    }
    Behavior<WriterProtocol.Command> behavior = writerOf.apply(partition, partitionObserver(partition));
    if (behavior == null) {
      return null;
    }
    started.add(partition);
    // a failing writer restarts with backoff; its I/O failures never get here (its own session handles them)
    ActorRef<WriterProtocol.Command> writer = getContext().spawn(
        Behaviors.supervise(behavior).onFailure(
            SupervisorStrategy.restartWithBackoff(restart.minBackoff(), restart.maxBackoff(), restart.randomFactor())),
        target.id() + "-" + partition.replaceAll("[^A-Za-z0-9._-]", "_"));
    writers.put(partition, writer);
    if (complete) {
      // the desired state was complete before this partition had anything: its writer may reap at once
      writer.tell(part(partition, ChangeSet.complete(target)).withReplyTo(getContext().getSystem().ignoreRef()));
    }
    return writer;
  }

  /** {@code observer} for one partition: its pending count is reported summed over the partitions. */
  private WriteObserver partitionObserver(String partition) {
    return partitionObserver(partition, observer);
  }

  /**
   * A partition's reports go to {@code to} ({@code observer}, or what it answers for the partition's
   * zone), its pending count to {@code observer}, summed over the partitions.
   */
  private WriteObserver partitionObserver(String partition, WriteObserver to) {
    return new WriteObserver() {
      @Override
      public void written(Instant at, Target t, Change change) {
        to.written(at, t, change);
      }

      @Override
      public void pending(Target t, int changes) {
        pendingPerPartition.put(partition, changes);
        observer.pending(t, pendingPerPartition.values().stream().mapToInt(Integer::intValue).sum());
      }

      @Override
      public void failed(Target t, boolean configuration, String reason) {
        failing.add(partition);
        to.failed(t, configuration, reason);
      }

      @Override
      public void recovered(Target t) {
        // the target recovers when its last failing instance does
        if (failing.remove(partition) && failing.isEmpty()) {
          observer.recovered(t);
        }
      }

      @Override
      public void reconciled(Target t) {
        // the target has reconciled once every instance started so far has
        reconciled.add(partition);
        if (reconciled.containsAll(started) && reconciledReported.compareAndSet(false, true)) {
          observer.reconciled(t);
        }
      }

      @Override
      public void refused(Target t, String key, String reason) {
        to.refused(t, key, reason);
      }

      @Override
      public void alreadyHeld(Target t, String key, TargetRecord value) {
        to.alreadyHeld(t, key, value);
      }

      @Override
      public WriteObserver inZone(Target t, String zone) {
        return partitionObserver(partition, to.inZone(t, zone));
      }

      @Override
      public void dryRun(Instant at, Target t, Change change) {
        to.dryRun(at, t, change);
      }

      @Override
      public void withheld(Target t, Change change, io.tributary.target.ChangePolicy policy) {
        to.withheld(t, change, policy);
      }
    };
  }

  private Behavior<WriterProtocol.Message> onGetState(WriterProtocol.GetState get) {
    long request = nextBatch++;
    stateRequests.put(request, new StateRequest(get.replyTo(), new TreeMap<>(), new int[] {writers.size()}));
    writers.values().forEach(w -> getContext().ask(
        WriterProtocol.State.class, w, askTimeout, WriterProtocol.GetState::new, (state, failure) -> new StateDone(request, state)));
    finishState(request);
    return this;
  }

  private Behavior<WriterProtocol.Message> onStateDone(StateDone done) {
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
      r.replyTo().tell(new WriterProtocol.State(target, r.records()));
    }
  }
}
