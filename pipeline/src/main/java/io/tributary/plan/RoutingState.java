package io.tributary.plan;

import io.tributary.dns.DnsRecordSet;
import io.tributary.kind.ResourceKind;
import io.tributary.settings.TributarySettings;
import io.tributary.target.ChangePolicy;
import io.tributary.target.ChangeSet;
import io.tributary.target.Target;
import io.tributary.target.TargetRecord;
import io.tributary.translate.GatewayApi;
import io.tributary.translate.Route;
import io.tributary.translate.TranslatedEvent;
import io.tributary.translate.Translation;
import io.tributary.translate.Translator;
import io.tributary.watch.EventType;
import io.tributary.watch.ObjectKey;
import io.tributary.watch.WatchEvent;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The diff stage's state, coordinating parts with one concern each: the {@link RouteIndex} of
 * accepted routes, the {@link SyncBarrier}, the {@link ClusterInputs} routes depend on, the {@link
 * UnitPlanner} and the {@link RecordLedger} of desired and told records. Each translated event
 * plans again only the route groups and hostnames it touches; what the listener hears is collected
 * as {@link PlanReport}s and told once the event is planned. A rejected update keeps the object's
 * last accepted routes (a typo never takes routing down); a delete or an ignore withdraws them. A
 * partly accepted update publishes its good parts, and a rejected part keeps the routes that same
 * part (same JSON path) last had, unless a good part now declares the same rule ({@link PartRoutes}).
 * Each target's change policy (DNS: each zone's) decides which changes it is handed at all.
 *
 * <p>Started from the {@link LastAccepted} routes of a previous run, an object whose first
 * translation in this run is rejected keeps them (a rejected part, what that part had), as if the
 * run had never stopped; its other first translations drop them, and the sync barrier opening drops
 * those of every object not seen (gone while the service was down). The routes in force of each
 * object are reported as they change ({@link PipelineListener#routesInForce}), for the next run.
 *
 * <p>Not thread-safe: it belongs to one stream stage. No I/O, no clock.
 */
public final class RoutingState {
  private TributarySettings settings;
  private final PipelineListener listener;
  private final RouteIndex routes = new RouteIndex();
  private final PartRoutes parts = new PartRoutes();
  private final SyncBarrier barrier;
  private final ClusterInputs inputs;
  private final GatewayInputs gatewayApi = new GatewayInputs();
  private UnitPlanner planner;
  private final RecordLedger ledger;
  // the last accepted routes from before the restart of the objects not translated yet in this run
  private final Map<ObjectKey, LastAccepted.ObjectRoutes> lastAccepted;

  public RoutingState(TributarySettings settings, PipelineListener listener) {
    this(settings, listener, LastAccepted.NONE);
  }

  /** Starting from {@code lastAccepted}, the routes a previous run had in force. */
  public RoutingState(TributarySettings settings, PipelineListener listener, LastAccepted lastAccepted) {
    this.lastAccepted = new HashMap<>(lastAccepted.objects());
    this.settings = settings;
    this.listener = listener;
    this.barrier = new SyncBarrier(settings);
    this.inputs = new ClusterInputs(settings);
    this.planner = new UnitPlanner(settings, routes, inputs);
    this.ledger = new RecordLedger(r -> policyOf(this.settings, r)); // the settings of the latest reload
  }

  /** The change policy of the target a record goes to: for DNS that of the zone holding its name. */
  private static ChangePolicy policyOf(TributarySettings settings, TargetRecord record) {
    return switch (record.target()) {
      case CONSUL -> settings.consul().mode().changePolicy();
      case TRAEFIK -> settings.traefik().mode().changePolicy();
      case DNS -> (record instanceof DnsRecordSet d ? settings.dns().modeOf(d.name()) : settings.dns().mode()).changePolicy();
    };
  }

  /** Applies one translated event; returns the change sets to write, in order (maybe none). */
  public List<ChangeSet> apply(TranslatedEvent translated) {
    List<PlanReport> reports = new ArrayList<>();
    List<ChangeSet> out = plan(translated, reports);
    reports.forEach(r -> r.tell(listener));
    return out;
  }

  private List<ChangeSet> plan(TranslatedEvent translated, List<PlanReport> reports) {
    WatchEvent event = translated.event();
    ObjectKey key = event.key();
    if (event.isSynced()) {
      return synced(key.cluster(), key.kind(), reports);
    }
    if (key.is(ResourceKind.VM_BACKENDS)) { // from Consul, not a cluster: no part in the sync barrier
      Set<String> hosts = inputs.onVmBackends(event);
      return replan(RouteIndex.Affected.groups(routes.groupsWhere((k, r) -> hosts.contains(r.host()))), reports);
    }
    barrier.seen(key.cluster(), key.kind());
    if (key.is(ResourceKind.NODE)) { // Nodes carry endpoints, never routes
      return replan(routes.ofCluster(inputs.onNode(event)), reports);
    }
    if (key.is(ResourceKind.MIDDLEWARE) || key.is(ResourceKind.TRAEFIK_SERVICE)) { // they act through the routes naming them
      var change = key.is(ResourceKind.MIDDLEWARE) ? inputs.onMiddleware(event) : inputs.onTraefikService(event);
      reports.add(change.report(key));
      return change.changed() ? replan(RouteIndex.Affected.groups(
          routes.groupsNaming(key.cluster(), change.kind(), change.reaching())), reports) : List.of();
    }
    if (key.is(ResourceKind.HTTP_ROUTE) || key.is(ResourceKind.GATEWAY) || key.is(ResourceKind.REFERENCE_GRANT)
        || key.is(ResourceKind.NAMESPACE)) {
      return gatewayApi(event, reports);
    }
    List<ChangeSet> out = new ArrayList<>(replan(routes.ofCluster(inputs.onControllerService(event)), reports));
    out.addAll(replan(replaceRoutes(key, event.type() == EventType.DELETED ? null : translated.translation(), reports), reports));
    return out;
  }

  /**
   * A Gateway API object or a Namespace changed: the HTTPRoutes it concerns are translated again
   * against their cluster's Gateways, ReferenceGrants and namespace labels as they are now
   * (translation stays pure; only here are the four kinds seen together).
   */
  private List<ChangeSet> gatewayApi(WatchEvent event, List<PlanReport> reports) {
    // a cluster that first shows up while the barrier is open: its Gateways and Namespaces count as listed
    Set<ObjectKey> again = new TreeSet<>();
    if (barrier.open()) {
      again.addAll(gatewayApi.gatewaysListed(event.key().cluster()));
      again.addAll(namespacesListed(event.key().cluster()));
    }
    GatewayInputs.Change change = gatewayApi.on(event, settings);
    if (change.report() != null) {
      reports.add(change.report());
    }
    again.addAll(change.routes());
    return translateHttpRoutes(again, reports);
  }

  /** Translates the HTTPRoutes {@code keys} again and plans what they change. */
  private List<ChangeSet> translateHttpRoutes(Set<ObjectKey> keys, List<PlanReport> reports) {
    List<ChangeSet> out = new ArrayList<>();
    for (ObjectKey route : keys) {
      out.addAll(replan(replaceRoutes(route, httpRoute(route), reports), reports));
    }
    return out;
  }

  /** The translation of HTTPRoute {@code key} now, or null once it is deleted. */
  private Translation httpRoute(ObjectKey key) {
    var object = gatewayApi.route(key);
    return object == null ? null
        : Translator.translateHttpRoute(key, object, parents(key.cluster()), settings);
  }

  /** {@code cluster}'s Namespaces have listed: the HTTPRoutes that waited for their labels. */
  private Set<ObjectKey> namespacesListed(String cluster) {
    return gatewayApi.namespacesListed(cluster, GatewayInputs.namespacesWatched(settings, cluster));
  }

  private GatewayApi.Parents parents(String cluster) {
    return gatewayApi.parents(cluster, GatewayInputs.namespacesWatched(settings, cluster));
  }

  /**
   * Plans every route group and hostname again under {@code next} (a reloaded configuration) and
   * returns what differs from what the writers were told: only records whose result changed are
   * written. Routes stay as translated; the objects re-listed after the reload re-translate them.
   * The writers of {@code rewired} targets were started anew (their sink changed): they are told
   * everything they hold, after the difference.
   */
  public List<ChangeSet> reconfigure(TributarySettings next, Set<Target> rewired) {
    settings = next;
    barrier.reconfigure(next);
    if (barrier.open()) { // a cluster removed may have been the last one waited for: the Gateways count as listed
      gatewayApi.routeClusters().forEach(gatewayApi::gatewaysListed); // every HTTPRoute is translated again below
      gatewayApi.routeClusters().forEach(this::namespacesListed);
    }
    inputs.reconfigure(next);
    planner = new UnitPlanner(next, routes, inputs);
    List<PlanReport> reports = new ArrayList<>();
    // HTTPRoutes are translated here, not by the translate stage: again under the new settings
    // (gateway classes, tenancy), their old groups and hostnames planned too
    Set<String> groups = new TreeSet<>();
    Set<String> hosts = new TreeSet<>();
    for (ObjectKey route : gatewayApi.routeKeys()) {
      RouteIndex.Affected a = replaceRoutes(route, httpRoute(route), reports);
      groups.addAll(a.groups());
      hosts.addAll(a.hosts());
    }
    if (barrier.open()) {
      dropLastAccepted(reports);
    }
    groups.addAll(routes.all().groups());
    hosts.addAll(routes.all().hosts());
    // every key again, not only the changed ones: the policies that withheld changes may be others now
    List<ChangeSet> out = new ArrayList<>(replan(new RouteIndex.Affected(groups, hosts), reports, true));
    rewired.forEach(t -> out.addAll(ledger.retell(t, next.writer().maxBatch())));
    reports.forEach(r -> r.tell(listener));
    return out;
  }

  /**
   * Makes the routes of {@code key}'s translation {@code t} (null once deleted) its routes in force,
   * reporting them when they (or their parts) change, or when its last accepted routes from before
   * the restart are used or dropped.
   */
  private RouteIndex.Affected replaceRoutes(ObjectKey key, Translation t, List<PlanReport> reports) {
    LastAccepted.ObjectRoutes before = lastAccepted.isEmpty() || provisional(key, t) ? null : lastAccepted.remove(key);
    List<String> partsBefore = parts.of(key);
    List<Route> next = routesFrom(key, t, before, reports);
    RouteIndex.Affected affected = routes.replace(key, next);
    if (before != null || !affected.isEmpty() || !parts.of(key).equals(partsBefore)) {
      reports.add(new PlanReport.RoutesInForce(key, next, parts.of(key)));
    }
    return affected;
  }

  /**
   * True for an HTTPRoute waiting for its Gateway, or its namespace's labels, before its cluster's
   * Gateways or Namespaces have listed: not yet its first real translation, so its last accepted
   * routes from before the restart wait with it.
   */
  private boolean provisional(ObjectKey key, Translation t) {
    return key.is(ResourceKind.HTTP_ROUTE) && gatewayApi.mayWait(key.cluster(), GatewayInputs.namespacesWatched(settings, key.cluster()))
        && t instanceof Translation.Accepted a && a.routes().isEmpty() && a.warnings().isEmpty() && !a.partly();
  }

  /**
   * The object's routes from now on: none once deleted or ignored, the last accepted ones if
   * rejected, the good parts' plus what its rejected parts last had if partly accepted. {@code
   * before}, when not null, are its routes in force before the restart: this is its first translation.
   */
  private List<Route> routesFrom(ObjectKey key, Translation t, LastAccepted.ObjectRoutes before, List<PlanReport> reports) {
    if (t instanceof Translation.Rejected r) {
      reports.add(new PlanReport.Rejected(key, r.reason()));
      List<Route> current = routes.routesOf(key);
      if (before != null && current.isEmpty() && !before.routes().isEmpty()) {
        parts.remember(key, before.parts());
        reports.add(new PlanReport.KeptFromBeforeRestart(key, before.routes().size()));
        return before.routes();
      }
      return current;
    }
    if (t instanceof Translation.Accepted a) {
      List<Route> current = routes.routesOf(key);
      boolean fromBefore = before != null && a.partly() && current.isEmpty();
      if (fromBefore) { // a rejected part keeps what it had before the restart
        parts.remember(key, before.parts());
        current = before.routes();
      }
      List<Route> next = parts.accept(key, a, current);
      int kept = next.size() - a.routes().size();
      reports.add(a.partly()
          ? new PlanReport.PartlyAccepted(key, next.size(), a.warnings(), a.rejectedParts(), kept)
          : new PlanReport.Accepted(key, a.routes().size(), a.warnings()));
      if (fromBefore && kept > 0) {
        reports.add(new PlanReport.KeptFromBeforeRestart(key, kept));
      }
      return next;
    }
    parts.forget(key);
    reports.add(t == null ? new PlanReport.Deleted(key) : new PlanReport.Ignored(key, ((Translation.Ignored) t).reason()));
    return List.of();
  }

  private List<ChangeSet> synced(String cluster, String kind, List<PlanReport> reports) {
    boolean open = barrier.synced(cluster, kind);
    // an HTTPRoute waits silently for a Gateway not known until the cluster's Gateways have listed,
    // and for its namespace's labels until the cluster's Namespaces have; a log without their
    // marker counts them listed once the barrier opens (every kind it must list has)
    Set<ObjectKey> again = new TreeSet<>();
    ResourceKind listed = ResourceKind.ofKey(kind).orElse(null);
    if (listed == ResourceKind.GATEWAY) {
      again.addAll(gatewayApi.gatewaysListed(cluster));
    }
    if (listed == ResourceKind.NAMESPACE) {
      again.addAll(namespacesListed(cluster));
    }
    if (open) {
      gatewayApi.routeClusters().forEach(c -> again.addAll(gatewayApi.gatewaysListed(c)));
      gatewayApi.routeClusters().forEach(c -> again.addAll(namespacesListed(c)));
    }
    List<ChangeSet> out = new ArrayList<>(translateHttpRoutes(again, reports));
    if (!open) {
      return out;
    }
    dropLastAccepted(reports);
    if (ledger.held() > 0) {
      Map<Target, Set<String>> release = ledger.releaseHeld();
      reports.add(new PlanReport.DeletesHeld(0, Set.of()));
      out.addAll(diff(release, reports));
    }
    if (barrier.completeDue()) {
      for (Target t : Target.values()) {
        out.add(ChangeSet.complete(t));
      }
    }
    return out;
  }

  /**
   * The sync barrier is open: every object is known, so one with last accepted routes from before
   * the restart that has not shown up is gone (deleted while the service was down); they are dropped.
   */
  private void dropLastAccepted(List<PlanReport> reports) {
    if (lastAccepted.isEmpty()) {
      return;
    }
    new TreeSet<>(lastAccepted.keySet()).forEach(k -> reports.add(new PlanReport.RoutesInForce(k, List.of(), List.of())));
    lastAccepted.clear();
  }

  private List<ChangeSet> replan(RouteIndex.Affected affected, List<PlanReport> reports) {
    return replan(affected, reports, false);
  }

  /** Plans the affected units again and diffs them (or, with {@code everyKey}, all their keys) against what the writers were told. */
  private List<ChangeSet> replan(RouteIndex.Affected affected, List<PlanReport> reports, boolean everyKey) {
    if (affected.isEmpty()) {
      return List.of();
    }
    List<UnitPlanner.UnitPlan> plans = new ArrayList<>();
    affected.groups().forEach(g -> plans.addAll(planner.group(g)));
    affected.hosts().forEach(h -> plans.add(planner.host(h)));
    Map<Target, Set<String>> touched = new EnumMap<>(Target.class);
    plans.forEach(p -> reports.add(new PlanReport.UnitNotes(p.unit(), ledger.replace(p, touched, everyKey))));
    return diff(touched, reports);
  }

  private List<ChangeSet> diff(Map<Target, Set<String>> touched, List<PlanReport> reports) {
    int held = ledger.held();
    List<ChangeSet> sets = ledger.diff(touched, barrier.open(), settings.writer().maxBatch(), reports);
    sets.forEach(s -> reports.add(new PlanReport.Planned(s)));
    if (ledger.held() != held) {
      reports.add(new PlanReport.DeletesHeld(ledger.held(), barrier.waitingFor()));
    }
    return sets;
  }

  /** Clusters that have not yet listed every translated kind. */
  public Set<String> waitingFor() {
    return barrier.waitingFor();
  }

  /** Number of deletes held back by the sync barrier. */
  public int heldDeletes() {
    return ledger.held();
  }

  /**
   * Number of changes the targets' policies withhold now: desired records the targets are not
   * told to hold, or told records no longer desired (upsert-only, create-only).
   */
  public int withheldChanges() {
    return ledger.withheld();
  }

  /** The records the writers have been told to hold, per target (a read-only view). */
  public Map<String, TargetRecord> told(Target target) {
    return ledger.told(target);
  }
}
