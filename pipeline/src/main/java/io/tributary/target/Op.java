package io.tributary.target;

import java.util.Locale;

/** The kind of write a change asks for. */
public enum Op {
  DELETE,
  CREATE,
  UPDATE;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
