package io.tributary.debounce;

import io.tributary.settings.DebounceSettings;
import io.tributary.watch.ObjectKey;
import io.tributary.plan.PipelineListener;
import io.tributary.watch.WatchEvent;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongFunction;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.TimerGraphStageLogic;

/**
 * Per-object trailing debounce: an object's latest state is emitted once the object has been
 * quiet for {@code quiet}, and no later than {@code maxDelay} after its first pending change, so a
 * burst costs one write and a flapping object is still written regularly.
 *
 * <p>Time comes from the materializer's scheduler (timers, not clock reads), which the simulator
 * and tests replace with a virtual one. The stage always pulls: it is itself a coalescing buffer
 * bounded by the number of objects. A SYNCED marker first flushes every pending object of its
 * cluster, so the marker never overtakes the initial list it closes. A RECONFIGURED marker passes
 * at once and switches the windows of changes that arrive after it (open windows keep their
 * deadlines). On completion everything pending is flushed (graceful drain).
 */
public final class DebounceStage extends GraphStage<FlowShape<WatchEvent, WatchEvent>> {

  private final Inlet<WatchEvent> in = Inlet.create("Debounce.in");
  private final Outlet<WatchEvent> out = Outlet.create("Debounce.out");
  private final FlowShape<WatchEvent, WatchEvent> shape = FlowShape.of(in, out);
  private final DebounceSettings initial;
  private final LongFunction<DebounceSettings> versions;
  private final PipelineListener listener;

  /**
   * @param versions the debounce settings of each configuration version a RECONFIGURED marker names
   */
  public DebounceStage(DebounceSettings initial, LongFunction<DebounceSettings> versions, PipelineListener listener) {
    this.initial = initial;
    this.versions = versions;
    this.listener = listener;
  }

  /** The stage as a flow, with settings that never change. */
  public static Flow<WatchEvent, WatchEvent, NotUsed> flow(DebounceSettings settings, PipelineListener listener) {
    return flow(settings, v -> settings, listener);
  }

  /** The stage as a flow, switching settings at each RECONFIGURED marker. */
  public static Flow<WatchEvent, WatchEvent, NotUsed> flow(
      DebounceSettings initial, LongFunction<DebounceSettings> versions, PipelineListener listener) {
    return Flow.fromGraph(new DebounceStage(initial, versions, listener));
  }

  @Override
  public FlowShape<WatchEvent, WatchEvent> shape() {
    return shape;
  }

  private record QuietTimer(ObjectKey key) {}

  private record MaxDelayTimer(ObjectKey key) {}

  @Override
  public GraphStageLogic createLogic(Attributes inheritedAttributes) {
    return new TimerGraphStageLogic(shape) {
      // objects whose quiet window is open, in order of first change
      private final Map<ObjectKey, WatchEvent> pending = new LinkedHashMap<>();
      // objects (and markers) due for emission, waiting for downstream demand
      private final Map<ObjectKey, WatchEvent> ready = new LinkedHashMap<>();
      private Duration quiet = initial.quiet();
      private Duration maxDelay = initial.maxDelay();

      {
        setHandler(
            in,
            new AbstractInHandler() {
              @Override
              public void onPush() {
                onEvent(grab(in));
                pull(in);
              }

              @Override
              public void onUpstreamFinish() {
                pending.keySet().forEach(k -> cancelTimers(k));
                ready.putAll(pending);
                pending.clear();
                emitReady();
              }
            });
        setHandler(
            out,
            new AbstractOutHandler() {
              @Override
              public void onPull() {
                emitReady();
              }
            });
      }

      @Override
      public void preStart() {
        pull(in);
      }

      private void onEvent(WatchEvent event) {
        if (event.isReconfigured()) {
          DebounceSettings next = versions.apply(event.configVersion());
          quiet = next.quiet();
          maxDelay = next.maxDelay();
          ready.put(event.key(), event);
          emitReady();
          return;
        }
        if (event.isSynced()) {
          flushCluster(event.key().cluster());
          ready.put(event.key(), event);
          emitReady();
          return;
        }
        ObjectKey key = event.key();
        if (ready.containsKey(key)) {
          // already due; emit the newest state when demand comes
          ready.put(key, event);
          listener.coalescedInDebounce(key);
          return;
        }
        if (pending.put(key, event) == null) {
          scheduleOnce(new MaxDelayTimer(key), maxDelay);
        } else {
          listener.coalescedInDebounce(key);
        }
        scheduleOnce(new QuietTimer(key), quiet); // replaces the previous quiet timer of this key
      }

      @Override
      public void onTimer(Object timerKey) {
        ObjectKey key =
            timerKey instanceof QuietTimer q ? q.key() : ((MaxDelayTimer) timerKey).key();
        cancelTimers(key);
        WatchEvent event = pending.remove(key);
        if (event != null) {
          ready.put(key, event);
          emitReady();
        }
      }

      private void flushCluster(String cluster) {
        Iterator<Map.Entry<ObjectKey, WatchEvent>> it = pending.entrySet().iterator();
        while (it.hasNext()) {
          var e = it.next();
          if (e.getKey().cluster().equals(cluster)) {
            cancelTimers(e.getKey());
            ready.put(e.getKey(), e.getValue());
            it.remove();
          }
        }
      }

      private void cancelTimers(ObjectKey key) {
        cancelTimer(new QuietTimer(key));
        cancelTimer(new MaxDelayTimer(key));
      }

      private void emitReady() {
        if (isAvailable(out) && !ready.isEmpty()) {
          Iterator<Map.Entry<ObjectKey, WatchEvent>> it = ready.entrySet().iterator();
          WatchEvent next = it.next().getValue();
          it.remove();
          if (!next.isSynced() && !next.isReconfigured()) {
            listener.debounced(next);
          }
          push(out, next);
        }
        if (ready.isEmpty() && pending.isEmpty() && isClosed(in)) {
          completeStage();
        }
      }
    };
  }
}
