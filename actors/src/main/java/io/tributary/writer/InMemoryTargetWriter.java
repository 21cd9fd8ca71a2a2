package io.tributary.writer;

import io.tributary.target.Change;
import io.tributary.target.Target;
import io.tributary.target.TargetRecord;
import java.time.Clock;
import java.util.TreeMap;
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
 */
public final class InMemoryTargetWriter extends AbstractBehavior<WriterProtocol.Command> {

  private final Target target;
  private final Clock clock;
  private final WriteObserver observer;
  private final TreeMap<String, TargetRecord> records = new TreeMap<>();
  private String lastStream = "";
  private long lastSequence = -1;
  private boolean reconciled;

  /** A writer for {@code target}, timestamping operations with {@code clock}. */
  public static Behavior<WriterProtocol.Command> create(Target target, Clock clock, WriteObserver observer) {
    return Behaviors.setup(ctx -> new InMemoryTargetWriter(ctx, target, clock, observer));
  }

  private InMemoryTargetWriter(
      ActorContext<WriterProtocol.Command> context, Target target, Clock clock, WriteObserver observer) {
    super(context);
    this.target = target;
    this.clock = clock;
    this.observer = observer;
  }

  @Override
  public Receive<WriterProtocol.Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(WriterProtocol.Apply.class, this::onApply)
        .onMessage(WriterProtocol.GetState.class, this::onGetState)
        .build();
  }

  private Behavior<WriterProtocol.Command> onApply(WriterProtocol.Apply apply) {
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

  private Behavior<WriterProtocol.Command> onGetState(WriterProtocol.GetState get) {
    get.replyTo().tell(new WriterProtocol.State(target, new TreeMap<>(records)));
    return this;
  }
}
