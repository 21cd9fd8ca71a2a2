package io.tributary.plan;

import io.tributary.translate.Route;
import io.tributary.watch.ObjectKey;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The last accepted routes of each object, as a previous run left them in force: what {@link
 * RoutingState} starts from so that an object still rejected after a restart keeps routing (a typo
 * never takes routing down, not even across a restart). Read from and written to the {@code
 * tributary.last-accepted} file by the running service; pure data here.
 *
 * @param objects each object's routes in force, in key order
 */
public record LastAccepted(Map<ObjectKey, ObjectRoutes> objects) {

  /** Nothing from before: the replay, the simulator and a service without the file. */
  public static final LastAccepted NONE = new LastAccepted(Map.of());

  public LastAccepted {
    objects = java.util.Collections.unmodifiableMap(new TreeMap<>(objects));
  }

  /**
   * One object's routes in force and, for each in order, the JSON path of the part that declared it
   * (as {@link PartRoutes} tracks them), or no parts when they are not tracked.
   */
  public record ObjectRoutes(List<Route> routes, List<String> parts) {
    public ObjectRoutes {
      routes = List.copyOf(routes);
      parts = List.copyOf(parts);
      if (!parts.isEmpty() && parts.size() != routes.size()) {
        throw new IllegalArgumentException("parts names " + parts.size() + " parts for " + routes.size() + " routes");
      }
    }
  }

  /** The number of objects. */
  public int size() {
    return objects.size();
  }

  /** True when nothing is kept from before. */
  public boolean isEmpty() {
    return objects.isEmpty();
  }
}
