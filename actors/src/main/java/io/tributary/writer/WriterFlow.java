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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stream's end: hands each change set to its target's writer and waits for the ack before the
 * next one, so a slow writer slows the stream instead of piling up batches. A writer that does not
 * ack in time (restarting, stuck behind an outage) is asked again with the same batch, for as long
 * as it takes: the stream stays backpressured and nothing is dropped.
 */
public final class WriterFlow {
  private static final Logger LOG = LoggerFactory.getLogger(WriterFlow.class);

  private WriterFlow() {}

  /** Asks {@code writers} (one per target) to apply each change set, in order. */
  public static Flow<ChangeSet, WriterProtocol.Ack, NotUsed> ask(
      Map<Target, ActorRef<WriterProtocol.Command>> writers, Duration timeout, Scheduler scheduler) {
    return Flow.of(ChangeSet.class)
        .zipWithIndex()
        .mapAsync(1, batch -> send(writers, new Batch(batch.first(), batch.second()), timeout, scheduler));
  }

  /** A change set with its place in this stream (one id per materialization). */
  private record Batch(ChangeSet changes, long sequence) {}

  // identifies this process's stream to the writers, so a re-sent batch is recognised
  private static final String STREAM = java.util.UUID.randomUUID().toString();

  private static CompletionStage<WriterProtocol.Ack> send(
      Map<Target, ActorRef<WriterProtocol.Command>> writers,
      Batch numbered,
      Duration timeout,
      Scheduler scheduler) {
    ChangeSet batch = numbered.changes();
    ActorRef<WriterProtocol.Command> writer = writers.get(batch.target());
    if (writer == null) {
      // a target without a writer (none configured for it) is simply not written
      return CompletableFuture.completedFuture(new WriterProtocol.Ack(batch.target(), 0));
    }
    return AskPattern.<WriterProtocol.Command, WriterProtocol.Ack>ask(
            writer, replyTo -> new WriterProtocol.Apply(batch, STREAM, numbered.sequence(), replyTo), timeout, scheduler)
        .handle((ack, failure) -> {
          if (failure == null) {
            return CompletableFuture.completedFuture(ack);
          }
          LOG.warn("{} writer has not accepted a batch of {} changes within {}; asking again",
              batch.target().id(), batch.size(), timeout);
          return send(writers, numbered, timeout, scheduler);
        })
        .thenCompose(stage -> stage);
  }
}
