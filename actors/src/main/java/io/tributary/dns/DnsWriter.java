package io.tributary.dns;

import io.tributary.target.Change;
import io.tributary.target.Target;
import io.tributary.settings.DnsSettings;
import io.tributary.settings.DnsZoneSettings;
import io.tributary.settings.WriterSettings;
import io.tributary.writer.PartitionedWriter;
import io.tributary.writer.ReconcilingWriter;
import io.tributary.writer.TargetClient;
import io.tributary.writer.WriteObserver;
import io.tributary.writer.WriterProtocol;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.pekko.actor.typed.Behavior;

/**
 * The DNS target's writer: one {@link ReconcilingWriter} per zone behind a {@link
 * PartitionedWriter}, so a zone whose server is down or refuses the key delays its own records
 * only. A record set goes to the most specific zone containing its name.
 */
public final class DnsWriter {
  private DnsWriter() {}

  /**
   * A writer for the zones of {@code settings}; {@code clientOf} makes each zone's client (a {@link
   * DnsZoneClient} in the service, a fake in tests).
   */
  public static Behavior<WriterProtocol.Command> create(
      DnsSettings settings,
      Function<DnsZoneSettings, TargetClient> clientOf,
      WriterSettings writer,
      WriteObserver observer,
      Clock clock) {
    Map<String, DnsZoneSettings> zones = new LinkedHashMap<>();
    settings.zones().forEach(z -> zones.put(z.name(), z));
    return PartitionedWriter.create(
        Target.DNS,
        change -> zoneOf(change, settings),
        // record sets merge clusters, so a zone's existing ones are updated only once every cluster
        // has listed (holdUpdatesUntilComplete)
        (zone, zoneObserver) -> ReconcilingWriter.create(
            Target.DNS, clientOf.apply(zones.get(zone)), writer, zoneObserver, clock, true),
        zones.keySet(),
        observer,
        writer.askTimeout());
  }

  private static String zoneOf(Change c, DnsSettings settings) {
    DnsRecordSet rec = (DnsRecordSet) (c.value() != null ? c.value() : c.previous());
    DnsZoneSettings zone = settings.zoneOf(rec.name());
    return zone == null ? null : zone.name();
  }
}
