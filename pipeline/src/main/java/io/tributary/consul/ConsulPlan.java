package io.tributary.consul;

import io.tributary.translate.Route;
import java.util.List;
import java.util.Map;

/**
 * The desired registrations of one route group, sorted by key, what the planner noticed, the route
 * whose router options were used ({@code winner}, null for an empty plan), and the names the
 * winner's Middleware objects are defined under in the tags ({@code middlewareNames}: reference →
 * name), for routers outside Consul (the canary's) to refer to.
 */
public record ConsulPlan(List<ConsulRegistration> registrations, List<String> notes, Route winner, Map<String, String> middlewareNames) {
  public ConsulPlan {
    registrations = List.copyOf(registrations);
    notes = List.copyOf(notes);
    middlewareNames = Map.copyOf(middlewareNames);
  }

  public ConsulPlan(List<ConsulRegistration> registrations, List<String> notes, Route winner) {
    this(registrations, notes, winner, Map.of());
  }

  public ConsulPlan(List<ConsulRegistration> registrations, List<String> notes) {
    this(registrations, notes, null);
  }
}
