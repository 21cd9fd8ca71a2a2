package io.tributary.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;
import org.xbill.DNS.ZoneTransferIn;

/**
 * A real BIND 9 {@code named} for tests: its own config, zones and journal in a fresh temporary
 * directory, listening on a free loopback port (UDP and TCP), no rndc ({@code controls { }}),
 * primary for the given zones. Two TSIG keys are generated: {@code tributary} (may update and
 * transfer) and {@code someone-else} (may update: the foreign writer of conflict tests).
 * {@link #stop} and {@link #start} model an outage; the zone and its journal survive it.
 */
public final class BindServer implements AutoCloseable {
  /** The key Tributary signs with. */
  public static final String KEY = "tributary";
  /** The key a foreign writer signs with. */
  public static final String FOREIGN_KEY = "someone-else";

  private final Path dir;
  private final int port;
  private final List<String> zones;
  private final String secret;
  private final String foreignSecret;
  private Process named;

  private BindServer(Path dir, int port, List<String> zones) {
    this.dir = dir;
    this.port = port;
    this.zones = List.copyOf(zones);
    this.secret = newSecret();
    this.foreignSecret = newSecret();
  }

  /** Starts {@code named} as primary for {@code zones}; fails clearly if BIND is not installed. */
  public static BindServer start(String... zones) {
    String named = named();
    try {
      Path dir = Files.createTempDirectory("tributary-bind-");
      BindServer server = new BindServer(dir, ServerProcesses.freePort(), List.of(zones));
      server.writeConfig();
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + named, e);
    }
  }

  /** Starts {@code named} (again, after {@link #stop}) and waits until every zone's SOA answers. */
  public synchronized void start() {
    if (named != null && named.isAlive()) {
      return;
    }
    try {
      named = new ProcessBuilder(named(), "-g", "-n", "1", "-c", dir.resolve("named.conf").toString())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("named.log").toFile()))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start named", e);
    }
    ServerProcesses.awaitReady(named, Duration.ofSeconds(20), () -> zones.stream().allMatch(this::soaAnswers),
        "named did not start on port " + port, this::log);
  }

  /** Stops {@code named} by its PID (SIGTERM, then SIGKILL after 10 s). */
  public synchronized void stop() {
    if (named == null) {
      return;
    }
    ServerProcesses.stop(named);
    named = null;
  }

  /** Stops the server and deletes its directory. */
  @Override
  public void close() {
    stop();
    ServerProcesses.deleteTree(dir);
  }

  /** {@code 127.0.0.1:port}. */
  public String address() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** The base64 secret of {@link #KEY}. */
  public String secret() {
    return secret;
  }

  /** A file holding {@link #KEY}'s secret, for {@code secret-file}. */
  public Path secretFile() {
    return dir.resolve("tributary.secret");
  }

  /** The data of {@code name}'s {@code type} record set, sorted, as a resolver sees it (unsigned query). */
  public List<String> query(String name, String type) {
    try {
      SimpleResolver resolver = new SimpleResolver(new InetSocketAddress("127.0.0.1", port));
      resolver.setTCP(true);
      resolver.setTimeout(Duration.ofSeconds(5));
      int t = Type.value(type);
      Message response = resolver.send(Message.newQuery(Record.newRecord(Name.fromString(absolute(name)), t, DClass.IN)));
      List<String> out = new ArrayList<>();
      for (Record r : response.getSection(Section.ANSWER)) {
        if (r.getType() == t) {
          out.add(r.rdataToString());
        }
      }
      out.sort(null);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The TTL of {@code name}'s {@code type} record set, or -1 if it has none. */
  public long ttl(String name, String type) {
    return zone(zoneOf(name)).stream()
        .filter(r -> r.getName().toString(true).equalsIgnoreCase(name) && r.getType() == Type.value(type))
        .mapToLong(Record::getTTL).findFirst().orElse(-1);
  }

  /** {@code zone}'s SOA serial: BIND increments it once per applied UPDATE message. */
  public long serial(String zone) {
    return zone(zone).stream().filter(r -> r.getType() == Type.SOA).map(r -> ((org.xbill.DNS.SOARecord) r).getSerial())
        .findFirst().orElseThrow();
  }

  /** Every record of {@code zone}, by a signed AXFR. */
  public List<Record> zone(String zone) {
    try {
      ZoneTransferIn xfr = ZoneTransferIn.newAXFR(Name.fromString(absolute(zone)), "127.0.0.1", port,
          new TSIG(TSIG.HMAC_SHA256, KEY, secret));
      xfr.setTimeout(Duration.ofSeconds(10));
      xfr.run();
      return xfr.getAXFR();
    } catch (Exception e) {
      throw new IllegalStateException("AXFR of " + zone + " failed: " + e.getMessage(), e);
    }
  }

  /** The records of {@code zone} as {@code name type data} lines, sorted, without SOA and NS. */
  public List<String> zoneLines(String zone) {
    return zone(zone).stream()
        .filter(r -> r.getType() != Type.SOA && r.getType() != Type.NS && !r.getName().toString(true).startsWith("ns1."))
        .map(r -> r.getName().toString(true).toLowerCase(Locale.ROOT) + " " + Type.string(r.getType()) + " " + r.rdataToString())
        .distinct().sorted().toList();
  }

  /**
   * Runs {@code nsupdate} signed with {@link #FOREIGN_KEY}: someone else changing the zone.
   * {@code commands} are nsupdate lines such as {@code update add www.example.com 60 A 192.0.2.1}.
   */
  public void nsupdate(String... commands) {
    var script = new StringBuilder("server 127.0.0.1 " + port + "\n");
    for (String c : commands) {
      script.append(c).append('\n');
    }
    script.append("send\n");
    try {
      Path keyFile = dir.resolve("someone-else.key");
      Process p = new ProcessBuilder("nsupdate", "-v", "-k", keyFile.toString()).redirectErrorStream(true).start();
      p.getOutputStream().write(script.toString().getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("nsupdate failed: " + out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** What named logged so far. */
  public String log() {
    try {
      return Files.readString(dir.resolve("named.log"));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private void writeConfig() throws IOException {
    var conf = new StringBuilder();
    conf.append("options {\n")
        .append("  directory \"").append(dir).append("\";\n")
        .append("  listen-on port ").append(port).append(" { 127.0.0.1; };\n")
        .append("  listen-on-v6 { none; };\n")
        .append("  pid-file \"").append(dir.resolve("named.pid")).append("\";\n")
        .append("  session-keyfile \"").append(dir.resolve("session.key")).append("\";\n")
        .append("  managed-keys-directory \"").append(dir).append("\";\n")
        .append("  recursion no;\n  allow-query { any; };\n  dnssec-validation no;\n  notify no;\n")
        .append("};\n")
        .append("controls { };\n")
        .append(key(KEY, secret))
        .append(key(FOREIGN_KEY, foreignSecret));
    for (String zone : zones) {
      String file = dir.resolve(zone + ".zone").toString();
      conf.append("zone \"").append(zone).append("\" {\n  type primary;\n  file \"").append(file).append("\";\n")
          .append("  allow-update { key \"").append(KEY).append("\"; key \"").append(FOREIGN_KEY).append("\"; };\n")
          .append("  allow-transfer { key \"").append(KEY).append("\"; };\n};\n");
      Files.writeString(Path.of(file), "$TTL 300\n"
          + "@ IN SOA ns1." + zone + ". hostmaster." + zone + ". 1 3600 600 86400 60\n"
          + "@ IN NS ns1." + zone + ".\n"
          + "ns1 IN A 127.0.0.1\n");
    }
    Files.writeString(dir.resolve("named.conf"), conf.toString());
    Files.writeString(secretFile(), secret + "\n");
    Files.writeString(dir.resolve("someone-else.key"), key(FOREIGN_KEY, foreignSecret));
  }

  private static String key(String name, String secret) {
    return "key \"" + name + "\" {\n  algorithm hmac-sha256;\n  secret \"" + secret + "\";\n};\n";
  }

  private boolean soaAnswers(String zone) {
    try {
      SimpleResolver resolver = new SimpleResolver(new InetSocketAddress("127.0.0.1", port));
      resolver.setTimeout(Duration.ofMillis(500));
      Message response = resolver.send(Message.newQuery(Record.newRecord(Name.fromString(absolute(zone)), Type.SOA, DClass.IN)));
      return response.getRcode() == Rcode.NOERROR && !response.getSection(Section.ANSWER).isEmpty();
    } catch (IOException e) {
      return false;
    }
  }

  private String zoneOf(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return zones.stream().filter(z -> n.equals(z) || n.endsWith("." + z))
        .max(Comparator.comparingInt(String::length)).orElseThrow(() -> new IllegalArgumentException(name + " is in no zone"));
  }

  private static String absolute(String name) {
    return name.endsWith(".") ? name : name + ".";
  }

  /** Whether BIND 9's {@code named} is installed where {@link #start} looks for it. */
  public static boolean isInstalled() {
    return installedNamed() != null;
  }

  private static String installedNamed() {
    for (String candidate : List.of("/usr/sbin/named", "/usr/local/sbin/named", "/sbin/named")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return candidate;
      }
    }
    return null;
  }

  private static String named() {
    String installed = installedNamed();
    if (installed != null) {
      return installed;
    }
    throw new IllegalStateException("BIND 9's named is not installed: apt-get install -y bind9 bind9-utils bind9-dnsutils"
        + " (make test does this when it can)");
  }


  private static String newSecret() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }
}
