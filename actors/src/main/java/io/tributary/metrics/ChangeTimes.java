package io.tributary.metrics;

import io.tributary.target.Change;
import io.tributary.target.ChangeSet;
import io.tributary.target.Target;
import io.tributary.target.TargetRecord;
import io.tributary.watch.ObjectKey;
import io.tributary.watch.WatchEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When the changes on their way to the targets were received, so that the end-to-end lag (a
 * watcher hands an event to the watch buffer → the target acknowledges the write carrying it) and
 * the time spent in debounce can be measured, with no timestamp travelling in the stream's data.
 *
 * <p>Per object it follows the earliest receipt not yet passed on: offered to the buffer, taken by
 * the stream, emitted by debounce, planned by the diff stage. Events coalesced on the way count
 * from the first of them. Planning hands that receipt to every record the event changes; per
 * record it keeps the changes planned and not yet written (oldest first, with the value each one
 * wants). A write of value {@code v} carries every planned change up to the last one wanting
 * {@code v}: it yields one lag sample, from the first of those changes, and the later ones wait for
 * their own write. A record found already holding its value ({@link #alreadyHeld}) drops what it
 * carries without a sample, and so does a refusal.
 *
 * <p>Both ends read the same {@link Clock} (virtual time in the simulator). Thread-safe: watchers
 * offer on their threads, the stream takes and plans on its own, writers write on theirs.
 */
public final class ChangeTimes {
  /** Unwritten changes kept per record; past it the middle ones go (the first one sets the sample). */
  private static final int MAX_UNWRITTEN = 16;

  private record RecordKey(Target target, String key) {}

  /** A planned change not yet written: when its event was received (null: unknown), whose, what it wants. */
  private record Unwritten(Instant received, ObjectKey object, TargetRecord value) {}

  /** One lag sample: from the receipt of {@code object}'s event to the acknowledgement of its write. */
  public record Lag(Duration lag, ObjectKey object) {}

  private final Clock clock;
  // per object, the earliest receipt of what waits in the watch buffer
  private final Map<ObjectKey, Instant> buffered = new ConcurrentHashMap<>();
  // per object, the earliest receipt of what debounce holds (markers: until planned)
  private final Map<ObjectKey, Instant> debouncing = new ConcurrentHashMap<>();
  // per object, when the first state debounce holds entered it
  private final Map<ObjectKey, Instant> enteredDebounce = new ConcurrentHashMap<>();
  // per object, the receipt of the state debounce emitted, until the diff stage plans it
  private final Map<ObjectKey, Instant> emitted = new ConcurrentHashMap<>();
  private final Map<RecordKey, List<Unwritten>> unwritten = new ConcurrentHashMap<>();
  // the receipt of the event being planned; written and read by the diff stage only
  private volatile Instant planning;
  // the object whose event is being planned (null for a marker); as planning
  private volatile ObjectKey planningObject;

  /** Times read from {@code clock}. */
  public ChangeTimes(Clock clock) {
    this.clock = clock;
  }

  /** Markers pass debounce without waiting in it: it never reports them as debounced. */
  private static boolean marker(WatchEvent event) {
    return event.isSynced() || event.isReconfigured();
  }

  /** A watcher handed {@code event} to the watch buffer now. */
  public void offered(WatchEvent event) {
    buffered.putIfAbsent(event.key(), clock.instant());
  }

  /** The stream took {@code event} (the object's merged pending state) from the buffer into debounce. */
  public void taken(WatchEvent event) {
    Instant received = buffered.remove(event.key());
    if (received != null) {
      debouncing.merge(event.key(), received, ChangeTimes::earliest);
    }
    if (!marker(event)) {
      enteredDebounce.putIfAbsent(event.key(), clock.instant());
    }
  }

  /** Debounce emitted {@code event}; answers how long the object spent there (null if unknown). */
  public Duration debounced(WatchEvent event) {
    Instant received = debouncing.remove(event.key());
    if (received != null) {
      emitted.merge(event.key(), received, ChangeTimes::earliest);
    }
    Instant entered = enteredDebounce.remove(event.key());
    return entered == null ? null : since(entered);
  }

  /** The diff stage plans {@code event} now: the change sets {@link #planned} next are its. */
  public void planning(WatchEvent event) {
    planning = marker(event) ? debouncing.remove(event.key()) : emitted.remove(event.key());
    planningObject = marker(event) ? null : event.key();
  }

  /** {@code changes} go to their writer; each counts from the receipt of the event being planned. */
  public void planned(ChangeSet changes) {
    Instant received = planning;
    ObjectKey object = planningObject;
    for (Change c : changes.changes()) {
      unwritten.compute(new RecordKey(changes.target(), c.key()), (k, list) -> {
        List<Unwritten> l = list == null ? new ArrayList<>() : list;
        if (l.size() >= MAX_UNWRITTEN) {
          l.remove(1);
        }
        l.add(new Unwritten(received, object, c.value()));
        return l;
      });
    }
  }

  /**
   * {@code target} acknowledged {@code change}: the lag of the first unwritten change it carries,
   * or null when it carries none whose receipt is known (an anti-entropy repair, a stale record).
   */
  public Duration written(Target target, Change change) {
    Lag lag = lagOf(target, change);
    return lag == null ? null : lag.lag();
  }

  /**
   * As {@link #written}, with the object whose event the sample counts from (null when a marker
   * planned it): the simulator tells flapping objects from quiet ones.
   */
  public Lag lagOf(Target target, Change change) {
    Unwritten first = settle(target, change.key(), change.value());
    return first == null || first.received() == null ? null : new Lag(since(first.received()), first.object());
  }

  /** {@code key} needed no write, {@code target} already holding {@code value}: no lag to measure. */
  public void alreadyHeld(Target target, String key, TargetRecord value) {
    settle(target, key, value);
  }

  /** A change of {@code key} was refused: nothing planned for it is written until it changes again. */
  public void refused(Target target, String key) {
    unwritten.remove(new RecordKey(target, key));
  }

  /**
   * Drops the changes of {@code key} that {@code value} now in the target settles (up to the last
   * one wanting it) and answers the first of them, or null.
   */
  private Unwritten settle(Target target, String key, TargetRecord value) {
    Unwritten[] first = {null};
    unwritten.computeIfPresent(new RecordKey(target, key), (k, l) -> {
      int last = -1;
      for (int i = l.size() - 1; i >= 0 && last < 0; i--) {
        if (Objects.equals(l.get(i).value(), value)) {
          last = i;
        }
      }
      if (last < 0) {
        return l; // not a value that was planned: later changes still wait for theirs
      }
      first[0] = l.get(0);
      l.subList(0, last + 1).clear();
      return l.isEmpty() ? null : l;
    });
    return first[0];
  }

  private Duration since(Instant from) {
    Duration d = Duration.between(from, clock.instant());
    return d.isNegative() ? Duration.ZERO : d;
  }

  private static Instant earliest(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
