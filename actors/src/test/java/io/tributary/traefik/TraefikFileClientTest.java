package io.tributary.traefik;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.tributary.settings.BackoffSettings;
import io.tributary.settings.WriterSettings;
import io.tributary.target.Change;
import io.tributary.target.ChangeSet;
import io.tributary.target.Op;
import io.tributary.target.Target;
import io.tributary.target.TargetRecord;
import io.tributary.time.VirtualTime;
import io.tributary.writer.ReconcilingWriter;
import io.tributary.writer.TargetConfigurationException;
import io.tributary.writer.WriteObserver;
import io.tributary.writer.WritePolicy;
import io.tributary.writer.WriterProtocol;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file client through a reconciling writer in virtual time. Its I/O runs on the calling
 * thread here, so settling the actor system also finishes every file operation.
 */
class TraefikFileClientTest {
  private static final VirtualTime TIME = new VirtualTime(Instant.parse("2026-11-22T00:00:00Z"));
  private static final ActorSystem<Void> SYSTEM =
      ActorSystem.create(Behaviors.empty(), "traefik-file-test", TIME.bootstrap(ConfigFactory.load()));
  private static final Executor DIRECT = Runnable::run;
  private static final AtomicLong NAMES = new AtomicLong();
  private static final AtomicLong SEQ = new AtomicLong();
  private static final WriterSettings SETTINGS =
      new WriterSettings(64, Duration.ofSeconds(30), Duration.ofMillis(50), 100_000,
          Duration.ofMillis(200), Duration.ofSeconds(3), 0.0, Duration.ofSeconds(5), Duration.ofSeconds(60),
          Duration.ofMinutes(5), new BackoffSettings(Duration.ofMillis(200), Duration.ofSeconds(30), 0.2));

  static {
    TIME.attach(SYSTEM.classicSystem().scheduler());
  }

  @TempDir Path dir;
  private final TestProbe<WriterProtocol.Ack> acks = TestProbe.create(SYSTEM);

  @AfterAll
  static void stop() {
    SYSTEM.terminate();
    TIME.settle();
    TIME.shutdown();
  }

  /** The strangler canary's entries as TraefikPlanner writes them, weight {@code k8s} to Kubernetes. */
  static List<TraefikEntry> canary(int k8s) {
    String r = "traefik/http/routers/o.shop-checkout-canary/";
    String s = "traefik/http/services/o.shop-checkout-canary/weighted/services/";
    return sorted(List.of(
        e(r + "rule", "Host(`shop.example.com`) && PathPrefix(`/checkout`)"),
        e(r + "service", "o.shop-checkout-canary"),
        e(r + "priority", "1051"),
        e(r + "entrypoints/0", "web"),
        e(r + "entrypoints/1", "websecure"),
        e(r + "middlewares/0", "o.shop-checkout-strip"),
        e(r + "middlewares/1", "shop-checkout-ipallow@consulcatalog"),
        e(r + "tls", "true"),
        e(s + "0/name", "shop-vm@consulcatalog"),
        e(s + "0/weight", String.valueOf(100 - k8s)),
        e(s + "1/name", "shop-example-com-checkout@consulcatalog"),
        e(s + "1/weight", String.valueOf(k8s)),
        e("traefik/http/middlewares/o.shop-checkout-strip/stripprefix/prefixes/0", "/checkout")));
  }

  static TraefikEntry e(String key, String value) {
    return new TraefikEntry(key, value, "o");
  }

  private static List<TraefikEntry> sorted(List<TraefikEntry> entries) {
    List<TraefikEntry> out = new ArrayList<>(entries);
    out.sort((a, b) -> a.key().compareTo(b.key()));
    return out;
  }

  private TraefikFileClient client(Path file) {
    return new TraefikFileClient(file, "traefik", "o", 256, DIRECT);
  }

  private ActorRef<WriterProtocol.Command> writer(TraefikFileClient client) {
    var ref = SYSTEM.systemActorOf(
        ReconcilingWriter.create(Target.TRAEFIK, WritePolicy.RECORDS_PER_CLUSTER, client, SETTINGS, WriteObserver.NONE, TIME.clock()),
        "traefik-writer-" + NAMES.incrementAndGet(), Props.empty());
    TIME.settle();
    return ref;
  }

  private void send(ActorRef<WriterProtocol.Command> writer, List<Change> changes, boolean complete) {
    writer.tell(new WriterProtocol.Apply(new ChangeSet(Target.TRAEFIK, changes), "s", SEQ.incrementAndGet(), acks.getRef()));
    TIME.settle();
    acks.expectMessageClass(WriterProtocol.Ack.class);
    if (complete) {
      writer.tell(new WriterProtocol.Apply(ChangeSet.complete(Target.TRAEFIK), "s", SEQ.incrementAndGet(), acks.getRef()));
      TIME.settle();
      acks.expectMessageClass(WriterProtocol.Ack.class);
    }
    TIME.advanceBy(Duration.ofMillis(60)); // past the linger
  }

  private static void stopWriter(ActorRef<WriterProtocol.Command> writer) {
    SYSTEM.classicSystem().stop(Adapter.toClassic(writer));
    TIME.settle();
  }

  private static List<Change> creates(List<TraefikEntry> entries) {
    return entries.stream().map(x -> new Change(Op.CREATE, x.key(), x, null)).toList();
  }

  private static List<Change> updates(List<TraefikEntry> from, List<TraefikEntry> to) {
    Map<String, TraefikEntry> before = new TreeMap<>();
    from.forEach(x -> before.put(x.key(), x));
    return to.stream().filter(x -> !x.equals(before.get(x.key())))
        .map(x -> new Change(Op.UPDATE, x.key(), x, before.get(x.key()))).toList();
  }

  private static List<TraefikEntry> inFile(Path file) throws IOException {
    var doc = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readTree(Files.readString(file));
    return TraefikDocument.entries("traefik", doc, "o");
  }

  private static Object fileKey(Path file) throws IOException {
    return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
  }

  private List<Path> leftovers() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
    }
  }

  @Test
  void createUpdateAndDeleteReachTheFileEachAsOneAtomicReplacement() throws IOException {
    Path file = dir.resolve("tributary.yml");
    var writer = writer(client(file));
    assertThat(file).doesNotExist(); // nothing owned, nothing to write

    send(writer, creates(canary(10)), true);
    assertThat(inFile(file)).isEqualTo(canary(10));
    assertThat(Files.readString(file)).startsWith("# Written by Tributary, owner o.");
    Object first = fileKey(file);

    send(writer, updates(canary(10), canary(100)), false);
    assertThat(inFile(file)).isEqualTo(canary(100));
    Object second = fileKey(file);
    assertThat(second).isNotNull().isNotEqualTo(first); // a new file renamed into place, not rewritten in place

    send(writer, canary(100).stream().map(x -> new Change(Op.DELETE, x.key(), null, x)).toList(), false);
    assertThat(inFile(file)).isEmpty();
    assertThat(fileKey(file)).isNotEqualTo(second);
    assertThat(leftovers()).isEmpty();
    stopWriter(writer);
  }

  @Test
  void aRestartOverTheSameStateRewritesNothing() throws IOException {
    Path file = dir.resolve("tributary.yml");
    var writer = writer(client(file));
    send(writer, creates(canary(10)), true);
    stopWriter(writer);
    Object key = fileKey(file);
    FileTime mtime = Files.getLastModifiedTime(file);
    byte[] bytes = Files.readAllBytes(file);

    var again = writer(client(file)); // reads the file as its actual state
    send(again, creates(canary(10)), true);
    TIME.advanceBy(Duration.ofMinutes(6)); // an anti-entropy round too
    assertThat(fileKey(file)).isEqualTo(key);
    assertThat(Files.getLastModifiedTime(file)).isEqualTo(mtime);
    assertThat(Files.readAllBytes(file)).isEqualTo(bytes);
    stopWriter(again);
  }

  @Test
  void theSameStateAlwaysRendersTheSameBytes() {
    var client = client(dir.resolve("x.yml"));
    List<TraefikEntry> reversed = new ArrayList<>(canary(10));
    java.util.Collections.reverse(reversed);
    assertThat(client.render(reversed)).isEqualTo(client.render(canary(10)));
  }

  @Test
  void theRenderedYamlReadsBackToTheSameEntriesEvenForValuesYamlWouldRetype() throws IOException {
    Path file = dir.resolve("odd.yml");
    var client = client(file);
    List<TraefikEntry> odd = new ArrayList<>(canary(10));
    String[] values = {"true", "10", "", "yes", "no", "null", "~", "a: b", "#x", "-0", "1.50", "0x1F", "on", "'q'", "\"dq\"", "é"};
    for (int i = 0; i < values.length; i++) {
      odd.add(e("traefik/http/middlewares/o.h/headers/customrequestheaders/X-" + i, values[i]));
    }
    odd.add(e("traefik/http/services/o.s/weighted/services/0/weight", "2.5"));
    odd.add(e("traefik/http/services/o.s/loadbalancer/passhostheader", "false"));
    var expected = sorted(odd);
    client.write(creates(expected)).toCompletableFuture().join();
    assertThat(inFile(file)).isEqualTo(expected);
    // and with the types the document gave them: a header value stays a string
    assertThat(new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readTree(Files.readString(file)))
        .isEqualTo(TraefikDocument.document("traefik", expected));
    assertThat(client.readOwned().toCompletableFuture().join()).isEqualTo(byKey(expected));
  }

  @Test
  void aMissingFileOwnsNothingAndEntriesWithoutTheOwnerPrefixAreKeptButNotOwned() throws IOException {
    Path file = dir.resolve("tributary.yml");
    var client = client(file);
    assertThat(client.readOwned().toCompletableFuture().join()).isEmpty();
    var hand = e("traefik/http/routers/mine/rule", "Host(`x`)");
    List<TraefikEntry> all = sorted(Stream.concat(canary(10).stream(), Stream.of(hand)).toList());
    Files.write(file, client.render(all));
    assertThat(client.readOwned().toCompletableFuture().join()).isEqualTo(byKey(canary(10)));
    client.write(updates(canary(10), canary(50))).toCompletableFuture().join();
    assertThat(inFile(file)).contains(hand);
  }

  @Test
  void anUnparsableOrForeignFileIsAConfigurationErrorNamingThePath() throws IOException {
    Path file = dir.resolve("tributary.yml");
    var client = client(file);
    Files.writeString(file, "# Written by Tributary, owner o. x\nhttp: [unclosed\n", StandardCharsets.UTF_8);
    assertThatThrownBy(() -> client.readOwned().toCompletableFuture().join())
        .isInstanceOf(CompletionException.class).cause()
        .isInstanceOf(TargetConfigurationException.class).hasMessageContaining(file.toString());

    Files.writeString(file, "http:\n  routers: {}\n", StandardCharsets.UTF_8); // a person's own file
    assertThatThrownBy(() -> client.write(creates(canary(10))).toCompletableFuture().join())
        .cause().isInstanceOf(TargetConfigurationException.class).hasMessageContaining("not written by Tributary");
    assertThat(Files.readString(file)).isEqualTo("http:\n  routers: {}\n");
  }

  @Test
  void aMissingDirectoryIsAConfigurationError() {
    var client = client(dir.resolve("absent/tributary.yml"));
    assertThatThrownBy(() -> client.write(creates(canary(10))).toCompletableFuture().join())
        .cause().isInstanceOf(TargetConfigurationException.class).hasMessageContaining("does not exist");
  }

  private static Map<String, TargetRecord> byKey(List<TraefikEntry> entries) {
    Map<String, TargetRecord> m = new TreeMap<>();
    entries.forEach(x -> m.put(x.key(), x));
    return m;
  }
}
