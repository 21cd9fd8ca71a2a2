package io.tributary.debounce;

import io.tributary.settings.DampingSettings;
import io.tributary.settings.DebounceSettings;
import io.tributary.time.SchedulerTime;
import io.tributary.watch.ObjectKey;
import io.tributary.plan.PipelineListener;
import io.tributary.watch.WatchEvent;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;
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
 * Per-object trailing debounce with flap damping: an object's latest state is emitted once the
 * object has been quiet for {@code quiet}, and no later than {@code maxDelay} after its first
 * pending change, so a burst costs one write and an object that keeps changing is still written
 * regularly.
 *
 * <p><b>Flap damping</b> (RFC 2439, as routers damp flapping routes; {@link DampingSettings}):
 * an object that changes slower than the quiet window would cost a write per change, however
 * often it flips back and forth. So each change that opens a window (one that would cost a write)
 * adds a penalty to the object, and the penalty halves every half-life. Changes coalesced into an
 * open window add nothing: debounce already makes them free, and a burst is not a flap. Once the
 * penalty exceeds {@code suppress} the object is <em>damped</em>: its changes are held, not
 * emitted (each held change still adds penalty when it would have cost a write), until the
 * penalty has decayed to {@code reuse} or, at the latest, {@code maxHold} after it was damped;
 * then its latest state — a delete, if it ended deleted — is emitted once (the diff drops it if
 * it changes nothing). The penalty is capped where it decays to {@code reuse} in {@code maxHold}.
 * One change adds {@code penalty} ≤ {@code suppress}, so an object that changes once, or seldom
 * enough for its penalty to decay in between, is never damped and is emitted exactly one quiet
 * window after its change, as without damping.
 *
 * <p>Time comes from the materializer's scheduler: timers, and for the penalty arithmetic its
 * clock ({@link SchedulerTime}), which the simulator and tests replace with a virtual one, so
 * damping is deterministic in a replay. The stage always pulls: it is itself a coalescing buffer
 * bounded by the number of objects. A SYNCED marker first flushes every pending and every damped
 * object of its cluster, so the marker never overtakes the initial list it closes: the list the
 * diff completes at SYNCED must hold every object (a damped object keeps its penalty and is damped
 * again at its next flap). A RECONFIGURED marker passes at once and switches the windows and the
 * damping of changes that arrive after it (open windows and holds keep their deadlines; damping
 * turned off releases every damped object at once, behind the marker). On completion everything
 * pending or damped is flushed (graceful drain).
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

  private record ReleaseTimer(ObjectKey key) {}

  /** An object's flap penalty (one per object that changed lately: kept small) and, while it is damped, its hold. */
  private static final class Penalty {
    double value; // as of updatedNanos
    long updatedNanos;
    Hold hold; // null unless damped
  }

  /** A damped object's hold. */
  private static final class Hold {
    long dampedAtNanos;
    long untilNanos; // max-hold after it was damped
    long lastChangeNanos; // the last change held
    long lastCountedNanos; // the last held change that added penalty
    int held; // changes held since it was damped
  }

  // below this share of one change's penalty an object's penalty is forgotten
  private static final double FORGET = 1e-3;

  @Override
  public GraphStageLogic createLogic(Attributes inheritedAttributes) {
    return new TimerGraphStageLogic(shape) {
      // objects whose quiet window is open, in order of first change
      private final Map<ObjectKey, WatchEvent> pending = new LinkedHashMap<>();
      // objects (and markers) due for emission, waiting for downstream demand
      private final Map<ObjectKey, WatchEvent> ready = new LinkedHashMap<>();
      // damped objects' latest states, in order of damping
      private final Map<ObjectKey, WatchEvent> damped = new LinkedHashMap<>();
      // objects with a penalty worth remembering
      private final Map<ObjectKey, Penalty> penalties = new HashMap<>();
      private int sweepAt = 1024;
      private Duration quiet = initial.quiet();
      private Duration maxDelay = initial.maxDelay();
      private DampingSettings damping = initial.damping();
      private double ceiling = initial.damping().ceiling();
      private LongSupplier nanoTime;

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
                releaseAll();
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
        nanoTime = SchedulerTime.nanoTime(materializer());
        pull(in);
      }

      private void onEvent(WatchEvent event) {
        if (event.isReconfigured()) {
          DebounceSettings next = versions.apply(event.configVersion());
          quiet = next.quiet();
          maxDelay = next.maxDelay();
          damping = next.damping();
          ceiling = damping.ceiling();
          ready.put(event.key(), event);
          if (!damping.enabled()) {
            releaseAll();
            penalties.clear();
          }
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
        if (damped.containsKey(key)) {
          hold(key, event);
          return;
        }
        if (ready.containsKey(key)) {
          // already due; emit the newest state when demand comes
          ready.put(key, event);
          listener.coalescedInDebounce(key);
          return;
        }
        boolean opens = !pending.containsKey(key);
        if (opens && damping.enabled()) {
          long now = nanoTime.getAsLong();
          Penalty p = penalize(key, now);
          if (p.value > damping.suppress()) {
            damp(key, event, p, now);
            return;
          }
        }
        if (opens) {
          pending.put(key, event);
          scheduleOnce(new MaxDelayTimer(key), maxDelay);
        } else {
          pending.put(key, event);
          listener.coalescedInDebounce(key);
        }
        scheduleOnce(new QuietTimer(key), quiet); // replaces the previous quiet timer of this key
      }

      /** Adds one change's penalty to what is left of the object's earlier ones. */
      private Penalty penalize(ObjectKey key, long now) {
        Penalty p = penalties.get(key);
        if (p == null) {
          sweep(now);
          p = new Penalty();
          p.updatedNanos = now;
          penalties.put(key, p);
        }
        p.value = Math.min(decayed(p, now) + damping.penalty(), ceiling);
        p.updatedNanos = now;
        return p;
      }

      private double decayed(Penalty p, long now) {
        double halfLives = (double) (now - p.updatedNanos) / damping.halfLife().toNanos();
        return halfLives <= 0 ? p.value : p.value * StrictMath.pow(2, -halfLives);
      }

      /** Forgets penalties decayed to nothing, once the map has doubled since the last sweep. */
      private void sweep(long now) {
        if (penalties.size() < sweepAt) {
          return;
        }
        double forget = FORGET * damping.penalty();
        penalties.values().removeIf(p -> p.hold == null && decayed(p, now) < forget);
        sweepAt = Math.max(1024, 2 * penalties.size());
      }

      private void damp(ObjectKey key, WatchEvent event, Penalty p, long now) {
        damped.put(key, event);
        Hold h = new Hold();
        h.dampedAtNanos = now;
        h.untilNanos = now + damping.maxHold().toNanos();
        h.lastChangeNanos = now;
        h.lastCountedNanos = now;
        h.held = 1;
        p.hold = h;
        listener.damped(key);
        listener.heldByDamping(key);
        scheduleRelease(key, p, now);
      }

      /** A change of a damped object: held; it adds penalty if it would have cost a write. */
      private void hold(ObjectKey key, WatchEvent event) {
        long now = nanoTime.getAsLong();
        Penalty p = penalties.get(key);
        Hold h = p.hold;
        damped.put(key, event);
        h.held++;
        listener.coalescedInDebounce(key); // it supersedes the state held before
        listener.heldByDamping(key);
        if (now - h.lastChangeNanos >= quiet.toNanos() || now - h.lastCountedNanos >= maxDelay.toNanos()) {
          p.value = Math.min(decayed(p, now) + damping.penalty(), ceiling);
          p.updatedNanos = now;
          h.lastCountedNanos = now;
          scheduleRelease(key, p, now);
        }
        h.lastChangeNanos = now;
      }

      /** Releases {@code key} when its penalty has decayed to reuse, or at its max-hold. */
      private void scheduleRelease(ObjectKey key, Penalty p, long now) {
        double ratio = p.value / damping.reuse();
        long untilReuse = ratio <= 1 ? 0
            : (long) Math.ceil(damping.halfLife().toNanos() * (StrictMath.log(ratio) / StrictMath.log(2)));
        long at = Math.min(now + untilReuse, p.hold.untilNanos);
        scheduleOnce(new ReleaseTimer(key), Duration.ofNanos(Math.max(0, at - now)));
      }

      /** Ends {@code key}'s hold: its latest state is due now. */
      private void release(ObjectKey key) {
        WatchEvent latest = damped.remove(key);
        if (latest == null) {
          return;
        }
        cancelTimer(new ReleaseTimer(key));
        Penalty p = penalties.get(key);
        Hold h = p.hold;
        p.hold = null;
        listener.released(key, h.held, Duration.ofNanos(Math.max(0, nanoTime.getAsLong() - h.dampedAtNanos)));
        ready.put(key, latest);
      }

      private void releaseAll() {
        for (ObjectKey key : damped.keySet().toArray(new ObjectKey[0])) {
          release(key);
        }
      }

      @Override
      public void onTimer(Object timerKey) {
        if (timerKey instanceof ReleaseTimer r) {
          release(r.key());
          emitReady();
          return;
        }
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
        for (ObjectKey key : damped.keySet().toArray(new ObjectKey[0])) {
          if (key.cluster().equals(cluster)) {
            release(key);
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
        if (ready.isEmpty() && pending.isEmpty() && damped.isEmpty() && isClosed(in)) {
          completeStage();
        }
      }
    };
  }
}
