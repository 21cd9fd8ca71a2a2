package io.tributary.settings;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigUtil;
import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;

/**
 * The whole {@code tributary} config block, validated: every problem is collected and reported
 * together, so an invalid file is rejected with one clear message and nothing half-applied.
 *
 * @param ownerId written into every record Tributary owns; only records carrying it are updated or
 *     deleted
 * @param clusters configured clusters by name; others get {@link ClusterEndpoints#defaultFor}
 * @param admin the admin HTTP endpoint of the running service
 */
public record TributarySettings(
    String ownerId,
    DebounceSettings debounce,
    TranslateSettings translate,
    ConsulSettings consul,
    DnsSettings dns,
    WriterSettings writer,
    TraefikSettings traefik,
    RecordSettings recordTo,
    LastAcceptedSettings lastAccepted,
    WatchSettings watch,
    Map<String, ClusterSettings> clusters,
    VmDiscoverySettings vmDiscovery,
    ReloadSettings reload,
    LogSettings log,
    AdminSettings admin) {

  public TributarySettings {
    clusters = Map.copyOf(clusters);
  }

  /**
   * Reads and validates the {@code tributary} block of a fully resolved config. Unknown keys and
   * every value of the wrong type or out of range are reported together, each with its key and
   * the file:line it was written at.
   */
  public static TributarySettings from(Config root) {
    var p = new Problems("");
    if (!root.hasPath("tributary") || root.getValue("tributary").valueType() != com.typesafe.config.ConfigValueType.OBJECT) {
      // without reference.conf below it or overwritten by a scalar: nothing to read at all
      p.at("tributary", root.hasPathOrNull("tributary") ? root.getValue("tributary").origin() : null,
          "tributary must be a block { ... } (is reference.conf on the classpath?)");
      throw new SettingsException(p.all());
    }
    Config c = root.getConfig("tributary");
    ConfigSchema.check(c.root(), p);
    String owner = p.string(c, "owner-id");
    if (owner != null && !owner.matches("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")) {
      p.add(c, "owner-id", "owner-id '" + owner + "' must be a lower-case DNS label (it is written into TXT and Consul meta)");
    }
    var debounce = DebounceSettings.from(p.block(c, "debounce"), p.under("debounce"));
    var translate = TranslateSettings.from(p.block(c, "translate"), p.under("translate"));
    var consul = ConsulSettings.from(p.block(c, "consul"), p.under("consul"));
    var dns = DnsSettings.from(p.block(c, "dns"), p.under("dns"));
    var writer = WriterSettings.from(p.block(c, "writer"), p.under("writer"));
    var traefik = TraefikSettings.from(p.block(c, "traefik"), p.under("traefik"));
    var recordTo = RecordSettings.from(p.block(c, "record-to"), p.under("record-to"));
    var lastAccepted = LastAcceptedSettings.from(p.block(c, "last-accepted"), p.under("last-accepted"));
    var watch = WatchSettings.from(p.block(c, "watch"), p.under("watch"));
    var vmDiscovery = VmDiscoverySettings.from(p.block(c, "vm-discovery"), p.under("vm-discovery"));
    var reload = ReloadSettings.from(p.block(c, "reload"), p.under("reload"));
    var log = LogSettings.from(p.block(c, "log"), p.under("log"));
    var admin = AdminSettings.from(p.block(c, "admin"), p.under("admin"));
    checkAdminPortIsFree(root, c, admin, p);
    if (vmDiscovery.enabled() && !consul.http().enabled()) {
      p.add(c, "vm-discovery.tag-prefix", "vm-discovery.tag-prefix is set but consul.http.address is empty: VM services are looked up in Consul");
    }
    Map<String, ClusterSettings> clusters = new TreeMap<>();
    Config cc = p.optionalBlock(c, "clusters");
    for (String name : new ArrayList<>(cc.root().keySet())) {
      String quoted = ConfigUtil.joinPath(name);
      if (!name.matches("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")) {
        p.add(cc, quoted, "clusters." + name + ": cluster names must be lower-case DNS labels");
      }
      var pc = p.under("clusters." + name);
      ClusterSettings cluster = ClusterSettings.from(name, pc.block(cc, quoted), pc);
      // gateway classes named but all invalid are reported as such, not as an empty list
      boolean classesNamed = c.hasPath("translate.gateway-classes")
          && c.getValue("translate.gateway-classes") instanceof com.typesafe.config.ConfigList l && !l.isEmpty();
      clusters.put(name, translate.gatewayApi() || classesNamed ? cluster : cluster.withoutGatewayApi(pc.block(cc, quoted), pc));
    }
    if (consul.registrationMode() == ConsulSettings.RegistrationMode.AGENT) {
      if (clusters.isEmpty() && consul.agentAddressTemplate().isEmpty()) {
        p.add(c, "consul.registration-mode", "consul.registration-mode agent needs consul.agent-address-template or clusters.<name>.consul-agent");
      }
      clusters.values().stream()
          .filter(cl -> cl.consulAgent() == null && consul.agentAddressTemplate().isEmpty())
          .forEach(cl -> p.add(cc, ConfigUtil.joinPath(cl.name()), "clusters." + cl.name() + ".consul-agent is not set and consul.agent-address-template is empty:"
              + " consul.registration-mode agent needs the Consul agent each cluster registers through"));
    }
    if (!p.isEmpty()) {
      throw new SettingsException(p.all());
    }
    return new TributarySettings(owner, debounce, translate, consul, dns, writer, traefik, recordTo, lastAccepted, watch, clusters, vmDiscovery, reload, log, admin);
  }

  /**
   * The metrics endpoint (Kamon's, configured outside {@code tributary}) and the admin endpoint
   * cannot share a port: one of them would fail to bind at start.
   */
  private static void checkAdminPortIsFree(Config root, Config c, AdminSettings admin, Problems p) {
    String metricsPort = "kamon.prometheus.embedded-server.port";
    String metricsOn = "kamon.prometheus.start-embedded-http-server";
    try {
      if (admin.port() != 0 && root.hasPath(metricsPort) && root.getInt(metricsPort) == admin.port()
          && (!root.hasPath(metricsOn) || root.getBoolean(metricsOn))) {
        p.add(c, "admin.port", "admin.port " + admin.port() + " is also " + metricsPort + " (the metrics endpoint): give one of them another port");
      }
    } catch (com.typesafe.config.ConfigException e) {
      // Kamon's own keys are Kamon's to check; a bad value there is reported when Kamon starts
    }
  }

  /**
   * Agent mode: the URL of the Consul agent {@code cluster}'s instances register through — its
   * {@code consul-agent}, else the address template — or null when neither names one.
   */
  public String consulAgent(String cluster) {
    ClusterSettings c = clusters.get(cluster);
    if (c != null && c.consulAgent() != null) {
      return c.consulAgent();
    }
    String template = consul.agentAddressTemplate();
    return template.isEmpty() ? null : template.replace("{cluster}", cluster);
  }

  /**
   * These settings with every target and zone in dry run, their policies unchanged: {@code run
   * --dry-run}.
   */
  public TributarySettings inDryRun() {
    return new TributarySettings(ownerId, debounce, translate, consul.withMode(consul.mode().inDryRun()), dns.inDryRun(),
        writer, traefik.withMode(traefik.mode().inDryRun()), recordTo, lastAccepted, watch, clusters, vmDiscovery, reload, log, admin);
  }

  /**
   * The mode (policy, dry run) of every target by name, for the start-up line and the status page:
   * {@code consul}, {@code dns}, then {@code dns/<zone>} for each configured zone, {@code traefik}.
   */
  public Map<String, TargetMode> targetModes() {
    Map<String, TargetMode> modes = new java.util.LinkedHashMap<>();
    modes.put("consul", consul.mode());
    modes.put("dns", dns.mode());
    dns.zones().forEach(z -> modes.put("dns/" + z.name(), z.mode()));
    modes.put("traefik", traefik.mode());
    return java.util.Collections.unmodifiableMap(modes);
  }

  /**
   * The targets whose writers these settings build differently from {@code before}: where and how
   * the sink is reached (address, credentials, zones, sink, mode) or how the writer paces itself
   * ({@code writer.*}). A reload starts such writers anew.
   */
  public java.util.Set<io.tributary.target.Target> writersRewiredFrom(TributarySettings before) {
    var out = java.util.EnumSet.noneOf(io.tributary.target.Target.class);
    boolean pacing = !writer.withMaxBatch(0).equals(before.writer.withMaxBatch(0)); // max-batch is the plan's
    boolean agents = clusters.keySet().stream().anyMatch(c -> !java.util.Objects.equals(consulAgent(c), before.consulAgent(c)));
    if (pacing || agents || !consul.equals(before.consul) || !ownerId.equals(before.ownerId)) {
      out.add(io.tributary.target.Target.CONSUL);
    }
    if (pacing || !dns.equals(before.dns)) {
      out.add(io.tributary.target.Target.DNS);
    }
    // a Consul KV sink goes through consul.http
    if (pacing || !traefik.equals(before.traefik) || traefik.sink() == TraefikSettings.Sink.CONSUL_KV && !consul.http().equals(before.consul.http())) {
      out.add(io.tributary.target.Target.TRAEFIK);
    }
    return out;
  }

  /** The built-in defaults ({@code reference.conf}) with no clusters configured. */
  public static TributarySettings defaults() {
    return from(ConfigFactory.load());
  }

  /** The configured endpoints of {@code cluster}, or the documented default for unknown ones. */
  public ClusterEndpoints endpoints(String cluster) {
    var c = clusters.get(cluster);
    return c != null ? c.endpoints() : ClusterEndpoints.defaultFor(cluster);
  }
}
