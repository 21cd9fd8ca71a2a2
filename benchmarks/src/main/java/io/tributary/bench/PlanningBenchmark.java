package io.tributary.bench;

import io.tributary.consul.ConsulPlan;
import io.tributary.consul.ConsulPlanner;
import io.tributary.dns.DnsPlan;
import io.tributary.dns.DnsPlanner;
import io.tributary.plan.PipelineListener;
import io.tributary.plan.RoutingState;
import io.tributary.target.ChangeSet;
import io.tributary.translate.Route;
import io.tributary.translate.Translation;
import io.tributary.translate.Translator;
import io.tributary.watch.EventType;
import io.tributary.watch.ObjectKey;
import io.tributary.watch.WatchEvent;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Planning: the Consul and DNS planners over one route group / host, and a {@link RoutingState}
 * holding {@code objects} Ingresses of three clusters applying one more change (translated before).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PlanningBenchmark {
  private static final List<String> CLUSTERS = List.of("eu-1", "eu-2", "us-1");

  @Param({"1000", "10000"})
  public int objects;

  private List<Route> group;
  private List<Route> hostRoutes;
  private RoutingState state;
  private io.tributary.translate.TranslatedEvent[] toggles;
  private int next;

  @Setup
  public void setUp() {
    var settings = Objects.SETTINGS;
    // the same Ingress in three clusters: one multi-cluster group
    group = new java.util.ArrayList<>();
    for (String c : CLUSTERS) {
      var t = (Translation.Accepted) Translator.translate(new ObjectKey(c, "Ingress", "shop", "shop-1"), Objects.ingress(1, 10),
          settings.translate());
      group.addAll(t.routes().stream().filter(r -> r.path().equals("/")).toList());
    }
    hostRoutes = group.stream().filter(r -> r.host().equals("shop-1.example.com")).toList();

    state = new RoutingState(settings, PipelineListener.NONE);
    for (int i = 0; i < objects; i++) {
      String cluster = CLUSTERS.get(i % CLUSTERS.size());
      state.apply(Translator.translated(WatchEvent.of(cluster, EventType.ADDED, Objects.ingress(i / CLUSTERS.size(), 10)), settings));
    }
    for (String c : CLUSTERS) {
      state.apply(Translator.translated(WatchEvent.synced(c, "Ingress"), settings));
    }
    toggles = new io.tributary.translate.TranslatedEvent[2];
    for (int p = 0; p < 2; p++) {
      toggles[p] = Translator.translated(WatchEvent.of("eu-1", EventType.MODIFIED, Objects.ingress(0, 11 + p)), settings);
    }
  }

  @Benchmark
  public ConsulPlan consulPlanner() {
    var s = Objects.SETTINGS;
    return ConsulPlanner.plan(group, s::endpoints, s.consul(), s.ownerId(), s.translate().prefer(), r -> false,
        ConsulPlanner.MiddlewareLookup.NONE);
  }

  @Benchmark
  public DnsPlan dnsPlanner() {
    var s = Objects.SETTINGS;
    return DnsPlanner.plan("shop-1.example.com", hostRoutes, s::endpoints, s.dns(), s.ownerId());
  }

  /** One object's priority toggled: re-plan its units and diff against what the targets were told. */
  @Benchmark
  public List<ChangeSet> routingStateApply() {
    return state.apply(toggles[next++ & 1]);
  }
}
