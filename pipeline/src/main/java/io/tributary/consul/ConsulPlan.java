package io.tributary.consul;

import io.tributary.translate.Route;
import java.util.List;

/**
 * The desired registrations of one route group, sorted by key, what the planner noticed, and the
 * route whose router options were used ({@code winner}, null for an empty plan).
 */
public record ConsulPlan(List<ConsulRegistration> registrations, List<String> notes, Route winner) {
  public ConsulPlan {
    registrations = List.copyOf(registrations);
    notes = List.copyOf(notes);
  }

  public ConsulPlan(List<ConsulRegistration> registrations, List<String> notes) {
    this(registrations, notes, null);
  }
}
