package io.tributary.writer;

import io.tributary.target.Change;
import io.tributary.target.ChangePolicy;
import io.tributary.target.Diff;
import io.tributary.target.Op;
import io.tributary.target.Target;
import io.tributary.target.TargetRecord;
import io.tributary.settings.WriterSettings;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.slf4j.event.Level;

/**
 * The writer of one real target instance (a Consul datacenter, a DNS zone), independent of how the
 * target is spoken to ({@link TargetClient}).
 *
 * <p>It keeps what the stream wants per record ({@code desired}) and what the target holds
 * ({@code actual}: read at start and every anti-entropy interval, then kept up to date from its own
 * writes), and writes only the difference. Changes coalesce per record while a write is in flight
 * or the target is down, so an outage delays writes, never drops them, and after recovery only the
 * latest state of each record is written. Batches are accepted (acked) as soon as they are merged;
 * only when {@code max-pending} records are outstanding does the writer hold its ack, which
 * backpressures the stream.
 *
 * <p>Records the target holds under this owner that the stream never mentioned are left alone until
 * the stream's {@link io.tributary.target.ChangeSet#complete} marker (every cluster synced): a restart
 * therefore neither deletes nor rewrites anything that is still wanted. For targets whose records
 * merge clusters ({@link WritePolicy#recordsMergeClusters}, DNS), a record group the target holds
 * (a DNS name: any of its record sets) is not changed before that marker either. A group's changes
 * are always written in one batch.
 *
 * <p>The target's {@link ChangePolicy} holds for the writer's own findings too: what an upsert-only
 * target holds under this owner and nobody wants (a route deleted while the service was down) is
 * never deleted, and a create-only target's records are never changed back when found changed.
 * Such differences are reported once each, and are not pending.
 *
 * <p>All I/O happens in a {@link TargetSession} child, restarted with backoff on failure: fast
 * exponential backoff for outages, a slow one for configuration errors that only an operator can fix.
 */
public final class ReconcilingWriter extends AbstractBehavior<WriterProtocol.Message> {

  /** The writer's own messages, from its session and its timers; never part of the protocol. */
  sealed interface Internal extends WriterProtocol.Message permits SessionReport, LingerElapsed, AntiEntropyDue {}

  /** What the session tells its writer: the only messages the session's reference to it allows. */
  sealed interface SessionReport extends Internal permits SessionReady, ReadDone, WriteDone, SessionFailed {}

  /** A (re)started session is idle and waiting for work. */
  record SessionReady(ActorRef<TargetSession.Command> session) implements SessionReport {}

  /** The records this owner holds in the target, as just read. */
  record ReadDone(Map<String, TargetRecord> owned) implements SessionReport {}

  /** A batch was written; {@code outcome} names keys a foreign record holds. */
  record WriteDone(List<Change> changes, TargetClient.WriteOutcome outcome) implements SessionReport {}

  /** The session's call failed; it is being restarted with backoff. */
  record SessionFailed(String reason, boolean configuration) implements SessionReport {}

  private enum LingerElapsed implements Internal { INSTANCE }

  private enum AntiEntropyDue implements Internal { INSTANCE }

  private static final Object LINGER = "linger";
  private static final Object ANTI_ENTROPY = "anti-entropy";

  private final Target target;
  private final TargetClient client;
  private final WriterSettings settings;
  private final WriteObserver observer;
  private final Clock clock;
  private final TimerScheduler<WriterProtocol.Message> timers;
  private final Diff.Order order;
  private final WritePolicy writePolicy;
  private final ChangePolicy changePolicy;

  /** What the stream wants: a record, or null for "delete" (kept until the delete is written). */
  private final Map<String, TargetRecord> desired = new HashMap<>();
  /** What the target holds under this owner, as far as this writer knows. */
  private final Map<String, TargetRecord> actual = new HashMap<>();
  /** Keys whose desired and actual state may differ: the work still to do. */
  private final TreeSet<String> dirty = new TreeSet<>();
  /** Keys held back until the desired state is complete (see {@link WritePolicy#recordsMergeClusters}). */
  private final TreeSet<String> held = new TreeSet<>();
  /**
   * Keys whose difference the change policy withholds, with the op it would take: not pending,
   * looked at again with a new desired state or at the next reread, and reported only when new.
   */
  private final Map<String, Op> withheld = new TreeMap<>();
  /** Keys a foreign record holds: reported, retried only after a new desired state or a reread. */
  private final Map<String, String> conflicts = new TreeMap<>();
  private final List<HeldAck> heldAcks = new ArrayList<>();

  private ActorRef<TargetSession.Command> session;
  private List<Change> inFlight;
  private boolean reading;
  private boolean actualKnown;
  private boolean readDue = true;
  private boolean complete;
  private boolean lingering;
  private String lastStream = "";
  private long lastSequence = -1;
  private String lastFailure;
  private int failuresSinceSuccess;
  private int reportedPending = -1;
  private boolean reconciled;

  private record HeldAck(ActorRef<WriterProtocol.Ack> replyTo, int changes) {}

  /**
   * A writer for {@code target}, whose records are as {@code writePolicy} says, through {@code
   * client}, taking every change.
   */
  public static Behavior<WriterProtocol.Command> create(
      Target target, WritePolicy writePolicy, TargetClient client, WriterSettings settings, WriteObserver observer, Clock clock) {
    return create(target, writePolicy, ChangePolicy.SYNC, client, settings, observer, clock);
  }

  /**
   * A writer for {@code target}, whose records are as {@code writePolicy} says, through {@code
   * client}, making only the changes {@code changePolicy} lets through.
   */
  public static Behavior<WriterProtocol.Command> create(
      Target target, WritePolicy writePolicy, ChangePolicy changePolicy, TargetClient client, WriterSettings settings,
      WriteObserver observer, Clock clock) {
    return Behaviors.<WriterProtocol.Message>setup(ctx -> Behaviors.withTimers(
            timers -> new ReconcilingWriter(ctx, timers, target, writePolicy, changePolicy, client, settings, observer, clock)))
        .narrow();
  }

  private ReconcilingWriter(
      ActorContext<WriterProtocol.Message> context,
      TimerScheduler<WriterProtocol.Message> timers,
      Target target,
      WritePolicy writePolicy,
      ChangePolicy changePolicy,
      TargetClient client,
      WriterSettings settings,
      WriteObserver observer,
      Clock clock) {
    super(context);
    this.timers = timers;
    this.target = target;
    this.client = client;
    this.settings = settings;
    this.observer = observer;
    this.clock = clock;
    this.order = Diff.orderFor(target);
    this.writePolicy = writePolicy;
    this.changePolicy = changePolicy;
    // configuration errors are handled by the inner supervisor (slow), everything else by the outer
    Behavior<TargetSession.Command> supervised =
        Behaviors.supervise(
                Behaviors.supervise(TargetSession.create(client, context.getSelf().narrow()))
                    .onFailure(
                        TargetConfigurationException.class,
                        SupervisorStrategy.restartWithBackoff(
                                settings.configMinBackoff(), settings.configMaxBackoff(), settings.randomFactor())
                            .withResetBackoffAfter(settings.configMaxBackoff().multipliedBy(2))
                            .withLoggingEnabled(false)))
            .onFailure(
                Exception.class,
                SupervisorStrategy.restartWithBackoff(settings.minBackoff(), settings.maxBackoff(), settings.randomFactor())
                    .withResetBackoffAfter(settings.maxBackoff().multipliedBy(2))
                    .withLoggingEnabled(false));
    context.spawn(supervised, "session");
    timers.startTimerWithFixedDelay(ANTI_ENTROPY, AntiEntropyDue.INSTANCE, settings.antiEntropyInterval());
  }

  @Override
  public Receive<WriterProtocol.Message> createReceive() {
    return newReceiveBuilder()
        .onMessage(WriterProtocol.Apply.class, this::onApply)
        .onMessage(WriterProtocol.GetState.class, this::onGetState)
        .onMessage(SessionReady.class, this::onSessionReady)
        .onMessage(ReadDone.class, this::onReadDone)
        .onMessage(WriteDone.class, this::onWriteDone)
        .onMessage(SessionFailed.class, this::onSessionFailed)
        .onMessage(LingerElapsed.class, this::onLingerElapsed)
        .onMessage(AntiEntropyDue.class, this::onAntiEntropyDue)
        .onSignal(PostStop.class, this::onPostStop)
        .build();
  }

  /** The writer is gone for good: its client's connections (an etcd channel, say) go with it. */
  private Behavior<WriterProtocol.Message> onPostStop(PostStop stopped) {
    client.close();
    return this;
  }

  private Behavior<WriterProtocol.Message> onApply(WriterProtocol.Apply apply) {
    if (apply.isRepeatOf(lastStream, lastSequence)) {
      ack(apply); // merged already; the stream only missed our answer
      return this;
    }
    lastStream = apply.stream();
    lastSequence = apply.sequence();
    for (Change c : apply.batch().changes()) {
      desired.put(c.key(), c.value());
      conflicts.remove(c.key()); // a new desired state deserves a new attempt
      dirty.add(c.key());
    }
    if (apply.batch().complete() && !complete) {
      complete = true;
      dirty.addAll(held);
      held.clear();
      if (actualKnown) {
        markStale();
      }
    }
    ack(apply);
    dispatch();
    return this;
  }

  private Behavior<WriterProtocol.Message> onGetState(WriterProtocol.GetState get) {
    get.replyTo().tell(new WriterProtocol.State(target, new TreeMap<>(actual)));
    return this;
  }

  private Behavior<WriterProtocol.Message> onSessionReady(SessionReady ready) {
    // a session that announces itself while work was out has been restarted: that work failed
    // and its keys are outstanding again (the latest desired state, not the failed batch, is sent)
    if (inFlight != null) {
      inFlight.forEach(c -> dirty.add(c.key()));
      inFlight = null;
    }
    reading = false;
    session = ready.session();
    dispatch();
    return this;
  }

  private Behavior<WriterProtocol.Message> onReadDone(ReadDone read) {
    reading = false;
    recovered();
    boolean first = !actualKnown;
    actualKnown = true;
    readDue = false;
    actual.clear();
    actual.putAll(read.owned());
    conflicts.clear(); // the reread is the moment to try foreign-held keys again
    held.clear(); // every desired key is looked at again below
    dirty.addAll(desired.keySet());
    if (complete) {
      markStale();
    }
    int work = plan(Integer.MAX_VALUE).size();
    if (first) {
      getContext().getLog().info("{}: {} records owned in {}, {} changes to reconcile{}", target.id(), actual.size(), client.describe(),
          work, withheld.isEmpty() ? "" : " (" + withheld.size() + " more withheld by policy " + changePolicy.id() + ")");
    } else if (work > 0) {
      getContext().getLog().warn("{}: anti-entropy found {} records in {} differing from the desired state; repairing",
          target.id(), work, client.describe());
    }
    dispatch();
    return this;
  }

  private Behavior<WriterProtocol.Message> onWriteDone(WriteDone done) {
    inFlight = null;
    recovered();
    var now = clock.instant();
    for (Change c : done.changes()) {
      String reason = done.outcome().conflicts().get(c.key());
      if (reason != null) {
        conflicts.put(c.key(), reason);
        observer.refused(target, c.key(), reason);
        getContext().getLog().warn("{}: {} {} refused: {}", target.id(), c.op().id(), c.key(), reason);
        continue;
      }
      if (c.value() == null) {
        actual.remove(c.key());
        if (desired.containsKey(c.key()) && desired.get(c.key()) == null) {
          desired.remove(c.key()); // the delete is done; nothing to remember
        }
      } else {
        actual.put(c.key(), c.value());
      }
      observer.written(now, target, c);
    }
    releaseAcks();
    dispatch();
    return this;
  }

  private Behavior<WriterProtocol.Message> onSessionFailed(SessionFailed failed) {
    failuresSinceSuccess++;
    observer.failed(target, failed.configuration(), failed.reason());
    // report a new reason at once and a persisting one now and then: an outage must be visible
    // without writing a log line per retry
    if (!failed.reason().equals(lastFailure) || failuresSinceSuccess % 20 == 0) {
      getContext().getLog().atLevel(failed.configuration() ? Level.ERROR : Level.WARN).log(
          "{}: {} ({} failed attempts; {} changes pending, retrying {})",
          target.id(), failed.reason(), failuresSinceSuccess, outstanding(),
          failed.configuration() ? "slowly until the configuration is fixed" : "with backoff");
    }
    lastFailure = failed.reason();
    return this;
  }

  private Behavior<WriterProtocol.Message> onLingerElapsed(LingerElapsed elapsed) {
    lingering = false;
    if (session != null && inFlight == null && !reading && actualKnown && !dirty.isEmpty()) {
      write();
    }
    reportPending();
    return this;
  }

  private Behavior<WriterProtocol.Message> onAntiEntropyDue(AntiEntropyDue due) {
    readDue = true;
    dispatch();
    return this;
  }

  /** Gives the idle session the next piece of work, if any, and reports what is left. */
  private void dispatch() {
    giveWork();
    reportPending();
  }

  private void giveWork() {
    if (session == null || inFlight != null || reading) {
      return;
    }
    if (readDue) {
      reading = true;
      session.tell(new TargetSession.Read());
      return;
    }
    if (!actualKnown || dirty.isEmpty()) {
      return;
    }
    if (dirty.size() >= batchSize() || settings.linger().isZero()) {
      write();
    } else if (!lingering) {
      lingering = true;
      timers.startSingleTimer(LINGER, LingerElapsed.INSTANCE, settings.linger());
    }
  }

  private int batchSize() {
    return Math.min(settings.maxBatch(), client.maxBatch());
  }

  private void write() {
    List<Change> batch = plan(batchSize());
    // keys that turned out to need nothing leave the dirty set (the observer hears it: a change it
    // saw planned will not be written)
    var inBatch = new TreeSet<String>();
    batch.forEach(c -> inBatch.add(c.key()));
    for (var it = dirty.iterator(); it.hasNext(); ) {
      String k = it.next();
      if (!inBatch.contains(k) && !differs(k)) {
        it.remove();
        observer.alreadyHeld(target, k, desired.get(k));
      }
    }
    if (batch.isEmpty()) {
      releaseAcks();
      return;
    }
    batch.forEach(c -> dirty.remove(c.key()));
    inFlight = batch;
    timers.cancel(LINGER);
    lingering = false;
    session.tell(new TargetSession.Write(batch));
  }

  /** The next changes to write, at most {@code max} and whole groups, in the target's order. */
  private List<Change> plan(int max) {
    Map<String, TargetRecord> want = new HashMap<>();
    var keys = new TreeSet<String>();
    var hold = new ArrayList<String>();
    Set<String> heldGroups = writePolicy.recordsMergeClusters() && !complete ? groupsOf(actual.values()) : Set.of();
    for (String k : dirty) {
      if (conflicts.containsKey(k) || !desired.containsKey(k)) {
        continue; // never touch what the stream has not spoken about
      }
      if (!heldGroups.isEmpty() && heldGroups.contains(groupOf(k))) {
        hold.add(k); // written once every cluster has listed
        continue;
      }
      keys.add(k);
      TargetRecord d = desired.get(k);
      if (d != null) {
        want.put(k, d);
      }
    }
    // held apart from the dirty set, so they neither fill a batch nor cut the linger short
    hold.forEach(dirty::remove);
    held.addAll(hold);
    List<Change> all = admitted(Diff.between(keys, actual, want, order), keys);
    return all.size() <= max ? all : Diff.batches(all, max).get(0);
  }

  /**
   * {@code changes} (the differences of the {@code considered} keys) less those the change policy
   * withholds, decided per group against what the target holds: those leave the dirty set for
   * {@link #withheld}, and each is reported when first found.
   */
  private List<Change> admitted(List<Change> changes, Set<String> considered) {
    if (changePolicy == ChangePolicy.SYNC) {
      return changes;
    }
    // create-only asks which groups the target holds, upsert-only which groups stay wanted
    Set<String> heldGroups = changePolicy == ChangePolicy.CREATE_ONLY ? groupsOf(actual.values()) : Set.of();
    Set<String> keptGroups = changePolicy == ChangePolicy.UPSERT_ONLY && changes.stream().anyMatch(c -> c.op() == Op.DELETE)
        ? groupsOf(desired.values().stream().filter(java.util.Objects::nonNull).toList()) : Set.of();
    List<Change> admitted = new ArrayList<>();
    List<Change> fresh = new ArrayList<>();
    Set<String> withheldNow = new HashSet<>();
    for (Change c : changes) {
      if (changePolicy.admits(c, heldGroups::contains, keptGroups::contains)) {
        admitted.add(c);
        continue;
      }
      withheldNow.add(c.key());
      dirty.remove(c.key());
      if (withheld.put(c.key(), c.op()) != c.op()) {
        fresh.add(c);
      }
    }
    considered.forEach(k -> {
      if (!withheldNow.contains(k)) {
        withheld.remove(k);
      }
    });
    if (!fresh.isEmpty()) {
      fresh.forEach(c -> observer.withheld(target, c, changePolicy));
      getContext().getLog().info("{}: policy {} withholds {} change(s) found in {}: {}", target.id(), changePolicy.id(),
          fresh.size(), client.describe(), describe(fresh));
    }
    return admitted;
  }

  /** {@code delete a, update b} — the first few, for a log line. */
  private static String describe(List<Change> changes) {
    var shown = changes.stream().limit(5).map(c -> c.op().id() + " " + c.key()).toList();
    return String.join(", ", shown) + (changes.size() > shown.size() ? " and " + (changes.size() - shown.size()) + " more" : "");
  }

  private static Set<String> groupsOf(Collection<TargetRecord> records) {
    Set<String> groups = new HashSet<>();
    records.forEach(r -> groups.add(r.group()));
    return groups;
  }

  /** The group of a key with work to do: it has a desired or an actual record. */
  private String groupOf(String key) {
    TargetRecord r = desired.get(key);
    if (r == null) {
      r = actual.get(key);
    }
    return r == null ? key : r.group();
  }

  private boolean differs(String key) {
    TargetRecord d = desired.get(key);
    TargetRecord a = actual.get(key);
    return d == null ? a != null && (desired.containsKey(key) || complete) : !d.equals(a);
  }

  /** Once the desired state is whole, owned records nobody wants are stale: delete them. */
  private void markStale() {
    for (String k : actual.keySet()) {
      if (!desired.containsKey(k)) {
        desired.put(k, null);
        dirty.add(k);
      }
    }
  }

  private void ack(WriterProtocol.Apply apply) {
    if (dirty.size() + held.size() < settings.maxPending()) {
      apply.replyTo().tell(new WriterProtocol.Ack(target, apply.batch().size()));
    } else {
      heldAcks.add(new HeldAck(apply.replyTo(), apply.batch().size()));
    }
  }

  private void releaseAcks() {
    if (dirty.size() + held.size() < settings.maxPending() && !heldAcks.isEmpty()) {
      heldAcks.forEach(h -> h.replyTo().tell(new WriterProtocol.Ack(target, h.changes())));
      heldAcks.clear();
    }
  }

  /**
   * Tells the observer the pending count whenever it changed, whatever changed it: work that turns
   * out to need no write (a restart over an unchanged target) must bring it back to 0 too.
   */
  private void reportPending() {
    int now = outstanding();
    if (now != reportedPending) {
      reportedPending = now;
      observer.pending(target, now);
    }
    if (!reconciled && complete && actualKnown && now == 0) {
      reconciled = true; // the target holds the whole desired state for the first time: readiness
      observer.reconciled(target);
    }
  }

  /** Records not yet written: waiting, and in the batch being written. */
  private int outstanding() {
    return dirty.size() + held.size() + (inFlight == null ? 0 : inFlight.size());
  }

  private void recovered() {
    if (failuresSinceSuccess > 0) {
      getContext().getLog().info("{}: {} answers again after {} failed attempts; {} changes pending",
          target.id(), client.describe(), failuresSinceSuccess, outstanding());
      observer.recovered(target);
    }
    failuresSinceSuccess = 0;
    lastFailure = null;
  }
}
