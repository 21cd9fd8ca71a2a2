package io.tributary.service;

import io.tributary.target.Target;
import io.tributary.settings.ConfigVersions;
import io.tributary.plan.LastAccepted;
import io.tributary.plan.PipelineListener;
import io.tributary.watch.WatchBuffer;
import io.tributary.writer.WriterProtocol;
import io.tributary.settings.BackoffSettings;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * Starts the whole pipeline from one config: one writer actor per target (restarted with the
 * {@code writer.restart} backoff when it fails) and the routing stream feeding them. No global state, so the same guardian can
 * later run as a cluster singleton.
 */
public final class PipelineGuardian extends AbstractBehavior<PipelineGuardian.Command> {

  /** What the guardian understands. */
  public sealed interface Command {}

  /** Answer with the writer actors, by target. */
  public record GetWriters(ActorRef<Writers> replyTo) implements Command {}

  /** The running writer actors. */
  public record Writers(Map<Target, ActorRef<WriterProtocol.Command>> byTarget) {}

  /**
   * A reload changed these targets' sinks: their writers are stopped and started anew from {@code
   * behaviors}, restarted with {@code restart} backoff. What the old one had not accepted is asked
   * of the new one; the stream tells it everything it holds behind the reload's marker.
   */
  public record ReplaceWriters(
      Map<Target, Behavior<WriterProtocol.Command>> behaviors, BackoffSettings restart, ActorRef<Done> replyTo)
      implements Command {}

  private record PipelineFinished(Throwable failure) implements Command {}

  // read by the stream at every attempt, changed here by a reload
  private final Map<Target, ActorRef<WriterProtocol.Command>> writers = new ConcurrentHashMap<>();
  private long generation;
  private final CompletableFuture<Done> finished;
  private final PipelineListener listener;

  /**
   * @param versions the configuration, version 0 at start and one more per reload
   * @param writerBehaviors the writer of each target
   * @param finished completed when the stream ends (the buffer was completed and drained)
   */
  public static Behavior<Command> create(
      ConfigVersions versions,
      WatchBuffer buffer,
      Map<Target, Behavior<WriterProtocol.Command>> writerBehaviors,
      PipelineListener listener,
      CompletableFuture<Done> finished) {
    return create(versions, buffer, writerBehaviors, listener, LastAccepted.NONE, finished);
  }

  /** As above, the routing starting from {@code lastAccepted}, the routes a previous run had in force. */
  public static Behavior<Command> create(
      ConfigVersions versions,
      WatchBuffer buffer,
      Map<Target, Behavior<WriterProtocol.Command>> writerBehaviors,
      PipelineListener listener,
      LastAccepted lastAccepted,
      CompletableFuture<Done> finished) {
    return Behaviors.setup(
        ctx -> new PipelineGuardian(ctx, versions, buffer, writerBehaviors, listener, lastAccepted, finished));
  }

  private PipelineGuardian(
      ActorContext<Command> context,
      ConfigVersions versions,
      WatchBuffer buffer,
      Map<Target, Behavior<WriterProtocol.Command>> writerBehaviors,
      PipelineListener listener,
      LastAccepted lastAccepted,
      CompletableFuture<Done> finished) {
    super(context);
    this.finished = finished;
    this.listener = listener;
    var restart = versions.get(0).writer().restart();
    writerBehaviors.forEach((target, behavior) -> writers.put(target, spawnWriter(target, behavior, restart)));
    // completion is reported from inside the stream, not through a CompletionStage: JDK futures may
    // complete on threads of their own, which the simulator's virtual time cannot see
    ActorRef<Command> self = context.getSelf();
    RoutingPipeline.create(
            buffer, versions, writers::get, context.getSystem().scheduler(), context.getExecutionContext(), listener, lastAccepted, null)
        .runWith(
            Sink.onComplete(result -> self.tell(new PipelineFinished(result.isFailure() ? result.failed().get() : null))),
            Materializer.matFromSystem(context.getSystem()));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(GetWriters.class, this::onGetWriters)
        .onMessage(ReplaceWriters.class, this::onReplaceWriters)
        .onMessage(PipelineFinished.class, this::onPipelineFinished)
        .build();
  }

  private ActorRef<WriterProtocol.Command> spawnWriter(
      Target target, Behavior<WriterProtocol.Command> behavior, BackoffSettings restart) {
    // a generation suffix once replaced: the stopped writer's name may not be free yet
    String name = "writer-" + target.id() + (generation == 0 ? "" : "-" + generation);
    return getContext().spawn(
        Behaviors.supervise(behavior)
            .onFailure(SupervisorStrategy.restartWithBackoff(restart.minBackoff(), restart.maxBackoff(), restart.randomFactor())),
        name);
  }

  private Behavior<Command> onReplaceWriters(ReplaceWriters replace) {
    generation++;
    replace.behaviors().forEach((target, behavior) -> {
      ActorRef<WriterProtocol.Command> old = writers.put(target, spawnWriter(target, behavior, replace.restart()));
      if (old != null) {
        getContext().stop(old);
      }
      getContext().getLog().info("{} writer started anew for the reloaded configuration", target.id());
    });
    replace.replyTo().tell(Done.getInstance());
    return this;
  }

  private Behavior<Command> onGetWriters(GetWriters get) {
    get.replyTo().tell(new Writers(Map.copyOf(writers)));
    return this;
  }

  private Behavior<Command> onPipelineFinished(PipelineFinished msg) {
    listener.pipelineStopped(msg.failure()); // the liveness probe's answer turns with it
    if (msg.failure() != null) {
      getContext().getLog().error("routing pipeline failed", msg.failure());
      finished.completeExceptionally(msg.failure());
    } else {
      getContext().getLog().info("routing pipeline drained and stopped");
      finished.complete(Done.getInstance());
    }
    return this; // writers stay up so their final state can be read
  }
}
