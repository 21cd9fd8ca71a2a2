package io.tributary.traefik;

import io.tributary.target.Target;
import io.tributary.target.TargetRecord;

/**
 * One key of Traefik's KV dynamic configuration (Consul KV or etcd), e.g. {@code
 * traefik/http/services/shop-canary/weighted/services/0/weight = 90}.
 */
public record TraefikEntry(String key, String value, String owner) implements TargetRecord {

  @Override
  public Target target() {
    return Target.TRAEFIK;
  }
}
