package io.tributary.service;

import io.tributary.consul.ConsulAgentClient;
import io.tributary.consul.ConsulAgentWriters;
import io.tributary.consul.ConsulCatalogClient;
import io.tributary.consul.ConsulClient;
import io.tributary.target.Target;
import io.tributary.dns.DnsWriter;
import io.tributary.dns.DnsZoneClient;
import io.tributary.settings.ConsulSettings;
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
    if (settings.consul().registrationMode() == ConsulSettings.RegistrationMode.AGENT) {
      writers.put(Target.CONSUL, consulAgents(settings, observer));
    } else if (settings.consul().http().enabled()) {
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

  /**
   * Registration mode agent: one reconciling writer per cluster, each through that cluster's agent,
   * so an agent that is down holds back only its own cluster (one writer for all would retry every
   * cluster's batch while one agent is unreachable).
   */
  public static Behavior<WriterProtocol.Command> consulAgents(TributarySettings settings, WriteObserver observer) {
    ConsulSettings consul = settings.consul();
    String template = consul.nodeNameTemplate();
    int at = template.indexOf("{cluster}");
    String prefix = template.substring(0, at);
    String suffix = template.substring(at + "{cluster}".length());
    return Behaviors.setup(ctx -> ConsulAgentWriters.create(
        (cluster, clusterObserver) -> {
          String agent = settings.consulAgent(cluster);
          if (agent == null) {
            return null;
          }
          var client = new ConsulClient(ctx.getSystem(), consul.http().withAddress(agent), consul.datacenter());
          return ReconcilingWriter.create(
              Target.CONSUL,
              new ConsulAgentClient(client, cluster, consul.nodeName(cluster), settings.ownerId(), settings.writer().maxBatch()),
              settings.writer(),
              clusterObserver,
              Clock.systemUTC());
        },
        node -> node.startsWith(prefix) && node.endsWith(suffix) && node.length() >= prefix.length() + suffix.length()
            ? node.substring(prefix.length(), node.length() - suffix.length())
            : node,
        settings.clusters().keySet(),
        observer,
        settings.writer().askTimeout()));
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
