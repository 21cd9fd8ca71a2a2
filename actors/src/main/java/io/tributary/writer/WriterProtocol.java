package io.tributary.writer;

import io.tributary.target.ChangeSet;
import io.tributary.target.Target;
import io.tributary.target.TargetRecord;
import java.util.SortedMap;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The contract between the stream and every writer actor (in-memory, Consul, DNS, Traefik).
 *
 * <p>The stream sends one {@link Apply} at a time per writer and waits for its {@link Ack}: that is
 * how backpressure reaches the watchers. An ack means the writer has taken responsibility for the
 * batch — written it, or merged it into its own per-key pending state that survives a target outage
 * — never that it was dropped.
 */
public final class WriterProtocol {
  private WriterProtocol() {}

  /**
   * What the pipeline (and a status reader) sends to any writer. Sealed: a writer's own messages
   * (timer ticks, its session's reports, its partitions' answers) are not part of it, so a holder
   * of an {@code ActorRef<Command>} cannot send them.
   */
  public sealed interface Command extends Message permits Apply, GetState {}

  /**
   * Everything a writer of this package handles: the protocol and each writer's own messages.
   * Writers run as a {@code Behavior<Message>} and hand out {@code Behavior<Command>} through
   * {@code narrow()}, the style guide's type hierarchy for a protocol that several actors share.
   */
  sealed interface Message permits Command, ReconcilingWriter.Internal, PartitionedWriter.Internal {}

  /**
   * Apply {@code batch} (ordered) and answer with an {@link Ack}. {@code stream} and {@code
   * sequence} identify the batch: the stream re-sends a batch whose ack did not come in time, and a
   * writer acks a batch it has already applied ({@link #isRepeatOf}) without applying it again.
   */
  public record Apply(ChangeSet batch, String stream, long sequence, ActorRef<Ack> replyTo) implements Command {

    /** This batch, answered to {@code to}. */
    public Apply withReplyTo(ActorRef<Ack> to) {
      return new Apply(batch, stream, sequence, to);
    }

    /** True if this is a re-sent batch of the stream whose last applied batch was {@code last}. */
    public boolean isRepeatOf(String lastStream, long lastSequence) {
      return stream.equals(lastStream) && sequence <= lastSequence;
    }
  }

  /** The writer has taken responsibility for a batch. */
  public record Ack(Target target, int changes) {}

  /** Report the records the writer believes the target holds. */
  public record GetState(ActorRef<State> replyTo) implements Command {}

  /** A writer's view of its target, sorted by key. */
  public record State(Target target, SortedMap<String, TargetRecord> records) {}
}
