package io.tributary.dns;

import io.tributary.diff.Change;
import io.tributary.diff.ChangeSet;
import io.tributary.diff.Target;
import io.tributary.diff.TargetRecord;
import io.tributary.settings.DnsSettings;
import io.tributary.settings.DnsZoneSettings;
import io.tributary.settings.WriterSettings;
import io.tributary.writer.ReconcilingWriter;
import io.tributary.writer.TargetClient;
import io.tributary.writer.WriteObserver;
import io.tributary.writer.WriterProtocol;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The DNS target's writer: one {@link ReconcilingWriter} per zone, so a zone whose server is down
 * or refuses the key delays its own records only. Each change set is split by zone (the most
 * specific zone containing the name) and acknowledged to the stream once every zone concerned has
 * acknowledged its part; the stream's "desired state complete" marker goes to every zone.
 */
public final class DnsWriter extends AbstractBehavior<WriterProtocol.Command> {

  /** The writer's own messages. */
  sealed interface Internal extends WriterProtocol.Command permits ZoneAcked, ZoneState {}

  /** A zone writer acknowledged its part of batch {@code sequence}, or its ask timed out. */
  record ZoneAcked(String stream, long sequence, String zone, boolean acked) implements Internal {}

  /** A zone writer's state, for the {@link WriterProtocol.GetState} being answered as {@code query}. */
  record ZoneState(long query, WriterProtocol.State state) implements Internal {}

  private final DnsSettings settings;
  private final Duration askTimeout;
  private final Map<String, ActorRef<WriterProtocol.Command>> zones = new TreeMap<>();
  /** Batches sent on to the zones and not yet acknowledged by all of them, by sequence. */
  private final Map<Long, Pending> pending = new HashMap<>();
  private final Map<Long, StateQuery> queries = new HashMap<>();
  private String lastStream = "";
  private long lastSequence = -1;
  private long nextQuery;

  private static final class Pending {
    final String stream;
    final int size;
    final Map<String, ChangeSet> parts;
    final List<ActorRef<WriterProtocol.Ack>> replyTo = new ArrayList<>();

    Pending(String stream, int size, Map<String, ChangeSet> parts) {
      this.stream = stream;
      this.size = size;
      this.parts = parts;
    }
  }

  private record StateQuery(ActorRef<WriterProtocol.State> replyTo, TreeMap<String, TargetRecord> records, int[] remaining) {}

  /**
   * A writer for the zones of {@code settings}; {@code clientOf} makes each zone's client (a
   * {@link DnsZoneClient} in the service, a fake in tests).
   */
  public static Behavior<WriterProtocol.Command> create(
      DnsSettings settings,
      Function<DnsZoneSettings, TargetClient> clientOf,
      WriterSettings writer,
      WriteObserver observer,
      Clock clock) {
    return Behaviors.setup(ctx -> new DnsWriter(ctx, settings, clientOf, writer, observer, clock));
  }

  private DnsWriter(
      ActorContext<WriterProtocol.Command> context,
      DnsSettings settings,
      Function<DnsZoneSettings, TargetClient> clientOf,
      WriterSettings writer,
      WriteObserver observer,
      Clock clock) {
    super(context);
    this.settings = settings;
    this.askTimeout = writer.askTimeout();
    var pendingPerZone = new java.util.concurrent.ConcurrentHashMap<String, Integer>();
    for (DnsZoneSettings zone : settings.zones()) {
      // record sets merge clusters, so the zone's existing ones are updated only once every cluster
      // has listed (holdUpdatesUntilComplete). Should a zone writer fail, it restarts and rereads.
      var observed = zoneObserver(zone.name(), observer, pendingPerZone);
      Behavior<WriterProtocol.Command> supervised = Behaviors.supervise(
              ReconcilingWriter.create(Target.DNS, clientOf.apply(zone), writer, observed, clock, true))
          .onFailure(SupervisorStrategy.restartWithBackoff(writer.minBackoff(), writer.maxBackoff(), writer.randomFactor()));
      zones.put(zone.name(), context.spawn(supervised, "zone-" + zone.name().replaceAll("[^a-z0-9.-]", "_")));
    }
  }

  @Override
  public Receive<WriterProtocol.Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(WriterProtocol.Apply.class, this::onApply)
        .onMessage(ZoneAcked.class, this::onZoneAcked)
        .onMessage(WriterProtocol.GetState.class, this::onGetState)
        .onMessage(ZoneState.class, this::onZoneState)
        .build();
  }

  private Behavior<WriterProtocol.Command> onApply(WriterProtocol.Apply apply) {
    Pending open = pending.get(apply.sequence());
    if (open != null && open.stream.equals(apply.stream())) {
      open.replyTo.add(apply.replyTo()); // the stream asked again; answer when the zones have
      return this;
    }
    if (apply.isRepeatOf(lastStream, lastSequence) && !pending.containsKey(apply.sequence())) {
      apply.replyTo().tell(new WriterProtocol.Ack(Target.DNS, apply.batch().size()));
      return this;
    }
    lastStream = apply.stream();
    lastSequence = apply.sequence();
    Map<String, List<Change>> byZone = new LinkedHashMap<>();
    for (Change c : apply.batch().changes()) {
      DnsRecordSet rec = (DnsRecordSet) (c.value() != null ? c.value() : c.previous());
      DnsZoneSettings zone = settings.zoneOf(rec.name());
      if (zone == null) {
        // the planner skips names outside every zone; a record here means the zones changed under it
        getContext().getLog().warn("dns: {} is in no managed zone {}; not written", c.key(), settings.zoneNames());
        continue;
      }
      byZone.computeIfAbsent(zone.name(), z -> new ArrayList<>()).add(storable(c));
    }
    Map<String, ChangeSet> parts = new LinkedHashMap<>();
    for (String zone : zones.keySet()) {
      List<Change> changes = byZone.getOrDefault(zone, List.of());
      if (!changes.isEmpty() || apply.batch().complete()) {
        parts.put(zone, new ChangeSet(Target.DNS, changes, apply.batch().complete()));
      }
    }
    if (parts.isEmpty()) {
      apply.replyTo().tell(new WriterProtocol.Ack(Target.DNS, apply.batch().size()));
      return this;
    }
    Pending p = new Pending(apply.stream(), apply.batch().size(), parts);
    p.replyTo.add(apply.replyTo());
    pending.put(apply.sequence(), p);
    parts.forEach((zone, part) -> send(zone, part, apply.stream(), apply.sequence()));
    return this;
  }

  private Behavior<WriterProtocol.Command> onZoneAcked(ZoneAcked acked) {
    Pending p = pending.get(acked.sequence());
    if (p == null || !p.stream.equals(acked.stream()) || !p.parts.containsKey(acked.zone())) {
      return this; // a late answer to an ask already answered
    }
    if (!acked.acked()) {
      // the zone writer holds its ack (too much pending) or is busy: ask again, it recognises the repeat
      send(acked.zone(), p.parts.get(acked.zone()), acked.stream(), acked.sequence());
      return this;
    }
    p.parts.remove(acked.zone());
    if (p.parts.isEmpty()) {
      pending.remove(acked.sequence());
      p.replyTo.forEach(r -> r.tell(new WriterProtocol.Ack(Target.DNS, p.size)));
    }
    return this;
  }

  private Behavior<WriterProtocol.Command> onGetState(WriterProtocol.GetState get) {
    long id = nextQuery++;
    if (zones.isEmpty()) {
      get.replyTo().tell(new WriterProtocol.State(Target.DNS, new TreeMap<>()));
      return this;
    }
    queries.put(id, new StateQuery(get.replyTo(), new TreeMap<>(), new int[] {zones.size()}));
    zones.values().forEach(zone -> getContext().ask(
        WriterProtocol.State.class, zone, askTimeout, WriterProtocol.GetState::new,
        (state, failure) -> new ZoneState(id, state != null ? state : new WriterProtocol.State(Target.DNS, new TreeMap<>()))));
    return this;
  }

  private Behavior<WriterProtocol.Command> onZoneState(ZoneState zs) {
    StateQuery q = queries.get(zs.query());
    if (q == null) {
      return this;
    }
    q.records().putAll(zs.state().records());
    if (--q.remaining()[0] == 0) {
      queries.remove(zs.query());
      q.replyTo().tell(new WriterProtocol.State(Target.DNS, q.records()));
    }
    return this;
  }

  private void send(String zone, ChangeSet part, String stream, long sequence) {
    getContext().ask(
        WriterProtocol.Ack.class, zones.get(zone), askTimeout,
        replyTo -> new WriterProtocol.Apply(part, stream, sequence, replyTo),
        (ack, failure) -> new ZoneAcked(stream, sequence, zone, ack != null));
  }

  /** {@code observer} for one zone's writer: its pending count is reported as the sum over the zones. */
  private static WriteObserver zoneObserver(String zone, WriteObserver observer, Map<String, Integer> pendingPerZone) {
    return new WriteObserver() {
      @Override
      public void written(java.time.Instant at, Target target, Change change) {
        observer.written(at, target, change);
      }

      @Override
      public void pending(Target target, int changes) {
        pendingPerZone.put(zone, changes);
        observer.pending(target, pendingPerZone.values().stream().mapToInt(Integer::intValue).sum());
      }

      @Override
      public void failed(Target target, boolean configuration) {
        observer.failed(target, configuration);
      }

      @Override
      public void refused(Target target, String key, String reason) {
        observer.refused(target, key, reason);
      }
    };
  }

  /** The change as the zone can store it (see {@link DnsOwnership#storable}). */
  private Change storable(Change c) {
    var value = c.value() == null ? null : DnsOwnership.storable((DnsRecordSet) c.value(), settings.txtFormat());
    var previous = c.previous() == null ? null : DnsOwnership.storable((DnsRecordSet) c.previous(), settings.txtFormat());
    return new Change(c.op(), c.key(), value, previous);
  }
}
