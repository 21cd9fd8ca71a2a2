package io.tributary.service;

import io.tributary.consul.ConsulCatalogClient;
import io.tributary.consul.ConsulClient;
import io.tributary.diff.Target;
import io.tributary.dns.DnsWriter;
import io.tributary.dns.DnsZoneClient;
import io.tributary.settings.TributarySettings;
import io.tributary.writer.InMemoryTargetWriter;
import io.tributary.writer.ReconcilingWriter;
import io.tributary.writer.WriteObserver;
import io.tributary.writer.WriterProtocol;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/** The writer of each target for the live service: real where configured, in memory otherwise. */
public final class TargetWriters {
  private TargetWriters() {}

  /** One writer behaviour per target, from {@code settings}. */
  public static Map<Target, Behavior<WriterProtocol.Command>> from(TributarySettings settings, WriteObserver observer) {
    Map<Target, Behavior<WriterProtocol.Command>> writers = new EnumMap<>(Target.class);
    for (Target t : Target.values()) {
      writers.put(t, InMemoryTargetWriter.create(t, Clock.systemUTC(), observer));
    }
    if (settings.consul().http().enabled()) {
      writers.put(Target.CONSUL, consul(settings, observer));
    }
    if (settings.dns().isRemote()) {
      writers.put(Target.DNS, dns(settings, observer));
    }
    return writers;
  }

  /** The DNS zones' writer: RFC 2136 updates to each zone's primary, one writer per zone. */
  public static Behavior<WriterProtocol.Command> dns(TributarySettings settings, WriteObserver observer) {
    return Behaviors.setup(ctx -> {
      // dnsjava blocks on its sockets: keep it off the default dispatcher
      var blocking = ctx.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
      return DnsWriter.create(
          settings.dns(),
          zone -> new DnsZoneClient(zone, settings.dns(), settings.ownerId(), blocking),
          settings.writer(),
          observer,
          Clock.systemUTC());
    });
  }

  /** The Consul datacenter's writer: the catalog over HTTP, reconciled against what it holds. */
  public static Behavior<WriterProtocol.Command> consul(TributarySettings settings, WriteObserver observer) {
    // the client needs the actor system (its HTTP pool), which exists only once the writer is spawned
    return Behaviors.setup(ctx -> ReconcilingWriter.create(
        Target.CONSUL,
        new ConsulCatalogClient(
            new ConsulClient(ctx.getSystem(), settings.consul().http(), settings.consul().datacenter()),
            settings.ownerId(),
            settings.writer().maxBatch()),
        settings.writer(),
        observer,
        Clock.systemUTC()));
  }
}
