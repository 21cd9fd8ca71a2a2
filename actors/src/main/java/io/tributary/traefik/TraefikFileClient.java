package io.tributary.traefik;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.tributary.settings.TraefikSettings;
import io.tributary.target.Change;
import io.tributary.target.TargetRecord;
import io.tributary.writer.TargetClient;
import io.tributary.writer.TargetConfigurationException;
import io.tributary.writer.TargetUnavailableException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Traefik's dynamic configuration as one YAML file for Traefik's file provider.
 *
 * <p>The whole file is this owner's: one YAML document per owner, rewritten as a whole from the
 * entries it holds. A person's own configuration lives in other files of the file provider's
 * directory ({@code providers.file.directory}); a file that does not carry this owner's header is
 * never overwritten. Entries in the file whose names lack the owner prefix (a hand edit) are kept
 * but not reported as owned.
 *
 * <p>Each write renders the new state with sorted keys (the same state always gives the same
 * bytes) and replaces the file only if the bytes differ: written to a temporary file in the same
 * directory, then renamed over it atomically, so Traefik never reads half a file. The temporary
 * file's name ends in {@code .tmp}, an extension Traefik's directory watcher ignores.
 *
 * <p>I/O blocks, so it runs on {@code blocking}; the writer makes one call at a time.
 */
public final class TraefikFileClient implements TargetClient {
  private static final String HEADER_START = "# Written by Tributary, owner ";
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final YAMLMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          // every string quoted: unquoted, YAML would read 0x1F, yes or ~ as other types
          .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
          .build())
      .build();

  private final Path file;
  private final String root;
  private final String ownerId;
  private final Executor blocking;
  private final int maxBatch;

  /** A client writing {@code file} as {@code ownerId}, KV keys under {@code root}. */
  public TraefikFileClient(Path file, String root, String ownerId, int maxBatch, Executor blocking) {
    this.file = file.toAbsolutePath().normalize();
    this.root = root;
    this.ownerId = ownerId;
    this.maxBatch = maxBatch;
    this.blocking = blocking;
  }

  /** The client for {@code traefik.sink = file}: {@code traefik.file.path}, {@code traefik.root}. */
  public static TraefikFileClient create(TraefikSettings settings, String ownerId, int maxBatch, Executor blocking) {
    if (settings.file().path().isBlank()) {
      throw new IllegalArgumentException("traefik.sink = file needs traefik.file.path");
    }
    return new TraefikFileClient(Path.of(settings.file().path()), settings.root(), ownerId, maxBatch, blocking);
  }

  @Override
  public CompletionStage<Map<String, TargetRecord>> readOwned() {
    return CompletableFuture.supplyAsync(() -> {
      Map<String, TargetRecord> owned = new TreeMap<>();
      for (TraefikEntry e : TraefikDocument.entries(root, parse(read()), ownerId)) {
        if (TraefikOwnership.owns(ownerId, root, e.key())) {
          owned.put(e.key(), e);
        }
      }
      return owned;
    }, blocking);
  }

  @Override
  public CompletionStage<WriteOutcome> write(List<Change> changes) {
    return CompletableFuture.supplyAsync(() -> {
      byte[] current = read();
      Map<String, TraefikEntry> state = new TreeMap<>();
      TraefikDocument.entries(root, parse(current), ownerId).forEach(e -> state.put(e.key(), e));
      for (Change c : changes) {
        if (c.value() == null) {
          state.remove(c.key());
        } else {
          state.put(c.key(), (TraefikEntry) c.value());
        }
      }
      byte[] next = render(state.values());
      if (current == null || !Arrays.equals(current, next)) {
        replace(next);
      }
      return WriteOutcome.ok();
    }, blocking);
  }

  @Override
  public int maxBatch() {
    return maxBatch;
  }

  @Override
  public String describe() {
    return "Traefik file " + file;
  }

  /** The bytes Tributary writes for {@code entries}: the header, then the document with sorted keys. */
  public byte[] render(java.util.Collection<TraefikEntry> entries) {
    String header = HEADER_START + ownerId + ". Edits are overwritten; keep your own configuration in other files.\n";
    if (entries.isEmpty()) {
      return (header + "{}\n").getBytes(StandardCharsets.UTF_8);
    }
    try {
      return (header + YAML.writeValueAsString(sorted(TraefikDocument.document(root, entries)))).getBytes(StandardCharsets.UTF_8);
    } catch (JacksonException e) {
      throw new IllegalStateException("rendering " + file, e);
    }
  }

  // ---- file

  /** The file's bytes, null if there is none. */
  private byte[] read() {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return null;
    } catch (AccessDeniedException e) {
      throw new TargetConfigurationException(describe() + " is not readable: " + e.getMessage());
    } catch (IOException e) {
      throw new TargetUnavailableException("reading " + file + " failed: " + e, e);
    }
  }

  /** The document in {@code bytes}; only a file this owner wrote (or an empty one) is accepted. */
  private JsonNode parse(byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    if (text.isBlank()) {
      return null;
    }
    if (!text.startsWith(HEADER_START + ownerId + ".")) {
      String firstLine = text.lines().findFirst().orElse("");
      throw new TargetConfigurationException(file + " was not written by Tributary owner '" + ownerId + "' (it starts \""
          + (firstLine.length() > 80 ? firstLine.substring(0, 80) + "…" : firstLine)
          + "\"); refusing to overwrite it: point traefik.file.path at a file of its own");
    }
    try {
      JsonNode doc = YAML.readTree(text);
      if (doc != null && !doc.isMissingNode() && !doc.isNull() && !doc.isObject()) {
        throw new TargetConfigurationException(file + " is not a YAML mapping");
      }
      return doc;
    } catch (JacksonException e) {
      throw new TargetConfigurationException(file + " is not valid YAML: " + e.getOriginalMessage());
    } catch (IllegalArgumentException e) {
      throw new TargetConfigurationException(file + " does not hold Traefik dynamic configuration: " + e.getMessage());
    }
  }

  private void replace(byte[] bytes) {
    Path dir = file.getParent();
    Path tmp = null;
    try {
      // a dot name ending .tmp: Traefik's directory provider reads only .yml, .yaml and .toml
      tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ch.write(java.nio.ByteBuffer.wrap(bytes));
        ch.force(true); // on disk before the rename makes it the file
      }
      readableByTraefik(tmp);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      tmp = null;
    } catch (NoSuchFileException e) {
      throw new TargetConfigurationException("directory " + dir + " of " + describe() + " does not exist");
    } catch (AccessDeniedException e) {
      throw new TargetConfigurationException("directory " + dir + " of " + describe() + " is not writable: " + e.getMessage());
    } catch (java.nio.file.AtomicMoveNotSupportedException e) {
      throw new TargetConfigurationException(describe() + " cannot be replaced atomically: " + e.getMessage());
    } catch (IOException e) {
      throw new TargetUnavailableException("writing " + file + " failed: " + e, e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // the write failed already; a leftover .tmp is ignored by Traefik
        }
      }
    }
  }

  /** A temp file is created owner-only; Traefik may run as another user, so rw-r--r--. */
  private static void readableByTraefik(Path p) throws IOException {
    if (p.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
    }
  }

  /** {@code node} with every object's fields in name order, for bytes that depend only on the state. */
  static JsonNode sorted(JsonNode node) {
    if (node.isObject()) {
      ObjectNode out = NODES.objectNode();
      TreeMap<String, JsonNode> fields = new TreeMap<>();
      node.fields().forEachRemaining(f -> fields.put(f.getKey(), f.getValue()));
      fields.forEach((k, v) -> out.set(k, sorted(v)));
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = NODES.arrayNode();
      node.forEach(v -> out.add(sorted(v)));
      return out;
    }
    return node;
  }
}
