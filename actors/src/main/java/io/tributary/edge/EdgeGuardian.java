package io.tributary.edge;

import io.tributary.plan.PipelineListener;
import io.tributary.settings.KafkaSettings;
import io.tributary.settings.TributarySettings;
import io.tributary.watch.KubernetesClients;
import io.tributary.watch.WatchBuffer;
import io.tributary.watch.WatcherSupervisor;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.kafka.ProducerSettings;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * {@code tributary edge}: the cluster watchers feed a watch buffer, which the publisher drains
 * into the topic. On {@link Drain} the watchers stop, the buffer completes, and the reply comes
 * once every pending event is in the topic — what SIGTERM triggers. A failed publisher stops the
 * process (its orchestrator restarts it; the topic is never left behind a silent edge).
 */
public final class EdgeGuardian extends AbstractBehavior<EdgeGuardian.Command> {

  /** What the edge guardian understands. */
  public sealed interface Command {}

  /** Stop watching, publish what is pending, then answer. */
  public record Drain(ActorRef<Done> replyTo) implements Command {}

  private record PublisherFinished(Throwable failure) implements Command {}

  private record SampleBuffer() implements Command {}

  private static final Duration SAMPLE_EVERY = Duration.ofSeconds(1);

  private final WatchBuffer buffer;
  private final PipelineListener listener;
  private final EdgePublisher.Listener published;
  private final ActorRef<WatcherSupervisor.Command> watchers;
  private final List<ActorRef<Done>> drainWaiters = new ArrayList<>();
  private boolean finished;

  /**
   * @param partitions the topic's partition count ({@link EventTopic#ensure})
   * @param listener hears the watchers and the buffer (status, metrics)
   */
  public static Behavior<Command> create(
      TributarySettings settings, KafkaSettings kafka, int partitions,
      KubernetesClients clients, PipelineListener listener, EdgePublisher.Listener published, Clock clock) {
    return create(settings, kafka, partitions, java.util.Set.of(), clients, listener, published, clock);
  }

  /**
   * As above; {@code live} are the keys of this edge's clusters the topic holds as live from an
   * earlier run ({@link EventTopic#liveKeys}), deleted if the relist does not find them again.
   */
  public static Behavior<Command> create(
      TributarySettings settings, KafkaSettings kafka, int partitions, java.util.Set<String> live,
      KubernetesClients clients, PipelineListener listener, EdgePublisher.Listener published, Clock clock) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      ctx.setLoggerName(EdgeGuardian.class);
      timers.startTimerWithFixedDelay(new SampleBuffer(), SAMPLE_EVERY);
      return new EdgeGuardian(ctx, settings, kafka.topic(), partitions, EdgePublisher.producerSettings(ctx.getSystem(), kafka),
          live, clients, listener, published, clock);
    }));
  }

  private EdgeGuardian(
      ActorContext<Command> context, TributarySettings settings, String topic, int partitions, ProducerSettings<String, byte[]> producer,
      java.util.Set<String> live, KubernetesClients clients, PipelineListener listener, EdgePublisher.Listener published, Clock clock) {
    super(context);
    this.listener = listener;
    this.published = published;
    buffer = new WatchBuffer(listener);
    ActorRef<Command> self = context.getSelf();
    EdgePublisher.create(buffer, topic, partitions, producer, clock, published, live)
        .runWith(Sink.onComplete(result -> self.tell(new PublisherFinished(result.isFailure() ? result.failed().get() : null))),
            Materializer.createMaterializer(context));
    watchers = context.spawn(
        WatcherSupervisor.create(settings.clusters().values(), buffer, clients, listener, settings.watch()), "watchers");
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Drain.class, this::onDrain)
        .onMessage(PublisherFinished.class, this::onPublisherFinished)
        .onMessage(SampleBuffer.class, this::onSampleBuffer)
        .build();
  }

  private Behavior<Command> onSampleBuffer(SampleBuffer sample) {
    int depth = buffer.depth();
    listener.bufferDepth(depth);
    published.bufferDepth(depth);
    return this;
  }

  private Behavior<Command> onDrain(Drain drain) {
    if (finished) {
      drain.replyTo().tell(Done.getInstance());
      return this;
    }
    drainWaiters.add(drain.replyTo());
    if (drainWaiters.size() == 1) {
      getContext().getLog().info("draining: watchers stopped, publishing {} pending objects", buffer.depth());
      getContext().stop(watchers);
      buffer.complete();
    }
    return this;
  }

  private Behavior<Command> onPublisherFinished(PublisherFinished msg) {
    finished = true;
    listener.pipelineStopped(msg.failure());
    drainWaiters.forEach(w -> w.tell(Done.getInstance()));
    drainWaiters.clear();
    if (msg.failure() != null) {
      getContext().getLog().error("publishing to Kafka failed", msg.failure());
      throw new IllegalStateException("publishing to Kafka failed", msg.failure());
    }
    getContext().getLog().info("every pending event published; publisher stopped");
    return this;
  }
}
