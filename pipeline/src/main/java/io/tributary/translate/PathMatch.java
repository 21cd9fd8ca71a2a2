package io.tributary.translate;

/** How a route's path is matched: Traefik {@code Path} or {@code PathPrefix}. */
public enum PathMatch {
  EXACT,
  PREFIX
}
