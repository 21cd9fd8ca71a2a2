package io.tributary.service;

import io.tributary.debounce.DebounceStage;
import io.tributary.target.ChangeSet;
import io.tributary.plan.LastAccepted;
import io.tributary.plan.RoutingState;
import io.tributary.target.Target;
import io.tributary.translate.TranslatedEvent;
import io.tributary.settings.ConfigVersions;
import io.tributary.settings.TributarySettings;
import io.tributary.translate.Translator;
import io.tributary.plan.PipelineListener;
import io.tributary.watch.WatchBuffer;
import io.tributary.watch.WatchBufferSource;
import io.tributary.watch.WatchEvent;
import io.tributary.writer.WriterFlow;
import io.tributary.writer.WriterProtocol;
import java.util.Map;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The one place the routing pipeline is composed: watch → debounce → translate → diff → write.
 * The live service and the simulator both run exactly this graph; only the buffer's feeder, the
 * writers and the scheduler differ.
 */
public final class RoutingPipeline {
  private RoutingPipeline() {}

  /**
   * The pipeline from {@code buffer} to {@code writers}, as a source of the writers' acks; it
   * completes when the buffer is completed and drained. The caller chooses the sink, so it can
   * observe completion from inside the stream (deterministic under virtual time). Each stage
   * starts with version 0 of {@code versions} and switches where a RECONFIGURED marker names
   * another, so a reload applies at one point of the stream, in order, in the service as in the
   * simulator. The diff stage starts from {@code lastAccepted}, the routes a previous run had in
   * force ({@code tributary.last-accepted}; {@link LastAccepted#NONE} in the simulator). Every
   * change set passes {@code beforeWrite} on its way to its writer (null: none):
   * the edge mode's central service counts them there, to know when every change planned so far
   * has been acknowledged.
   */
  public static Source<WriterProtocol.Ack, NotUsed> create(
      WatchBuffer buffer,
      ConfigVersions versions,
      java.util.function.Function<Target, ActorRef<WriterProtocol.Command>> writers,
      Scheduler scheduler,
      java.util.concurrent.Executor executor,
      PipelineListener listener,
      LastAccepted lastAccepted,
      Flow<ChangeSet, ChangeSet, NotUsed> beforeWrite) {
    TributarySettings initial = versions.get(0);

    Source<WatchEvent, NotUsed> watch = WatchBufferSource.of(buffer);

    Flow<WatchEvent, WatchEvent, NotUsed> debounce =
        DebounceStage.flow(initial.debounce(), v -> versions.get(v).debounce(), listener);

    Flow<WatchEvent, TranslatedEvent, NotUsed> translate =
        Flow.of(WatchEvent.class)
            .statefulMapConcat(
                () -> {
                  TributarySettings[] current = {initial};
                  return event -> {
                    if (event.isReconfigured()) {
                      current[0] = versions.get(event.configVersion());
                    }
                    return java.util.List.of(Translator.translated(event, current[0]));
                  };
                });

    Flow<TranslatedEvent, ChangeSet, NotUsed> diff =
        Flow.of(TranslatedEvent.class)
            .statefulMapConcat(
                () -> {
                  RoutingState state = new RoutingState(initial, listener, lastAccepted);
                  return t -> {
                    listener.planning(t.event()); // the change sets planned next are this event's
                    return t.event().isReconfigured()
                        ? state.reconfigure(versions.get(t.event().configVersion()), versions.rewired(t.event().configVersion()))
                        : state.apply(t);
                  };
                });

    Flow<ChangeSet, WriterProtocol.Ack, NotUsed> write =
        WriterFlow.ask(writers, initial.writer().askTimeout(), scheduler, executor);

    Source<ChangeSet, NotUsed> planned = watch.via(debounce).via(translate).via(diff);
    return (beforeWrite == null ? planned : planned.via(beforeWrite)).via(write);
  }
}
