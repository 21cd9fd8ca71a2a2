package io.tributary.writer;

import io.tributary.target.ChangeSet;
import io.tributary.target.Target;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.concurrent.CompletableFuture;
import java.util.UUID;
import java.util.concurrent.Executor;
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

  /**
   * Asks {@code writers} (one per target) to apply each change set, in order. {@code executor} (the
   * actor system's dispatcher) runs the retry logic: the JDK futures the ask returns would
   * otherwise run it on a pool thread of their own, outside the simulator's virtual time.
   */
  public static Flow<ChangeSet, WriterProtocol.Ack, NotUsed> ask(
      Map<Target, ActorRef<WriterProtocol.Command>> writers, Duration timeout, Scheduler scheduler, Executor executor) {
    Map<Target, ActorRef<WriterProtocol.Command>> fixed = Map.copyOf(writers);
    return ask(fixed::get, timeout, scheduler, executor);
  }

  /**
   * As above, looking each target's writer up at every attempt: a writer started anew by a reload
   * (its sink changed) gets the batches its predecessor had not accepted.
   */
  public static Flow<ChangeSet, WriterProtocol.Ack, NotUsed> ask(
      Function<Target, ActorRef<WriterProtocol.Command>> writers, Duration timeout, Scheduler scheduler, Executor executor) {
    String stream = UUID.randomUUID().toString(); // lets a writer recognise a re-sent batch
    return Flow.of(ChangeSet.class)
        .zipWithIndex()
        .mapAsync(1, numbered -> {
          ChangeSet batch = numbered.first();
          CompletableFuture<WriterProtocol.Ack> acked = new CompletableFuture<>();
          if (writers.apply(batch.target()) == null) {
            // a target without a writer (none configured for it) is simply not written
            acked.complete(new WriterProtocol.Ack(batch.target(), 0));
          } else {
            attempt(writers, batch, stream, numbered.second(), timeout, scheduler, executor, acked);
          }
          return acked;
        });
  }

  private static void attempt(
      Function<Target, ActorRef<WriterProtocol.Command>> writers,
      ChangeSet batch,
      String stream,
      long sequence,
      Duration timeout,
      Scheduler scheduler,
      Executor executor,
      CompletableFuture<WriterProtocol.Ack> acked) {
    AskPattern.<WriterProtocol.Command, WriterProtocol.Ack>ask(
            writers.apply(batch.target()), replyTo -> new WriterProtocol.Apply(batch, stream, sequence, replyTo), timeout, scheduler)
        .whenCompleteAsync(
            (ack, failure) -> {
              if (failure == null) {
                acked.complete(ack);
                return;
              }
              LOG.warn("{} writer has not accepted a batch of {} changes within {}; asking again",
                  batch.target().id(), batch.size(), timeout);
              attempt(writers, batch, stream, sequence, timeout, scheduler, executor, acked);
            },
            executor);
  }
}
