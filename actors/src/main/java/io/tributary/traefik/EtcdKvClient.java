package io.tributary.traefik;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.common.exception.EtcdException;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.tributary.settings.TraefikSettings;
import io.tributary.target.Change;
import io.tributary.target.TargetRecord;
import io.tributary.writer.TargetClient;
import io.tributary.writer.TargetConfigurationException;
import io.tributary.writer.TargetUnavailableException;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Traefik's KV dynamic configuration in etcd (v3 API, through jetcd), under {@code <root>/}.
 *
 * <p>Only keys {@link TraefikOwnership#owns} accepts are read as this owner's, and only they are ever
 * written or deleted. Each batch is one etcd transaction whose prerequisites are what the writer
 * believes: every updated or deleted key still holds its previous value, every created key does not
 * exist. A key changed behind Tributary's back therefore fails the transaction instead of being
 * overwritten; the batch is then split until the refused changes are isolated, and each is checked
 * once (it may already hold the wanted value, written by an attempt whose answer was lost) and
 * otherwise reported as a conflict.
 *
 * <p>Calls block on {@code blocking}; the writer makes one call at a time. The jetcd client is built
 * on first use and rebuilt after a configuration failure, so a fixed password file is picked up.
 */
public final class EtcdKvClient implements TargetClient {
  /** Changes per transaction: etcd's default {@code --max-txn-ops} is 128, a change costs up to two. */
  public static final int MAX_BATCH = 64;
  private static final int SHOWN_VALUE = 80;

  private final TraefikSettings.EtcdSink etcd;
  private final String root;
  private final String ownerId;
  private final Executor blocking;
  private final ExecutorService owned;
  private Client client;

  private EtcdKvClient(TraefikSettings.EtcdSink etcd, String root, String ownerId, Executor blocking, ExecutorService owned) {
    if (etcd.endpoints().isEmpty()) {
      throw new IllegalArgumentException("traefik.etcd.endpoints is empty");
    }
    this.etcd = etcd;
    this.root = root;
    this.ownerId = ownerId;
    this.blocking = blocking;
    this.owned = owned;
  }

  /** A client for {@code settings.etcd()} under {@code settings.root()}, writing as {@code ownerId}, on a thread of its own. */
  public static EtcdKvClient create(TraefikSettings settings, String ownerId) {
    ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "tributary-etcd-kv");
      t.setDaemon(true); // nothing to finish: the writer repeats what an interrupted call did not confirm
      return t;
    });
    return new EtcdKvClient(settings.etcd(), settings.root(), ownerId, thread, thread);
  }

  /** As {@link #create(TraefikSettings, String)}, blocking on {@code blocking} (e.g. Pekko's blocking dispatcher). */
  public static EtcdKvClient create(TraefikSettings settings, String ownerId, Executor blocking) {
    return new EtcdKvClient(settings.etcd(), settings.root(), ownerId, blocking, null);
  }

  @Override
  public CompletionStage<Map<String, TargetRecord>> readOwned() {
    return CompletableFuture.supplyAsync(this::read, blocking);
  }

  @Override
  public CompletionStage<WriteOutcome> write(List<Change> changes) {
    return CompletableFuture.supplyAsync(() -> writeAll(changes), blocking);
  }

  @Override
  public int maxBatch() {
    return MAX_BATCH;
  }

  @Override
  public String describe() {
    return "etcd at " + String.join(",", etcd.endpoints()) + " (root " + root + ")";
  }

  @Override
  public synchronized void close() {
    if (client != null) {
      client.close();
      client = null;
    }
    if (owned != null) {
      owned.shutdown();
    }
  }

  // ---- reading

  private Map<String, TargetRecord> read() {
    GetResponse response = await(kv().get(bytes(root + "/"), GetOption.builder().isPrefix(true).build()),
        "range read of " + root + "/");
    Map<String, TargetRecord> entries = new TreeMap<>();
    response.getKvs().forEach(kv -> {
      String key = kv.getKey().toString(StandardCharsets.UTF_8);
      if (TraefikOwnership.owns(ownerId, root, key)) {
        entries.put(key, new TraefikEntry(key, kv.getValue().toString(StandardCharsets.UTF_8), ownerId));
      }
    });
    return entries;
  }

  // ---- writing

  private WriteOutcome writeAll(List<Change> changes) {
    Map<String, String> conflicts = new LinkedHashMap<>();
    List<Change> ours = new ArrayList<>();
    for (Change c : changes) {
      if (TraefikOwnership.owns(ownerId, root, c.key())) {
        ours.add(c);
      } else {
        // the planner names only owned keys; one that is not ours is never touched, whatever asks
        conflicts.put(c.key(), c.key() + " is not a key of owner '" + ownerId + "' under " + root + "/; left untouched");
      }
    }
    apply(ours, conflicts);
    return new WriteOutcome(conflicts);
  }

  private void apply(List<Change> batch, Map<String, String> conflicts) {
    if (batch.isEmpty()) {
      return;
    }
    TxnResponse response = await(transaction(batch), "transaction of " + batch.size() + " changes");
    if (response.isSucceeded()) {
      return;
    }
    if (batch.size() > 1) {
      apply(batch.subList(0, batch.size() / 2), conflicts);
      apply(batch.subList(batch.size() / 2, batch.size()), conflicts);
      return;
    }
    Change c = batch.get(0);
    String reason = conflict(c);
    if (reason != null) {
      conflicts.put(c.key(), reason);
    }
  }

  private CompletableFuture<TxnResponse> transaction(List<Change> batch) {
    List<Cmp> prerequisites = new ArrayList<>();
    List<Op> ops = new ArrayList<>();
    for (Change c : batch) {
      ByteSequence key = bytes(c.key());
      prerequisites.add(c.previous() == null
          ? new Cmp(key, Cmp.Op.EQUAL, CmpTarget.version(0)) // version 0: the key does not exist
          : new Cmp(key, Cmp.Op.EQUAL, CmpTarget.value(bytes(valueOf(c.previous())))));
      ops.add(c.value() == null
          ? Op.delete(key, DeleteOption.DEFAULT)
          : Op.put(key, bytes(valueOf(c.value())), PutOption.DEFAULT));
    }
    return kv().txn().If(prerequisites.toArray(Cmp[]::new)).Then(ops.toArray(Op[]::new)).commit();
  }

  /** Why {@code c} was refused, from one read of its key; null if etcd already holds what it wanted. */
  private String conflict(Change c) {
    var kvs = await(kv().get(bytes(c.key())), "read of " + c.key()).getKvs();
    String now = kvs.isEmpty() ? null : kvs.get(0).getValue().toString(StandardCharsets.UTF_8);
    String wanted = c.value() == null ? null : valueOf(c.value());
    if (java.util.Objects.equals(now, wanted)) {
      return null; // an earlier attempt whose answer was lost
    }
    if (c.previous() == null) {
      return c.key() + " already exists in " + describe() + " (" + shown(now) + ") though Tributary did not write it; left untouched";
    }
    return c.key() + " changed in " + describe() + " since Tributary last read it (now "
        + (now == null ? "absent" : shown(now)) + "); left untouched until the next read";
  }

  private static String valueOf(TargetRecord r) {
    return ((TraefikEntry) r).value();
  }

  private static String shown(String value) {
    return value.length() <= SHOWN_VALUE ? "'" + value + "'" : "'" + value.substring(0, SHOWN_VALUE) + "…'";
  }

  // ---- the connection

  private synchronized KV kv() {
    if (client == null) {
      client = build();
    }
    return client.getKVClient();
  }

  private Client build() {
    ClientBuilder b = Client.builder()
        .endpoints(etcd.endpoints().toArray(String[]::new))
        .connectTimeout(etcd.timeout())
        // fail fast while etcd is down: the writer retries with backoff, jetcd should not queue or retry
        .waitForReady(false)
        .retryMaxAttempts(0)
        .retryMaxDuration(etcd.timeout());
    if (!etcd.username().isEmpty()) {
      String password;
      try {
        password = etcd.password().read().orElse("");
      } catch (RuntimeException e) {
        throw new TargetConfigurationException("etcd password for " + describe() + ": " + e.getMessage());
      }
      b.user(bytes(etcd.username())).password(bytes(password));
    }
    boolean tls = !etcd.caFile().isEmpty() || !etcd.certFile().isEmpty()
        || etcd.endpoints().stream().anyMatch(e -> e.toLowerCase(Locale.ROOT).startsWith("https:"));
    if (tls) {
      try {
        b.sslContext(ssl -> {
          if (!etcd.caFile().isEmpty()) {
            ssl.trustManager(new File(etcd.caFile()));
          }
          if (!etcd.certFile().isEmpty()) {
            ssl.keyManager(new File(etcd.certFile()), new File(etcd.keyFile()));
          }
        });
      } catch (SSLException | RuntimeException e) {
        throw new TargetConfigurationException("TLS settings for " + describe() + " (ca-file " + etcd.caFile() + ", cert-file "
            + etcd.certFile() + ", key-file " + etcd.keyFile() + ") are not usable: " + message(e));
      }
    }
    return b.build();
  }

  private <T> T await(CompletableFuture<T> future, String what) {
    try {
      return future.get(etcd.timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      dropClient();
      throw new TargetUnavailableException(what + " at " + describe() + " timed out after " + etcd.timeout());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(true);
      throw new TargetUnavailableException(what + " at " + describe() + " interrupted");
    } catch (ExecutionException e) {
      throw failure(e.getCause(), what);
    } catch (RuntimeException e) {
      throw failure(e, what);
    }
  }

  /**
   * Authentication, permission and TLS trust errors need an operator; anything else (unreachable,
   * leader lost, timed out) passes. The configuration failure also drops the client, so the next
   * attempt rereads the password file and the TLS files; so does an outage (see below).
   */
  private RuntimeException failure(Throwable cause, String what) {
    if (cause instanceof TargetConfigurationException || cause instanceof TargetUnavailableException) {
      return (RuntimeException) cause;
    }
    String reason = message(cause);
    if (isTls(cause)) {
      dropClient();
      return new TargetConfigurationException(what + " at " + describe() + ": the TLS handshake failed: " + reason
          + " (check traefik.etcd's ca-file " + file(etcd.caFile(), "none, the JVM's trust store") + ", cert-file "
          + file(etcd.certFile(), "none") + ", key-file " + file(etcd.keyFile(), "none") + ")");
    }
    if (isConfiguration(cause)) {
      dropClient();
      // etcd names neither the user nor the key it refused: say which user, whose role must cover the root
      String user = etcd.username().isEmpty() ? "no user (traefik.etcd.username is empty)"
          : "user '" + etcd.username() + "' (password from " + etcd.password() + ")";
      return new TargetConfigurationException(what + " at " + describe() + " refused: " + reason + " (check traefik.etcd's "
          + user + " and that its role may read and write " + root + "/)");
    }
    // a fresh channel next time: gRPC's own reconnect backoff grows to two minutes, which would
    // keep a writer waiting long after etcd is back; the writer's backoff paces the attempts instead
    dropClient();
    return new TargetUnavailableException(what + " at " + describe() + " failed: " + reason, cause);
  }

  /** A refused handshake: gRPC reports it as UNAVAILABLE, with the SSLException (or the certificate check) as cause. */
  private static boolean isTls(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof SSLException || t instanceof GeneralSecurityException) {
        return true;
      }
    }
    return false;
  }

  private static boolean isConfiguration(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      Status.Code code = t instanceof StatusRuntimeException s ? s.getStatus().getCode() : null;
      if (t instanceof EtcdException e) {
        code = Status.Code.valueOf(e.getErrorCode().name());
      }
      if (code == Status.Code.UNAUTHENTICATED || code == Status.Code.PERMISSION_DENIED) {
        return true;
      }
      String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
      if (m.contains("authentication failed") || m.contains("permission denied") || m.contains("invalid auth token")
          || m.contains("user name is empty") || m.contains("authentication is not enabled")) {
        return true;
      }
    }
    return false;
  }

  private synchronized void dropClient() {
    if (client != null) {
      client.close();
      client = null;
    }
  }

  private static String file(String path, String unset) {
    return path.isEmpty() ? "(" + unset + ")" : path;
  }

  /** The first line of the top message and of the root cause's: gRPC appends its channel pipeline on further lines. */
  private static String message(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String top = firstLine(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    String inner = root.getMessage() == null ? null : firstLine(root.getMessage());
    return root == e || inner == null || top.contains(inner) ? top : top + " (" + inner + ")";
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }
}
