package io.tributary.traefik;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.tributary.settings.SecretSource;
import io.tributary.settings.TraefikSettings;
import io.tributary.testkit.EtcdServer;
import io.tributary.testkit.EtcdServerExtension;
import io.tributary.writer.TargetConfigurationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The etcd sink against a real etcd with auth on: user {@code tributary}, whose role may read and
 * write keys starting with {@code granted-} and nothing else, as docs/traefik.md tells operators to
 * set it up. A refused user is a configuration error naming the user, its password's source and
 * the root, never a password; the test's own reads go through the gateway as root.
 */
class EtcdKvAuthTest extends EtcdWriterTestSupport {
  @RegisterExtension static final EtcdServerExtension ETCD = new EtcdServerExtension();

  private static final String USER = "tributary";
  private static final String PASSWORD = "right-horse-battery";
  private static final String ROOT_PASSWORD = "root-correct-staple";

  @BeforeAll
  static void secure() {
    etcd().addUser(USER, PASSWORD, "granted-");
    etcd().enableAuth(ROOT_PASSWORD);
  }

  private static EtcdServer etcd() {
    return ETCD.server();
  }

  private static TraefikSettings asUser(String root, Path passwordFile) {
    return settings(root, etcd().endpoint(), USER, new SecretSource(passwordFile.toString(), ""), "", "", "");
  }

  private TargetConfigurationException refusal(TraefikSettings settings) {
    var client = client(settings);
    Throwable failure = catchThrowable(() -> client.readOwned().toCompletableFuture().join());
    assertThat(failure).hasCauseInstanceOf(TargetConfigurationException.class);
    return (TargetConfigurationException) failure.getCause();
  }

  @Test
  void theUserWithItsPasswordInAFileWritesUnderTheRootItsRoleCoversAndReadsItBack(@TempDir Path tmp) throws Exception {
    String root = "granted-traefik";
    Path passwordFile = tmp.resolve("etcd.password");
    Files.writeString(passwordFile, PASSWORD + "\n");
    var settings = asUser(root, passwordFile);
    var w = writer(client(settings));
    complete(w);
    var entries = canary(root, "shop", 90);
    send(w, creates(entries));
    eventually(() -> assertThat(etcd().getPrefix(root + "/")).isEqualTo(asMap(entries)));
    assertThat(client(settings).readOwned().toCompletableFuture().get(5, TimeUnit.SECONDS))
        .containsOnlyKeys(asMap(entries).keySet());
    assertThat(observer.configurationFailures.get() + observer.outageFailures.get()).isZero();
  }

  @Test
  void aRootTheUsersRoleDoesNotCoverIsAConfigurationErrorNamingTheUserAndTheRootNeverThePassword(@TempDir Path tmp)
      throws Exception {
    String root = "traefik";
    Path passwordFile = tmp.resolve("etcd.password");
    Files.writeString(passwordFile, PASSWORD + "\n");
    var settings = asUser(root, passwordFile);
    String message = refusal(settings).getMessage();
    assertThat(message).contains(etcd().endpoint()).contains("permission denied").contains("user '" + USER + "'")
        .contains("password from file " + passwordFile).contains(root + "/")
        .doesNotContain(PASSWORD).doesNotContain(ROOT_PASSWORD);

    var w = writer(client(settings));
    send(w, creates(canary(root, "shop", 90))); // accepted and held: nothing is dropped while the role is wrong
    eventually(() -> assertThat(observer.configurationFailures.get()).isPositive());
    assertThat(observer.outageFailures.get()).isZero();
    assertThat(observer.written).isEmpty();
    assertThat(etcd().getPrefix(root + "/")).isEmpty();
  }

  @Test
  void aWrongPasswordIsAConfigurationErrorWithoutThePasswordAndFixingTheFileApplies(@TempDir Path tmp) throws Exception {
    String root = "granted-fixed";
    Path passwordFile = tmp.resolve("etcd.password");
    Files.writeString(passwordFile, "wrong-staple-7\n");
    var settings = asUser(root, passwordFile);
    String message = refusal(settings).getMessage();
    assertThat(message).contains(etcd().endpoint()).contains("authentication failed").contains("user '" + USER + "'")
        .contains("password from file " + passwordFile)
        .doesNotContain("wrong-staple-7").doesNotContain(PASSWORD).doesNotContain(ROOT_PASSWORD);

    var w = writer(client(settings));
    var entries = canary(root, "shop", 90);
    send(w, creates(entries)); // accepted: wrong credentials delay writes, never drop them
    eventually(() -> assertThat(observer.configurationFailures.get()).isPositive());
    assertThat(observer.outageFailures.get()).isZero();
    assertThat(observer.written).isEmpty();

    Files.writeString(passwordFile, PASSWORD + "\n"); // reread: the client is rebuilt after the refusal
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
        .untilAsserted(() -> {
          assertThat(etcd().getPrefix(root + "/")).isEqualTo(asMap(entries));
          // the writer reports the write once etcd has answered it: a moment after the keys are readable
          assertThat(observer.written).hasSize(entries.size());
        });
  }
}
