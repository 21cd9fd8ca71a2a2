package io.tributary.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension running one {@link KafkaBroker} (KRaft, child JVM) per test class:
 * {@code @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();}.
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, AfterAllCallback {
  private KafkaBroker broker;

  @Override
  public void beforeAll(ExtensionContext context) {
    broker = KafkaBroker.start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (broker != null) {
      broker.close();
    }
  }

  /** The running broker (also after a {@link KafkaBroker#stop}: call {@link KafkaBroker#startAgain}). */
  public KafkaBroker broker() {
    return broker;
  }

  /** Its {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return broker.bootstrapServers();
  }
}
