package io.tributary.watch;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.tributary.settings.ClusterSettings;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import java.io.File;

/** Connects to a cluster's API server. Tests pass mock servers' clients instead. */
@FunctionalInterface
public interface KubernetesClients {

  /** A client for {@code cluster}; the caller closes it. */
  KubernetesClient connect(ClusterSettings cluster);

  /**
   * Kubeconfig file (+ context) for remote clusters, the pod's service account otherwise. All
   * clients share one Vert.x instance rather than starting one per cluster. Errors name the file,
   * never its content (it holds credentials).
   */
  static KubernetesClients standard() {
    HttpClient.Factory shared = new VertxHttpClientFactory(sharedVertx());
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

  /**
   * One Vert.x for every cluster's client, with the options fabric8 gives the instance it would
   * otherwise start per client (its no-argument factory does not share).
   */
  private static Vertx sharedVertx() {
    // the JDK resolver, as fabric8 does: Vert.x's own DNS client ignores the JVM's resolution
    // settings (search domains, /etc/hosts overrides in some setups)
    synchronized (KubernetesClients.class) {
      String key = "vertx.disableDnsResolver";
      String before = System.getProperty(key);
      System.setProperty(key, "true");
      try {
        return Vertx.vertx(new VertxOptions()
            .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false).setClassPathResolvingEnabled(false))
            .setUseDaemonThread(true));
      } finally {
        if (before == null) {
          System.clearProperty(key);
        } else {
          System.setProperty(key, before);
        }
      }
    }
  }
}
