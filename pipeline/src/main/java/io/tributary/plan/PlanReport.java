package io.tributary.plan;

import io.tributary.target.Change;
import io.tributary.target.ChangePolicy;
import io.tributary.target.ChangeSet;
import io.tributary.target.Target;
import io.tributary.translate.Translation;
import io.tributary.watch.ObjectKey;
import java.util.List;
import java.util.Set;

/**
 * What planning one event found worth reporting, as data: the parts of {@link RoutingState}
 * produce these, and the listener hears them once the event is planned.
 */
sealed interface PlanReport {

  /** Tells {@code listener} this report. */
  void tell(PipelineListener listener);

  record Accepted(ObjectKey key, int routes, List<String> warnings) implements PlanReport {
    public void tell(PipelineListener l) {
      l.accepted(key, routes, warnings);
    }
  }

  record PartlyAccepted(ObjectKey key, int routes, List<String> warnings, List<Translation.RejectedPart> rejectedParts,
      int kept) implements PlanReport {
    public void tell(PipelineListener l) {
      l.partlyAccepted(key, routes, warnings, rejectedParts, kept);
    }
  }

  record KeptFromBeforeRestart(ObjectKey key, int routes) implements PlanReport {
    public void tell(PipelineListener l) {
      l.keptFromBeforeRestart(key, routes);
    }
  }

  record RoutesInForce(ObjectKey key, List<io.tributary.translate.Route> routes, List<String> parts) implements PlanReport {
    public RoutesInForce {
      routes = List.copyOf(routes);
    }

    public void tell(PipelineListener l) {
      l.routesInForce(key, routes, parts);
    }
  }

  record Ignored(ObjectKey key, String reason) implements PlanReport {
    public void tell(PipelineListener l) {
      l.ignored(key, reason);
    }
  }

  record Rejected(ObjectKey key, String reason) implements PlanReport {
    public void tell(PipelineListener l) {
      l.rejected(key, reason);
    }
  }

  record Deleted(ObjectKey key) implements PlanReport {
    public void tell(PipelineListener l) {
      l.deleted(key);
    }
  }

  record UnitNotes(String unit, List<String> notes) implements PlanReport {
    public void tell(PipelineListener l) {
      l.unitNotes(unit, notes);
    }
  }

  record Planned(ChangeSet changes) implements PlanReport {
    public void tell(PipelineListener l) {
      l.planned(changes);
    }
  }

  record Withheld(Target target, ChangePolicy policy, List<Change> changes) implements PlanReport {
    public void tell(PipelineListener l) {
      l.withheld(target, policy, changes);
    }
  }

  record DeletesHeld(int count, Set<String> waitingFor) implements PlanReport {
    public void tell(PipelineListener l) {
      l.deletesHeld(count, waitingFor);
    }
  }
}
