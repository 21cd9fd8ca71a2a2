package io.tributary.watch;

import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.SourceShape;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;

/** The stream's head: emits what a {@link WatchBuffer} holds, only when downstream pulls. */
public final class WatchBufferSource extends GraphStage<SourceShape<WatchEvent>> {

  private final Outlet<WatchEvent> out = Outlet.create("WatchBufferSource.out");
  private final SourceShape<WatchEvent> shape = SourceShape.of(out);
  private final WatchBuffer buffer;

  private WatchBufferSource(WatchBuffer buffer) {
    this.buffer = buffer;
  }

  /** A source draining {@code buffer}; it can be materialized once. */
  public static Source<WatchEvent, NotUsed> of(WatchBuffer buffer) {
    return Source.fromGraph(new WatchBufferSource(buffer));
  }

  @Override
  public SourceShape<WatchEvent> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes inheritedAttributes) {
    return new GraphStageLogic(shape) {
      private AsyncCallback<Object> available;

      {
        setHandler(
            out,
            new AbstractOutHandler() {
              @Override
              public void onPull() {
                tryEmit();
              }
            });
      }

      @Override
      public void preStart() {
        available = createAsyncCallback(ignored -> tryEmit());
        buffer.onAvailable(() -> available.invoke(Boolean.TRUE));
        tryEmit(); // events offered before materialization
      }

      private void tryEmit() {
        if (!isAvailable(out)) {
          return;
        }
        WatchEvent next = buffer.poll();
        if (next != null) {
          push(out, next);
        } else if (buffer.isDrained()) {
          completeStage();
        }
      }
    };
  }
}
