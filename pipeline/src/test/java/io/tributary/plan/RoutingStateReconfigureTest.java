package io.tributary.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.tributary.consul.ConsulRegistration;
import io.tributary.settings.TributarySettings;
import io.tributary.target.ChangeSet;
import io.tributary.target.Op;
import io.tributary.target.Target;
import io.tributary.translate.Backend;
import io.tributary.translate.PathMatch;
import io.tributary.translate.Route;
import io.tributary.translate.TranslatedEvent;
import io.tributary.translate.Translation;
import io.tributary.watch.EventType;
import io.tributary.watch.ObjectKey;
import io.tributary.watch.WatchEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A reloaded configuration plans everything again and writes only what it changes. */
class RoutingStateReconfigureTest {
  private static final String CLUSTERS = """
      tributary.clusters {
        eu-1.endpoints { addresses = ["192.0.2.11"], port = 8080 }
        eu-2.endpoints { addresses = ["192.0.2.21"], port = 8080 }
      }
      """;

  private static TributarySettings settings(String extra) {
    return TributarySettings.from(ConfigFactory.parseString(CLUSTERS + extra).withFallback(ConfigFactory.defaultReference()).resolve());
  }

  private static TranslatedEvent accepted(String cluster, String name, String host) {
    ObjectKey key = new ObjectKey(cluster, "Ingress", "shop", name);
    Route r = new Route(key, Instant.parse("2026-01-01T00:00:00Z"), host, "/", PathMatch.PREFIX,
        new Backend("web", 80, null), List.of(), List.of(), null, false, false, false);
    return new TranslatedEvent(new WatchEvent(key, EventType.MODIFIED, "1", null), new Translation.Accepted(List.of(r), List.of()));
  }

  private static List<ChangeSet> start(RoutingState state) {
    List<ChangeSet> out = new ArrayList<>();
    out.addAll(state.apply(accepted("eu-1", "a", "a.example.com")));
    out.addAll(state.apply(accepted("eu-2", "b", "b.example.com")));
    for (String c : List.of("eu-1", "eu-2")) {
      for (String kind : List.of("Ingress", "IngressRoute", "Service")) {
        out.addAll(state.apply(new TranslatedEvent(WatchEvent.synced(c, kind), null)));
      }
    }
    return out;
  }

  @Test
  void anUnchangedConfigurationWritesNothing() {
    var state = new RoutingState(settings(""), PipelineListener.NONE);
    start(state);
    assertThat(state.reconfigure(settings(""), java.util.Set.of())).allMatch(set -> set.changes().isEmpty());
  }

  @Test
  void aNewTagSyntaxRewritesEveryInstanceAndNothingElse() {
    var state = new RoutingState(settings(""), PipelineListener.NONE);
    start(state);
    List<ChangeSet> out = state.reconfigure(settings("tributary.consul.tag-syntax = v2\ntributary.consul.default-entrypoints = [web]"), java.util.Set.of());
    assertThat(out).filteredOn(s -> !s.changes().isEmpty()).extracting(ChangeSet::target).containsOnly(Target.CONSUL);
    var changes = out.stream().flatMap(s -> s.changes().stream()).toList();
    assertThat(changes).hasSize(2).allSatisfy(c -> {
      assertThat(c.op()).isEqualTo(Op.UPDATE);
      assertThat(((ConsulRegistration) c.value()).tags()).anySatisfy(t -> assertThat(t).endsWith(".entrypoints=web"));
    });
  }

  @Test
  void aNewTtlRewritesTheDnsRecordsOnly() {
    var state = new RoutingState(settings(""), PipelineListener.NONE);
    start(state);
    var out = state.reconfigure(settings("tributary.dns.ttl = 300s"), java.util.Set.of());
    assertThat(out).filteredOn(s -> !s.changes().isEmpty()).extracting(ChangeSet::target).containsOnly(Target.DNS);
    assertThat(out.stream().flatMap(s -> s.changes().stream())).hasSize(2).allSatisfy(c -> assertThat(c.op()).isEqualTo(Op.UPDATE));
  }

  @Test
  void aClusterRemovedIsNoLongerWaitedForAndOneAddedHoldsDeletesUntilItLists() {
    var state = new RoutingState(settings(""), PipelineListener.NONE);
    start(state);
    assertThat(state.waitingFor()).isEmpty();
    state.reconfigure(settings("tributary.clusters.us-1.endpoints { addresses = [\"192.0.2.31\"], port = 80 }"), java.util.Set.of());
    assertThat(state.waitingFor()).containsExactly("us-1");
    var onlyEu1 = TributarySettings.from(ConfigFactory.parseString(
        "tributary.clusters.eu-1.endpoints { addresses = [\"192.0.2.11\"], port = 8080 }").withFallback(ConfigFactory.defaultReference()).resolve());
    state.reconfigure(onlyEu1, java.util.Set.of());
    assertThat(state.waitingFor()).isEmpty();
  }

  @Test
  void aWriterStartedAnewIsToldEverythingItHoldsAndThatTheStateIsComplete() {
    var state = new RoutingState(settings(""), PipelineListener.NONE);
    start(state);
    var out = state.reconfigure(settings(""), java.util.Set.of(Target.CONSUL));
    assertThat(out).filteredOn(s -> !s.changes().isEmpty()).allSatisfy(s -> assertThat(s.target()).isEqualTo(Target.CONSUL));
    assertThat(out.stream().flatMap(s -> s.changes().stream())).hasSize(2).allSatisfy(c -> assertThat(c.op()).isEqualTo(Op.CREATE));
    assertThat(out.get(out.size() - 1)).isEqualTo(ChangeSet.complete(Target.CONSUL));
  }
}
