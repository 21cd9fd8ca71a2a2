package io.tributary.plan;

import io.tributary.target.Target;
import io.tributary.target.TargetRecord;
import io.tributary.target.Change;
import io.tributary.target.ChangeSet;
import io.tributary.target.Op;
import io.tributary.target.Diff;
import io.tributary.translate.TranslatedEvent;

import io.tributary.consul.ConsulPlan;
import io.tributary.consul.ConsulPlanner;
import io.tributary.dns.DnsPlan;
import io.tributary.dns.DnsPlanner;
import io.tributary.kind.ResourceKind;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.settings.ClusterEndpoints;
import io.tributary.settings.ClusterSettings;
import io.tributary.settings.EndpointSettings;
import io.tributary.settings.TributarySettings;
import io.tributary.translate.EndpointResolver;
import io.tributary.traefik.TraefikEntry;
import io.tributary.traefik.TraefikPlanner;
import io.tributary.watch.EventType;
import io.tributary.translate.Middlewares;
import io.tributary.translate.Route;
import io.tributary.translate.VmBackends;
import io.tributary.translate.Translation;
import io.tributary.translate.Translator;
import io.tributary.watch.ObjectKey;
import io.tributary.watch.WatchEvent;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The diff stage's state: the accepted routes of every object, the desired records they imply,
 * and what the writers have been told. Each translated event updates only the route groups and
 * hostnames it touches and yields the change sets that bring the targets there.
 *
 * <p>Rules that live here:
 *
 * <ul>
 *   <li>A rejected update keeps the object's last accepted routes: a typo never takes routing down.
 *       A delete or an ignore (class changed, opt-out) withdraws them.
 *   <li>Sync barrier: until every known cluster has listed every translated kind, deletes are held
 *       back (creates and updates flow), so a restart or reconnect never mass-deregisters. A
 *       delete whose record group keeps a record (a DNS name changing type) is a replacement and
 *       flows with it.
 *   <li>A record key produced by two units (a service-name collision) stays with the first.
 * </ul>
 *
 * <p>Not thread-safe: it belongs to one stream stage. No I/O, no clock.
 */
public final class RoutingState {

  private final TributarySettings settings;
  private final PipelineListener listener;
  private final Function<String, ClusterEndpoints> endpoints;

  private final Map<ObjectKey, List<Route>> routesByObject = new HashMap<>();
  private final Map<String, Set<ObjectKey>> objectsByGroup = new HashMap<>();
  private final Map<String, Set<ObjectKey>> objectsByHost = new HashMap<>();

  private final Map<Target, Map<String, TargetRecord>> desired = new EnumMap<>(Target.class);
  private final Map<Target, Map<String, TargetRecord>> known = new EnumMap<>(Target.class);
  private final Map<String, Set<String>> keysByUnit = new HashMap<>();
  private final Map<String, String> unitByKey = new HashMap<>();

  private final Set<String> clusters = new TreeSet<>();
  private final Map<String, Set<String>> syncedKinds = new HashMap<>();
  // the writers learn once that the desired state is whole (see ChangeSet.complete)
  private boolean completeSent;
  // translated kinds a cluster the config does not name has shown (its log's objects or markers)
  private final Map<String, Set<String>> seenKinds = new HashMap<>();
  private final Map<Target, Set<String>> heldDeletes = new EnumMap<>(Target.class);

  // endpoints of nodes/service clusters, resolved from the Node and Service objects they watch
  private final Map<String, ClusterEndpoints> resolved = new HashMap<>();
  private final Map<String, Map<ObjectKey, ObjectNode>> nodes = new HashMap<>();
  // VM services of strangler migrations found in Consul by tag: hostname → service
  private Map<String, String> discoveredVms = Map.of();
  // Middleware objects per cluster, by the name routes refer to them by (<namespace>-<name>)
  private final Map<String, Map<String, Middlewares.Definition>> middlewares = new HashMap<>();

  public RoutingState(TributarySettings settings, PipelineListener listener) {
    this.settings = settings;
    this.listener = listener;
    this.endpoints = cluster -> resolved.containsKey(cluster) ? resolved.get(cluster) : settings.endpoints(cluster);
    this.clusters.addAll(settings.clusters().keySet());
    for (Target t : Target.values()) {
      desired.put(t, new HashMap<>());
      known.put(t, new HashMap<>());
      heldDeletes.put(t, new TreeSet<>());
    }
  }

  /** Applies one translated event; returns the change sets to write, in order (maybe none). */
  public List<ChangeSet> apply(TranslatedEvent translated) {
    WatchEvent event = translated.event();
    if (event.isSynced()) {
      return synced(event.key().cluster(), event.key().kind());
    }
    ObjectKey key = event.key();
    if (key.is(ResourceKind.VM_BACKENDS)) {
      return onVmBackends(event); // from Consul, not a cluster: no part in the sync barrier
    }
    clusters.add(key.cluster());
    seen(key.cluster(), key.kind());
    if (key.is(ResourceKind.NODE)) {
      return onNode(event); // Nodes carry endpoints, never routes
    }
    if (key.is(ResourceKind.MIDDLEWARE)) {
      return onMiddleware(event); // Middlewares take effect through the routes that name them
    }
    List<ChangeSet> endpointChanges = onControllerService(event);
    List<ChangeSet> routeChanges = onObject(translated);
    if (endpointChanges.isEmpty()) {
      return routeChanges;
    }
    List<ChangeSet> all = new ArrayList<>(endpointChanges);
    all.addAll(routeChanges);
    return all;
  }

  private List<ChangeSet> onObject(TranslatedEvent translated) {
    WatchEvent event = translated.event();
    ObjectKey key = event.key();
    List<Route> next;
    switch (event.type()) {
      case DELETED -> {
        next = List.of();
        listener.deleted(key);
      }
      default -> {
        Translation t = translated.translation();
        if (t instanceof Translation.Accepted a) {
          next = a.routes();
          listener.accepted(key, next.size(), a.warnings());
        } else if (t instanceof Translation.Ignored i) {
          next = List.of();
          listener.ignored(key, i.reason());
        } else {
          listener.rejected(key, ((Translation.Rejected) t).reason());
          return List.of(); // keep the last accepted routes
        }
      }
    }
    List<Route> old = routesByObject.getOrDefault(key, List.of());
    if (old.equals(next)) {
      return List.of(); // resourceVersion, status or managedFields only: nothing to do
    }
    reindex(key, old, next);
    Set<String> groups = new TreeSet<>();
    Set<String> hosts = new TreeSet<>();
    for (Route r : old) {
      groups.add(r.groupKey());
      hosts.addAll(r.dnsHosts());
    }
    for (Route r : next) {
      groups.add(r.groupKey());
      hosts.addAll(r.dnsHosts());
    }
    Map<Target, Set<String>> touched = new EnumMap<>(Target.class);
    for (String group : groups) {
      replanGroup(group, touched);
    }
    for (String host : hosts) {
      replanHost(host, touched);
    }
    return diff(touched);
  }

  private List<ChangeSet> onNode(WatchEvent event) {
    ClusterSettings cluster = settings.clusters().get(event.key().cluster());
    if (cluster == null || cluster.endpointSettings().type() != EndpointSettings.Type.NODES) {
      return List.of();
    }
    Map<ObjectKey, ObjectNode> known = nodes.computeIfAbsent(cluster.name(), c -> new HashMap<>());
    if (event.type() == EventType.DELETED || event.object() == null) {
      known.remove(event.key());
    } else {
      known.put(event.key(), event.object());
    }
    return endpointsChanged(cluster.name(), EndpointResolver.fromNodes(cluster.name(), known.values(), cluster.endpointSettings()));
  }

  private List<ChangeSet> onVmBackends(WatchEvent event) {
    Map<String, String> now = event.type() == EventType.DELETED || event.object() == null
        ? Map.of() : VmBackends.byHost(event.object());
    Set<String> changed = new TreeSet<>();
    now.forEach((host, service) -> {
      if (!service.equals(discoveredVms.get(host))) {
        changed.add(host);
      }
    });
    discoveredVms.keySet().stream().filter(h -> !now.containsKey(h)).forEach(changed::add);
    discoveredVms = Map.copyOf(now);
    Set<String> groups = new TreeSet<>();
    routesByObject.values().forEach(routes -> routes.stream()
        .filter(r -> changed.contains(r.host())).forEach(r -> groups.add(r.groupKey())));
    Map<Target, Set<String>> touched = new EnumMap<>(Target.class);
    groups.forEach(g -> replanGroup(g, touched));
    return diff(touched);
  }

  /** The VM service serving {@code host} today: configured first, then discovered in Consul. */
  private String vmBackendOf(String host) {
    String configured = settings.translate().vmBackends().get(host);
    return configured != null ? configured : discoveredVms.get(host);
  }

  private List<ChangeSet> onMiddleware(WatchEvent event) {
    String cluster = event.key().cluster();
    String name = Middlewares.nameOf(event.key());
    Map<String, Middlewares.Definition> known = middlewares.computeIfAbsent(cluster, c -> new HashMap<>());
    Middlewares.Definition before = known.get(name);
    Middlewares.Definition now = null;
    if (event.type() == EventType.DELETED || event.object() == null) {
      known.remove(name);
      listener.deleted(event.key());
    } else {
      now = Middlewares.define(event.key(), event.object());
      known.put(name, now);
      if (now.unusable() != null) {
        listener.rejected(event.key(), now.unusable());
      } else {
        listener.accepted(event.key(), 0, List.of());
      }
    }
    if (java.util.Objects.equals(before, now)) {
      return List.of(); // resourceVersion or status only
    }
    // replan the groups whose routes in this cluster name it
    String ref = name + Middlewares.KUBERNETES;
    Set<String> groups = new TreeSet<>();
    routesByObject.forEach((key, routes) -> {
      if (key.cluster().equals(cluster)) {
        routes.stream().filter(r -> r.middlewares().contains(ref)).forEach(r -> groups.add(r.groupKey()));
      }
    });
    Map<Target, Set<String>> touched = new EnumMap<>(Target.class);
    groups.forEach(g -> replanGroup(g, touched));
    return diff(touched);
  }

  private List<ChangeSet> onControllerService(WatchEvent event) {
    ClusterSettings cluster = settings.clusters().get(event.key().cluster());
    if (cluster == null
        || cluster.endpointSettings().type() != EndpointSettings.Type.SERVICE
        || !event.key().is(ResourceKind.SERVICE)
        || !event.key().namespace().equals(cluster.endpointSettings().serviceNamespace())
        || !event.key().name().equals(cluster.endpointSettings().serviceName())) {
      return List.of();
    }
    ObjectNode service = event.type() == EventType.DELETED ? null : event.object();
    return endpointsChanged(cluster.name(), EndpointResolver.fromService(cluster.name(), service, cluster.endpointSettings()));
  }

  /** New endpoints of {@code cluster}: replan every group and hostname it serves. */
  private List<ChangeSet> endpointsChanged(String cluster, ClusterEndpoints now) {
    if (now.equals(endpoints.apply(cluster))) {
      return List.of(); // node heartbeats and the like
    }
    resolved.put(cluster, now);
    Set<String> groups = new TreeSet<>();
    Set<String> hosts = new TreeSet<>();
    routesByObject.forEach((key, routes) -> {
      if (key.cluster().equals(cluster)) {
        routes.forEach(r -> {
          groups.add(r.groupKey());
          hosts.addAll(r.dnsHosts());
        });
      }
    });
    Map<Target, Set<String>> touched = new EnumMap<>(Target.class);
    groups.forEach(g -> replanGroup(g, touched));
    hosts.forEach(h -> replanHost(h, touched));
    return diff(touched);
  }

  /** True once every known cluster has synced every translated kind. */
  public boolean barrierOpen() {
    return waitingFor().isEmpty();
  }

  /** Clusters that have not yet listed every translated kind. */
  public Set<String> waitingFor() {
    Set<String> waiting = new TreeSet<>();
    for (String c : clusters) {
      if (!syncedKinds.getOrDefault(c, Set.of()).containsAll(requiredKinds(c))) {
        waiting.add(c);
      }
    }
    return waiting;
  }

  private void seen(String cluster, String keyKind) {
    ResourceKind.ofKey(keyKind).filter(ResourceKind::producesRoutes)
        .ifPresent(kind -> seenKinds.computeIfAbsent(cluster, c -> new HashSet<>()).add(kind.kind()));
  }

  /**
   * The translated kinds {@code cluster} watches, each of which must list once before deletes
   * flow: the configured kinds, or — for a cluster only a replayed log names — the kinds it showed.
   */
  private Set<String> requiredKinds(String cluster) {
    var configured = settings.clusters().get(cluster);
    if (configured == null) {
      return seenKinds.getOrDefault(cluster, Translator.KINDS);
    }
    Set<String> kinds = new HashSet<>(Translator.KINDS);
    kinds.retainAll(configured.kinds());
    return kinds;
  }

  /** Number of deletes held back by the sync barrier. */
  public int heldDeletes() {
    return heldDeletes.values().stream().mapToInt(Set::size).sum();
  }

  /** The records the writers have been told to hold, per target (a read-only view). */
  public Map<String, TargetRecord> known(Target target) {
    return java.util.Collections.unmodifiableMap(known.get(target));
  }

  private List<ChangeSet> synced(String cluster, String kind) {
    clusters.add(cluster);
    seen(cluster, kind);
    syncedKinds.computeIfAbsent(cluster, c -> new HashSet<>()).add(kind);
    if (!barrierOpen()) {
      return List.of();
    }
    List<ChangeSet> out = new ArrayList<>();
    if (heldDeletes() > 0) {
      Map<Target, Set<String>> release = new EnumMap<>(Target.class);
      heldDeletes.forEach((t, keys) -> release.put(t, new TreeSet<>(keys)));
      heldDeletes.values().forEach(Set::clear);
      listener.deletesHeld(0, Set.of());
      out.addAll(diff(release));
    }
    if (!completeSent) {
      completeSent = true;
      for (Target t : Target.values()) {
        out.add(ChangeSet.complete(t));
      }
    }
    return out;
  }

  private void reindex(ObjectKey key, List<Route> old, List<Route> next) {
    for (Route r : old) {
      removeIndex(objectsByGroup, r.groupKey(), key);
      r.dnsHosts().forEach(h -> removeIndex(objectsByHost, h, key));
    }
    for (Route r : next) {
      objectsByGroup.computeIfAbsent(r.groupKey(), g -> new TreeSet<>()).add(key);
      r.dnsHosts().forEach(h -> objectsByHost.computeIfAbsent(h, x -> new TreeSet<>()).add(key));
    }
    if (next.isEmpty()) {
      routesByObject.remove(key);
    } else {
      routesByObject.put(key, next);
    }
  }

  private static void removeIndex(Map<String, Set<ObjectKey>> index, String k, ObjectKey key) {
    Set<ObjectKey> set = index.get(k);
    if (set != null) {
      set.remove(key);
      if (set.isEmpty()) {
        index.remove(k);
      }
    }
  }

  private List<Route> routes(Map<String, Set<ObjectKey>> index, String k, java.util.function.Predicate<Route> of) {
    List<Route> routes = new ArrayList<>();
    for (ObjectKey o : index.getOrDefault(k, Set.of())) {
      for (Route r : routesByObject.getOrDefault(o, List.of())) {
        if (of.test(r)) {
          routes.add(r);
        }
      }
    }
    return routes;
  }

  private void replanGroup(String group, Map<Target, Set<String>> touched) {
    // DNS-only routes (external-dns style LoadBalancer Services) never reach Consul or Traefik
    List<Route> routes = routes(objectsByGroup, group, r -> r.groupKey().equals(group) && !r.isDnsOnly());
    String unit = "consul:" + group;
    String traefikUnit = "traefik:" + group;
    if (routes.isEmpty()) {
      replace(unit, Target.CONSUL, List.of(), List.of(), touched);
      replace(traefikUnit, Target.TRAEFIK, List.of(), List.of(), touched);
      return;
    }
    ConsulPlan plan = ConsulPlanner.plan(
        routes, endpoints, settings.consul(), settings.ownerId(), settings.translate().prefer(),
        winner -> TraefikPlanner.canaryVmService(winner, this::vmBackendOf) != null,
        (cluster, name) -> middlewares.getOrDefault(cluster, Map.of()).get(name));
    replace(unit, Target.CONSUL, plan.registrations(), plan.notes(), touched);
    List<String> traefikNotes = new ArrayList<>();
    Route winner = plan.winner();
    if (winner != null && winner.weight() != null && TraefikPlanner.canaryVmService(winner, this::vmBackendOf) == null) {
      traefikNotes.add(winner.source() + ": weight " + winner.weight() + " ignored: no VM backend for " + winner.host()
          + " in translate.vm-backends or discovered in Consul");
    }
    List<TraefikEntry> entries = winner == null ? List.of()
        : TraefikPlanner.plan(winner, this::vmBackendOf, settings.consul(), settings.traefik(), settings.ownerId(),
            plan.middlewareNames());
    replace(traefikUnit, Target.TRAEFIK, entries, traefikNotes, touched);
  }

  private void replanHost(String host, Map<Target, Set<String>> touched) {
    List<Route> routes = routes(objectsByHost, host, r -> r.dnsHosts().contains(host));
    String unit = "dns:" + host;
    if (routes.isEmpty()) {
      replace(unit, Target.DNS, List.of(), List.of(), touched);
      return;
    }
    DnsPlan plan = DnsPlanner.plan(host, routes, endpoints, settings.dns(), settings.ownerId());
    List<String> notes = new ArrayList<>(plan.notes());
    if (plan.skipped() != null) {
      notes.add(0, "no DNS records: " + plan.skipped());
    }
    replace(unit, Target.DNS, plan.records(), notes, touched);
  }

  /** Makes {@code records} the whole desired output of {@code unit}. */
  private void replace(
      String unit,
      Target target,
      List<? extends TargetRecord> records,
      List<String> notes,
      Map<Target, Set<String>> touched) {
    Map<String, TargetRecord> want = desired.get(target);
    Set<String> touchedKeys = touched.computeIfAbsent(target, t -> new TreeSet<>());
    Set<String> oldKeys = keysByUnit.getOrDefault(unit, Set.of());
    Set<String> newKeys = new LinkedHashSet<>();
    List<String> allNotes = new ArrayList<>(notes);
    for (TargetRecord r : records) {
      String qualified = target.id() + "|" + r.key();
      String owner = unitByKey.get(qualified);
      if (owner != null && !owner.equals(unit)) {
        allNotes.add("record " + r.key() + " is already produced by " + owner + "; left to it");
        continue;
      }
      unitByKey.put(qualified, unit);
      want.put(r.key(), r);
      newKeys.add(r.key());
      touchedKeys.add(r.key());
    }
    for (String k : oldKeys) {
      if (!newKeys.contains(k)) {
        want.remove(k);
        unitByKey.remove(target.id() + "|" + k);
        touchedKeys.add(k);
      }
    }
    if (newKeys.isEmpty()) {
      keysByUnit.remove(unit);
    } else {
      keysByUnit.put(unit, newKeys);
    }
    listener.unitNotes(unit, allNotes);
  }

  private List<ChangeSet> diff(Map<Target, Set<String>> touched) {
    List<ChangeSet> out = new ArrayList<>();
    boolean open = barrierOpen();
    int held = heldDeletes();
    for (Target target : Target.values()) {
      Set<String> keys = touched.getOrDefault(target, Set.of());
      if (keys.isEmpty()) {
        continue;
      }
      Map<String, TargetRecord> have = known.get(target);
      // a delete in a group that keeps a record (a DNS name whose CNAME gives way to addresses) is a
      // replacement, not a removal: it goes with the record that replaces it
      Set<String> kept = new HashSet<>();
      for (String k : keys) {
        TargetRecord r = desired.get(target).get(k);
        if (r != null) {
          kept.add(r.group());
        }
      }
      List<Change> changes = new ArrayList<>();
      for (Change c : Diff.between(keys, have, desired.get(target), Diff.orderFor(target))) {
        heldDeletes.get(target).remove(c.key());
        if (c.op() == Op.DELETE && !open && !kept.contains(c.group())) {
          heldDeletes.get(target).add(c.key());
          continue;
        }
        changes.add(c);
        if (c.op() == Op.DELETE) {
          have.remove(c.key());
        } else {
          have.put(c.key(), c.value());
        }
      }
      // a held delete whose record came back (or is still wanted) is no longer pending
      heldDeletes.get(target).removeIf(k -> desired.get(target).containsKey(k) && keys.contains(k));
      // a DNS name's record sets stay in one batch, so a change of type reaches the zone as one UPDATE
      for (List<Change> batch : Diff.batches(changes, settings.writer().maxBatch())) {
        var set = new ChangeSet(target, batch);
        listener.planned(set);
        out.add(set);
      }
    }
    if (heldDeletes() != held) {
      listener.deletesHeld(heldDeletes(), waitingFor());
    }
    return out;
  }
}
