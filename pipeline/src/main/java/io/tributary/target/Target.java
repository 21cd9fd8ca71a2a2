package io.tributary.target;

import java.util.Locale;

/** A kind of routing system Tributary writes to; one writer actor per target instance. */
public enum Target {
  CONSUL,
  DNS,
  TRAEFIK;

  /** Lower-case name used in transcripts, state files and config. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
