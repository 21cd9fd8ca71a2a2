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

/**
 * A real single-member etcd for tests, in a fresh temporary data directory on two free loopback
 * ports (client and peer); plain HTTP without auth unless {@link Options} or {@link #enableAuth}
 * say otherwise. {@link #stop} and {@link #startAgain} model an outage: the ports and the data survive
 * it. The process is started without any inherited {@code ETCD_*} variable (etcd reads its whole
 * configuration from them) and stopped by its PID. Reads and writes of the test itself go through
 * etcd's JSON gateway ({@code /v3/kv/*}), so the testkit needs no etcd client library.
 */
public final class EtcdServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * How etcd serves clients.
   *
   * @param mutualTls https on the client URL with certificates made for this server ({@link #tls()}),
   *     and a client certificate signed by its CA required ({@code --client-cert-auth})
   */
  public record Options(boolean mutualTls) {
    /** Plain HTTP, what {@link #start()} runs. */
    public static Options plain() {
      return new Options(false);
    }

    /** https, client certificates required. */
    public static Options withMutualTls() {
      return new Options(true);
    }
  }

  /**
   * The PEM files of a TLS server, in its temporary directory; keys are PKCS#8.
   *
   * @param caFile the CA that signed the server and the client certificate (a client's ca-file)
   * @param serverCertFile server certificate, for {@code IP:127.0.0.1} and {@code DNS:localhost}
   * @param serverKeyFile its key
   * @param clientCertFile a client certificate etcd accepts (a client's cert-file)
   * @param clientKeyFile its key (a client's key-file)
   * @param untrustedCaFile a CA that signed neither: trusting only it, a client refuses the server
   */
  public record TlsFiles(Path caFile, Path serverCertFile, Path serverKeyFile, Path clientCertFile, Path clientKeyFile,
      Path untrustedCaFile) {}

  private final Path dir;
  private final int clientPort;
  private final int peerPort;
  private final TlsFiles tls;
  private final HttpClient http;
  private Process etcd;
  private String rootPassword;
  private String token;

  private EtcdServer(Path dir, int clientPort, int peerPort, TlsFiles tls) {
    this.dir = dir;
    this.clientPort = clientPort;
    this.peerPort = peerPort;
    this.tls = tls;
    var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
    if (tls != null) {
      http.sslContext(OpensslPki.clientContext(tls.caFile(), tls.clientCertFile(), tls.clientKeyFile()));
    }
    this.http = http.build();
  }

  /** Starts etcd on free loopback ports over plain HTTP; fails clearly if it is not installed. */
  public static EtcdServer start() {
    return start(Options.plain());
  }

  /** Starts etcd as {@code options} say; fails clearly if etcd (or, for TLS, openssl) is not installed. */
  public static EtcdServer start(Options options) {
    etcdBinary();
    Path dir;
    try {
      dir = Files.createTempDirectory("tributary-etcd-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare a data directory for etcd", e);
    }
    try {
      int client = ServerProcesses.freePort();
      int peer = ServerProcesses.freePort();
      while (peer == client) {
        peer = ServerProcesses.freePort();
      }
      EtcdServer server = new EtcdServer(dir, client, peer, options.mutualTls() ? OpensslPki.create(dir) : null);
      server.startAgain();
      return server;
    } catch (IOException e) {
      ServerProcesses.deleteTree(dir);
      throw new UncheckedIOException("cannot find free ports for etcd", e);
    } catch (RuntimeException e) {
      ServerProcesses.deleteTree(dir); // the failure carries etcd's log, if it got that far
      throw e;
    }
  }

  /** Starts etcd (again, after {@link #stop}) on the same ports and data, and waits for {@code /health}. */
  public synchronized void startAgain() {
    if (etcd != null && etcd.isAlive()) {
      return;
    }
    String client = endpoint();
    String peer = "http://127.0.0.1:" + peerPort;
    // the data dir already holds a member after the first start: "new" is then ignored by etcd
    List<String> command = new ArrayList<>(List.of(etcdBinary(), "--name", "t", "--data-dir", dir.resolve("data").toString(),
        "--listen-client-urls", client, "--advertise-client-urls", client,
        "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
        "--initial-cluster", "t=" + peer, "--initial-cluster-state", "new",
        "--logger=zap", "--log-outputs=stderr"));
    if (tls != null) {
      command.addAll(List.of("--cert-file", tls.serverCertFile().toString(), "--key-file", tls.serverKeyFile().toString(),
          "--trusted-ca-file", tls.caFile().toString(), "--client-cert-auth"));
    }
    var pb = new ProcessBuilder(command)
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
    token = null; // etcd's simple tokens live in its memory
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

  /** {@code http(s)://127.0.0.1:<client port>}: what a client's {@code endpoints} names. */
  public String endpoint() {
    return (tls == null ? "http" : "https") + "://127.0.0.1:" + clientPort;
  }

  /** The certificates of a server started {@link Options#withMutualTls}; fails for a plain one. */
  public TlsFiles tls() {
    if (tls == null) {
      throw new IllegalStateException("this etcd runs plain HTTP: start it with Options.withMutualTls()");
    }
    return tls;
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
   * {@code etcdctl} (Debian package etcd-client). Every later call needs credentials: this class's
   * own reads and writes, and {@link #addUser}, then authenticate as root.
   */
  public synchronized void enableAuth(String password) {
    etcdctl("user", "add", "root", "--new-user-password=" + password);
    etcdctl("role", "add", "root");
    etcdctl("user", "grant-role", "root", "root");
    etcdctl("auth", "enable");
    rootPassword = password;
  }

  /**
   * Adds {@code user} with {@code password} and a role of the same name that may read and write
   * the keys starting with {@code prefix} and nothing else, as an operator would for Tributary.
   */
  public synchronized void addUser(String user, String password, String prefix) {
    etcdctl("user", "add", user, "--new-user-password=" + password);
    etcdctl("role", "add", user);
    etcdctl("role", "grant-permission", user, "readwrite", "--prefix=true", prefix);
    etcdctl("user", "grant-role", user, user);
  }

  private void etcdctl(String... args) {
    List<String> command = new ArrayList<>(List.of(etcdctlBinary(), "--endpoints=" + endpoint()));
    if (tls != null) {
      command.addAll(List.of("--cacert=" + tls.caFile(), "--cert=" + tls.clientCertFile(), "--key=" + tls.clientKeyFile()));
    }
    if (rootPassword != null) {
      command.add("--user=root:" + rootPassword);
    }
    command.addAll(List.of(args));
    ServerProcesses.run(dir, "etcdctl " + args[0] + " " + args[1], command);
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
    return post("/v3/kv/" + op, body, token());
  }

  /** A token for root once auth is on (the gateway takes it in {@code Authorization}), else null. */
  private synchronized String token() {
    if (rootPassword != null && token == null) {
      token = post("/v3/auth/authenticate", Map.of("name", "root", "password", rootPassword), null).path("token").asText();
    }
    return token;
  }

  private JsonNode post(String path, Map<String, String> body, String authorization) {
    String op = path.substring(path.lastIndexOf('/') + 1);
    try {
      HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(endpoint() + path))
          .timeout(Duration.ofSeconds(5))
          .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
      if (authorization != null) {
        req.header("Authorization", authorization);
      }
      HttpResponse<String> resp = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
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
