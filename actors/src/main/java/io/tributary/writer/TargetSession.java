package io.tributary.writer;

import io.tributary.target.Change;
import io.tributary.target.TargetRecord;
import java.util.List;
import java.util.Map;
import io.tributary.concurrent.Failures;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The I/O half of a {@link ReconcilingWriter}: performs one read or write at a time against the
 * target and reports the result to its parent. A failed call is thrown to the supervisor the parent
 * declared, whose backoff paces the retries; the restarted session announces itself again and the
 * parent hands it the work that is still outstanding. Holding no state of its own, it loses nothing
 * by being restarted.
 */
final class TargetSession extends AbstractBehavior<TargetSession.Command> {

  /** What a session is asked to do. */
  sealed interface Command {}

  /** Read what this owner holds in the target. */
  record Read() implements Command {}

  /** Write {@code changes}, one batch. */
  record Write(List<Change> changes) implements Command {}

  private record ReadResult(Map<String, TargetRecord> records, Throwable failure) implements Command {}

  private record WriteResult(List<Change> changes, TargetClient.WriteOutcome outcome, Throwable failure)
      implements Command {}

  private final TargetClient client;
  private final ActorRef<ReconcilingWriter.SessionReport> parent;

  static Behavior<Command> create(TargetClient client, ActorRef<ReconcilingWriter.SessionReport> parent) {
    return Behaviors.setup(ctx -> new TargetSession(ctx, client, parent));
  }

  private TargetSession(ActorContext<Command> context, TargetClient client, ActorRef<ReconcilingWriter.SessionReport> parent) {
    super(context);
    this.client = client;
    this.parent = parent;
    parent.tell(new ReconcilingWriter.SessionReady(context.getSelf()));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Read.class, this::onRead)
        .onMessage(Write.class, this::onWrite)
        .onMessage(ReadResult.class, this::onReadResult)
        .onMessage(WriteResult.class, this::onWriteResult)
        .build();
  }

  private Behavior<Command> onRead(Read read) {
    getContext().pipeToSelf(client.readOwned(), (records, failure) -> new ReadResult(records, failure));
    return this;
  }

  private Behavior<Command> onWrite(Write write) {
    getContext().pipeToSelf(
        client.write(write.changes()), (outcome, failure) -> new WriteResult(write.changes(), outcome, failure));
    return this;
  }

  private Behavior<Command> onReadResult(ReadResult result) {
    if (result.failure() != null) {
      throw failed(result.failure());
    }
    parent.tell(new ReconcilingWriter.ReadDone(Map.copyOf(result.records())));
    return this;
  }

  private Behavior<Command> onWriteResult(WriteResult result) {
    if (result.failure() != null) {
      throw failed(result.failure());
    }
    parent.tell(new ReconcilingWriter.WriteDone(result.changes(), result.outcome()));
    return this;
  }

  /** Tells the parent why (for its report), then gives the supervisor an exception it can classify. */
  private RuntimeException failed(Throwable failure) {
    Throwable cause = Failures.unwrap(failure);
    RuntimeException thrown =
        cause instanceof TargetConfigurationException || cause instanceof TargetUnavailableException
            ? (RuntimeException) cause
            : new TargetUnavailableException(client.describe() + ": " + cause, cause);
    parent.tell(new ReconcilingWriter.SessionFailed(
        thrown.getMessage(), thrown instanceof TargetConfigurationException));
    return thrown;
  }
}
