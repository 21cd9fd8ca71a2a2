package io.tributary.writer;

import io.tributary.settings.WriterSettings;
import io.tributary.target.Change;
import io.tributary.target.ChangeSet;
import io.tributary.target.Op;
import io.tributary.target.Target;
import io.tributary.target.TargetRecord;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * A target held in memory: the simulator's Consul, DNS and Traefik, and the demo's. It speaks the
 * same {@link WriterProtocol} as the real writers and reports every operation to a {@link
 * WriteObserver}. A change whose precondition does not hold (create over an existing record,
 * update or delete of a missing one) is applied anyway and logged: it means the diff's idea of the
 * target drifted, which a test should catch.
 *
 * <p>Given {@link TargetOutages}, it can also be down. The first batch that reaches it while it is
 * down hands it over, for the rest of its life, to a {@link ReconcilingWriter} over the same records
 * ({@link InMemoryTargetClient}): from then on it is written as a real target is — changes merged
 * per record and acked, reads and writes retried with the {@code writer.retry} backoff while down,
 * the latest state of each record written once it answers. A target that is never down while it
 * has something to write is written exactly as without outages.
 */
public final class InMemoryTargetWriter extends AbstractBehavior<WriterProtocol.Command> {

  private final Target target;
  private final Clock clock;
  private final WriteObserver observer;
  private final TreeMap<String, TargetRecord> records = new TreeMap<>();
  private String lastStream = "";
  private long lastSequence = -1;
  private boolean reconciled;
  private final TargetOutages outages;
  private final WriterSettings settings;
  private final WritePolicy writePolicy;
  /** The real writer's path, once a batch met the target down; null before. */
  private ActorRef<WriterProtocol.Command> reconciling;

  /** A writer for {@code target}, timestamping operations with {@code clock}. */
  public static Behavior<WriterProtocol.Command> create(Target target, Clock clock, WriteObserver observer) {
    return Behaviors.setup(ctx -> new InMemoryTargetWriter(ctx, target, clock, observer, null, null, null));
  }

  /**
   * A writer for {@code target} that {@code outages} can take down; once a batch meets it down it is
   * written through a {@link ReconcilingWriter} with {@code settings} and {@code writePolicy}.
   */
  public static Behavior<WriterProtocol.Command> create(
      Target target, Clock clock, WriteObserver observer, TargetOutages outages, WriterSettings settings,
      WritePolicy writePolicy) {
    return Behaviors.setup(ctx -> new InMemoryTargetWriter(ctx, target, clock, observer, outages, settings, writePolicy));
  }

  private InMemoryTargetWriter(
      ActorContext<WriterProtocol.Command> context, Target target, Clock clock, WriteObserver observer,
      TargetOutages outages, WriterSettings settings, WritePolicy writePolicy) {
    super(context);
    this.target = target;
    this.clock = clock;
    this.observer = observer;
    this.outages = outages;
    this.settings = settings;
    this.writePolicy = writePolicy;
  }

  @Override
  public Receive<WriterProtocol.Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(WriterProtocol.Apply.class, this::onApply)
        .onMessage(WriterProtocol.GetState.class, this::onGetState)
        .build();
  }

  private Behavior<WriterProtocol.Command> onApply(WriterProtocol.Apply apply) {
    if (reconciling == null && outages != null && outages.isDown(target) && !apply.isRepeatOf(lastStream, lastSequence)) {
      startReconciling();
    }
    if (reconciling != null) {
      reconciling.tell(apply);
      return this;
    }
    if (apply.isRepeatOf(lastStream, lastSequence)) {
      apply.replyTo().tell(new WriterProtocol.Ack(target, apply.batch().size()));
      return this;
    }
    lastStream = apply.stream();
    lastSequence = apply.sequence();
    var now = clock.instant();
    for (Change c : apply.batch().changes()) {
      TargetRecord present = records.get(c.key());
      boolean expected =
          switch (c.op()) {
            case CREATE -> present == null;
            case UPDATE, DELETE -> present != null;
          };
      if (!expected) {
        getContext().getLog().warn("{} {} {}: target state differs from the diff's view", target.id(), c.op().id(), c.key());
      }
      if (c.value() == null) {
        records.remove(c.key());
      } else {
        records.put(c.key(), c.value());
      }
      observer.written(now, target, c);
    }
    if (apply.batch().complete() && !reconciled) {
      reconciled = true; // applied as told, nothing to read: complete means reconciled
      observer.reconciled(target);
    }
    apply.replyTo().tell(new WriterProtocol.Ack(target, apply.batch().size()));
    return this;
  }

  /**
   * Hands the target over to a reconciling writer over what it holds now, told that all of it is
   * wanted (so it deletes nothing it finds) and, if this writer was, that the desired state is
   * complete. It reads the target first, as a real writer does at start, and retries until it answers.
   */
  private void startReconciling() {
    reconciling = getContext().spawn(ReconcilingWriter.create(
        target, writePolicy, new InMemoryTargetClient(target, records, outages), settings, observer, clock), "reconciling");
    List<Change> wanted = new ArrayList<>(records.size());
    records.forEach((key, r) -> wanted.add(new Change(Op.CREATE, key, r, null)));
    // answered to nobody: the stream never sent this batch, and the stream id is one it never uses
    reconciling.tell(new WriterProtocol.Apply(
        new ChangeSet(target, wanted, reconciled), "in-memory-handover", 0, getContext().getSystem().ignoreRef()));
    records.clear();
  }

  private Behavior<WriterProtocol.Command> onGetState(WriterProtocol.GetState get) {
    if (reconciling != null) {
      reconciling.tell(get);
      return this;
    }
    get.replyTo().tell(new WriterProtocol.State(target, new TreeMap<>(records)));
    return this;
  }
}
