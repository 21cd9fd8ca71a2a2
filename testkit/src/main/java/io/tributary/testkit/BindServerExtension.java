package io.tributary.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension running one {@link BindServer} per test class:
 * {@code @RegisterExtension static final BindServerExtension BIND = new BindServerExtension("example.com");}.
 */
public final class BindServerExtension implements BeforeAllCallback, AfterAllCallback {
  private final String[] zones;
  private BindServer server;

  public BindServerExtension(String... zones) {
    this.zones = zones.clone();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    server = BindServer.start(zones);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (server != null) {
      server.close();
    }
  }

  /** The running server (also after a {@link BindServer#stop} in a test: call start again). */
  public BindServer server() {
    return server;
  }
}
