package io.tributary.settings;

import com.typesafe.config.Config;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code tributary.translate}: which objects are ours and how their annotations are read.
 *
 * @param ingressClasses accepted ingress classes; empty accepts every class
 * @param includeUnclassed accept Ingresses that name no class at all
 * @param annotationPrefix prefix of Tributary's own annotations
 */
public record TranslateSettings(
    Set<String> ingressClasses, boolean includeUnclassed, String annotationPrefix) {

  public TranslateSettings {
    ingressClasses = Set.copyOf(ingressClasses);
  }

  /** Accept every class, unclassed included, prefix {@code tributary.io/}. */
  public static TranslateSettings defaults() {
    return new TranslateSettings(Set.of(), true, "tributary.io/");
  }

  static TranslateSettings from(Config c, Problems p) {
    List<String> classes = p.stringList(c, "ingress-classes");
    return new TranslateSettings(
        classes == null ? Set.of() : new TreeSet<>(classes),
        p.bool(c, "include-unclassed"),
        p.string(c, "annotation-prefix"));
  }
}
