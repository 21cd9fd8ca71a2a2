package io.tributary.settings;

/** Which Traefik's Consul Catalog tag dialect to write. */
public enum TagSyntax {
  /** Traefik 1: {@code traefik.frontend.rule=Host:h;PathPrefix:/p}. */
  V1,
  /** Traefik 2: {@code traefik.http.routers...}, v2 regexp syntax. */
  V2,
  /** Traefik 3: {@code traefik.http.routers...}, Go regexp syntax. */
  V3
}
