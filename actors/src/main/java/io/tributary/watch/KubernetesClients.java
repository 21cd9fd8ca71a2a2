package io.tributary.watch;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.tributary.settings.ClusterSettings;
import java.io.File;

/** Connects to a cluster's API server. Tests pass mock servers' clients instead. */
@FunctionalInterface
public interface KubernetesClients {

  /** A client for {@code cluster}; the caller closes it. */
  KubernetesClient connect(ClusterSettings cluster);

  /**
   * Kubeconfig file (+ context) for remote clusters, the pod's service account otherwise. All
   * clients share one Vert.x instance rather than starting one per cluster, with websockets that
   * receive objects of any size (see {@link WholeMessageWebSockets}). Errors name the file,
   * never its content (it holds credentials).
   */
  static KubernetesClients standard() {
    HttpClient.Factory shared = WholeMessageWebSockets.factory();
    return cluster -> {
      Config config;
      if (cluster.inCluster()) {
        config = Config.autoConfigure(null);
      } else {
        File file = new File(cluster.kubeconfig());
        if (!file.canRead()) {
          throw new IllegalArgumentException(
              "cluster " + cluster.name() + ": kubeconfig " + file + " does not exist or is not readable");
        }
        try {
          config = Config.fromKubeconfig(cluster.context(), file);
        } catch (RuntimeException e) {
          throw new IllegalArgumentException(
              "cluster " + cluster.name() + ": kubeconfig " + file + " cannot be used"
                  + (cluster.context() != null ? " with context " + cluster.context() : "")
                  + " (" + e.getClass().getSimpleName() + ")");
        }
      }
      // fail fast and let the watcher's supervisor back off: fabric8's own retries (10 by default)
      // would keep an unreachable cluster silent for minutes
      config = new ConfigBuilder(config).withRequestRetryBackoffLimit(1).withConnectionTimeout(5_000).build();
      return new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(shared).build();
    };
  }
}
