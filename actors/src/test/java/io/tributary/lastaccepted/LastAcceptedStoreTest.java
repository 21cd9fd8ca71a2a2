package io.tributary.lastaccepted;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.plan.LastAccepted;
import io.tributary.plan.PipelineListener;
import io.tributary.translate.Route;
import io.tributary.watch.ObjectKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store under virtual time: at most one write per interval while routes change, one on flush and on stop. */
class LastAcceptedStoreTest {
  private static final ActorTestKit KIT = ActorTestKit.create(ManualTime.config());
  private static final ManualTime TIME = ManualTime.get(KIT.system());
  private static final Duration EVERY = Duration.ofSeconds(5);

  @TempDir
  Path dir;

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  private static ObjectKey key(String name) {
    return new ObjectKey("eu-1", "IngressRoute", "shop", name);
  }

  private static LastAcceptedStore.InForce inForce(String name) {
    return new LastAcceptedStore.InForce(key(name), List.of(LastAcceptedFileTest.everyField(key(name))), List.of("spec.routes[0]"));
  }

  private static int writes(ActorRef<LastAcceptedStore.Command> store) {
    TestProbe<Integer> probe = KIT.createTestProbe();
    store.tell(new LastAcceptedStore.GetWrites(probe.ref()));
    return probe.receiveMessage();
  }

  /** Returns once the store has handled everything told before (its timers run from there). */
  private static void settled(ActorRef<LastAcceptedStore.Command> store) {
    writes(store);
  }

  private static LastAccepted read(Path file) {
    var loaded = LastAcceptedFile.load(file);
    assertThat(loaded.problem()).isNull();
    return loaded.lastAccepted();
  }

  @Test
  void changesWithinAnIntervalAreWrittenOnceWhenItEnds() {
    Path file = dir.resolve("last-accepted.json");
    var store = KIT.spawn(LastAcceptedStore.create(file, EVERY, LastAccepted.NONE));
    store.tell(inForce("a"));
    store.tell(inForce("b"));
    settled(store);
    TIME.timePasses(Duration.ofSeconds(3));
    store.tell(inForce("c"));
    settled(store);
    TIME.timePasses(Duration.ofMillis(1999));
    assertThat(writes(store)).isZero();
    assertThat(file).doesNotExist();

    settled(store);
    TIME.timePasses(Duration.ofMillis(1));
    assertThat(writes(store)).isEqualTo(1);
    assertThat(read(file).objects()).containsOnlyKeys(key("a"), key("b"), key("c"));

    // nothing changed: no write; a withdrawal: written one interval after it
    settled(store);
    TIME.timePasses(EVERY.multipliedBy(3));
    assertThat(writes(store)).isEqualTo(1);
    store.tell(new LastAcceptedStore.InForce(key("b"), List.of(), List.of()));
    settled(store);
    TIME.timePasses(EVERY);
    assertThat(writes(store)).isEqualTo(2);
    assertThat(read(file).objects()).containsOnlyKeys(key("a"), key("c"));
    KIT.stop(store);
  }

  @Test
  void theSameRoutesAgainAreNoChange() {
    Path file = dir.resolve("last-accepted.json");
    var loaded = new LastAccepted(Map.of(key("a"), new LastAccepted.ObjectRoutes(inForce("a").routes(), inForce("a").parts())));
    var store = KIT.spawn(LastAcceptedStore.create(file, EVERY, loaded));
    store.tell(inForce("a"));
    store.tell(new LastAcceptedStore.InForce(key("gone"), List.of(), List.of()));
    settled(store);
    TIME.timePasses(EVERY);
    assertThat(writes(store)).isZero();
    KIT.stop(store);
  }

  @Test
  void aFlushWritesAtOnceAndAStopWritesWhatIsLeft() {
    Path file = dir.resolve("last-accepted.json");
    var store = KIT.spawn(LastAcceptedStore.create(file, EVERY, LastAccepted.NONE));
    store.tell(inForce("a"));
    TestProbe<Done> flushed = KIT.createTestProbe();
    store.tell(new LastAcceptedStore.Flush(flushed.ref()));
    flushed.expectMessage(Done.getInstance());
    assertThat(read(file).objects()).containsOnlyKeys(key("a"));

    store.tell(inForce("b"));
    settled(store);
    KIT.stop(store); // a clean shutdown before the interval ends
    assertThat(read(file).objects()).containsOnlyKeys(key("a"), key("b"));
  }

  @Test
  void whatWasLoadedStaysInTheFileUntilTheRoutingWithdrawsIt() {
    Path file = dir.resolve("last-accepted.json");
    var loaded = new LastAccepted(Map.of(key("a"), new LastAccepted.ObjectRoutes(inForce("a").routes(), inForce("a").parts())));
    var store = KIT.spawn(LastAcceptedStore.create(file, EVERY, loaded));
    // the listener in the pipeline's place: only the routes in force reach the store
    PipelineListener listener = LastAcceptedStore.listening(PipelineListener.NONE, store);
    listener.routesInForce(key("b"), inForce("b").routes(), inForce("b").parts());
    listener.rejected(key("b"), "ignored by the store");
    settled(store);
    TIME.timePasses(EVERY);
    assertThat(writes(store)).isEqualTo(1);
    assertThat(read(file).objects()).containsOnlyKeys(key("a"), key("b"));
    KIT.stop(store);
  }

  @Test
  void aFileThatCannotBeWrittenIsTriedAgainAnIntervalLater() throws Exception {
    Path blocker = Files.writeString(dir.resolve("not-a-directory"), "x");
    Path file = blocker.resolve("last-accepted.json"); // its directory is a file: every write fails
    var store = KIT.spawn(LastAcceptedStore.create(file, EVERY, LastAccepted.NONE));
    store.tell(inForce("a"));
    settled(store);
    TIME.timePasses(EVERY);
    assertThat(writes(store)).isZero();
    Files.delete(blocker);
    settled(store);
    TIME.timePasses(EVERY);
    assertThat(writes(store)).isEqualTo(1);
    assertThat(read(file).objects()).containsOnlyKeys(key("a"));
    KIT.stop(store);
  }
}
