package io.tributary.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.tributary.settings.ConsulHttpSettings;
import io.tributary.settings.SecretSource;
import io.tributary.testkit.ConsulDouble;
import io.tributary.writer.TargetConfigurationException;
import io.tributary.writer.TargetUnavailableException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Consul HTTP client against the Consul double: semantics, errors, timeouts, blocking reads. */
class ConsulClientTest {
  private static final ActorTestKit KIT = ActorTestKit.create();
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ConsulDouble consul = ConsulDouble.start();

  @AfterAll
  static void stopKit() {
    HttpTestKits.shutdown(KIT);
  }

  @AfterEach
  void stopConsul() {
    consul.close();
  }

  private ConsulClient client(SecretSource token, Duration timeout) {
    return new ConsulClient(KIT.system(),
        new ConsulHttpSettings(consul.address().toString(), token, "", "", timeout, 4), "dc1");
  }

  private ConsulClient client() {
    return client(SecretSource.none(), Duration.ofSeconds(5));
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    try {
      return stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  private static ArrayNode setService(String node, String id, String name) {
    ArrayNode ops = JSON.createArrayNode();
    var svc = ops.addObject().putObject("Service");
    svc.put("Verb", "set");
    svc.put("Node", node);
    svc.putObject("Service").put("ID", id).put("Service", name).put("Address", "10.0.0.1").put("Port", 80);
    return ops;
  }

  @Test
  void registersANodeAndServicesInATransactionAndReadsThemBack() throws Exception {
    var c = client();
    await(c.registerNode("tributary-a", "127.0.0.1", Map.of("external-source", "tributary")));
    var result = await(c.txn(setService("tributary-a", "web-1", "web")));
    assertThat(result.applied()).isTrue();
    var node = await(c.nodeServices("tributary-a")).orElseThrow();
    assertThat(node.path("Services").get(0).path("ID").asText()).isEqualTo("web-1");
    assertThat(await(c.nodes(Map.of("external-source", "tributary")))).hasSize(1);
    assertThat(await(c.nodes(Map.of("external-source", "kubernetes")))).isEmpty();
    assertThat(await(c.nodeServices("nobody"))).isEmpty();
  }

  @Test
  void aTransactionIsAtomicAndReportsWhichOperationFailed() throws Exception {
    var c = client();
    await(c.registerNode("n1", "127.0.0.1", Map.of()));
    ArrayNode ops = setService("n1", "a", "a");
    ops.addAll(setService("missing-node", "b", "b"));
    var result = await(c.txn(ops));
    assertThat(result.applied()).isFalse();
    assertThat(result.errors()).containsExactly("operation 1: Missing node registration");
    assertThat(consul.nodeServices("n1")).isEmpty(); // nothing of the transaction was applied
  }

  @Test
  void aTransactionOfMoreThan64OperationsIsRefused() {
    var c = client();
    ArrayNode ops = JSON.createArrayNode();
    for (int i = 0; i < 65; i++) {
      ops.addAll(setService("n", "s" + i, "s"));
    }
    assertThatThrownBy(() -> await(c.txn(ops)))
        .isInstanceOf(TargetConfigurationException.class)
        .hasMessageContaining("413")
        .hasMessageContaining("too many operations");
  }

  @Test
  void aRefusedTokenIsAConfigurationErrorNamingItsSourceNeverItsValue(@TempDir Path dir) throws Exception {
    consul.requireTokens("good-secret-token");
    Path file = dir.resolve("token");
    Files.writeString(file, "wrong-secret-token\n", StandardCharsets.UTF_8);
    var c = client(new SecretSource(file.toString(), ""), Duration.ofSeconds(5));
    assertThatThrownBy(() -> await(c.nodes(Map.of())))
        .isInstanceOf(TargetConfigurationException.class)
        .hasMessageContaining("403")
        .hasMessageContaining("file " + file)
        .hasMessageNotContaining("secret-token");
    Files.writeString(file, "good-secret-token\n", StandardCharsets.UTF_8); // the file is re-read on every call
    assertThat(await(c.nodes(Map.of()))).isEmpty();
  }

  @Test
  void serverErrorsRefusedConnectionsAndTimeoutsMeanUnavailable() throws Exception {
    var c = client(SecretSource.none(), Duration.ofMillis(300));
    consul.failNext(1, 500);
    assertThatThrownBy(() -> await(c.nodes(Map.of()))).isInstanceOf(TargetUnavailableException.class).hasMessageContaining("500");
    consul.failNext(1, 429);
    assertThatThrownBy(() -> await(c.nodes(Map.of()))).isInstanceOf(TargetUnavailableException.class).hasMessageContaining("429");
    consul.latency(Duration.ofMillis(600));
    assertThatThrownBy(() -> await(c.nodes(Map.of()))).isInstanceOf(TargetUnavailableException.class).hasMessageContaining("no answer");
    consul.heal();
    consul.refuseConnections();
    assertThatThrownBy(() -> await(c.nodes(Map.of()))).isInstanceOf(TargetUnavailableException.class);
    consul.resume();
    assertThat(await(c.nodes(Map.of()))).isEmpty();
  }

  @Test
  void answersThatCameTooLateDoNotExhaustThePool() throws Exception {
    var c = client(SecretSource.none(), Duration.ofMillis(100));
    consul.latency(Duration.ofMillis(250));
    for (int i = 0; i < 20; i++) {
      assertThatThrownBy(() -> await(c.nodes(Map.of()))).isInstanceOf(TargetUnavailableException.class);
    }
    consul.heal();
    // the late answers were drained: the 4 pooled connections serve new requests
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
        .until(() -> await(c.nodes(Map.of())).isEmpty());
  }

  @Test
  void blockingReadsReturnOnChangeAndResetWhenTheIndexGoesBackwards() throws Exception {
    var c = client();
    await(c.registerNode("n", "127.0.0.1", Map.of()));
    var first = await(c.catalogService("web", 0, Duration.ZERO));
    assertThat(first.value()).isEmpty();
    var waiting = c.catalogService("web", first.index(), Duration.ofSeconds(10));
    await(c.txn(setService("n", "web-1", "web")));
    var changed = await(waiting);
    assertThat(changed.value()).hasSize(1);
    assertThat(changed.index()).isGreaterThan(first.index());

    var timedOut = await(c.catalogService("web", changed.index(), Duration.ofMillis(200)));
    assertThat(timedOut.index()).isEqualTo(changed.index()); // nothing changed within the wait

    consul.resetIndex();
    var afterReset = await(c.healthService("web", true, changed.index(), Duration.ofMillis(200)));
    assertThat(afterReset.index()).isZero(); // went backwards: start over
    assertThat(ConsulClient.nextIndex(5, 0)).isZero();
    assertThat(ConsulClient.nextIndex(0, 0)).isEqualTo(1);
  }

  @Test
  void keyValueReadsWritesAndCompareAndSet() throws Exception {
    var c = client();
    assertThat(await(c.kvGet("traefik/http/routers/a/rule"))).isEmpty();
    assertThat(await(c.kvPut("traefik/http/routers/a/rule", "Host(`a`)".getBytes(StandardCharsets.UTF_8), 0L))).isTrue();
    assertThat(await(c.kvPut("traefik/http/routers/a/rule", "x".getBytes(StandardCharsets.UTF_8), 0L))).isFalse();
    var entry = await(c.kvGet("traefik/http/routers/a/rule")).orElseThrow();
    assertThat(new String(entry.value(), StandardCharsets.UTF_8)).isEqualTo("Host(`a`)");
    assertThat(await(c.kvPut("traefik/http/routers/a/rule", "Host(`b`)".getBytes(StandardCharsets.UTF_8), entry.modifyIndex()))).isTrue();
    assertThat(await(c.kvDelete("traefik/http/routers/a/rule", entry.modifyIndex()))).isFalse(); // stale index
    assertThat(await(c.kvList("traefik/"))).hasSize(1);
    assertThat(await(c.kvDelete("traefik/http/routers/a/rule", null))).isTrue();
    assertThat(await(c.kvList("traefik/"))).isEqualTo(List.of());
  }

  @Test
  void credentialsInTheAddressNeverReachAMessage() {
    var c = new ConsulClient(KIT.system(),
        new ConsulHttpSettings("http://admin:s3cret@127.0.0.1:1", SecretSource.none(), "", "", Duration.ofSeconds(1), 1), "dc1");
    assertThat(c.describe()).isEqualTo("Consul dc1 at http://127.0.0.1:1").doesNotContain("s3cret");
  }

  @Test
  void aConnectionThatNeverAnswersCostsItsRequestNotItsPoolSlot() throws Exception {
    // a peer that accepts the first connection and never answers on it (a half-open connection: a
    // partition, a peer gone without closing); later connections are answered
    try (var server = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      var silent = new java.util.concurrent.atomic.AtomicReference<java.net.Socket>();
      Thread acceptor = new Thread(() -> {
        try {
          silent.set(server.accept());
          while (!server.isClosed()) {
            try (var s = server.accept()) {
              var in = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
              for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                // the request's head; a GET has no body
              }
              s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"
                  .getBytes(StandardCharsets.ISO_8859_1));
            }
          }
        } catch (java.io.IOException closed) {
          // the test is over
        }
      }, "half-open-peer");
      acceptor.setDaemon(true);
      acceptor.start();
      var c = new ConsulClient(KIT.system(), new ConsulHttpSettings("http://127.0.0.1:" + server.getLocalPort(), SecretSource.none(),
          "", "", Duration.ofSeconds(1), 1), "dc1"); // one connection: the stuck one would be the only slot
      assertThatThrownBy(() -> await(c.kvList("a/"))).isInstanceOf(TargetUnavailableException.class)
          .hasMessageContaining("no answer to GET /v1/kv/a/ within PT1S");
      // the silent connection is closed a second after the timeout, and the slot serves the retries
      // (with the client's default idle minute, every retry here would time out as well)
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(8)).pollInterval(Duration.ofMillis(200))
          .ignoreExceptions().until(() -> await(c.kvList("a/")) != null);
      if (silent.get() != null) {
        silent.get().close();
      }
    }
  }

  @Test
  void afterSecondsOfRefusedConnectionsTheFirstRequestOnceConsulIsBackIsSent() throws Exception {
    var c = client(SecretSource.none(), Duration.ofSeconds(1));
    await(c.kvList("a/"));
    consul.refuseConnections();
    long until = System.nanoTime() + Duration.ofSeconds(8).toNanos();
    int refused = 0;
    while (System.nanoTime() < until) { // a writer retrying through an outage
      try {
        await(c.kvList("a/"));
      } catch (TargetUnavailableException expected) {
        refused++;
      }
    }
    assertThat(refused).isGreaterThan(5);
    consul.resume();
    // the pool's own reconnect backoff (2 min at most by default, ~13-26 s after these failures)
    // would hold the requests back, unsent; the writer's backoff is the only one
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(4)).pollInterval(Duration.ofMillis(100))
        .ignoreExceptions().until(() -> await(c.kvList("a/")) != null);
  }
}
