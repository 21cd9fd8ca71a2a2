package io.tributary.edge;

import io.tributary.lastaccepted.LastAcceptedStore;
import io.tributary.plan.LastAccepted;
import io.tributary.plan.PipelineListener;
import io.tributary.service.PipelineGuardian;
import io.tributary.service.RoutingPipeline;
import io.tributary.settings.BackoffSettings;
import io.tributary.settings.ConfigVersions;
import io.tributary.settings.KafkaSettings;
import io.tributary.settings.TributarySettings;
import io.tributary.target.ChangeSet;
import io.tributary.target.Target;
import io.tributary.watch.WatchBuffer;
import io.tributary.writer.WriterProtocol;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.kafka.ConsumerMessage;
import org.apache.pekko.kafka.ConsumerSettings;
import org.apache.pekko.kafka.Subscriptions;
import org.apache.pekko.kafka.javadsl.Consumer;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * {@code tributary run} with {@code source = kafka}: the edge processes' topic, read from its
 * beginning ({@link TopicFeed}: the rebuild, then the live tail), feeds the watch buffer of the
 * same routing pipeline the single-process service runs; one writer per target. Offsets are
 * committed to the consumer group only once every target acknowledged the changes of the events
 * up to them ({@link CommitTracker}). On {@link Drain} the consumer stops, the buffer completes,
 * and the reply comes once every pending change has been handed to its writer; the offsets of
 * what was acknowledged are committed first.
 */
public final class CentralGuardian extends AbstractBehavior<CentralGuardian.Command> {

  /** What the central guardian understands. */
  public sealed interface Command {}

  /** Stop consuming, write what is pending, then answer. */
  public record Drain(ActorRef<Done> replyTo) implements Command {}

  /** Answer with the writer actors (tests, status). */
  public record GetWriters(ActorRef<PipelineGuardian.Writers> replyTo) implements Command {}

  private record CommitDue() implements Command {}

  private record PipelineFinished(Throwable failure) implements Command {}

  private record ConsumerFinished(Throwable failure) implements Command {}

  private record SampleBuffer() implements Command {}

  private final WatchBuffer buffer;
  private final PipelineListener listener;
  private final CommitTracker<ConsumerMessage.CommittableOffset> tracker;
  private final Map<Target, ActorRef<WriterProtocol.Command>> writers = new ConcurrentHashMap<>();
  private final Consumer.Control consumer;
  private final TopicFeed feed;
  private final List<ActorRef<Done>> drainWaiters = new ArrayList<>();
  private final ActorRef<LastAcceptedStore.Command> lastAcceptedStore; // null when tributary.last-accepted is off
  private boolean finished;

  /**
   * @param endOffsets every partition's end offset now (the rebuild reads up to them)
   */
  public static Behavior<Command> create(
      TributarySettings settings, KafkaSettings kafka, Map<Integer, Long> endOffsets,
      Map<Target, Behavior<WriterProtocol.Command>> writers, PipelineListener listener) {
    return create(settings, kafka, endOffsets, writers, listener, LastAccepted.NONE);
  }

  /**
   * As above, the routing starting from {@code lastAccepted} (loaded from the {@code
   * tributary.last-accepted} file, which is kept in step from then on when the settings name one).
   */
  public static Behavior<Command> create(
      TributarySettings settings, KafkaSettings kafka, Map<Integer, Long> endOffsets,
      Map<Target, Behavior<WriterProtocol.Command>> writers, PipelineListener listener, LastAccepted lastAccepted) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      ctx.setLoggerName(CentralGuardian.class);
      return new CentralGuardian(ctx, timers, settings, kafka, endOffsets, writers, listener, lastAccepted);
    }));
  }

  private CentralGuardian(
      ActorContext<Command> context, TimerScheduler<Command> timers, TributarySettings settings, KafkaSettings kafka,
      Map<Integer, Long> endOffsets, Map<Target, Behavior<WriterProtocol.Command>> writerBehaviors, PipelineListener outer,
      LastAccepted lastAccepted) {
    super(context);
    lastAcceptedStore = LastAcceptedStore.spawnIfEnabled(context, settings.lastAccepted(), lastAccepted);
    if (lastAcceptedStore != null) {
      outer = LastAcceptedStore.listening(outer, lastAcceptedStore);
    }
    tracker = new CommitTracker<>();
    listener = tracker.listening(outer);
    buffer = new WatchBuffer(listener);
    BackoffSettings restart = settings.writer().restart();
    writerBehaviors.forEach((target, behavior) -> writers.put(target, context.spawn(
        Behaviors.supervise(behavior).onFailure(
            SupervisorStrategy.restartWithBackoff(restart.minBackoff(), restart.maxBackoff(), restart.randomFactor())),
        "writer-" + target.id())));
    ActorRef<Command> self = context.getSelf();
    // bound to this actor: a stopped (or killed) central service stops consuming and writing at once
    var materializer = Materializer.createMaterializer(context);
    Flow<ChangeSet, ChangeSet, org.apache.pekko.NotUsed> counted = Flow.of(ChangeSet.class).map(cs -> {
      tracker.sent();
      return cs;
    });
    RoutingPipeline.create(buffer, new ConfigVersions(settings), writers::get, context.getSystem().scheduler(),
            context.getExecutionContext(), listener, lastAccepted, counted)
        .map(ack -> {
          tracker.acked();
          return ack;
        })
        .runWith(Sink.onComplete(r -> self.tell(new PipelineFinished(r.isFailure() ? r.failed().get() : null))), materializer);

    feed = new TopicFeed(buffer, listener, endOffsets);
    Map<TopicPartition, Long> fromStart = new HashMap<>();
    endOffsets.keySet().forEach(p -> fromStart.put(new TopicPartition(kafka.topic(), p), 0L));
    var pair = Consumer.committableSource(consumerSettings(context, kafka), Subscriptions.assignmentWithOffset(fromStart))
        .map(msg -> {
          feed.accept(msg.record());
          tracker.consumed(msg.record().partition(), msg.committableOffset());
          return Done.getInstance();
        })
        .toMat(Sink.ignore(), org.apache.pekko.stream.javadsl.Keep.both())
        .run(materializer);
    consumer = pair.first();
    context.pipeToSelf(pair.second(), (ok, failure) -> new ConsumerFinished(failure));
    timers.startTimerWithFixedDelay(new CommitDue(), kafka.commitInterval());
    timers.startTimerWithFixedDelay(new SampleBuffer(), java.time.Duration.ofSeconds(1));
  }

  /** Reads with the group's id (its commits), from offsets the service chooses (the topic's start). */
  static ConsumerSettings<String, byte[]> consumerSettings(ActorContext<?> context, KafkaSettings kafka) {
    Map<String, String> props = new HashMap<>();
    kafka.clientProperties().forEach((k, v) -> props.put(k, String.valueOf(v)));
    props.put("auto.offset.reset", "earliest");
    props.put("enable.auto.commit", "false");
    return ConsumerSettings.create(context.getSystem(), new StringDeserializer(), new ByteArrayDeserializer())
        .withProperties(props)
        .withGroupId(kafka.groupId());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Drain.class, this::onDrain)
        .onMessage(GetWriters.class, this::onGetWriters)
        .onMessage(CommitDue.class, this::onCommitDue)
        .onMessage(PipelineFinished.class, this::onPipelineFinished)
        .onMessage(ConsumerFinished.class, this::onConsumerFinished)
        .onMessage(SampleBuffer.class, this::onSampleBuffer)
        .build();
  }

  private Behavior<Command> onSampleBuffer(SampleBuffer sample) {
    listener.bufferDepth(buffer.depth());
    return this;
  }

  private Behavior<Command> onCommitDue(CommitDue due) {
    if (!feed.caughtUp()) {
      return this; // during the rebuild nothing is committed: its markers are still held back
    }
    Map<Integer, ConsumerMessage.CommittableOffset> offsets = tracker.tick();
    if (!offsets.isEmpty()) {
      ConsumerMessage.createCommittableOffsetBatch(new ArrayList<>(offsets.values())).commitJavadsl()
          .whenComplete((ok, failure) -> {
            if (failure != null) {
              tracker.commitFailed();
              org.slf4j.LoggerFactory.getLogger(CentralGuardian.class)
                  .warn("committing offsets failed (retried at the next commit): {}", failure.toString());
            }
          });
    }
    return this;
  }

  private Behavior<Command> onGetWriters(GetWriters get) {
    get.replyTo().tell(new PipelineGuardian.Writers(Map.copyOf(writers)));
    return this;
  }

  private Behavior<Command> onDrain(Drain drain) {
    if (finished) {
      drain.replyTo().tell(Done.getInstance());
      return this;
    }
    drainWaiters.add(drain.replyTo());
    if (drainWaiters.size() == 1) {
      getContext().getLog().info("draining: consumer stopped, writing {} pending objects", buffer.depth());
      consumer.stop(); // no more records; the Kafka consumer stays for the final commit
      buffer.complete();
    }
    return this;
  }

  private Behavior<Command> onConsumerFinished(ConsumerFinished msg) {
    if (msg.failure() != null && !finished) {
      getContext().getLog().error("consuming the topic failed", msg.failure());
      listener.pipelineStopped(msg.failure());
      throw new IllegalStateException("consuming the topic failed", msg.failure());
    }
    return this;
  }

  private Behavior<Command> onPipelineFinished(PipelineFinished msg) {
    finished = true;
    listener.pipelineStopped(msg.failure());
    if (msg.failure() != null) {
      consumer.shutdown();
      drainWaiters.forEach(w -> w.tell(Done.getInstance()));
      drainWaiters.clear();
      throw new IllegalStateException("routing pipeline failed", msg.failure());
    }
    // drained: every change of every event consumed was acked, so everything consumed is committed
    Map<Integer, ConsumerMessage.CommittableOffset> offsets = feed.caughtUp() ? tracker.drained() : Map.of();
    java.util.concurrent.CompletionStage<Done> committed = offsets.isEmpty()
        ? java.util.concurrent.CompletableFuture.completedFuture(Done.getInstance())
        : ConsumerMessage.createCommittableOffsetBatch(new ArrayList<>(offsets.values())).commitJavadsl();
    List<ActorRef<Done>> waiters = List.copyOf(drainWaiters);
    drainWaiters.clear();
    // the routes the drained pipeline left in force are in the store's mailbox: written before the reply
    java.util.concurrent.CompletionStage<Done> flushed = lastAcceptedStore == null
        ? java.util.concurrent.CompletableFuture.completedFuture(Done.getInstance())
        : AskPattern.<LastAcceptedStore.Command, Done>ask(lastAcceptedStore, LastAcceptedStore.Flush::new,
            java.time.Duration.ofSeconds(10), getContext().getSystem().scheduler()).exceptionally(f -> Done.getInstance());
    committed.thenCombine(flushed, (c, f) -> Done.getInstance()).whenComplete((ok, failure) -> {
      if (failure != null) {
        org.slf4j.LoggerFactory.getLogger(CentralGuardian.class).warn("the final commit failed: {}", failure.toString());
      }
      consumer.shutdown();
      waiters.forEach(w -> w.tell(Done.getInstance()));
    });
    return this;
  }
}
