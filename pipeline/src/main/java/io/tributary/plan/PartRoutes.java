package io.tributary.plan;

import io.tributary.translate.Route;
import io.tributary.translate.Translation;
import io.tributary.watch.ObjectKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which part of its object (the JSON path of a rule, path or route) each accepted route came from,
 * so that a part that turns bad keeps the routes it last had, as a rejected object keeps its last
 * accepted routes: a typo in one rule never takes that rule's routing down, and never the others'.
 *
 * <p>A part is known by its position ({@code spec.rules[2].http.paths[0]}): a rejected part keeps
 * the routes last accepted at that position or inside it, unless a good part of the update declares
 * the same rule (then the good one is in force). Fixing or removing the part, deleting or ignoring
 * the object, releases what was kept. Pure data, owned by {@link RoutingState}.
 */
final class PartRoutes {
  /** The part of each route in force, in the order of {@link RouteIndex#routesOf}; absent when not tracked. */
  private final Map<ObjectKey, List<String>> partsOf = new HashMap<>();

  /**
   * The routes of {@code key} once {@code accepted} is applied over {@code current} (its routes in
   * force): the accepted ones, then those of {@code current} a rejected part keeps.
   */
  List<Route> accept(ObjectKey key, Translation.Accepted accepted, List<Route> current) {
    List<String> currentParts = partsOf.get(key);
    if (!accepted.partly() || currentParts == null || currentParts.size() != current.size()) {
      remember(key, accepted.routeParts());
      return accepted.routes();
    }
    List<Route> next = new ArrayList<>(accepted.routes());
    List<String> nextParts = new ArrayList<>(accepted.routeParts());
    Set<String> declared = new HashSet<>();
    accepted.routes().forEach(r -> declared.add(r.groupKey()));
    for (int i = 0; i < current.size(); i++) {
      String part = currentParts.get(i);
      Route old = current.get(i);
      boolean rejected = accepted.rejectedParts().stream().anyMatch(p -> p.covers(part));
      if (rejected && declared.add(old.groupKey())) {
        next.add(old);
        nextParts.add(part);
      }
    }
    remember(key, nextParts);
    return next;
  }

  /** The object is gone or no longer ours: nothing of it is kept. */
  void forget(ObjectKey key) {
    partsOf.remove(key);
  }

  /** The part of each route of {@code key} in force, in order; empty when not tracked. */
  List<String> of(ObjectKey key) {
    return partsOf.getOrDefault(key, List.of());
  }

  /** {@code parts} are those of the routes of {@code key} in force (its last accepted ones from before a restart). */
  void remember(ObjectKey key, List<String> parts) {
    if (parts.isEmpty()) {
      partsOf.remove(key);
    } else {
      partsOf.put(key, List.copyOf(parts));
    }
  }
}
