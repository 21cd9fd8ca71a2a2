package io.tributary.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import io.tributary.eventlog.EventLogReader;
import io.tributary.eventlog.LogEvent;
import io.tributary.settings.TributarySettings;
import io.tributary.translate.MigrationAudit;
import io.tributary.translate.NginxAnnotations;
import io.tributary.watch.EventType;
import io.tributary.watch.KubernetesClients;
import io.tributary.watch.ObjectKey;
import io.tributary.plan.PipelineListener;
import io.tributary.watch.WatchEvent;
import io.tributary.watch.WatchEventSink;
import io.tributary.watch.WatcherSupervisor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tributary audit}: which Ingresses have no matching IngressRoute yet (a Traefik 1 → 2
 * migration); with {@code --nginx}, what becomes of each NGINX annotation of the Ingresses of an
 * ingress-nginx class (a move off ingress-nginx).
 */
@Command(
    name = "audit",
    description =
        "Compare Ingresses with IngressRoutes, per cluster and namespace: Ingress routes with no"
            + " IngressRoute, mismatches (backend, entry points, TLS, priority), objects that cannot be"
            + " translated. Reads the live clusters of --config, or the final state of an event log."
            + " Exit 0 when every Ingress route has a matching IngressRoute, 3 otherwise."
            + " With --nginx: per Ingress of an ingress-nginx class, every nginx.ingress.kubernetes.io annotation and whether"
            + " it is carried, approximated or refused (with the Traefik middleware it becomes, or the reason);"
            + " exit 0 when every such Ingress is published with nothing refused, 3 otherwise.")
final class AuditCommand implements Callable<Integer> {
  @Parameters(index = "0", arity = "0..1", paramLabel = "LOG", description = "Audit this event log instead of live clusters.")
  Path log;

  @Option(names = "--config", paramLabel = "FILE", description = "HOCON config (clusters to scan; translation settings).")
  Path config;

  @Option(names = "--timeout", defaultValue = "PT60S", description = "How long to wait for every cluster to list (live; default ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(names = "--nginx", description = "Audit the NGINX annotations of the Ingresses of translate.nginx-classes"
      + " (class nginx when that is empty) instead of the Ingress/IngressRoute pairs.")
  boolean nginx;

  @Override
  public Integer call() throws Exception {
    if (log == null && config == null) {
      throw new UserError("give an event log or --config with clusters to scan (see tributary audit --help)");
    }
    Config cfg = ConfigFiles.load(config);
    TributarySettings settings = TributarySettings.from(cfg);
    Map<ObjectKey, ObjectNode> objects = log != null ? fromLog() : fromClusters(cfg, settings);
    if (nginx) {
      return nginx(objects, settings);
    }
    var report = MigrationAudit.audit(objects, settings.translate());
    report.findings().forEach(f -> System.out.println(f));
    System.out.printf("%d of %d Ingress routes have a matching IngressRoute; %d findings%n",
        report.matched(), report.ingressRoutes(), report.findings().size());
    return report.matched() == report.ingressRoutes() && report.findings().stream().noneMatch(f -> f.type().equals("invalid") || f.type().equals("partly")) ? 0 : 3;
  }

  private static int nginx(Map<ObjectKey, ObjectNode> objects, TributarySettings settings) {
    Set<String> classes = settings.translate().nginxClasses().isEmpty() ? Set.of("nginx") : settings.translate().nginxClasses();
    var report = MigrationAudit.nginx(objects, settings.translate(), classes);
    for (var ingress : report.ingresses()) {
      System.out.println(ingress.key() + " (class " + ingress.ingressClass() + "): " + ingress.outcome());
      if (ingress.findings().isEmpty()) {
        System.out.println("  no nginx.ingress.kubernetes.io annotations");
      }
      ingress.findings().forEach(f -> System.out.println("  " + f));
    }
    long heldBack = report.ingresses().stream().filter(i -> i.outcome().startsWith("held back")).count();
    System.out.printf("%d Ingresses of class %s: %d annotations carried, %d approximated, %d refused; %d held back%n",
        report.ingresses().size(), report.classes(), report.count(NginxAnnotations.Verdict.CARRIED),
        report.count(NginxAnnotations.Verdict.APPROXIMATED), report.count(NginxAnnotations.Verdict.REFUSED), heldBack);
    return report.ready() ? 0 : 3;
  }

  private Map<ObjectKey, ObjectNode> fromLog() throws Exception {
    Map<ObjectKey, ObjectNode> objects = new java.util.HashMap<>();
    try (var reader = EventLogReader.open(log, false)) {
      while (reader.hasNext()) {
        LogEvent e = reader.next();
        if (!e.type().isWatch() || e.type() == io.tributary.eventlog.LogEventType.SYNCED) {
          continue;
        }
        WatchEvent w = e.toWatchEvent();
        if (w.type() == EventType.DELETED) {
          objects.remove(w.key());
        } else {
          objects.put(w.key(), w.object());
        }
      }
    }
    return objects;
  }

  private Map<ObjectKey, ObjectNode> fromClusters(Config cfg, TributarySettings settings) throws Exception {
    ConfigFiles.serviceSettings(cfg, config);
    Map<ObjectKey, ObjectNode> objects = new ConcurrentHashMap<>();
    Set<String> synced = ConcurrentHashMap.newKeySet();
    WatchEventSink sink = e -> {
      if (e.isSynced()) {
        synced.add(e.key().cluster() + "/" + e.key().kind());
      } else if (e.type() == EventType.DELETED) {
        objects.remove(e.key());
      } else {
        objects.put(e.key(), e.object());
      }
    };
    int expected = settings.clusters().values().stream().mapToInt(c -> c.kinds().size()).sum();
    ActorSystem<WatcherSupervisor.Command> system = ActorSystem.create(
        WatcherSupervisor.create(settings.clusters().values(), sink, KubernetesClients.standard(), PipelineListener.NONE, settings.watch()),
        "tributary-audit", cfg);
    try {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (synced.size() < expected && System.nanoTime() < deadline) {
        TimeUnit.MILLISECONDS.sleep(100);
      }
      if (synced.size() < expected) {
        System.err.println("warning: not every cluster listed within " + timeout + "; the audit covers what was seen");
      }
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    return objects;
  }
}
