package io.tributary.watch;

import java.util.Comparator;

/** Identity of one Kubernetes object in one cluster; the unit of debounce and of ownership. */
public record ObjectKey(String cluster, String kind, String namespace, String name)
    implements Comparable<ObjectKey> {

  private static final Comparator<ObjectKey> ORDER =
      Comparator.comparing(ObjectKey::cluster)
          .thenComparing(ObjectKey::kind)
          .thenComparing(ObjectKey::namespace)
          .thenComparing(ObjectKey::name);

  public ObjectKey {
    cluster = nullToEmpty(cluster);
    kind = nullToEmpty(kind);
    namespace = nullToEmpty(namespace);
    name = nullToEmpty(name);
  }

  @Override
  public int compareTo(ObjectKey o) {
    return ORDER.compare(this, o);
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
