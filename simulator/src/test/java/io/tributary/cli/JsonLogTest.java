package io.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JSON log format, chosen without rebuilding: the shipped logback.xml writes one JSON object
 * per line on stderr with the level, the logger and the message, and a running service's lines
 * never hold its secrets.
 */
class JsonLogTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CONSUL_TOKEN = "tok-5d1e8c2a-never-logged";
  private static final String TSIG_SECRET = "bmV2ZXItbG9nZ2VkLXRzaWctc2VjcmV0LTAxMjM0NTY3";

  @TempDir Path dir;

  private static int freePort() throws Exception {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** The runtime classpath as shipped: without the test classes and their logback-test.xml. */
  private static String shippedClasspath() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> !e.endsWith("test-classes") && !e.endsWith("-tests.jar"))
        .collect(Collectors.joining(File.pathSeparator));
  }

  @Test
  void aRunningServiceLogsOneJsonObjectPerLineAndNoSecretWithTheEnvironmentVariable() throws Exception {
    assertJsonAndNoSecret(runService(true, ""));
  }

  @Test
  void theConfigFileCanChooseJsonToo() throws Exception {
    // logging starts as text, then switches when the config is read: still no line in any other form
    assertJsonAndNoSecret(runService(false, "log.format = json"));
  }

  /**
   * Stderr of {@code tributary run} with the JSON format chosen by the environment variable or by
   * {@code log} settings, until the kubeconfig, Consul and the DNS server, all three unusable, have
   * been reported; then SIGTERM.
   */
  private Output runService(boolean environment, String log) throws Exception {
    Path token = Files.writeString(dir.resolve("consul-token"), CONSUL_TOKEN);
    Path tsig = Files.writeString(dir.resolve("tsig.secret"), TSIG_SECRET);
    Path config = Files.writeString(dir.resolve("tributary.conf"), """
        kamon.prometheus.embedded-server { hostname = "127.0.0.1", port = %d }
        tributary {
          %s
          consul.http { address = "http://127.0.0.1:%d", token-file = "%s" }
          dns.zones = [{ name = example.com, server = "127.0.0.1:%d", tsig { name = k, secret-file = "%s" } }]
          clusters.eu-1 {
            kubeconfig = "%s"
            endpoints { addresses = ["192.0.2.11"], port = 8080 }
          }
        }
        """.formatted(freePort(), log, freePort(), token, freePort(), tsig, dir.resolve("no-such-kubeconfig")));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    var builder = new ProcessBuilder(java, "-cp", shippedClasspath(), "io.tributary.cli.TributaryCli", "run", "--config", config.toString());
    builder.environment().remove("TRIBUTARY_LOG_LEVEL");
    builder.environment().remove(LogFormat.ENV);
    if (environment) {
      builder.environment().put(LogFormat.ENV, "json");
    }
    builder.redirectOutput(dir.resolve("stdout").toFile());
    Process process = builder.start();
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread reader = new Thread(() -> {
      try (var in = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          lines.add(line);
        }
      } catch (Exception e) {
        // the process is gone
      }
    });
    reader.start();
    try {
      // the watcher's and both writers' failure lines are the ones that could carry a secret
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
          .until(() -> logged(lines, "kubeconfig") && logged(lines, "consul:") && logged(lines, "dns:"));
    } finally {
      process.destroy(); // SIGTERM: the service drains and stops
      if (!process.waitFor(45, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
      reader.join(5_000);
    }
    return new Output(List.copyOf(lines), Files.readString(dir.resolve("stdout")));
  }

  /** What a process wrote: its stderr lines and its stdout. */
  private record Output(List<String> stderr, String stdout) {}

  private static void assertJsonAndNoSecret(Output output) throws Exception {
    List<String> lines = output.stderr();
    assertThat(lines).as("stderr").isNotEmpty();
    assertThat(output.stdout()).as("stdout: reports only").isEmpty();
    List<JsonNode> events = new ArrayList<>();
    for (String line : lines) {
      JsonNode event = JSON.readTree(line); // every line is one JSON object, nothing else
      assertThat(event.isObject()).as(line).isTrue();
      assertThat(event.path("level").asText()).as(line).isIn("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
      assertThat(event.path("logger_name").asText()).as(line).isNotEmpty();
      assertThat(event.has("message")).as(line).isTrue();
      assertThat(event.has("@timestamp")).as(line).isTrue();
      events.add(event);
    }
    assertThat(events).anySatisfy(e -> {
      assertThat(e.path("level").asText()).isEqualTo("WARN");
      assertThat(e.path("logger_name").asText()).isEqualTo("io.tributary.watch.ClusterWatcher");
      assertThat(e.path("message").asText()).contains("no-such-kubeconfig");
    });
    assertThat(events).anySatisfy(e -> assertThat(e.path("message").asText()).startsWith("watching 1 clusters"));
    // the writers holding the token and the TSIG secret did speak, about their failures
    for (String target : List.of("consul: ", "dns: ")) {
      assertThat(events).anySatisfy(e -> {
        assertThat(e.path("logger_name").asText()).isEqualTo("io.tributary.writer.ReconcilingWriter");
        assertThat(e.path("message").asText()).startsWith(target).contains("retrying with backoff");
      });
    }
    assertThat(String.join("\n", lines) + output.stdout()).doesNotContain(CONSUL_TOKEN).doesNotContain(TSIG_SECRET);
  }

  private static boolean logged(List<String> lines, String text) {
    return lines.stream().anyMatch(l -> l.contains(text));
  }

  @Test
  void theSystemPropertySelectsJsonAndTextStaysTheDefault() throws Exception {
    assertThat(logWith(null)).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN  io\\.tributary\\.json\\.test - shipped as text\\R");

    String json = logWith("json");
    JsonNode event = JSON.readTree(json.lines().findFirst().orElseThrow());
    assertThat(event.path("level").asText()).isEqualTo("WARN");
    assertThat(event.path("logger_name").asText()).isEqualTo("io.tributary.json.test");
    assertThat(event.path("message").asText()).isEqualTo("shipped as json");
    assertThat(event.path("stack_trace").asText()).contains("java.lang.IllegalStateException: a reason");
    assertThat(json.lines().count()).as("the stack trace is inside the object").isEqualTo(1);
  }

  /** Configures a fresh logging context from the shipped logback.xml with {@code format} and logs one line. */
  private static String logWith(String format) throws Exception {
    PrintStream stderr = System.err;
    var captured = new ByteArrayOutputStream();
    String before = System.getProperty(LogFormat.PROPERTY);
    setFormat(format);
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      var context = new LoggerContext();
      context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter()); // what slf4j's binding gives the default one
      var configurator = new JoranConfigurator();
      configurator.setContext(context);
      configurator.doConfigure(JsonLogTest.class.getResource("/logback.xml"));
      var log = context.getLogger("io.tributary.json.test");
      log.warn("shipped as {}", format == null ? "text" : format, format == null ? null : new IllegalStateException("a reason"));
      log.debug("below the level: not shipped");
      context.stop();
    } finally {
      System.setErr(stderr);
      setFormat(before);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }

  private static void setFormat(String format) {
    if (format == null) {
      System.clearProperty(LogFormat.PROPERTY);
    } else {
      System.setProperty(LogFormat.PROPERTY, format);
    }
  }

  @Test
  void anUnknownFormatInTheConfigIsAConfigProblem() throws Exception {
    Path config = Files.writeString(dir.resolve("bad.conf"), """
        tributary {
          log.format = xml
          clusters.eu-1.endpoints { addresses = ["192.0.2.11"], port = 8080 }
        }
        """);
    PrintStream stderr = System.err;
    var captured = new ByteArrayOutputStream();
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      assertThat(TributaryCli.execute("run", "--config", config.toString())).isEqualTo(2);
    } finally {
      System.setErr(stderr);
    }
    assertThat(captured.toString(StandardCharsets.UTF_8)).contains("log.format 'xml' must be text or json");
  }

  @Test
  void anUnknownFormatIsOneErrorLineAndExit2() {
    PrintStream stderr = System.err;
    var captured = new ByteArrayOutputStream();
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      setFormat("xml");
      assertThat(TributaryCli.execute("--version")).isEqualTo(2);
    } finally {
      setFormat(null);
      System.setErr(stderr);
    }
    assertThat(captured.toString(StandardCharsets.UTF_8))
        .isEqualTo("error: log format 'xml' (tributary.log.format or TRIBUTARY_LOG_FORMAT) is neither text nor json" + System.lineSeparator());
  }
}
