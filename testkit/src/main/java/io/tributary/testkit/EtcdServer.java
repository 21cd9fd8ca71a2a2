package io.tributary.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A real single-member etcd for tests, in a fresh temporary data directory on two free loopback
 * ports (client and peer), no auth, no TLS. {@link #stop} and {@link #start} model an outage: the
 * ports and the data survive it. The process is started without any inherited {@code ETCD_*}
 * variable (etcd reads its whole configuration from them) and stopped by its PID. Reads and writes
 * of the test itself go through etcd's JSON gateway ({@code /v3/kv/*}), so the testkit needs no
 * etcd client library.
 */
public final class EtcdServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final int clientPort;
  private final int peerPort;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private Process etcd;

  private EtcdServer(Path dir, int clientPort, int peerPort) {
    this.dir = dir;
    this.clientPort = clientPort;
    this.peerPort = peerPort;
  }

  /** Starts etcd on free loopback ports; fails clearly if it is not installed. */
  public static EtcdServer start() {
    etcdBinary();
    try {
      Path dir = Files.createTempDirectory("tributary-etcd-");
      int client = ServerProcesses.freePort();
      int peer = ServerProcesses.freePort();
      while (peer == client) {
        peer = ServerProcesses.freePort();
      }
      EtcdServer server = new EtcdServer(dir, client, peer);
      server.startAgain();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare a data directory for etcd", e);
    }
  }

  /** Starts etcd (again, after {@link #stop}) on the same ports and data, and waits for {@code /health}. */
  public synchronized void startAgain() {
    if (etcd != null && etcd.isAlive()) {
      return;
    }
    String client = "http://127.0.0.1:" + clientPort;
    String peer = "http://127.0.0.1:" + peerPort;
    // the data dir already holds a member after the first start: "new" is then ignored by etcd
    var pb = new ProcessBuilder(etcdBinary(), "--name", "t", "--data-dir", dir.resolve("data").toString(),
        "--listen-client-urls", client, "--advertise-client-urls", client,
        "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
        "--initial-cluster", "t=" + peer, "--initial-cluster-state", "new",
        "--logger=zap", "--log-outputs=stderr")
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("etcd.log").toFile()));
    pb.environment().keySet().removeIf(k -> k.startsWith("ETCD_")); // they would override the flags
    try {
      etcd = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start etcd", e);
    }
    ServerProcesses.awaitReady(etcd, Duration.ofSeconds(30), this::healthy, "etcd did not become healthy on " + endpoint(),
        this::log);
  }

  /** Stops etcd by its PID: SIGTERM (etcd exits 143), SIGKILL after 10 s. */
  public synchronized void stop() {
    if (etcd == null) {
      return;
    }
    ServerProcesses.stop(etcd);
    etcd = null;
  }

  /** True while the process runs. */
  public synchronized boolean isRunning() {
    return etcd != null && etcd.isAlive();
  }

  /** Stops etcd and deletes its directory. */
  @Override
  public void close() {
    stop();
    ServerProcesses.deleteTree(dir);
  }

  /** {@code http://127.0.0.1:<client port>}: what a client's {@code endpoints} names. */
  public String endpoint() {
    return "http://127.0.0.1:" + clientPort;
  }

  public int clientPort() {
    return clientPort;
  }

  /** Every key under {@code prefix} with its value, sorted by key. */
  public Map<String, String> getPrefix(String prefix) {
    JsonNode r = call("range", Map.of("key", b64(prefix), "range_end", b64(rangeEnd(prefix))));
    Map<String, String> out = new TreeMap<>();
    for (JsonNode kv : r.path("kvs")) {
      out.put(unb64(kv.path("key").asText()), unb64(kv.path("value").asText("")));
    }
    return out;
  }

  /** The value of {@code key}, or null. */
  public String get(String key) {
    JsonNode kvs = call("range", Map.of("key", b64(key))).path("kvs");
    return kvs.isEmpty() ? null : unb64(kvs.get(0).path("value").asText(""));
  }

  /** Puts {@code key = value}: someone else writing. */
  public void put(String key, String value) {
    call("put", Map.of("key", b64(key), "value", b64(value)));
  }

  /** Deletes {@code key}: someone else deleting. */
  public void delete(String key) {
    call("deleterange", Map.of("key", b64(key)));
  }

  /** The store's revision: etcd raises it by one per applied put, delete or transaction that changed something. */
  public long revision() {
    return call("range", Map.of("key", b64("\0"))).path("header").path("revision").asLong();
  }

  /**
   * Turns etcd's authentication on with user {@code root} (role root) and {@code password}, through
   * {@code etcdctl} (Debian package etcd-client). Every later call needs the credentials; this
   * class's own reads and writes do not send them, so use it on a server of the test's own.
   */
  public void enableAuth(String password) {
    etcdctl("user", "add", "root", "--new-user-password=" + password);
    etcdctl("role", "add", "root");
    etcdctl("user", "grant-role", "root", "root");
    etcdctl("auth", "enable");
  }

  private void etcdctl(String... args) {
    List<String> command = new ArrayList<>(List.of(etcdctlBinary(), "--endpoints=" + endpoint()));
    command.addAll(List.of(args));
    var pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("ETCD")); // ETCD_* and ETCDCTL_* would override the flags
    try {
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("etcdctl " + args[0] + " " + args[1] + " failed: " + out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String etcdctlBinary() {
    for (String candidate : List.of("/usr/bin/etcdctl", "/usr/local/bin/etcdctl")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return candidate;
      }
    }
    throw new IllegalStateException("etcdctl is not installed: apt-get install -y etcd-client");
  }

  /** What etcd logged so far. */
  public String log() {
    try {
      return Files.readString(dir.resolve("etcd.log"));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private JsonNode call(String op, Map<String, String> body) {
    try {
      HttpRequest req = HttpRequest.newBuilder(URI.create(endpoint() + "/v3/kv/" + op))
          .timeout(Duration.ofSeconds(5))
          .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
          .build();
      HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
      if (resp.statusCode() != 200) {
        throw new IllegalStateException("etcd " + op + " answered " + resp.statusCode() + ": " + resp.body());
      }
      return JSON.readTree(resp.body());
    } catch (IOException e) {
      throw new UncheckedIOException("etcd " + op + " at " + endpoint() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private boolean healthy() {
    try {
      HttpRequest req = HttpRequest.newBuilder(URI.create(endpoint() + "/health")).timeout(Duration.ofSeconds(1)).GET().build();
      HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
      // the port accepts connections before the member can serve: only {"health":"true"} counts
      return resp.statusCode() == 200 && JSON.readTree(resp.body()).path("health").asText().equals("true");
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The smallest key after every key that starts with {@code prefix} (etcd's range_end for a prefix). */
  private static byte[] rangeEnd(String prefix) {
    byte[] b = utf8(prefix);
    for (int i = b.length - 1; i >= 0; i--) {
      if (b[i] != (byte) 0xff) {
        b[i]++;
        return java.util.Arrays.copyOf(b, i + 1);
      }
    }
    return new byte[] {0};
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String b64(String s) {
    return b64(utf8(s));
  }

  private static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  private static String unb64(String s) {
    return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
  }

  /** Whether an {@code etcd} binary is installed where {@link #start} looks for it. */
  public static boolean isInstalled() {
    return installed() != null;
  }

  private static String installed() {
    List<String> candidates = new ArrayList<>(List.of("/usr/bin/etcd", "/usr/local/bin/etcd", "/usr/sbin/etcd"));
    for (String candidate : candidates) {
      if (Files.isExecutable(Path.of(candidate))) {
        return candidate;
      }
    }
    return null;
  }

  private static String etcdBinary() {
    String etcd = installed();
    if (etcd != null) {
      return etcd;
    }
    throw new IllegalStateException("etcd is not installed: apt-get install -y etcd-server etcd-client"
        + " (Debian package etcd-server; make test does this when it can)");
  }

}
