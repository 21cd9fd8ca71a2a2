package io.tributary.settings;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * {@code tributary.admin}: the admin HTTP endpoint of {@code tributary run} ({@code /healthz},
 * {@code /readyz}, {@code /status}); the metrics stay on Kamon's own port.
 *
 * @param bind the address to listen on: an IP address or a host name; {@code 0.0.0.0} is every
 *     IPv4 interface (what the kubelet's probes need: they connect to the pod's IP)
 * @param port the TCP port; 0 lets the operating system pick a free one (logged at start) — there
 *     is no "off": the endpoint is read-only and never shows a secret
 * @param readyGrace how long a cluster's watch may be down (failed, stalled, disconnected,
 *     restarting) after the service was ready before {@code /readyz} answers 503
 */
public record AdminSettings(String bind, int port, Duration readyGrace) {

  static AdminSettings from(Config c, Problems p) {
    String bind = p.string(c, "bind");
    if (bind != null && !isAddressOrHostName(bind)) {
      p.add(c, "bind", "admin.bind '" + bind + "' must be an IP address or a host name (0.0.0.0: every interface)");
    }
    Integer port = p.integer(c, "port");
    if (port != null && (port < 0 || port > 65535)) {
      p.add(c, "port", "admin.port " + port + " must be between 0 (a free port, logged at start) and 65535");
    }
    Duration grace = p.duration(c, "ready-grace");
    return new AdminSettings(bind, Problems.or(port, 0), grace);
  }

  /** A literal address, or a host name made of DNS labels; checked without a lookup. */
  private static boolean isAddressOrHostName(String s) {
    return Addresses.isIp(s)
        || s.matches("(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
  }
}
