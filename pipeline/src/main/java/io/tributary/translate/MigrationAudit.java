package io.tributary.translate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.kind.ResourceKind;
import io.tributary.settings.TranslateSettings;
import io.tributary.settings.TagSyntax;
import io.tributary.watch.ObjectKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The Traefik 1 → 2 migration scan: for every Ingress route, is there an IngressRoute
 * in the same cluster and namespace routing the same requests, and does it agree (backend,
 * entry points, TLS, priority)? Pure; findings are sorted. Also the ingress-nginx migration scan
 * ({@link #nginx}): every NGINX annotation of every nginx-class Ingress, carried, approximated or
 * refused.
 */
public final class MigrationAudit {
  private MigrationAudit() {}

  /** One finding: {@code missing}, {@code mismatch}, {@code extra}, {@code invalid} or {@code partly} (some rules or routes rejected). */
  public record Finding(String cluster, String namespace, String type, String detail) {
    @Override
    public String toString() {
      return cluster + " " + namespace + ": " + type + ": " + detail;
    }
  }

  /** The result: findings plus how many Ingress routes already have a matching IngressRoute. */
  public record Report(List<Finding> findings, int ingressRoutes, int matched) {}

  /** Audits the latest state of every object. */
  public static Report audit(Map<ObjectKey, ObjectNode> objects, TranslateSettings settings) {
    Map<String, Route> ingress = new TreeMap<>();
    Map<String, Route> ingressRoutes = new TreeMap<>();
    List<Finding> findings = new ArrayList<>();
    for (var e : new TreeMap<>(objects).entrySet()) {
      ObjectKey key = e.getKey();
      boolean isIngress = key.is(ResourceKind.INGRESS);
      boolean isRoute = key.is(ResourceKind.INGRESS_ROUTE);
      if (!isIngress && !isRoute) {
        continue;
      }
      Translation t = Translator.translate(key, e.getValue(), settings);
      if (t instanceof Translation.Rejected r) {
        findings.add(new Finding(key.cluster(), key.namespace(), "invalid", key.kind() + " " + key.name() + ": " + r.reason()));
        continue;
      }
      if (t instanceof Translation.Accepted a) {
        for (Translation.RejectedPart p : a.rejectedParts()) {
          findings.add(new Finding(key.cluster(), key.namespace(), "partly", key.kind() + " " + key.name() + " " + p.path()
              + " is rejected (the rest is published): " + p.reason()));
        }
        for (Route route : a.routes()) {
          if (route.canary() != null) {
            continue; // an nginx canary is a share of its primary's route, not a route of its own
          }
          String slot = key.cluster() + "|" + key.namespace() + "|" + route.groupKey();
          (isIngress ? ingress : ingressRoutes).putIfAbsent(slot, route);
        }
      }
    }
    int matched = 0;
    for (var e : ingress.entrySet()) {
      Route in = e.getValue();
      Route ir = ingressRoutes.get(e.getKey());
      String what = ResourceKind.INGRESS.kind() + " " + in.source().name() + " " + in.rule(TagSyntax.V3);
      if (ir == null) {
        findings.add(new Finding(in.source().cluster(), in.source().namespace(), "missing",
            what + " has no " + ResourceKind.INGRESS_ROUTE.kind()));
        continue;
      }
      List<String> diffs = new ArrayList<>();
      if (!in.backend().service().equals(ir.backend().service())
          || !Objects.equals(in.backend().portNumber(), ir.backend().portNumber())) {
        diffs.add("backend " + in.backend() + " vs " + ir.backend());
      }
      if (!in.entrypoints().equals(ir.entrypoints())) {
        diffs.add("entrypoints " + in.entrypoints() + " vs " + ir.entrypoints());
      }
      if (in.tls() != ir.tls()) {
        diffs.add("tls " + in.tls() + " vs " + ir.tls());
      }
      if (!Objects.equals(in.priority(), ir.priority())) {
        diffs.add("priority " + in.priority() + " vs " + ir.priority());
      }
      if (diffs.isEmpty()) {
        matched++;
      } else {
        findings.add(new Finding(in.source().cluster(), in.source().namespace(), "mismatch",
            what + " vs " + ResourceKind.INGRESS_ROUTE.kind() + " " + ir.source().name() + ": " + String.join(", ", diffs)));
      }
    }
    for (var e : ingressRoutes.entrySet()) {
      if (!ingress.containsKey(e.getKey())) {
        Route ir = e.getValue();
        findings.add(new Finding(ir.source().cluster(), ir.source().namespace(), "extra",
            ResourceKind.INGRESS_ROUTE.kind() + " " + ir.source().name() + " " + ir.rule(TagSyntax.V3)
                + " has no " + ResourceKind.INGRESS.kind() + " (fine once migrated)"));
      }
    }
    findings.sort((a, b) -> a.toString().compareTo(b.toString()));
    return new Report(findings, ingress.size(), matched);
  }

  /**
   * One Ingress of an nginx class: what became of it and of each of its NGINX annotations.
   *
   * @param outcome {@code translated (N routes)}, {@code partly translated (N routes; rejected: <reasons>)},
   *     {@code held back: <reason>} or {@code ignored: <reason>}
   */
  public record NginxIngress(ObjectKey key, String ingressClass, String outcome, List<NginxAnnotations.Finding> findings) {
    /** True if the Ingress is published and every annotation is carried or approximated. */
    public boolean ready() {
      return outcome.startsWith("translated (")
          && findings.stream().noneMatch(f -> f.verdict() == NginxAnnotations.Verdict.REFUSED);
    }
  }

  /** The ingress-nginx scan: the Ingresses of {@code classes}, sorted by key. */
  public record NginxReport(java.util.Set<String> classes, List<NginxIngress> ingresses) {
    /** How many annotations have {@code verdict}, over every Ingress. */
    public long count(NginxAnnotations.Verdict verdict) {
      return ingresses.stream().flatMap(i -> i.findings().stream()).filter(f -> f.verdict() == verdict).count();
    }

    /** True when every Ingress is published with every annotation carried or approximated. */
    public boolean ready() {
      return ingresses.stream().allMatch(NginxIngress::ready);
    }
  }

  /**
   * Audits the Ingresses of {@code classes} (those of {@code translate.nginx-classes}, or what the
   * caller names) for a move off ingress-nginx: each is translated as an nginx-class Ingress, and
   * each of its annotations gets its verdict.
   */
  public static NginxReport nginx(Map<ObjectKey, ObjectNode> objects, TranslateSettings settings, java.util.Set<String> classes) {
    TranslateSettings asNginx = settings.withNginxClasses(classes, settings.nginxDropSnippets());
    List<NginxIngress> out = new ArrayList<>();
    for (var e : new TreeMap<>(objects).entrySet()) {
      ObjectKey key = e.getKey();
      String ingressClass = NginxAnnotations.ingressClass(e.getValue());
      if (!key.is(ResourceKind.INGRESS) || ingressClass == null || !classes.contains(ingressClass)) {
        continue;
      }
      Translation t = Translator.translate(key, e.getValue(), asNginx);
      String outcome = t instanceof Translation.Accepted a
          ? (a.partly() ? "partly translated (" : "translated (") + a.routes().size() + " route" + (a.routes().size() == 1 ? "" : "s")
              + (a.partly() ? "; rejected: " + a.rejectedReasons() : "") + ")"
          : t instanceof Translation.Rejected r ? "held back: " + r.reason()
          : "ignored: " + ((Translation.Ignored) t).reason();
      var findings = NginxAnnotations.read(key, NginxAnnotations.of(e.getValue()), asNginx).findings();
      out.add(new NginxIngress(key, ingressClass, outcome, findings));
    }
    return new NginxReport(new java.util.TreeSet<>(classes), out);
  }
}
