package io.tributary.traefik;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.tributary.settings.SecretSource;
import io.tributary.settings.TraefikSettings;
import io.tributary.testkit.EtcdServer;
import io.tributary.testkit.EtcdServerExtension;
import io.tributary.writer.TargetConfigurationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The etcd sink against a real etcd serving https and requiring client certificates (made per
 * server with openssl): mutual TLS works end to end, and a handshake either side refuses is a
 * configuration error naming the endpoint and the TLS files, retried slowly, never a crash.
 */
class EtcdKvTlsTest extends EtcdWriterTestSupport {
  @RegisterExtension static final EtcdServerExtension ETCD = new EtcdServerExtension(EtcdServer.Options.withMutualTls());

  private static EtcdServer etcd() {
    return ETCD.server();
  }

  private static EtcdServer.TlsFiles files() {
    return etcd().tls();
  }

  private static TraefikSettings tls(String root, Path ca, Path cert, Path key) {
    return settings(root, etcd().endpoint(), "", SecretSource.none(), ca.toString(), cert == null ? "" : cert.toString(),
        key == null ? "" : key.toString());
  }

  /** The refusal a fresh client reports on its first read, as the writer would see it. */
  private TargetConfigurationException refusal(TraefikSettings settings) {
    var client = client(settings);
    Throwable failure = catchThrowable(() -> client.readOwned().toCompletableFuture().join());
    assertThat(failure).hasCauseInstanceOf(TargetConfigurationException.class);
    return (TargetConfigurationException) failure.getCause();
  }

  /** Neither PEM text nor any line of the client's key: only paths. */
  private static void assertNoKeyMaterial(String message) throws IOException {
    assertThat(message).doesNotContain("-----BEGIN").doesNotContain("PRIVATE KEY");
    for (String line : Files.readAllLines(files().clientKeyFile())) {
      if (!line.startsWith("-----")) {
        assertThat(message).doesNotContain(line);
      }
    }
  }

  @Test
  void withTheCaFileAndAClientCertificateTheWriterWritesItsEntriesAndReadsThemBack() throws Exception {
    String root = "mtls";
    assertThat(etcd().endpoint()).startsWith("https://");
    var settings = tls(root, files().caFile(), files().clientCertFile(), files().clientKeyFile());
    var w = writer(client(settings));
    complete(w);
    var entries = canary(root, "shop", 90);
    send(w, creates(entries));
    eventually(() -> assertThat(etcd().getPrefix(root + "/")).isEqualTo(asMap(entries)));

    var reader = client(settings);
    var read = reader.readOwned().toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertThat(read).containsOnlyKeys(asMap(entries).keySet());
    read.forEach((key, record) -> assertThat(((TraefikEntry) record).value()).isEqualTo(asMap(entries).get(key)));
    assertThat(observer.configurationFailures.get() + observer.outageFailures.get()).isZero();
  }

  @Test
  void aServerCertificateTheCaFileDoesNotVouchForIsAConfigurationErrorRetriedSlowlyUntilTheFileIsFixed(@TempDir Path tmp)
      throws Exception {
    String root = "untrusted";
    Path ca = tmp.resolve("ca.pem");
    Files.copy(files().untrustedCaFile(), ca);
    var settings = tls(root, ca, files().clientCertFile(), files().clientKeyFile());
    String message = refusal(settings).getMessage();
    assertThat(message).contains(etcd().endpoint()).contains("TLS handshake failed").contains("ca-file " + ca)
        .contains("certification path");
    assertNoKeyMaterial(message);

    Instant start = Instant.now(); // before the writer's first attempt
    var w = writer(client(settings));
    var entries = canary(root, "shop", 90);
    send(w, creates(entries)); // accepted: a refused handshake delays writes, never drops them
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
        .until(() -> observer.configurationFailures.get() >= 2);
    // the second attempt waited writer.configuration-retry.min-backoff (1 s), not the outage's 200 ms
    assertThat(Duration.between(start, Instant.now())).isGreaterThanOrEqualTo(WRITER.configMinBackoff());
    assertThat(observer.outageFailures.get()).isZero();
    assertThat(observer.written).isEmpty();

    Files.copy(files().caFile(), ca, StandardCopyOption.REPLACE_EXISTING); // reread: the client is rebuilt after a refusal
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
        .untilAsserted(() -> assertThat(etcd().getPrefix(root + "/")).isEqualTo(asMap(entries)));
  }

  @Test
  void withoutAClientCertificateEtcdRefusesTheHandshakeAConfigurationErrorNamingTheEndpointAndTheMissingCertFile()
      throws Exception {
    String root = "anonymous";
    var settings = tls(root, files().caFile(), null, null);
    String message = refusal(settings).getMessage();
    assertThat(message).contains(etcd().endpoint()).contains("TLS handshake failed").contains("ca-file " + files().caFile())
        .contains("cert-file (none)");
    assertNoKeyMaterial(message);

    var w = writer(client(settings));
    send(w, creates(canary(root, "shop", 90)));
    eventually(() -> assertThat(observer.configurationFailures.get()).isPositive());
    assertThat(observer.outageFailures.get()).isZero();
    assertThat(observer.written).isEmpty();
    assertThat(etcd().getPrefix(root + "/")).isEmpty();
  }
}
