package io.tributary.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.settings.ConsulHttpSettings;
import io.tributary.settings.SecretSource;
import io.tributary.testkit.ConsulDouble;
import io.tributary.testkit.SelfSignedCertificate;
import io.tributary.writer.TargetConfigurationException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Consul client over HTTPS against the double serving a self-signed certificate for
 * {@code consul.test}: trusted through the CA file, checked against the server name, and a
 * certificate that does not verify is a configuration error, not an outage.
 */
class ConsulTlsTest {
  private static final ActorTestKit KIT = ActorTestKit.create();
  @TempDir static Path certs;
  private static SelfSignedCertificate certificate;
  private ConsulDouble consul;

  @BeforeAll
  static void makeCertificate() {
    certificate = SelfSignedCertificate.create(certs, "consul.test");
  }

  @AfterAll
  static void stopKit() {
    HttpTestKits.shutdown(KIT);
  }

  @AfterEach
  void stopConsul() {
    if (consul != null) {
      consul.close();
    }
  }

  private ConsulClient client(String caFile, String serverName) {
    consul = consul != null ? consul : ConsulDouble.startTls(certificate.serverContext());
    var settings = new ConsulHttpSettings(consul.address().toString(), SecretSource.none(), caFile, serverName, Duration.ofSeconds(5), 2);
    return new ConsulClient(KIT.system(), settings, "dc1");
  }

  private static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().join();
    } catch (CompletionException e) {
      throw (RuntimeException) e.getCause();
    }
  }

  @Test
  void trustsTheServerThroughTheCaFileAndChecksItsName() {
    var c = client(certificate.caFile().toString(), "consul.test");
    await(c.registerNode("tributary-a", "127.0.0.1", Map.of("external-source", "tributary")));
    assertThat(consul.address().getScheme()).isEqualTo("https");
    assertThat(await(c.nodes(Map.of("external-source", "tributary")))).hasSize(1);
  }

  @Test
  void theAddressItselfIsCheckedWhenNoServerNameIsGiven() {
    var c = client(certificate.caFile().toString(), ""); // 127.0.0.1 is in the certificate's names
    assertThat(await(c.nodes(Map.of()))).isEmpty();
  }

  @Test
  void aServerNameTheCertificateDoesNotNameIsAConfigurationError() {
    var c = client(certificate.caFile().toString(), "consul.elsewhere");
    assertThatThrownBy(() -> await(c.nodes(Map.of())))
        .isInstanceOf(TargetConfigurationException.class)
        .hasMessageContaining("TLS")
        .hasMessageContaining("consul.http.server-name");
  }

  @Test
  void aCertificateNoConfiguredCaVouchesForIsAConfigurationError() {
    var c = client("", "consul.test"); // the JDK's default trust store does not know it
    assertThatThrownBy(() -> await(c.nodes(Map.of())))
        .isInstanceOf(TargetConfigurationException.class)
        .hasMessageContaining("consul.http.ca-file");
  }
}
