package io.tributary.settings;

import com.typesafe.config.Config;
import java.net.URI;
import java.time.Duration;

/**
 * {@code tributary.consul.http}: how Tributary reaches Consul's HTTP API.
 *
 * @param address base URL ({@code http://127.0.0.1:8500}, {@code https://consul.internal:8501}); empty
 *     keeps Consul in memory (the demo and replays)
 * @param token ACL token source, sent as {@code X-Consul-Token}
 * @param caFile PEM file of the CA(s) that sign Consul's certificate; empty uses the JVM's trust store
 * @param serverName name expected in Consul's certificate when it differs from the address's host
 *     (also sent as SNI)
 * @param requestTimeout longest wait for one answer (blocking reads add their own wait to it)
 * @param maxConnections size of the connection pool to Consul
 */
public record ConsulHttpSettings(
    String address, SecretSource token, String caFile, String serverName, Duration requestTimeout, int maxConnections) {

  /** No Consul configured: registrations stay in memory. */
  public static ConsulHttpSettings inMemory() {
    return new ConsulHttpSettings("", SecretSource.none(), "", "", Duration.ofSeconds(10), 4);
  }

  /** True when a real Consul is configured. */
  public boolean enabled() {
    return !address.isEmpty();
  }

  /** This with another base URL (an agent's), the same token, TLS, timeout and pool size. */
  public ConsulHttpSettings withAddress(String otherAddress) {
    return new ConsulHttpSettings(otherAddress, token, caFile, serverName, requestTimeout, maxConnections);
  }

  /** {@code url} without the {@code user:password@} part an address may carry, for logs and errors. */
  public static String withoutCredentials(String url) {
    return url.replaceFirst("^(https?://)[^/@]*@", "$1");
  }

  /** Reports {@code address} (at {@code key} of {@code c}, shown as {@code path}) unless it is an http(s) URL with a host. */
  static void checkAddress(Config c, String key, String path, String address, Problems p) {
    try {
      URI uri = URI.create(address);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        p.add(c, key, path + " '" + address + "' must be an http:// or https:// URL with a host");
      }
    } catch (IllegalArgumentException e) {
      p.add(c, key, path + " '" + address + "' is not a URL: " + e.getMessage());
    }
  }

  static ConsulHttpSettings from(Config c, Problems p) {
    String address = p.string(c, "address");
    if (address != null && !address.isEmpty()) {
      checkAddress(c, "address", "consul.http.address", address, p);
    }
    String caFile = p.string(c, "ca-file");
    if (caFile != null && !caFile.isEmpty() && address != null && address.startsWith("http://")) {
      p.add(c, "ca-file", "consul.http.ca-file is set but consul.http.address is plain http://");
    }
    String tokenFile = p.string(c, "token-file");
    String tokenEnv = p.string(c, "token-env");
    if (tokenFile != null && !tokenFile.isEmpty() && tokenEnv != null && !tokenEnv.isEmpty()) {
      p.add(c, "token-env", "consul.http: set token-file or token-env, not both");
    }
    Integer max = p.integer(c, "max-connections");
    if (max != null && max < 1) {
      p.add(c, "max-connections", "consul.http.max-connections must be at least 1");
    }
    return new ConsulHttpSettings(
        address == null ? "" : address,
        new SecretSource(tokenFile, tokenEnv),
        caFile == null ? "" : caFile,
        p.string(c, "server-name"),
        p.duration(c, "request-timeout"),
        Problems.or(max, 1));
  }
}
