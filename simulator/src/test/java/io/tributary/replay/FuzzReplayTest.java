package io.tributary.replay;

import static io.tributary.replay.Logs.T0;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.eventlog.BadLine;
import io.tributary.eventlog.EventLogReader;
import io.tributary.eventlog.LogEvent;
import io.tributary.eventlog.LogEventType;
import io.tributary.settings.TributarySettings;
import io.tributary.target.Target;
import io.tributary.target.TargetRecord;
import io.tributary.translate.Translation;
import io.tributary.translate.Translator;
import io.tributary.watch.EventType;
import io.tributary.watch.WatchEvent;
import io.tributary.writer.WriteObserver;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * 10 000 mutated objects of real shapes, interleaved with valid objects, through the event-log
 * reader and the whole pipeline: the replay never fails, every rejection says why, and every
 * valid object's records are exactly what a replay of the valid objects alone gives.
 *
 * <p>The valid objects live in namespaces {@code valid-*} with hosts under {@code
 * valid.example.com}; the mutated ones in {@code fuzz-*} (or whatever their mutations made of
 * it) with hosts under {@code fuzz.example.net} or the manifests' own, so no mutated object can
 * legitimately win a conflict with a valid one.
 */
class FuzzReplayTest {
  private static final int MUTANTS = 10_000;
  private static final long SEED = 20261122L;
  private static final String VALID_DOMAIN = ".valid.example.com";
  private static final Path DIR = Path.of("target", "fuzz");
  private static final TributarySettings SETTINGS = TributarySettings.from(Logs.TWO_CLUSTERS);

  /** The mutated and the valid lines, and the valid lines alone, at the same instants. */
  private static Path fuzzLog;
  private static Path validLog;
  private static int corruptLines;

  /** Mutant {@code i}'s namespace and name: 500 fuzz objects, each mutated 20 times (adds and updates). */
  private static String ns(int i) {
    return "fuzz-" + (i % 10);
  }

  private static String name(int i) {
    return "f" + (i / 10) % 50;
  }

  @BeforeAll
  static void writeLogs() throws IOException {
    Files.createDirectories(DIR);
    fuzzLog = DIR.resolve("fuzz.jsonl");
    validLog = DIR.resolve("valid.jsonl");
    var fuzzer = new ObjectFuzzer(SEED);
    var random = new SplittableRandom(SEED + 1);
    var valid = new ValidObjects();
    try (OutputStream all = new BufferedOutputStream(Files.newOutputStream(fuzzLog), 1 << 16);
        OutputStream alone = new BufferedOutputStream(Files.newOutputStream(validLog), 1 << 16)) {
      long tick = 0;
      for (LogEvent e : valid.initial(T0)) {
        line(all, e);
        line(alone, e);
      }
      tick = 1000; // the initial lists took the first second
      for (int i = 0; i < MUTANTS; i++) {
        Instant at = T0.plusMillis(tick += 5);
        String cluster = random.nextBoolean() ? "eu-1" : "eu-2";
        var mutant = fuzzer.next(cluster, ns(i), name(i), i + 10);
        LogEventType type = random.nextInt(20) == 0 ? LogEventType.DELETED : random.nextBoolean() ? LogEventType.ADDED : LogEventType.MODIFIED;
        byte[] bytes = lineOf(at, cluster, type, mutant.object());
        if (random.nextInt(50) == 0) {
          bytes = corrupt(bytes, random);
          corruptLines++;
        }
        all.write(bytes);
        if (i % 20 == 0) { // a valid change every 100 ms, interleaved
          for (LogEvent e : valid.change(at.plusNanos(1), random)) {
            line(all, e);
            line(alone, e);
          }
        }
      }
    }
  }

  @Test
  void everyMutantTranslatesToAVerdictWithAReasonAndNeverCrashes() {
    int accepted = 0;
    var fuzzer = new ObjectFuzzer(SEED); // the mutants of the log, in its order
    for (int i = 0; i < MUTANTS; i++) {
      ObjectFuzzer.Mutant m = fuzzer.next("eu-1", ns(i), name(i), i + 10);
      var event = WatchEvent.of("eu-1", EventType.ADDED, m.object());
      Translation t;
      try {
        t = Translator.translated(event, SETTINGS).translation();
      } catch (RuntimeException | StackOverflowError e) {
        throw new AssertionError("translation threw " + e + " on " + m.mutations(), e);
      }
      if (t instanceof Translation.Rejected r) {
        assertThat(r.reason()).as("reason of %s", m.mutations()).isNotBlank().doesNotContain("Tributary bug");
      } else if (t instanceof Translation.Ignored ig) {
        assertThat(ig.reason()).as("reason of %s", m.mutations()).isNotBlank();
      } else {
        accepted++;
      }
    }
    assertThat(accepted).as("mutants that still translate").isGreaterThan(MUTANTS / 20);
  }

  @Test
  void theReplayNeverFailsEveryRejectionHasAReasonAndEveryValidObjectLands() throws IOException {
    ReplayResult alone = replay(validLog, new ArrayList<>(), new long[1]);
    assertThat(alone.stats().rejected()).as("the valid objects are valid").isEmpty();
    assertThat(alone.state().get(Target.CONSUL)).hasSizeGreaterThan(100);

    List<BadLine> bad = new ArrayList<>();
    long[] skipped = new long[1];
    ReplayResult fuzzed = replay(fuzzLog, bad, skipped); // a stream failure would throw here
    assertThat(fuzzed.deterministic()).isTrue();
    assertThat(fuzzed.stats().eventsRead()).isGreaterThan(MUTANTS * 9 / 10);

    // every rejection, by the reader or the pipeline, says why; none is a crash in disguise
    assertThat(skipped[0]).isGreaterThanOrEqualTo(corruptLines);
    assertThat(bad).hasSize((int) Math.min(skipped[0], 100));
    assertThat(bad).allSatisfy(b -> assertThat(b.reason()).isNotBlank());
    assertThat(fuzzed.stats().rejected()).isNotEmpty().allSatisfy((key, reason) ->
        assertThat(reason).as("rejection of %s", key).isNotBlank().doesNotContain("Tributary bug"));
    assertThat(fuzzed.stats().ignored()).allSatisfy((key, reason) -> assertThat(reason).isNotBlank());

    // every valid object's records, record by record, as without the mutants
    for (Target t : Target.values()) {
      SortedMap<String, TargetRecord> expected = alone.state().get(t);
      SortedMap<String, TargetRecord> actual = fuzzed.state().get(t);
      for (Map.Entry<String, TargetRecord> e : expected.entrySet()) {
        assertThat(actual.get(e.getKey())).as("%s %s", t.id(), e.getKey()).isEqualTo(e.getValue());
      }
      // and no mutant added anything to a valid host
      actual.forEach((key, record) -> {
        if (!expected.containsKey(key)) {
          assertThat(record.toString()).as("%s %s", t.id(), key).doesNotContain(VALID_DOMAIN);
        }
      });
    }
    // the mutants did reach the targets: the comparison above is not over an idle pipeline
    assertThat(fuzzed.state().get(Target.CONSUL).size()).isGreaterThan(alone.state().get(Target.CONSUL).size());
    System.out.printf("fuzz: %d events read, %d bad lines (%d corrupted on purpose), %d rejections (%d objects rejected at the end),"
            + " %d ignored; consul %d records (valid alone %d); replayed in %d ms%n",
        fuzzed.stats().eventsRead(), skipped[0], corruptLines, fuzzed.stats().rejections(), fuzzed.stats().rejected().size(),
        fuzzed.stats().ignored().size(), fuzzed.state().get(Target.CONSUL).size(), alone.state().get(Target.CONSUL).size(),
        fuzzed.wallTime().toMillis());
  }

  @org.junit.jupiter.api.AfterAll
  static void removeLogs() throws IOException {
    Files.deleteIfExists(fuzzLog); // about 100 MB
    Files.deleteIfExists(validLog);
  }

  private static ReplayResult replay(Path log, List<BadLine> bad, long[] skipped) throws IOException {
    try (var reader = EventLogReader.open(log, true)) {
      ReplayResult r = Replay.run(log.toString(), reader, SETTINGS, Logs.TWO_CLUSTERS, WriteObserver.NONE);
      bad.addAll(reader.skipped());
      skipped[0] = reader.skippedCount();
      return r;
    }
  }

  private static void line(OutputStream out, LogEvent e) throws IOException {
    if (e.type() == LogEventType.SYNCED) {
      out.write(("{\"v\":1,\"at\":\"" + DateTimeFormatter.ISO_INSTANT.format(e.at()) + "\",\"cluster\":\"" + e.cluster()
          + "\",\"type\":\"SYNCED\",\"kind\":\"" + e.kind() + "\"}\n").getBytes(StandardCharsets.UTF_8));
    } else {
      out.write(lineOf(e.at(), e.cluster(), e.type(), e.object()));
    }
  }

  private static byte[] lineOf(Instant at, String cluster, LogEventType type, ObjectNode object) throws IOException {
    ObjectNode line = ObjectFuzzer.WRITER.createObjectNode();
    line.put("v", 1).put("at", DateTimeFormatter.ISO_INSTANT.format(at)).put("cluster", cluster).put("type", type.name());
    line.set("object", object);
    byte[] json = ObjectFuzzer.WRITER.writeValueAsBytes(line);
    byte[] withNewline = java.util.Arrays.copyOf(json, json.length + 1);
    withNewline[json.length] = '\n';
    return withNewline;
  }

  /** A line broken as a disk, an editor or a half-written file breaks it; always a bad line. */
  private static byte[] corrupt(byte[] line, SplittableRandom random) {
    String s = new String(line, 0, line.length - 1, StandardCharsets.UTF_8);
    String broken = switch (random.nextInt(12)) {
      case 0 -> s.substring(0, Math.max(1, random.nextInt(s.length()))); // cut short
      case 1 -> s.replaceFirst("^\\{\"v\":1,", "{\"v\":1,\"type\":\"ADDED\","); // a duplicated key
      case 2 -> s.replaceFirst("\\{\"v\":1,", "{\"v\":1,\"v\":1,");
      case 3 -> s + "}";
      case 4 -> s + " {\"v\":1}";
      case 5 -> s.replaceFirst("\"v\":1", "\"v\":2");
      case 6 -> s.replaceFirst("\"at\":\"[^\"]*\"", "\"at\":\"yesterday\"");
      case 7 -> s.replaceFirst("\"type\":\"[A-Z]+\"", "\"type\":\"CREATED\"");
      case 8 -> s.replaceFirst("\"at\":\"[^\"]*\"", "\"at\":\"2020-01-01T00:00:00Z\""); // time goes backwards
      case 9 -> "[" + s + "]";
      case 10 -> s.replaceFirst("\"object\":", "\"object\":[") .concat("]");
      default -> "\u0000" + s;
    };
    return (broken + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The valid objects: Ingresses, IngressRoutes (with a Middleware and a TraefikService split) and
   * labelled Services in namespaces {@code valid-*}, each in one of the two clusters, then changed,
   * deleted and re-added as the run goes.
   */
  private static final class ValidObjects {
    private static final int INGRESSES = 80;
    private static final int ROUTES = 30;
    private static final int SERVICES = 30;
    private final java.util.Set<Integer> deleted = new java.util.HashSet<>();
    private long rv = 1;

    List<LogEvent> initial(Instant t0) {
      List<LogEvent> events = new ArrayList<>();
      int total = INGRESSES + ROUTES + SERVICES;
      for (int i = 0; i < total; i++) {
        Instant at = t0.plusMillis(i);
        events.add(LogEvent.watch(at, cluster(i), LogEventType.ADDED, object(i, 0)));
        if (i >= INGRESSES && i < INGRESSES + ROUTES && i % 3 == 0) {
          events.add(LogEvent.watch(at, cluster(i), LogEventType.ADDED, middleware(i)));
          events.add(LogEvent.watch(at, cluster(i), LogEventType.ADDED, split(i)));
        }
      }
      for (String c : List.of("eu-1", "eu-2")) {
        for (String kind : List.of("Ingress", "IngressRoute", "Middleware", "TraefikService", "Service", "Node")) {
          events.add(LogEvent.synced(t0.plusMillis(total + 1), c, kind));
        }
      }
      return events;
    }

    /** One valid change: an update of a random object, or a delete, or the re-add of a deleted one. */
    List<LogEvent> change(Instant at, SplittableRandom random) {
      int i = random.nextInt(INGRESSES + ROUTES + SERVICES);
      if (deleted.remove(i)) {
        return List.of(LogEvent.watch(at, cluster(i), LogEventType.ADDED, object(i, random.nextInt(5))));
      }
      if (random.nextInt(10) == 0) {
        deleted.add(i);
        return List.of(LogEvent.watch(at, cluster(i), LogEventType.DELETED, object(i, 0)));
      }
      return List.of(LogEvent.watch(at, cluster(i), LogEventType.MODIFIED, object(i, random.nextInt(5))));
    }

    private static String cluster(int i) {
      return i % 2 == 0 ? "eu-1" : "eu-2";
    }

    private static String ns(int i) {
      return "valid-" + (i % 7);
    }

    private ObjectNode object(int i, int variant) {
      String host = "o" + i + VALID_DOMAIN;
      ObjectNode o;
      if (i < INGRESSES) {
        var ing = IngressFactory.ingress(ns(i), "ing" + i).path(host, "/", "Prefix", "web" + i, 80 + variant);
        if (i % 4 == 0) {
          ing.path(host, "/api", "Prefix", "api" + i, 8080).tls(host);
        }
        if (variant > 0) {
          ing.annotation("traefik.ingress.kubernetes.io/router.priority", String.valueOf(variant));
        }
        o = ing.build(cluster(i), rv++);
      } else if (i < INGRESSES + ROUTES) {
        o = IngressFactory.ingressRoute("traefik.io", ns(i), "ir" + i, host, "web" + i, 80 + variant).build(cluster(i), rv++);
        ObjectNode route = (ObjectNode) o.path("spec").path("routes").get(0);
        if (i % 3 == 0) {
          route.putArray("middlewares").addObject().put("name", "mw" + i);
          route.remove("services");
          route.putArray("services").addObject().put("name", "split" + i).put("kind", "TraefikService");
        }
      } else {
        o = ObjectFuzzer.WRITER.createObjectNode();
        o.put("apiVersion", "v1").put("kind", "Service");
        ObjectNode meta = o.putObject("metadata");
        meta.put("name", "svc" + i).put("namespace", ns(i)).put("resourceVersion", String.valueOf(rv++));
        meta.putObject("labels").put("type", "ingress");
        meta.putObject("annotations").put("host", host).put("path", variant == 0 ? "/" : "/v" + variant);
        o.putObject("spec").putArray("ports").addObject().put("name", "http").put("port", 8080 + variant);
      }
      return o;
    }

    private ObjectNode middleware(int i) {
      return IngressFactory.middleware(ns(i), "mw" + i, "{\"stripPrefix\":{\"prefixes\":[\"/x\"]}}").build(cluster(i), rv++);
    }

    private ObjectNode split(int i) {
      ObjectNode o = ObjectFuzzer.WRITER.createObjectNode();
      o.put("apiVersion", "traefik.io/v1alpha1").put("kind", "TraefikService");
      o.putObject("metadata").put("name", "split" + i).put("namespace", ns(i)).put("resourceVersion", String.valueOf(rv++));
      var services = o.putObject("spec").putObject("weighted").putArray("services");
      services.addObject().put("name", "web" + i).put("port", 80).put("weight", 9);
      services.addObject().put("name", "canary" + i).put("port", 80).put("weight", 1);
      return o;
    }
  }
}
