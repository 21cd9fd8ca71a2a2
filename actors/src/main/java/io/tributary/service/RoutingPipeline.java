package io.tributary.service;

import io.tributary.debounce.DebounceStage;
import io.tributary.target.ChangeSet;
import io.tributary.plan.RoutingState;
import io.tributary.target.Target;
import io.tributary.translate.TranslatedEvent;
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
   * observe completion from inside the stream (deterministic under virtual time).
   */
  public static Source<WriterProtocol.Ack, NotUsed> create(
      WatchBuffer buffer,
      TributarySettings settings,
      Map<Target, ActorRef<WriterProtocol.Command>> writers,
      Scheduler scheduler,
      java.util.concurrent.Executor executor,
      PipelineListener listener) {

    Source<WatchEvent, NotUsed> watch = WatchBufferSource.of(buffer);

    Flow<WatchEvent, WatchEvent, NotUsed> debounce = DebounceStage.flow(settings.debounce(), listener);

    Flow<WatchEvent, TranslatedEvent, NotUsed> translate =
        Flow.of(WatchEvent.class).map(event -> Translator.translated(event, settings));

    Flow<TranslatedEvent, ChangeSet, NotUsed> diff =
        Flow.of(TranslatedEvent.class)
            .statefulMapConcat(
                () -> {
                  RoutingState state = new RoutingState(settings, listener);
                  return state::apply;
                });

    Flow<ChangeSet, WriterProtocol.Ack, NotUsed> write =
        WriterFlow.ask(writers, settings.writer().askTimeout(), scheduler, executor);

    return watch.via(debounce).via(translate).via(diff).via(write);
  }
}
