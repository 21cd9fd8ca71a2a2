package io.tributary.consul;

import java.util.List;

/** The desired registrations of one route group, sorted by key, and what the planner noticed. */
public record ConsulPlan(List<ConsulRegistration> registrations, List<String> notes) {
  public ConsulPlan {
    registrations = List.copyOf(registrations);
    notes = List.copyOf(notes);
  }
}
