package io.tributary.service;

import io.tributary.consul.ConsulAgentClient;
import io.tributary.consul.ConsulCatalogClient;
import io.tributary.consul.ConsulClient;
import io.tributary.consul.ConsulRegistration;
import io.tributary.dns.DnsRecordSet;
import io.tributary.dns.DnsZoneClient;
import io.tributary.settings.ConsulSettings;
import io.tributary.settings.DnsSettings;
import io.tributary.settings.DnsZoneSettings;
import io.tributary.settings.TargetMode;
import io.tributary.settings.TraefikSettings;
import io.tributary.settings.TributarySettings;
import io.tributary.settings.WriterSettings;
import io.tributary.target.Change;
import io.tributary.target.Target;
import io.tributary.target.TargetRecord;
import io.tributary.traefik.ConsulKvClient;
import io.tributary.traefik.EtcdKvClient;
import io.tributary.traefik.TraefikFileClient;
import io.tributary.writer.DryRunClient;
import io.tributary.writer.InMemoryTargetWriter;
import io.tributary.writer.PartitionedWriter;
import io.tributary.writer.ReconcilingWriter;
import io.tributary.writer.TargetClient;
import io.tributary.writer.WritePolicy;
import io.tributary.writer.WriteObserver;
import io.tributary.writer.WriterProtocol;
import java.time.Clock;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The one place target writers are assembled: for the live service real where configured (Consul's
 * catalog or one writer per cluster agent, DNS one writer per zone) and in memory otherwise, and
 * every target in memory for replays.
 */
public final class TargetWriters {
  private static final String CLUSTER = "{cluster}";

  private TargetWriters() {}

  /**
   * The live service's writer of each target, from {@code settings}: each in its mode (policy, dry
   * run; a target in dry run is read and never written, and tells {@code observer} of changes
   * instead of writes).
   */
  public static Map<Target, Behavior<WriterProtocol.Command>> from(TributarySettings settings, WriteObserver observer) {
    Map<Target, Behavior<WriterProtocol.Command>> writers = new EnumMap<>(Target.class);
    for (Target t : Target.values()) {
      // the plan applies the policy; in memory, dry run only changes how a write is reported
      writers.put(t, InMemoryTargetWriter.create(t, Clock.systemUTC(), WriteObserver.inDryRun(observer, c -> inDryRun(settings, c))));
    }
    if (settings.consul().registrationMode() == ConsulSettings.RegistrationMode.AGENT) {
      writers.put(Target.CONSUL, consulAgents(settings, observer));
    } else if (settings.consul().http().enabled()) {
      writers.put(Target.CONSUL, consulCatalog(settings, observer));
    }
    if (settings.dns().isRemote()) {
      writers.put(Target.DNS, dnsZones(settings, observer));
    }
    if (settings.traefik().sink() != TraefikSettings.Sink.MEMORY) {
      writers.put(Target.TRAEFIK, traefik(settings, observer));
    }
    return writers;
  }

  /**
   * Traefik's dynamic configuration, reconciled into the sink {@code traefik.sink} names: the file
   * provider's file, Consul KV or etcd. Each record comes from one route group's winner.
   */
  public static Behavior<WriterProtocol.Command> traefik(TributarySettings settings, WriteObserver observer) {
    return Behaviors.setup(ctx -> {
      // file and etcd clients block: keep them off the default dispatcher
      var blocking = ctx.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
      TraefikSettings traefik = settings.traefik();
      TargetClient client = switch (traefik.sink()) {
        case FILE -> TraefikFileClient.create(traefik, settings.ownerId(), settings.writer().maxBatch(), blocking);
        case CONSUL_KV -> ConsulKvClient.create(
            ctx.getSystem(), settings.consul(), traefik, settings.ownerId(), settings.writer().maxBatch());
        case ETCD -> EtcdKvClient.create(traefik, settings.ownerId(), blocking);
        case MEMORY -> throw new IllegalStateException("traefik.sink is in memory: no writer to build");
      };
      return reconciling(
          Target.TRAEFIK, WritePolicy.RECORDS_PER_CLUSTER, traefik.mode(), client, settings.writer(), observer, Clock.systemUTC());
    });
  }

  /**
   * The reconciling writer of {@code client} in {@code mode}: it makes only the changes the policy
   * lets through, and in dry run reads the target but never writes it, reporting each change to
   * {@code observer} as {@link WriteObserver#dryRun} rather than as written.
   */
  private static Behavior<WriterProtocol.Command> reconciling(
      Target target, WritePolicy writePolicy, TargetMode mode, TargetClient client, WriterSettings writer,
      WriteObserver observer, Clock clock) {
    return ReconcilingWriter.create(target, writePolicy, mode.changePolicy(), mode.dryRun() ? new DryRunClient(client) : client,
        writer, mode.dryRun() ? WriteObserver.inDryRun(observer) : observer, clock);
  }

  /** Whether {@code change} goes to a target (for DNS: a zone) in dry run. */
  private static boolean inDryRun(TributarySettings settings, Change change) {
    TargetRecord r = change.value() != null ? change.value() : change.previous();
    return switch (r.target()) {
      case CONSUL -> settings.consul().mode().dryRun();
      case TRAEFIK -> settings.traefik().mode().dryRun();
      case DNS -> (r instanceof DnsRecordSet d ? settings.dns().modeOf(d.name()) : settings.dns().mode()).dryRun();
    };
  }

  /** Every target held in memory (replays, the demo, targets not configured), operations stamped by {@code clock}. */
  public static Map<Target, Behavior<WriterProtocol.Command>> inMemory(Clock clock, WriteObserver observer) {
    Map<Target, Behavior<WriterProtocol.Command>> writers = new EnumMap<>(Target.class);
    for (Target t : Target.values()) {
      writers.put(t, InMemoryTargetWriter.create(t, clock, observer));
    }
    return writers;
  }

  /**
   * Every target held in memory, each of which {@code outages} can take down: a batch that meets
   * its target down hands it to the real writers' path ({@link ReconcilingWriter} with {@code
   * writer}'s batching and backoff over the in-memory records), so a replayed outage retries as a
   * live one does. Targets never down while they have something to write behave as {@link
   * #inMemory(Clock, WriteObserver)}.
   */
  public static Map<Target, Behavior<WriterProtocol.Command>> inMemory(
      Clock clock, WriteObserver observer, io.tributary.writer.TargetOutages outages, WriterSettings writer) {
    Map<Target, Behavior<WriterProtocol.Command>> writers = new EnumMap<>(Target.class);
    for (Target t : Target.values()) {
      // as the live writers: a DNS name merges clusters, a Consul or Traefik record is one cluster's
      WritePolicy policy = t == Target.DNS ? WritePolicy.RECORDS_MERGE_CLUSTERS : WritePolicy.RECORDS_PER_CLUSTER;
      writers.put(t, InMemoryTargetWriter.create(t, clock, observer, outages, writer, policy));
    }
    return writers;
  }

  /** The Consul datacenter's writer: the catalog over HTTP, reconciled against what it holds. */
  public static Behavior<WriterProtocol.Command> consulCatalog(TributarySettings settings, WriteObserver observer) {
    // the client needs the actor system (its HTTP pool), which exists only once the writer is spawned
    return Behaviors.setup(ctx -> reconciling(
        Target.CONSUL,
        WritePolicy.RECORDS_PER_CLUSTER,
        settings.consul().mode(),
        new ConsulCatalogClient(
            new ConsulClient(ctx.getSystem(), settings.consul().http(), settings.consul().datacenter()),
            settings.ownerId(),
            settings.writer().maxBatch()),
        settings.writer(),
        observer,
        Clock.systemUTC()));
  }

  /**
   * Registration mode agent: one reconciling writer per cluster, each through that cluster's agent,
   * behind a {@link PartitionedWriter}, so an agent that is down holds back only its own cluster
   * (one writer for all would retry every cluster's batch while one agent is unreachable). The
   * configured clusters' writers start (and read their agents) at once.
   */
  public static Behavior<WriterProtocol.Command> consulAgents(TributarySettings settings, WriteObserver observer) {
    ConsulSettings consul = settings.consul();
    Function<String, String> clusterOfNode = clusterOfNode(consul.nodeNameTemplate());
    return Behaviors.setup(ctx -> PartitionedWriter.create(
        Target.CONSUL,
        change -> clusterOf(change, clusterOfNode),
        (cluster, clusterObserver) -> {
          String agent = settings.consulAgent(cluster);
          if (agent == null) {
            return null;
          }
          var client = new ConsulClient(ctx.getSystem(), consul.http().withAddress(agent), consul.datacenter());
          return reconciling(
              Target.CONSUL,
              WritePolicy.RECORDS_PER_CLUSTER,
              consul.mode(),
              new ConsulAgentClient(client, cluster, consul.nodeName(cluster), settings.ownerId(), settings.writer().maxBatch()),
              settings.writer(),
              clusterObserver,
              Clock.systemUTC());
        },
        settings.clusters().keySet(),
        observer,
        settings.writer().askTimeout(),
        settings.writer().restart()));
  }

  /** The cluster a registration belongs to: its meta, else the cluster of its key's node part. */
  private static String clusterOf(Change c, Function<String, String> clusterOfNode) {
    TargetRecord r = c.value() != null ? c.value() : c.previous();
    if (r instanceof ConsulRegistration reg && reg.meta().containsKey("cluster")) {
      return reg.meta().get("cluster");
    }
    return clusterOfNode.apply(c.key().substring(0, c.key().indexOf('/')));
  }

  /** The inverse of the node-name template (which holds {@code {cluster}}, as the settings check). */
  private static Function<String, String> clusterOfNode(String template) {
    int at = template.indexOf(CLUSTER);
    String prefix = template.substring(0, at);
    String suffix = template.substring(at + CLUSTER.length());
    return node -> node.startsWith(prefix) && node.endsWith(suffix) && node.length() >= prefix.length() + suffix.length()
        ? node.substring(prefix.length(), node.length() - suffix.length())
        : node;
  }

  /** The DNS zones' writer: RFC 2136 updates to each zone's primary, one writer per zone. */
  public static Behavior<WriterProtocol.Command> dnsZones(TributarySettings settings, WriteObserver observer) {
    return Behaviors.setup(ctx -> {
      // dnsjava blocks on its sockets: keep it off the default dispatcher
      var blocking = ctx.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
      return dnsZones(
          settings.dns(),
          zone -> new DnsZoneClient(zone, settings.dns(), settings.ownerId(), blocking),
          settings.writer(),
          observer,
          Clock.systemUTC());
    });
  }

  /**
   * The DNS target's writer: one {@link ReconcilingWriter} per zone of {@code dns} behind a {@link
   * PartitionedWriter}, so a zone whose server is down or refuses the key delays its own records
   * only; each zone in its own mode (policy, dry run). A record set goes to the most specific zone containing its name; {@code clientOf} makes
   * each zone's client (a {@link DnsZoneClient} in the service, a fake in tests).
   */
  public static Behavior<WriterProtocol.Command> dnsZones(
      DnsSettings dns,
      Function<DnsZoneSettings, TargetClient> clientOf,
      WriterSettings writer,
      WriteObserver observer,
      Clock clock) {
    Map<String, DnsZoneSettings> zones = new LinkedHashMap<>();
    dns.zones().forEach(z -> zones.put(z.name(), z));
    return PartitionedWriter.create(
        Target.DNS,
        change -> zoneOf(change, dns),
        (zone, zoneObserver) -> reconciling(Target.DNS, WritePolicy.RECORDS_MERGE_CLUSTERS, zones.get(zone).mode(),
            clientOf.apply(zones.get(zone)), writer, zoneObserver.inZone(Target.DNS, zone), clock),
        zones.keySet(),
        observer,
        writer.askTimeout(),
        writer.restart());
  }

  private static String zoneOf(Change c, DnsSettings dns) {
    DnsRecordSet rec = (DnsRecordSet) (c.value() != null ? c.value() : c.previous());
    DnsZoneSettings zone = dns.zoneOf(rec.name());
    return zone == null ? null : zone.name();
  }
}
