package io.tributary.settings;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * {@code tributary.traefik}: where Tributary writes Traefik's dynamic configuration (what Consul
 * Catalog tags cannot express: weighted canaries and the like).
 *
 * @param sink where it goes; {@link Sink#MEMORY} keeps it in memory (replays, the demo)
 * @param root root key (Traefik's {@code providers.consul.rootKey} / {@code providers.etcd.rootKey})
 * @param file the file provider's sink
 * @param etcd the etcd provider's sink
 * @param mode which changes the sink takes ({@code policy}) and whether it is written ({@code dry-run})
 */
public record TraefikSettings(Sink sink, String root, FileSink file, EtcdSink etcd, TargetMode mode) {

  public TraefikSettings {
    mode = mode == null ? TargetMode.DEFAULT : mode;
  }

  /** Settings with every change written (the default mode). */
  public TraefikSettings(Sink sink, String root, FileSink file, EtcdSink etcd) {
    this(sink, root, file, etcd, TargetMode.DEFAULT);
  }

  /** This with another policy or dry run. */
  public TraefikSettings withMode(TargetMode mode) {
    return new TraefikSettings(sink, root, file, etcd, mode);
  }

  /** Where the dynamic configuration is written. */
  public enum Sink {
    MEMORY, FILE, CONSUL_KV, ETCD;

    /** The config spelling: "" for memory, else file, consul-kv, etcd. */
    public String id() {
      return this == MEMORY ? "" : name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /**
   * {@code traefik.file}: one YAML document, written to a temporary file and renamed into place.
   *
   * @param path the file Traefik's file provider watches ({@code providers.file.filename})
   */
  public record FileSink(String path) {}

  /**
   * {@code traefik.etcd}: the etcd cluster Traefik's etcd provider reads.
   *
   * @param endpoints {@code http(s)://host:port} of the members
   * @param username user for etcd's auth ("" for none); its password from {@code password}
   * @param caFile PEM of the CA that signs the members' certificates ("" for the JVM's trust store)
   * @param certFile client certificate (PEM, "" for none), with {@code keyFile} its PKCS#8 key
   * @param timeout longest wait for one request
   */
  public record EtcdSink(List<String> endpoints, String username, SecretSource password, String caFile, String certFile,
      String keyFile, Duration timeout) {
    public EtcdSink {
      endpoints = List.copyOf(endpoints);
    }
  }

  /** Everything in memory, root {@code traefik}: for tests and replays. */
  public static TraefikSettings inMemory() {
    return new TraefikSettings(Sink.MEMORY, "traefik", new FileSink(""),
        new EtcdSink(List.of(), "", SecretSource.none(), "", "", "", Duration.ofSeconds(5)));
  }

  static TraefikSettings from(Config c, Problems p) {
    String root = p.string(c, "root");
    if (root != null && (root.isBlank() || root.startsWith("/") || root.endsWith("/"))) {
      p.add(c, "root", "traefik.root '" + root + "' must be a non-empty key without leading or trailing '/'");
    }
    String sinkName = p.string(c, "sink");
    Sink sink = Sink.MEMORY;
    if (sinkName != null) {
      sink = null;
      for (Sink s : Sink.values()) {
        if (s.id().equals(sinkName)) {
          sink = s;
        }
      }
      if (sink == null) {
        p.add(c, "sink", "traefik.sink '" + sinkName + "' must be one of file, consul-kv, etcd (or \"\" for in memory)");
        sink = Sink.MEMORY;
      }
    }
    String path = p.under("file").string(p.block(c, "file"), "path");
    if (sink == Sink.FILE && (path == null || path.isBlank())) {
      p.add(c, "file.path", "traefik.sink = file needs traefik.file.path");
    }
    Config e = p.block(c, "etcd");
    Problems ep = p.under("etcd");
    List<String> endpoints = ep.stringList(e, "endpoints");
    if (sink == Sink.ETCD && (endpoints == null || endpoints.isEmpty())) {
      p.add(c, "etcd.endpoints", "traefik.sink = etcd needs traefik.etcd.endpoints");
    }
    for (String endpoint : endpoints == null ? List.<String>of() : endpoints) {
      ConsulHttpSettings.checkAddress(e, "endpoints", "traefik.etcd.endpoints", endpoint, ep);
    }
    String passwordFile = ep.string(e, "password-file");
    String passwordEnv = ep.string(e, "password-env");
    if (passwordFile != null && !passwordFile.isEmpty() && passwordEnv != null && !passwordEnv.isEmpty()) {
      ep.add(e, "password-env", "traefik.etcd: set password-file or password-env, not both");
    }
    return new TraefikSettings(sink, root, new FileSink(path == null ? "" : path), new EtcdSink(
        endpoints == null ? List.of() : endpoints, ep.string(e, "username"), new SecretSource(passwordFile, passwordEnv),
        ep.string(e, "ca-file"), ep.string(e, "cert-file"), ep.string(e, "key-file"), ep.duration(e, "timeout")),
        TargetMode.from(c, "traefik", p, TargetMode.DEFAULT));
  }
}
