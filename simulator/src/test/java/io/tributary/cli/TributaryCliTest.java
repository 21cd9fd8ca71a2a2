package io.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The command line as a user runs it: exit codes and what it prints. */
class TributaryCliTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream oldOut;
  private PrintStream oldErr;

  @BeforeEach
  void capture() {
    oldOut = System.out;
    oldErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setOut(oldOut);
    System.setErr(oldErr);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  /** stderr holds no stack trace: no frames, no exception class names. */
  private void assertNoStackTrace() {
    assertThat(err()).doesNotContain("\tat ").doesNotContain("at io.").doesNotContain("Exception");
  }

  /** A generated gzip log, cut short as a killed recorder leaves it. */
  private Path cutLog(String name) throws Exception {
    Path whole = dir.resolve("whole-" + name);
    assertThat(TributaryCli.execute("generate", "--out", whole.toString(), "--objects", "20", "--duration", "PT5S")).isZero();
    byte[] all = Files.readAllBytes(whole);
    Path cut = dir.resolve(name);
    Files.write(cut, Arrays.copyOf(all, all.length * 9 / 10));
    out.reset();
    return cut;
  }

  @Test
  void demoPrintsTheRoutingTableAndSummaryAndExitsZero() throws Exception {
    Path state = dir.resolve("state.json");
    assertThat(TributaryCli.execute("demo", "--state", state.toString())).isEqualTo(0);
    assertThat(out())
        .contains("Routing table (")
        .contains("shop.example.com/api/cart")
        .contains("dns        A 198.51.100.10")
        .contains("instances  eu-1: 192.0.2.11:8080")
        .contains("dns        CNAME ingress-us-1.example.net")
        .contains("Summary of demo/demo-events.jsonl.gz")
        .contains("rejected objects 2 now")
        // the canary of the carved-out paths: the router in Traefik's dynamic config and its split
        .contains("router     tributary-demo.shop-example-com-api-cart-canary (Traefik dynamic config) · entrypoints web")
        .contains("split      shop-vm 80% · shop-example-com-api-cart 20% (weighted)");
    assertThat(Files.readString(state)).contains("\"consul\"")
        .contains("\"traefik/http/services/tributary-demo.shop-example-com-api-cart-canary/weighted/services/0/weight\"");
  }

  @Test
  void generateThenReplayWithTranscriptAndState() throws Exception {
    Path log = dir.resolve("synthetic.jsonl.gz");
    assertThat(TributaryCli.execute("generate", "--out", log.toString(), "--objects", "30", "--duration", "PT20S")).isZero();
    Path transcript = dir.resolve("t.jsonl");
    assertThat(TributaryCli.execute("replay", log.toString(), "--transcript", transcript.toString(), "--table")).isZero();
    assertThat(out()).contains("Summary of synthetic.jsonl.gz").contains("Routing table");
    assertThat(Files.readAllLines(transcript)).isNotEmpty().allMatch(l -> l.startsWith("{\"at\":\""));
  }

  @Test
  void aMalformedLogStopsWithFileLineAndReasonAndExitCode2() throws Exception {
    Path log = dir.resolve("bad.jsonl");
    Files.writeString(log, "{\"v\":1,\"at\":\"2026-11-22T10:00:00Z\",\"cluster\":\"eu-1\",\"type\":\"SYNCED\",\"kind\":\"Ingress\"}\n{oops\n");
    assertThat(TributaryCli.execute("replay", log.toString())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("bad.jsonl:2: invalid JSON");
    assertThat(TributaryCli.execute("replay", log.toString(), "--skip-bad-lines")).isZero();
    assertThat(out()).contains("skipped lines    1");
  }

  @Test
  void auditOverAnEventLogListsIngressesWithoutIngressRoutesAndExits3() throws Exception {
    Path log = dir.resolve("demo.jsonl.gz");
    assertThat(TributaryCli.execute("generate", "--demo", "--out", log.toString())).isZero();
    assertThat(TributaryCli.execute("audit", log.toString())).isEqualTo(3);
    assertThat(out()).contains("missing: Ingress storefront Host(`www.example.com`) has no IngressRoute")
        .contains("eu-1 payments: mismatch: Ingress invoices Host(`invoices.example.com`) vs IngressRoute invoices: backend invoices:8443 vs invoices:80")
        .contains("eu-1 media: extra: IngressRoute video-ir")
        .contains("eu-1 media: invalid: Ingress bad-host")
        .containsPattern("2 of \\d+ Ingress routes have a matching IngressRoute");
  }

  /** One event-log line adding an Ingress of {@code cls} for shop.example.com{@code path} with {@code annotations}. */
  private static String nginxIngress(String name, String cls, String path, String annotations) {
    return ("{'v':1,'at':'2026-11-22T10:00:00Z','cluster':'eu-1','type':'ADDED','object':{'apiVersion':'networking.k8s.io/v1',"
        + "'kind':'Ingress','metadata':{'name':'" + name + "','namespace':'shop','annotations':{" + annotations + "}},"
        + "'spec':{'ingressClassName':'" + cls + "','rules':[{'host':'shop.example.com','http':{'paths':[{'path':'" + path + "',"
        + "'pathType':'ImplementationSpecific','backend':{'service':{'name':'" + name + "','port':{'number':80}}}}]}}]}}}")
        .replace('\'', '"') + "\n";
  }

  @Test
  void auditNginxPrintsEveryAnnotationsVerdictAndExits3WhileAnythingIsRefusedOrHeldBack() throws Exception {
    String n = "'nginx.ingress.kubernetes.io/";
    Path log = dir.resolve("nginx.jsonl");
    Files.writeString(log, nginxIngress("web", "nginx", "/something(/|$)(.*)", n + "rewrite-target':'/$2'," + n + "use-regex':'true',"
            + n + "allowlist-source-range':'10.0.0.0/8'," + n + "force-ssl-redirect':'true'," + n + "enable-cors':'true'," + n + "limit-rps':'5'")
        + nginxIngress("web-v2", "nginx", "/something(/|$)(.*)", n + "canary':'true'," + n + "canary-weight':'20'," + n + "use-regex':'true'")
        + nginxIngress("legacy", "nginx", "/old", n + "configuration-snippet':'return 403;'")
        + nginxIngress("bad-range", "nginx", "/admin", n + "whitelist-source-range':'10.0.0.0/33'")
        + nginxIngress("plain", "traefik", "/plain", n + "ssl-redirect':'true'"));
    assertThat(TributaryCli.execute("audit", "--nginx", log.toString())).isEqualTo(3);
    assertThat(out()).contains(
        "eu-1/Ingress/shop/web (class nginx): translated (1 route)",
        "  nginx.ingress.kubernetes.io/allowlist-source-range: carried (VM-side Traefik) → ipAllowList sourceRange [10.0.0.0/8];"
            + " at the edge, the only hop that sees the client's address",
        "  nginx.ingress.kubernetes.io/enable-cors: approximated (VM-side Traefik) → headers accessControl*",
        "  nginx.ingress.kubernetes.io/force-ssl-redirect: carried (VM-side Traefik) → redirectScheme https (permanent)",
        "  nginx.ingress.kubernetes.io/limit-rps: refused (not applied); no Traefik equivalent known to Tributary",
        "  nginx.ingress.kubernetes.io/rewrite-target: carried (cluster's controller) → replacePathRegex regex `(?i)^<path>.*` replacement `/${2}`",
        "  nginx.ingress.kubernetes.io/use-regex: carried (route) → PathRegexp(`(?i)^<path>`)",
        "eu-1/Ingress/shop/web-v2 (class nginx): translated (1 route)",
        "  nginx.ingress.kubernetes.io/canary-weight: approximated (cluster's controller) → weighted 80/20",
        "eu-1/Ingress/shop/legacy (class nginx): held back: metadata.annotations[nginx.ingress.kubernetes.io/configuration-snippet]:"
            + " a snippet is raw NGINX configuration",
        "  nginx.ingress.kubernetes.io/configuration-snippet: refused (not applied); a snippet is raw NGINX configuration, which Traefik cannot run",
        "eu-1/Ingress/shop/bad-range (class nginx): held back: metadata.annotations[nginx.ingress.kubernetes.io/whitelist-source-range]:"
            + " '10.0.0.0/33' is not an IP address or CIDR range",
        "4 Ingresses of class [nginx]: ")
        .doesNotContain("shop/plain");
    assertThat(out().lines().filter(l -> l.startsWith("4 Ingresses")).findFirst().orElseThrow())
        .isEqualTo("4 Ingresses of class [nginx]: 5 annotations carried, 3 approximated, 3 refused; 2 held back");

    // a set that moves cleanly exits 0
    Path clean = dir.resolve("clean.jsonl");
    Files.writeString(clean, nginxIngress("web", "nginx", "/api", n + "ssl-redirect':'true'," + n + "proxy-body-size':'8m'"));
    out.reset();
    assertThat(TributaryCli.execute("audit", "--nginx", clean.toString())).isZero();
    assertThat(out()).contains("1 Ingresses of class [nginx]: 1 annotations carried, 1 approximated, 0 refused; 0 held back");
  }

  @Test
  void aReplayedNginxCanaryPairShowsItsSplitInTheRoutingTableAndTheState() throws Exception {
    String n = "'nginx.ingress.kubernetes.io/";
    Path log = dir.resolve("canary.jsonl");
    // the canary first: alone it is held back; the primary releases the pair
    Files.writeString(log, nginxIngress("web-v2", "nginx", "/api", n + "canary':'true'," + n + "canary-weight':'20'")
        .replace("'name':'web-v2','namespace'".replace('\'', '"'), "'name':'web-canary','namespace'".replace('\'', '"'))
        + nginxIngress("web", "nginx", "/api", n + "allowlist-source-range':'10.0.0.0/8'"));
    Path conf = dir.resolve("nginx.conf");
    Files.writeString(conf, """
        tributary.clusters.eu-1.endpoints { addresses = ["192.0.2.11"], port = 8080 }
        tributary.translate.nginx-classes = ["nginx"]
        """);
    Path state = dir.resolve("state.json");
    assertThat(TributaryCli.execute("replay", log.toString(), "--config", conf.toString(), "--table", "--state", state.toString())).isZero();
    assertThat(out()).contains("    split      eu-1: weighted web:80 80%, web-v2:80 20% (nginx canary, in the cluster)");
    assertThat(Files.readString(state)).contains("\"nginx-canary\" : \"weighted web:80 80%, web-v2:80 20%\"")
        .contains("traefik.http.middlewares.eu-1-shop-web-nginx-allowlist.ipallowlist.sourcerange=10.0.0.0/8");
  }

  @Test
  void runAndRecordRefuseAConfigWithoutClusters() throws Exception {
    Path conf = dir.resolve("empty.conf");
    Files.writeString(conf, "tributary.owner-id = test");
    assertThat(TributaryCli.execute("run", "--config", conf.toString())).isEqualTo(2);
    assertThat(TributaryCli.execute("record", "--config", conf.toString(), "--out", dir.resolve("x.jsonl").toString())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("no clusters configured");
  }

  @Test
  void anInvalidConfigIsRejectedWithEveryProblemListed() throws Exception {
    Path conf = dir.resolve("bad.conf");
    Files.writeString(conf, "tributary { debounce.quiet = 5s, debounce.max-delay = 1s, consul.tag-syntax = v9 }");
    Path log = dir.resolve("empty.jsonl");
    Files.writeString(log, "");
    assertThat(TributaryCli.execute("replay", log.toString(), "--config", conf.toString())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("debounce.max-delay")
        .contains("consul.tag-syntax: 'v9' is not one of v1, v2, v3");
  }

  @Test
  void replayOfAMissingLogIsOneLineNamingTheFileAndExitCode2() {
    Path missing = dir.resolve("missing.jsonl");
    assertThat(TributaryCli.execute("replay", missing.toString())).isEqualTo(2);
    assertThat(err().lines()).containsExactly("error: " + missing + ": no such file or directory");
    assertNoStackTrace();
  }

  @Test
  void verboseAddsTheStackTraceOfAUserError() {
    Path missing = dir.resolve("missing.jsonl");
    assertThat(TributaryCli.execute("--verbose", "replay", missing.toString())).isEqualTo(2);
    assertThat(err()).startsWith("error: " + missing + ": no such file or directory")
        .contains("java.nio.file.NoSuchFileException: " + missing).contains("\tat io.tributary.");
    err.reset();
    assertThat(TributaryCli.execute("replay", missing.toString(), "--verbose")).isEqualTo(2); // after the command too
    assertThat(err()).contains("\tat io.tributary.");
  }

  @Test
  void aBadOptionIsOneLineAndAUsageHintWithExitCode2() {
    assertThat(TributaryCli.execute("replay", "x.jsonl", "--skip-bad-line")).isEqualTo(2);
    assertThat(err().lines()).containsExactly(
        "error: Unknown option: '--skip-bad-line'",
        "Possible solutions: --skip-bad-lines",
        "Try 'tributary replay --help' for usage.");
    err.reset();
    assertThat(TributaryCli.execute("generate", "--out", "x.jsonl", "--objects", "many")).isEqualTo(2);
    assertThat(err().lines()).hasSize(2).first().asString().startsWith("error: Invalid value for option '--objects': 'many'");
    assertThat(err()).contains("Try 'tributary generate --help' for usage.");
    assertThat(out()).doesNotContain("Usage:");
  }

  static Stream<Arguments> everyCommandGivenAMissingFile() {
    return Stream.of(
        Arguments.of((Object) new String[] {"replay", "{dir}/missing.jsonl"}),
        Arguments.of((Object) new String[] {"replay", "{dir}"}),
        Arguments.of((Object) new String[] {"replay", "{dir}/empty.jsonl", "--config", "{dir}/missing.conf"}),
        Arguments.of((Object) new String[] {"replay", "{dir}/empty.jsonl", "--transcript", "{dir}/no-dir/t.jsonl"}),
        Arguments.of((Object) new String[] {"demo", "--state", "{dir}/no-dir/state.json"}),
        Arguments.of((Object) new String[] {"run", "--config", "{dir}/missing.conf"}),
        Arguments.of((Object) new String[] {"record", "--config", "{dir}/missing.conf", "--out", "{dir}/r.jsonl"}),
        Arguments.of((Object) new String[] {"generate", "--out", "{dir}/empty.jsonl/x.jsonl"}),
        Arguments.of((Object) new String[] {"audit", "{dir}/missing.jsonl"}),
        Arguments.of((Object) new String[] {"audit"}),
        Arguments.of((Object) new String[] {"bench-consul", "{dir}/missing.jsonl"}),
        Arguments.of((Object) new String[] {"bench-dns", "{dir}/missing.jsonl"}));
  }

  @ParameterizedTest
  @MethodSource
  void everyCommandGivenAMissingFile(String[] args) throws Exception {
    Files.writeString(dir.resolve("empty.jsonl"), "");
    String[] given = Arrays.stream(args).map(a -> a.replace("{dir}", dir.toString())).toArray(String[]::new);
    assertThat(TributaryCli.execute(given)).as(String.join(" ", given)).isEqualTo(2);
    assertThat(err().lines()).as(err()).singleElement().asString().startsWith("error: ");
    assertNoStackTrace();
  }

  @Test
  void aCutGzipLogReplaysEveryCompleteLineWhenSkippingAndStopsWithOneLineOtherwise() throws Exception {
    Path cut = cutLog("killed.jsonl.gz");
    assertThat(TributaryCli.execute("replay", cut.toString(), "--skip-bad-lines")).isZero();
    assertThat(out()).contains("Summary of killed.jsonl.gz").contains("skipped lines    1")
        .containsPattern(java.util.regex.Pattern.quote(cut.toString()) + ":\\d+: truncated gzip stream: the log ends mid-line");
    // --quiet: on a loaded machine the replay may run past the progress interval and print a line first
    assertThat(TributaryCli.execute("replay", cut.toString(), "--quiet")).isEqualTo(2);
    assertThat(err().lines()).singleElement().asString()
        .matches("error: " + java.util.regex.Pattern.quote(cut.toString()) + ":\\d+: truncated gzip stream: the log ends mid-line.*")
        .contains("--skip-bad-lines");
    assertNoStackTrace();
  }

  @Test
  void runWithTheAdminPortTakenSaysWhichInOneLineAndExitsTwo() throws Exception {
    try (var taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      Path conf = dir.resolve("run.conf");
      Files.writeString(conf, """
          tributary.admin { bind = "127.0.0.1", port = %d }
          tributary.clusters.eu-1 { kubeconfig = "%s", endpoints { addresses = ["192.0.2.1"], port = 80 } }
          kamon.prometheus.start-embedded-http-server = no
          """.formatted(taken.getLocalPort(), dir.resolve("no-kubeconfig")));
      assertThat(TributaryCli.execute("run", "--config", conf.toString())).isEqualTo(2);
      assertThat(err().lines().filter(l -> l.startsWith("error: ")).toList()).singleElement().asString()
          .startsWith("error: cannot listen on 127.0.0.1:" + taken.getLocalPort() + " (tributary.admin.bind, tributary.admin.port): ");
    }
  }

  @Test
  void runHelpSaysWhereEachTargetIsWritten() {
    assertThat(TributaryCli.execute("run", "--help")).isZero();
    assertThat(out().replaceAll("\\s+", " "))
        .startsWith("Usage: tributary run ")
        .contains("Consul is written when consul.http.address is set")
        .contains("DNS when the zones name their servers")
        .contains("Traefik's dynamic configuration when traefik.sink is file, consul-kv or etcd")
        .contains("--dry-run Compute and log every change, write none")
        .contains("--transcript=FILE")
        .contains("The admin endpoint (tributary.admin, default :9096) answers GET /healthz, /readyz and /status.")
        .doesNotContain("until the Consul, DNS and Traefik writers land");
    assertThat(err()).isEmpty();
  }

  @Test
  void recordHelpPrintsTheUsageOnly() {
    assertThat(TributaryCli.execute("record", "--help")).isZero();
    assertThat(out()).startsWith("Usage: tributary record ").contains("--out=LOG").doesNotContain("Missing required");
    assertThat(err()).isEmpty();
  }

  @Test
  void runningOutOfHeapIsOneLineThatSaysWhatToGiveTheJvm() {
    var failure = new IllegalStateException("a task failed during replay: java.lang.OutOfMemoryError: Java heap space",
        new OutOfMemoryError("Java heap space"));
    assertThat(TributaryCli.outOfMemory(failure)).startsWith("out of memory (heap limit ").contains("JAVA_OPTS=-Xmx");
    assertThat(TributaryCli.outOfMemory(new IllegalStateException("a bug"))).isNull();
  }
}
