package io.tributary.lastaccepted;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.tributary.plan.LastAccepted;
import io.tributary.translate.Route;
import io.tributary.translate.rule.RuleExpr;
import io.tributary.watch.ObjectKey;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code tributary.last-accepted} file: the last accepted routes of every object as JSON, with
 * a format version. Read once at start, where nothing it holds may stop the service (a missing file
 * is none, an unreadable, corrupt or unknown one is a warning and none); written atomically (a
 * temporary file in the same directory, synced, then renamed over it), so a crash or {@code kill -9}
 * mid-write leaves the previous file whole.
 */
public final class LastAcceptedFile {
  /** The format this build writes and reads; another one is not guessed at. */
  static final int VERSION = 1;

  private static final ObjectMapper JSON = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      // derived accessors (Route.isDnsOnly, a middleware's isChain) are written, never needed back
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .serializationInclusion(JsonInclude.Include.NON_NULL)
      .addMixIn(RuleExpr.class, RuleExprTypes.class)
      .build();

  private LastAcceptedFile() {}

  /** A route's parsed rule, tagged with its node type. */
  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "op")
  @JsonSubTypes({
    @JsonSubTypes.Type(value = RuleExpr.And.class, name = "and"),
    @JsonSubTypes.Type(value = RuleExpr.Or.class, name = "or"),
    @JsonSubTypes.Type(value = RuleExpr.Not.class, name = "not"),
    @JsonSubTypes.Type(value = RuleExpr.Matcher.class, name = "matcher")
  })
  private interface RuleExprTypes {}

  /** The file as written: its format version and each object's routes in force, in key order. */
  record Content(int version, List<Entry> objects) {}

  record Entry(ObjectKey object, List<Route> routes, List<String> parts) {}

  /** What loading found: the last accepted routes (none on a problem), and the problem, or null. */
  public record Loaded(LastAccepted lastAccepted, String problem) {}

  /**
   * Reads {@code file}: a missing file is no routes; one that cannot be read or understood is no
   * routes and a problem naming the file, never an exception.
   */
  public static Loaded load(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return new Loaded(LastAccepted.NONE, null);
    } catch (IOException | RuntimeException e) {
      return problem(file, "cannot be read (" + e + ")");
    }
    try {
      JsonNode tree = JSON.readTree(bytes);
      if (tree == null || !tree.isObject()) {
        return problem(file, "is not a JSON object");
      }
      if (!tree.path("version").isInt() || tree.path("version").asInt() != VERSION) {
        return problem(file, "has format version " + tree.path("version") + ", this Tributary reads " + VERSION);
      }
      return new Loaded(decode(JSON.treeToValue(tree, Content.class)), null);
    } catch (IOException | RuntimeException e) {
      String reason = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.toString();
      return problem(file, "is corrupt (" + reason.lines().findFirst().orElse("") + ")");
    }
  }

  private static Loaded problem(Path file, String what) {
    return new Loaded(LastAccepted.NONE, "last-accepted file " + file + " " + what
        + ": starting without the last accepted routes of the previous run");
  }

  private static LastAccepted decode(Content content) {
    Map<ObjectKey, LastAccepted.ObjectRoutes> objects = new TreeMap<>();
    for (Entry e : content.objects() == null ? List.<Entry>of() : content.objects()) {
      if (e.object() == null || e.routes() == null || e.routes().isEmpty()) {
        throw new IllegalArgumentException("an entry without its object or routes");
      }
      objects.put(e.object(), new LastAccepted.ObjectRoutes(e.routes(), e.parts() == null ? List.of() : e.parts()));
    }
    return new LastAccepted(objects);
  }

  /** {@code lastAccepted} as the file holds it. */
  static byte[] encode(LastAccepted lastAccepted) throws IOException {
    List<Entry> entries = new ArrayList<>(lastAccepted.size());
    lastAccepted.objects().forEach((key, r) -> entries.add(new Entry(key, r.routes(), r.parts())));
    return JSON.writeValueAsBytes(new Content(VERSION, entries));
  }

  /** Replaces {@code file} with {@code lastAccepted} atomically (its directory is created if need be). */
  public static void write(Path file, LastAccepted lastAccepted) throws IOException {
    byte[] bytes = encode(lastAccepted);
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, file.getFileName().toString() + ".", ".tmp");
    try {
      try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        var buffer = java.nio.ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
        out.force(true); // on disk before the rename makes it the file
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
