package io.tributary.service;

import io.tributary.watch.ObjectKey;
import io.tributary.plan.PipelineListener;
import io.tributary.target.Change;
import io.tributary.target.ChangePolicy;
import io.tributary.target.Target;
import io.tributary.translate.Translation;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline's reports as log lines for the live service: why an object was rejected or only
 * partly accepted (each rejected rule, path or route with its reason), warnings
 * about accepted ones (an unknown {@code tributary.io/} key), planner notes when they change
 * (a name outside every DNS zone, a hostname conflict), deletes held by the sync barrier, and
 * changes a target's policy withholds, objects damped for flapping and their release.
 * Logged on {@code io.tributary.pipeline}. A replay's summary shows the same facts.
 */
public final class LoggingPipelineListener implements PipelineListener {
  private static final Logger LOG = LoggerFactory.getLogger("io.tributary.pipeline");

  // the last notes logged per unit and rejection per object, so a replan that changes nothing is silent
  private final Map<String, List<String>> notes = new HashMap<>();
  private final Map<ObjectKey, String> rejections = new HashMap<>();
  // the warnings last logged per accepted object: an HTTPRoute is translated again at every change
  // of its cluster's Gateways, grants and namespace labels, and says the same once
  private final Map<ObjectKey, List<String>> warned = new HashMap<>();
  private int held;
  private Set<String> waitingFor = Set.of();

  @Override
  public synchronized void rejected(ObjectKey key, String reason) {
    if (!reason.equals(rejections.put(key, reason))) {
      LOG.warn("{} rejected (its last accepted routes stay): {}", key, reason);
    }
  }

  @Override
  public void keptFromBeforeRestart(ObjectKey key, int routes) {
    LOG.warn("{}: {} of its last accepted routes from before the restart stay in force (tributary.last-accepted) until it is fixed",
        key, routes);
  }

  @Override
  public synchronized void partlyAccepted(ObjectKey key, int routes, List<String> warnings,
      List<Translation.RejectedPart> rejectedParts, int kept) {
    String reasons = Translation.RejectedPart.reasons(rejectedParts);
    // the same parts rejected again (an unrelated update) are not logged again, like a rejection
    if (!("partly: " + reasons).equals(rejections.put(key, "partly: " + reasons))) {
      LOG.warn("{} partly accepted: {} routes in force ({} of them kept for the rejected parts), {} parts rejected: {}",
          key, routes, kept, rejectedParts.size(), reasons);
    }
    warn(key, warnings);
  }

  @Override
  public synchronized void accepted(ObjectKey key, int routes, List<String> warnings) {
    if (rejections.remove(key) != null) {
      LOG.info("{} accepted again ({} routes)", key, routes);
    }
    warn(key, warnings);
  }

  /** Logs the warnings of {@code key} unless they are the ones logged last for it. */
  private void warn(ObjectKey key, List<String> warnings) {
    List<String> before = warnings.isEmpty() ? warned.remove(key) : warned.put(key, List.copyOf(warnings));
    if (!warnings.equals(before == null ? List.of() : before)) {
      warnings.forEach(w -> LOG.warn("{}: {}", key, w));
    }
  }

  @Override
  public synchronized void ignored(ObjectKey key, String reason) {
    rejections.remove(key);
    warned.remove(key);
  }

  @Override
  public synchronized void deleted(ObjectKey key) {
    rejections.remove(key);
    warned.remove(key);
  }

  @Override
  public synchronized void unitNotes(String unit, List<String> current) {
    List<String> before = current.isEmpty() ? notes.remove(unit) : notes.put(unit, List.copyOf(current));
    if (!current.equals(before == null ? List.of() : before)) {
      current.forEach(n -> LOG.info("{}: {}", unit, n));
    }
  }

  @Override
  public void damped(ObjectKey key) {
    LOG.info("{} flaps: damped, its changes are held until it is stable (debounce.damping)", key);
  }

  @Override
  public void released(ObjectKey key, int held, java.time.Duration heldFor) {
    LOG.info("{} released after {} s of damping ({} changes held): its latest state is written", key,
        heldFor.toSeconds(), held);
  }

  @Override
  public void withheld(Target target, ChangePolicy policy, List<Change> changes) {
    var shown = changes.stream().limit(5).map(c -> c.op().id() + " " + c.key()).toList();
    LOG.info("{}: policy {} withholds {}{}", target.id(), policy.id(), String.join(", ", shown),
        changes.size() > shown.size() ? " and " + (changes.size() - shown.size()) + " more" : "");
  }

  @Override
  public synchronized void deletesHeld(int count, Set<String> clusters) {
    if (count > 0 && (held == 0 || !clusters.equals(waitingFor))) {
      LOG.info("{} deletes held until clusters {} have listed every kind (the sync barrier)", count, clusters);
    } else if (count == 0 && held > 0) {
      LOG.info("every cluster has listed: {} held deletes released", held);
    }
    held = count;
    waitingFor = Set.copyOf(clusters);
  }
}
