package io.tributary.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension running one {@link EtcdServer} per test class:
 * {@code @RegisterExtension static final EtcdServerExtension ETCD = new EtcdServerExtension();}.
 */
public final class EtcdServerExtension implements BeforeAllCallback, AfterAllCallback {
  private final EtcdServer.Options options;
  private EtcdServer server;

  /** A plain HTTP etcd without auth. */
  public EtcdServerExtension() {
    this(EtcdServer.Options.plain());
  }

  /** An etcd started with {@code options}, e.g. {@link EtcdServer.Options#withMutualTls()}. */
  public EtcdServerExtension(EtcdServer.Options options) {
    this.options = options;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    server = EtcdServer.start(options);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (server != null) {
      server.close();
    }
  }

  /** The running server (also after a {@link EtcdServer#stop} in a test: call {@link EtcdServer#startAgain}). */
  public EtcdServer server() {
    return server;
  }
}
