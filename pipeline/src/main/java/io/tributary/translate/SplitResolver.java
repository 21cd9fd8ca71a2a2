package io.tributary.translate;

import io.tributary.kind.ResourceKind;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves a route's services in its own cluster, as that cluster's Traefik will: what the route's
 * requests are split into there, or what the cluster lacks to serve the route at all (a
 * TraefikService that does not exist, is unusable, or reaches itself). Pure.
 *
 * <p>Another provider's services ({@code x@file}) are the cluster's Traefik's to resolve: not checked.
 */
public final class SplitResolver {
  private static final String KIND = ResourceKind.TRAEFIK_SERVICE.kind() + " ";

  private SplitResolver() {}

  /** Finds a cluster's TraefikService by its Traefik name ({@code <namespace>-<name>}); null if none. */
  @FunctionalInterface
  public interface Lookup {
    TraefikServices.Definition find(String cluster, String name);

    /** No TraefikService objects known: routes naming one are held back. */
    Lookup NONE = (cluster, name) -> null;
  }

  /**
   * What a route's cluster does with it.
   *
   * @param missing what the cluster lacks to serve the route, phrased for a held-back note
   *     ("TraefikService shop-canary, which does not exist in cluster eu-1"), or null
   * @param split the split its cluster applies, for the notes ({@code weighted shop-v1:80 75%,
   *     shop-v2:80 25%}), or null for a route to one Service (or when something is missing)
   */
  public record Resolution(String missing, String split) {
    /** A route to one Kubernetes Service: nothing to resolve. */
    public static final Resolution PLAIN = new Resolution(null, null);
  }

  /** Resolves {@code route}'s services against the TraefikServices of its own cluster. */
  public static Resolution resolve(Route route, Lookup lookup) {
    List<ServiceRef> services = route.services();
    if (services.isEmpty() || services.size() == 1 && !services.get(0).namesTraefikService()) {
      return Resolution.PLAIN; // one Service, or another provider's service: the cluster's to resolve
    }
    var walk = new Walk(route.source().cluster(), lookup);
    Step step;
    if (services.size() == 1) {
      ServiceRef only = services.get(0);
      Step tree = walk.tree(only.traefikName(), only.namespace());
      step = tree.missing() != null ? tree : Step.split(only.traefikName() + " = " + tree.split());
    } else { // several services in one route are a weighted round robin, as in a TraefikService
      step = walk.weighted(services, route.source().namespace());
    }
    return new Resolution(step.missing(), step.split());
  }

  /**
   * One node of the tree: its split, or what it lacks; {@code cycle} names the TraefikService a
   * cycle returns to until the walk is back there, so the cycle is told once and not wrapped by
   * each TraefikService on it.
   */
  private record Step(String split, String missing, String cycle) {
    static Step split(String split) {
      return new Step(split, null, null);
    }

    static Step missing(String missing) {
      return new Step(null, missing, null);
    }
  }

  /** A walk of one route's tree in {@code cluster}; {@code path} holds the TraefikServices being resolved. */
  private record Walk(String cluster, Lookup lookup, List<String> path) {
    Walk(String cluster, Lookup lookup) {
      this(cluster, lookup, new ArrayList<>());
    }

    /** TraefikService {@code name}, whose members default to {@code namespace}. */
    Step tree(String name, String namespace) {
      if (path.contains(name)) {
        List<String> cycle = new ArrayList<>(path.subList(path.indexOf(name), path.size()));
        cycle.add(name);
        return new Step(null, unusable(name) + "it reaches itself through its services (" + String.join(" → ", cycle) + ")", name);
      }
      TraefikServices.Definition d = lookup.find(cluster, name);
      if (d == null) {
        return Step.missing(KIND + name + ", which does not exist in cluster " + cluster);
      }
      if (d instanceof TraefikServices.Unusable u) {
        return Step.missing(unusable(name) + u.reason());
      }
      if (d instanceof TraefikServices.Unresolved u) {
        return Step.split(u.type() + " (its members are the cluster's Traefik's to check)");
      }
      path.add(name);
      Step step = d instanceof TraefikServices.Weighted w ? weighted(w.services(), namespace)
          : mirroring((TraefikServices.Mirroring) d, namespace);
      path.remove(path.size() - 1);
      if (step.missing() == null) {
        return step;
      }
      if (step.cycle() != null) { // on the cycle: told as it is; past its start, by whoever names it
        return name.equals(step.cycle()) ? Step.missing(step.missing()) : step;
      }
      return Step.missing(unusable(name) + "its service " + step.missing());
    }

    /** {@code services} as a weighted round robin: each with its share of the weights. */
    Step weighted(List<ServiceRef> services, String namespace) {
      long total = services.stream().mapToLong(ServiceRef::weightOrDefault).sum();
      List<String> shares = new ArrayList<>();
      for (ServiceRef s : services) {
        Step m = member(s, namespace);
        if (m.missing() != null) {
          return m;
        }
        shares.add(m.split() + " " + percent(s.weightOrDefault(), total) + "%");
      }
      return Step.split("weighted " + String.join(", ", shares));
    }

    Step mirroring(TraefikServices.Mirroring m, String namespace) {
      Step main = member(m.service(), namespace);
      if (main.missing() != null) {
        return main;
      }
      List<String> mirrors = new ArrayList<>();
      for (TraefikServices.Mirror mirror : m.mirrors()) {
        Step to = member(mirror.service(), namespace);
        if (to.missing() != null) {
          return to;
        }
        mirrors.add(to.split() + " " + mirror.percent() + "%");
      }
      return Step.split("mirroring " + main.split() + (mirrors.isEmpty() ? "" : ", mirrors " + String.join(", ", mirrors)));
    }

    /** One member as the split shows it: a TraefikService of the cluster with its own split in brackets. */
    Step member(ServiceRef s, String namespace) {
      if (!s.namesTraefikService()) {
        return Step.split(s.shown(namespace));
      }
      Step inner = tree(s.traefikName(), s.namespace());
      return inner.missing() != null ? inner : Step.split(s.traefikName() + " [" + inner.split() + "]");
    }

    private String unusable(String name) {
      return KIND + name + " of cluster " + cluster + ", which cannot be used: ";
    }
  }

  /** {@code 100 * weight / total}, to one decimal at most: 75, 33.3; 0 when every weight is 0. */
  private static String percent(long weight, long total) {
    if (total == 0) {
      return "0";
    }
    return BigDecimal.valueOf(100 * weight).divide(BigDecimal.valueOf(total), 1, RoundingMode.HALF_UP)
        .stripTrailingZeros().toPlainString();
  }
}
