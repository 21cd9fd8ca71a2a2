package io.tributary.writer;

import io.tributary.diff.ChangeSet;
import io.tributary.diff.Target;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.stream.javadsl.Flow;

/**
 * The stream's end: hands each change set to its target's writer and waits for the ack before the
 * next one, so a slow writer slows the stream instead of piling up batches.
 */
public final class WriterFlow {
  private WriterFlow() {}

  /** Asks {@code writers} (one per target) to apply each change set, in order. */
  public static Flow<ChangeSet, WriterProtocol.Ack, NotUsed> ask(
      Map<Target, ActorRef<WriterProtocol.Command>> writers, Duration timeout, Scheduler scheduler) {
    return Flow.of(ChangeSet.class)
        .mapAsync(1, batch -> send(writers, batch, timeout, scheduler));
  }

  private static CompletionStage<WriterProtocol.Ack> send(
      Map<Target, ActorRef<WriterProtocol.Command>> writers,
      ChangeSet batch,
      Duration timeout,
      Scheduler scheduler) {
    ActorRef<WriterProtocol.Command> writer = writers.get(batch.target());
    if (writer == null) {
      // a target without a writer (none configured for it) is simply not written
      return CompletableFuture.completedFuture(new WriterProtocol.Ack(batch.target(), 0));
    }
    return AskPattern.ask(writer, replyTo -> new WriterProtocol.Apply(batch, replyTo), timeout, scheduler);
  }
}
