package io.tributary.watch;

import io.tributary.kind.ResourceKind;

/**
 * Identity of one Kubernetes object in one cluster; the unit of debounce and of ownership.
 *
 * <p>{@code kind} is the key kind ({@link ResourceKind.ApiResource#keyKind()}), kept a string:
 * recorded logs may hold kinds the pipeline does not know, and their keys pass through unchanged.
 */
public record ObjectKey(String cluster, String kind, String namespace, String name)
    implements Comparable<ObjectKey> {

  public ObjectKey {
    cluster = nullToEmpty(cluster);
    kind = nullToEmpty(kind);
    namespace = nullToEmpty(namespace);
    name = nullToEmpty(name);
  }

  /** Whether this key's object is of {@code kind}, in any of its API groups. */
  public boolean is(ResourceKind kind) {
    return ResourceKind.ofKey(this.kind).orElse(null) == kind;
  }

  /** By cluster, kind, namespace, then name (written out: keys are compared on every replay step). */
  @Override
  public int compareTo(ObjectKey o) {
    int c = cluster.compareTo(o.cluster);
    if (c == 0) {
      c = kind.compareTo(o.kind);
    }
    if (c == 0) {
      c = namespace.compareTo(o.namespace);
    }
    return c != 0 ? c : name.compareTo(o.name);
  }

  /** {@code cluster/kind/namespace/name}, the form used in logs, reports and transcripts. */
  @Override
  public String toString() {
    return cluster + "/" + kind + "/" + (namespace.isEmpty() ? "" : namespace + "/") + name;
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
