package io.tributary.traefik;

/**
 * Which parts of Traefik's dynamic configuration are this owner's: every router, service and
 * middleware Tributary defines is named {@code <owner-id>.<name>}. An owner id is a DNS label, so
 * it holds no dot: no other owner's name, and no name a person writes without that prefix, can
 * pass for one of ours. Keys and entries that do not carry the prefix are never touched. Pure.
 */
public final class TraefikOwnership {
  private static final String[] SECTIONS = {"/http/routers/", "/http/services/", "/http/middlewares/"};

  private TraefikOwnership() {}

  /** The name {@code ownerId} gives its object {@code name}. */
  public static String name(String ownerId, String name) {
    return ownerId + "." + name;
  }

  /** True if {@code key} (a KV key under {@code root}) belongs to an object {@code ownerId} named. */
  public static boolean owns(String ownerId, String root, String key) {
    for (String section : SECTIONS) {
      String prefix = root + section + ownerId + ".";
      if (key.startsWith(prefix) && key.indexOf('/', prefix.length()) > prefix.length()) {
        return true;
      }
    }
    return false;
  }
}
