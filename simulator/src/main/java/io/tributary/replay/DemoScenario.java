package io.tributary.replay;

import io.tributary.eventlog.EventLogWriter;
import io.tributary.kind.ResourceKind;
import io.tributary.eventlog.LogEvent;
import io.tributary.eventlog.LogEventType;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The bundled demo: three clusters, 48 Ingresses in seven namespaces, and 80 seconds of the churn
 * an SRE sees during a migration. The timeline is documented in docs/demo-scenario.md; {@link
 * #main} rewrites the bundled log, and a test keeps the bundle equal to this generator.
 */
public final class DemoScenario {
  /** Virtual time of the first event. */
  public static final Instant START = Instant.parse("2026-11-22T10:00:00Z");

  static final String EU1 = "eu-1";
  static final String EU2 = "eu-2";
  static final String US1 = "us-1";
  private static final String STRIP = "traefik.frontend.rule.type";
  private static final String ENTRYPOINTS = "traefik.ingress.kubernetes.io/router.entrypoints";
  private static final String PRIORITY = "traefik.ingress.kubernetes.io/router.priority";
  private static final String MIDDLEWARES = "traefik.ingress.kubernetes.io/router.middlewares";
  private static final String TLS = "traefik.ingress.kubernetes.io/router.tls";
  /**
   * The kinds the demo's watchers list, as when the log was recorded: fixed, so that a kind
   * Tributary learns to watch later leaves the bundled log (and its replay) as it is.
   */
  private static final List<ResourceKind> LISTED_KINDS = List.of(
      ResourceKind.INGRESS, ResourceKind.INGRESS_ROUTE, ResourceKind.MIDDLEWARE, ResourceKind.SERVICE, ResourceKind.NODE);

  private DemoScenario() {}

  /** Writes the demo log to {@code simulator/src/main/resources/demo/demo-events.jsonl.gz} (or args[0]). */
  public static void main(String[] args) throws IOException {
    Path out = Path.of(args.length > 0 ? args[0] : "simulator/src/main/resources/demo/demo-events.jsonl.gz");
    write(out);
    System.out.println("wrote " + events().size() + " events to " + out);
  }

  /** Writes the demo log to {@code out} (gzip when it ends in .gz). */
  public static void write(Path out) throws IOException {
    try (var w = EventLogWriter.open(out)) {
      events().forEach(w::write);
    }
  }

  /** The demo's events, in time order. */
  public static List<LogEvent> events() {
    var t = new Timeline();

    // ---- apps: (namespace, name, host, clusters) — most run in both EU clusters
    record App(String ns, String name, String host, String service, int port, List<String> clusters) {}
    List<App> multi =
        List.of(
            new App("shop", "storefront", "www.example.com", "storefront", 80, List.of(EU1, EU2)),
            new App("shop", "basket", "basket.example.com", "basket", 8080, List.of(EU1, EU2)),
            new App("payments", "checkout-api", "pay.example.com", "checkout", 8080, List.of(EU1, EU2)),
            new App("payments", "invoices", "invoices.example.com", "invoices", 80, List.of(EU1, EU2)),
            new App("search", "search-api", "search.example.com", "search", 80, List.of(EU1, EU2)),
            new App("accounts", "login", "login.example.com", "login", 80, List.of(EU1, EU2)),
            new App("accounts", "profile", "profile.example.com", "profile", 80, List.of(EU1, EU2)),
            new App("media", "images", "img.example.com", "images", 80, List.of(EU1, EU2)),
            new App("platform", "status", "status.example.com", "status", 80, List.of(EU1, EU2)),
            new App("docs", "docs-site", "docs.example.org", "docs", 80, List.of(EU1, EU2)));
    List<App> single =
        List.of(
            new App("shop", "catalog", "catalog.example.org", "catalog", 80, List.of(EU1)),
            new App("shop", "reviews", "reviews.example.com", "reviews", 80, List.of(EU1)),
            new App("payments", "fraud-check", "fraud.example.com", "fraud", 9000, List.of(EU1)),
            new App("search", "indexer-admin", "indexer.example.com", "indexer", 80, List.of(EU1)),
            new App("accounts", "legacy-reports", "reports.example.com", "reports", 80, List.of(EU1)),
            new App("media", "video", "video.example.com", "video", 80, List.of(EU1)),
            new App("platform", "feature-flags", "flags.example.com", "flags", 80, List.of(EU1)),
            new App("docs", "api-reference", "api-docs.example.org", "apidocs", 80, List.of(EU1)),
            new App("search", "autocomplete", "suggest.example.com", "autocomplete", 80, List.of(EU2)),
            new App("media", "uploads", "upload.example.com", "uploads", 80, List.of(EU2)),
            new App("platform", "grafana", "grafana.example.com", "grafana", 3000, List.of(EU2)),
            new App("accounts", "sso-admin", "sso-admin.example.com", "sso-admin", 80, List.of(EU2)),
            new App("payments", "payouts", "payouts.example.com", "payouts", 80, List.of(EU2)),
            new App("docs", "blog", "blog.example.org", "blog", 80, List.of(EU2)),
            new App("shop", "us-storefront", "www.example.org", "storefront", 80, List.of(US1)),
            new App("shop", "us-basket", "basket.example.org", "basket", 80, List.of(US1)),
            new App("payments", "us-checkout", "pay.example.org", "checkout", 80, List.of(US1)),
            new App("search", "us-search", "search.example.org", "search", 80, List.of(US1)),
            new App("accounts", "us-login", "login.example.org", "login", 80, List.of(US1)),
            new App("media", "us-cdn-origin", "origin.example.org", "origin", 80, List.of(US1)),
            new App("platform", "us-status", "status.example.org", "status", 80, List.of(US1)),
            new App("docs", "us-help", "help.example.org", "help", 80, List.of(US1)));

    Map<String, Supplier<? extends ObjectSource>> base = new HashMap<>();
    for (App a : concat(multi, single)) {
      base.put(
          a.ns() + "/" + a.name(),
          () -> IngressFactory.ingress(a.ns(), a.name()).path(a.host(), "/", "Prefix", a.service(), a.port()));
    }
    // feature variety on some of them
    base.put("shop/storefront", () -> base0("shop", "storefront", "www.example.com", "storefront", 80)
        .tls("www.example.com").annotation(ENTRYPOINTS, "websecure"));
    base.put("payments/checkout-api", () -> IngressFactory.ingress("payments", "checkout-api")
        .path("pay.example.com", "/v1", "Prefix", "checkout", 8080)
        .path("pay.example.com", "/healthz", "Exact", "checkout", 8080)
        .tls("*.example.com"));
    base.put("accounts/login", () -> base0("accounts", "login", "login.example.com", "login", 80)
        .annotation(MIDDLEWARES, "ratelimit@file").annotation(TLS, "true"));
    base.put("media/images", () -> IngressFactory.ingress("media", "images")
        .path("img.example.com", "/images", "Prefix", "images", 80)
        .path("img.example.com", "/thumbs", "Exact", "thumbs", 80)
        .defaultBackend("images", 80));
    base.put("docs/docs-site", () -> IngressFactory.ingress("docs", "docs-site")
        .path("docs.example.org", "/", "ImplementationSpecific", "docs", 80));
    base.put("platform/status", () -> base0("platform", "status", "status.example.com", "status", 80)
        .annotation(PRIORITY, "10"));
    base.put("accounts/legacy-reports", () -> IngressFactory.ingress("accounts", "legacy-reports")
        .annotation(STRIP, "PathPrefixStrip")
        .path("reports.example.com", "/reports", "Prefix", "reports", 80));
    base.put("platform/feature-flags", () -> base0("platform", "feature-flags", "flags.example.com", "flags", 80)
        .annotation(PRIORITY, "10"));

    // ---- t = 0-1 s: initial lists, each closed by SYNCED
    Map<String, List<String>> byCluster = new HashMap<>();
    for (App a : concat(multi, single)) {
      for (String c : a.clusters()) {
        byCluster.computeIfAbsent(c, k -> new ArrayList<>()).add(a.ns() + "/" + a.name());
      }
    }
    // the objects every initial list also carries: ignored, and three malformed ones
    byCluster.get(EU2).add("shop/nginx-legacy");
    base.put("shop/nginx-legacy", () -> IngressFactory.ingress("shop", "nginx-legacy").ingressClass("nginx")
        .path("old.example.com", "/", "Prefix", "legacy", 80));
    byCluster.get(EU1).add("media/bad-host");
    base.put("media/bad-host", () -> IngressFactory.ingress("media", "bad-host")
        .path("Bad_Host.example.com", "/", "Prefix", "media", 80));
    byCluster.get(EU2).add("payments/refunds");
    base.put("payments/refunds", () -> IngressFactory.ingress("payments", "refunds")
        .path("refunds.example.com", "/", "Prefix", null, 0));
    // Traefik 2 migration in progress (Ingress and IngressRoute side by side): some Ingresses already have their IngressRoute
    byCluster.get(EU1).add("ir:search/search-api");
    base.put("ir:search/search-api", () -> IngressFactory.ingressRoute(ResourceKind.TRAEFIK_GROUP, "search", "search-api", "search.example.com", "search", 80));
    byCluster.get(EU1).add("ir:payments/invoices");
    base.put("ir:payments/invoices", () -> IngressFactory.ingressRoute(ResourceKind.TRAEFIK_GROUP, "payments", "invoices", "invoices.example.com", "invoices", 80));
    byCluster.get(EU2).add("ir:docs/docs-site");
    base.put("ir:docs/docs-site", () -> IngressFactory.ingressRoute(ResourceKind.LEGACY_TRAEFIK_GROUP, "docs", "docs-site", "docs.example.org", "docs", 80));
    byCluster.get(EU1).add("ir:media/video-ir");
    base.put("ir:media/video-ir", () -> IngressFactory.ingressRoute(ResourceKind.TRAEFIK_GROUP, "media", "video-ir", "video.example.org", "video", 80));
    // its Middleware needs a Secret the VM-side Traefik cannot read: the route is held back, never
    // published without its authentication
    byCluster.get(US1).add("mw:accounts/admin-auth");
    base.put("mw:accounts/admin-auth", () -> IngressFactory.middleware("accounts", "admin-auth", "{\"basicAuth\":{\"secret\":\"admin-users\"}}"));
    byCluster.get(US1).add("accounts/admin-portal");
    base.put("accounts/admin-portal", () -> IngressFactory.ingress("accounts", "admin-portal")
        .annotation(MIDDLEWARES, "accounts-admin-auth@kubernetescrd")
        .path("admin.example.org", "/", "Prefix", "admin", 80));

    double offset = 0;
    for (String cluster : List.of(EU1, EU2, US1)) {
      for (String obj : byCluster.get(cluster)) {
        t.add(offset, cluster, LogEventType.ADDED, base.get(obj));
        offset += 0.005;
      }
      t.synced(offset, cluster);
      offset += 0.050;
    }

    // ---- t = 5-15 s: changes that matter, in both EU clusters
    Supplier<IngressFactory> basketV2 = () -> base0("shop", "basket", "basket.example.com", "basket", 8080)
        .path("basket.example.com", "/api", "Prefix", "basket-api", 8080);
    t.add(5.0, EU1, LogEventType.MODIFIED, basketV2);
    t.add(5.5, EU2, LogEventType.MODIFIED, basketV2);
    Supplier<IngressFactory> invoicesPort = () -> base0("payments", "invoices", "invoices.example.com", "invoices", 8443);
    t.add(8.0, EU1, LogEventType.MODIFIED, invoicesPort);
    t.add(8.2, EU2, LogEventType.MODIFIED, invoicesPort);
    Supplier<IngressFactory> profileTls = () -> base0("accounts", "profile", "profile.example.com", "profile", 80)
        .tls("profile.example.com");
    t.add(12.0, EU1, LogEventType.MODIFIED, profileTls);
    t.add(12.0, EU2, LogEventType.MODIFIED, profileTls);
    t.add(15.0, EU1, LogEventType.MODIFIED, () -> base0("search", "indexer-admin", "indexer.example.com", "indexer", 80)
        .annotation(ENTRYPOINTS, "internal"));

    // ---- t = 7, 9, 11 s: updates Tributary must not write for
    for (String obj : List.of("shop/reviews", "media/video", "docs/api-reference")) {
      t.add(7.0, EU1, LogEventType.MODIFIED, base.get(obj)); // resourceVersion bump only
    }
    t.add(9.0, EU2, LogEventType.MODIFIED, () -> ingress(base, "platform/grafana").statusIp("192.0.2.251"));
    t.add(11.0, US1, LogEventType.MODIFIED, () -> ingress(base, "shop/us-basket").manager("argocd-controller"));

    // ---- t = 10 s, 40 s: the strangler — one path of a VM-served host moves to Kubernetes
    Supplier<IngressFactory> cart = () -> IngressFactory.ingress("shop", "cart-api")
        .created(START.plusSeconds(10))
        .annotation(STRIP, "PathPrefixStrip")
        .path("shop.example.com", "/api/cart", "Prefix", "cart", 8080);
    t.add(10.0, EU1, LogEventType.ADDED, cart);
    t.add(40.0, EU1, LogEventType.MODIFIED, () -> cart.get()
        .path("shop.example.com", "/api/checkout", "Prefix", "checkout-web", 8080).generation(2));
    // ---- t = 45 s: the canary — a fifth of the carved-out paths' requests go to Kubernetes, the rest stays on the VMs
    t.add(45.0, EU1, LogEventType.MODIFIED, () -> cart.get()
        .path("shop.example.com", "/api/checkout", "Prefix", "checkout-web", 8080).generation(3)
        .annotation("tributary.io/weight", "20"));

    // ---- t = 20-26 s: a flapping object, every 50 ms, priority cycling 20 -> 30 -> 10; the
    // 150 ms cycle is not a divisor of max-delay, so each max-delay emission carries a new value
    for (int i = 0; i < 120; i++) {
      String priority = List.of("20", "30", "10").get(i % 3);
      t.add(20.0 + i * 0.050, EU1, LogEventType.MODIFIED,
          () -> base0("platform", "feature-flags", "flags.example.com", "flags", 80).annotation(PRIORITY, priority));
    }

    // ---- t = 30.0-30.1 s: a burst of 1 000 updates; only the last changes anything
    for (int i = 0; i < 1000; i++) {
      boolean last = i == 999;
      t.add(30.0 + i * 0.0001, EU2, LogEventType.MODIFIED,
          last
              ? () -> base0("search", "autocomplete", "suggest.example.com", "autocomplete", 80)
                  .path("suggest.example.com", "/v2", "Prefix", "autocomplete-v2", 80)
              : base.get("search/autocomplete"));
    }

    // ---- t = 50-55 s: a hostname moves from eu-1 to us-1
    t.add(50.0, US1, LogEventType.ADDED, () -> base0("shop", "catalog", "catalog.example.org", "catalog", 80)
        .created(START.plusSeconds(50)));
    t.add(55.0, EU1, LogEventType.DELETED, base.get("shop/catalog"));

    // ---- t = 60 s: eu-2 drops a host eu-1 still serves; t = 65 s: a host's only Ingress goes
    t.add(60.0, EU2, LogEventType.DELETED, base.get("accounts/login"));
    t.add(65.0, EU1, LogEventType.DELETED, base.get("accounts/legacy-reports"));

    // ---- t = 70 s: the object without a backend is fixed; t = 75, 80 s: more churn
    t.add(70.0, EU2, LogEventType.MODIFIED, () -> IngressFactory.ingress("payments", "refunds")
        .path("refunds.example.com", "/", "Prefix", "refunds", 80).generation(2));
    t.add(75.0, US1, LogEventType.DELETED, base.get("media/us-cdn-origin"));
    t.add(80.0, EU2, LogEventType.MODIFIED, () -> ingress(base, "shop/nginx-legacy")
        .path("old.example.com", "/v2", "Prefix", "legacy", 80));

    return t.build();
  }

  private static IngressFactory ingress(Map<String, Supplier<? extends ObjectSource>> base, String name) {
    return (IngressFactory) base.get(name).get();
  }

  private static IngressFactory base0(String ns, String name, String host, String service, int port) {
    return IngressFactory.ingress(ns, name).path(host, "/", "Prefix", service, port);
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** Collects events at second offsets; resourceVersions are assigned per cluster in time order. */
  private static final class Timeline {
    private record Pending(double at, long seq, String cluster, LogEventType type, Supplier<? extends ObjectSource> object) {}

    private final List<Pending> pending = new ArrayList<>();
    private long seq;

    void add(double at, String cluster, LogEventType type, Supplier<? extends ObjectSource> object) {
      pending.add(new Pending(at, seq++, cluster, type, object));
    }

    void synced(double at, String cluster) {
      pending.add(new Pending(at, seq++, cluster, LogEventType.SYNCED, null));
    }


    List<LogEvent> build() {
      pending.sort(Comparator.comparingDouble(Pending::at).thenComparingLong(Pending::seq));
      Map<String, Long> rv = new HashMap<>();
      List<LogEvent> out = new ArrayList<>(pending.size());
      for (Pending p : pending) {
        Instant at = START.plus(Duration.ofNanos(Math.round(p.at() * 1_000_000_000L)));
        if (p.type() == LogEventType.SYNCED) {
          // a watcher lists every kind it watches
          LISTED_KINDS.forEach(kind -> out.add(LogEvent.synced(at, p.cluster(), kind.kind())));
          continue;
        }
        long version = rv.merge(p.cluster(), 1L, Long::sum) + 1000;
        out.add(LogEvent.watch(at, p.cluster(), p.type(), p.object().get().build(p.cluster(), version)));
      }
      return out;
    }
  }
}
