package io.tributary.settings;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * {@code tributary.vm-discovery}: finding the VM services of strangler migrations in
 * Consul by tag, besides naming them in {@code translate.vm-backends}.
 *
 * @param tagPrefix a VM service carrying the tag {@code <tagPrefix><hostname>} serves that hostname
 *     today; empty turns discovery off
 * @param blockingWait how long one blocking read of Consul's service list may wait for a change
 */
public record VmDiscoverySettings(String tagPrefix, Duration blockingWait) {

  /** Discovery off. */
  public static VmDiscoverySettings off() {
    return new VmDiscoverySettings("", Duration.ofMinutes(5));
  }

  /** True if VM services are looked up by tag. */
  public boolean enabled() {
    return !tagPrefix.isEmpty();
  }

  static VmDiscoverySettings from(Config c, Problems p) {
    String prefix = p.string(c, "tag-prefix");
    Duration wait = p.duration(c, "wait");
    if (wait != null && (wait.isZero() || wait.compareTo(Duration.ofMinutes(10)) > 0)) {
      p.add(c, "wait", "vm-discovery.wait must be between 1s and 10m (Consul caps blocking queries at 10 minutes)");
    }
    return new VmDiscoverySettings(prefix == null ? "" : prefix, wait == null ? Duration.ofMinutes(5) : wait);
  }
}
