package io.tributary.traefik;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.tributary.target.Target;
import io.tributary.target.TargetRecord;

/**
 * One key of Traefik's KV dynamic configuration (Consul KV or etcd), e.g. {@code
 * traefik/http/services/shop-canary/weighted/services/0/weight = 90}.
 */
public record TraefikEntry(String key, String value, String owner) implements TargetRecord {
  private static final String HTTP = "/http/";

  @Override
  public Target target() {
    return Target.TRAEFIK;
  }

  /**
   * The object this key belongs to, {@code <root>/http/<section>/<name>}: an object's keys are
   * written in one batch, so Traefik never reads a half-written router or service.
   */
  @Override
  public String group() {
    int http = key.indexOf(HTTP);
    if (http < 0) {
      return key;
    }
    int section = key.indexOf('/', http + HTTP.length());
    int name = section < 0 ? -1 : key.indexOf('/', section + 1);
    return name < 0 ? key : key.substring(0, name);
  }

  /** Routers rank above services and middlewares: written after them, deleted before them. */
  @Override
  public int writeRank() {
    return isRouter() ? 1 : 0;
  }

  /** True if this key is part of a router ({@code <root>/http/routers/...}). */
  @JsonIgnore // derived from the key: not part of the record in state files and transcripts
  public boolean isRouter() {
    return key.contains(HTTP + "routers/");
  }
}
