package io.tributary.lastaccepted;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.plan.LastAccepted;
import io.tributary.translate.Backend;
import io.tributary.translate.Canary;
import io.tributary.translate.Middlewares;
import io.tributary.translate.PathMatch;
import io.tributary.translate.Route;
import io.tributary.translate.ServiceRef;
import io.tributary.translate.rule.RuleParser;
import io.tributary.watch.ObjectKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The last-accepted file: every field of a route round-trips exactly; nothing in the file can stop a start. */
class LastAcceptedFileTest {
  @TempDir
  Path dir;

  private static final ObjectKey WEB = new ObjectKey("eu-1", "IngressRoute", "shop", "web");

  /** A route with every field set, the rule a tree of every node type. */
  static Route everyField(ObjectKey key) {
    ObjectNode config = JsonNodeFactory.instance.objectNode();
    config.putArray("sourceRange").add("10.0.0.0/8");
    config.putObject("nested").put("n", 3).put("b", true);
    var definition = new Middlewares.Definition("shop-web-allow", "ipallowlist", Map.of("sourceRange", "10.0.0.0/8"), null,
        List.of(), config);
    var chain = new Middlewares.Definition("shop-web-chain", "chain", Map.of(), "a reason", List.of("shop-web-allow"));
    return new Route(key, Instant.parse("2026-01-01T00:00:00.123Z"), "a.example.com", "/api", PathMatch.EXACT,
        new Backend("web", null, "http"), List.of("websecure"), List.of("shop-web-allow@kubernetescrd"), 42, true, true,
        false, RuleParser.parse("Host(`a.example.com`) && (PathPrefix(`/api`) || !Header(`X-Canary`, `on`))"),
        List.of("a.example.com", "b.example.com"), "web-svc", 30L, 25, 10, List.of("192.0.2.1"), true,
        List.of(new ServiceRef(ServiceRef.Kind.SERVICE, "shop", "web", "80", 3),
            new ServiceRef(ServiceRef.Kind.TRAEFIK_SERVICE, "shop", "split", "", null)),
        new Canary(20, 100, "X-Canary", null, "^on$"), List.of(definition, chain), null);
  }

  @Test
  void everyFieldOfARouteRoundTripsExactly() throws Exception {
    var plain = new Route(new ObjectKey("eu-1", "Ingress", "shop", "plain"), Instant.EPOCH, "*.example.com", "/",
        PathMatch.PREFIX, new Backend("web", 80, null), List.of(), List.of(), null, false, false, true);
    var dnsOnly = Route.dnsOnly(new ObjectKey("eu-1", "Service", "shop", "lb"), Instant.EPOCH, "lb.example.com", List.of("2001:db8::1"));
    var lastAccepted = new LastAccepted(Map.of(
        WEB, new LastAccepted.ObjectRoutes(List.of(everyField(WEB)), List.of("spec.routes[0]")),
        plain.source(), new LastAccepted.ObjectRoutes(List.of(plain), List.of()),
        dnsOnly.source(), new LastAccepted.ObjectRoutes(List.of(dnsOnly), List.of())));
    Path file = dir.resolve("last-accepted.json");

    LastAcceptedFile.write(file, lastAccepted);
    var loaded = LastAcceptedFile.load(file);

    assertThat(loaded.problem()).isNull();
    assertThat(loaded.lastAccepted()).isEqualTo(lastAccepted);
    assertThat(loaded.lastAccepted().objects().get(WEB).routes().get(0).groupKey()).isEqualTo(everyField(WEB).groupKey());
    assertThat(Files.readString(file)).startsWith("{\"version\":1,");
  }

  @Test
  void aMissingFileIsNoRoutesWithoutAProblem() {
    var loaded = LastAcceptedFile.load(dir.resolve("absent.json"));
    assertThat(loaded.lastAccepted().isEmpty()).isTrue();
    assertThat(loaded.problem()).isNull();
  }

  @Test
  void aCorruptOrTruncatedFileIsAProblemNamingItAndNoRoutes() throws Exception {
    Path file = dir.resolve("last-accepted.json");
    LastAcceptedFile.write(file, new LastAccepted(Map.of(WEB, new LastAccepted.ObjectRoutes(List.of(everyField(WEB)), List.of()))));
    byte[] whole = Files.readAllBytes(file);
    for (String corrupt : List.of(new String(whole, 0, whole.length / 2, StandardCharsets.UTF_8), "", "[1,2]", "{\"version\":1,"
        + "\"objects\":[{\"object\":{\"cluster\":\"eu-1\"}}]}", "\u0000\u0001garbage")) {
      Files.writeString(file, corrupt);
      var loaded = LastAcceptedFile.load(file);
      assertThat(loaded.lastAccepted().isEmpty()).as(corrupt).isTrue();
      assertThat(loaded.problem()).as(corrupt).contains(file.toString()).contains("starting without");
    }
  }

  @Test
  void anUnknownFormatVersionIsAProblemAndNoRoutes() throws Exception {
    Path file = dir.resolve("last-accepted.json");
    Files.writeString(file, "{\"version\":2,\"objects\":[]}");
    var loaded = LastAcceptedFile.load(file);
    assertThat(loaded.lastAccepted().isEmpty()).isTrue();
    assertThat(loaded.problem()).contains(file.toString()).contains("format version 2");
  }

  @Test
  void aDirectoryInPlaceOfTheFileIsAProblemNotAFailedStart() throws Exception {
    Path file = Files.createDirectory(dir.resolve("last-accepted.json"));
    assertThat(LastAcceptedFile.load(file).problem()).contains(file.toString()).contains("cannot be read");
  }

  @Test
  void aWriteReplacesTheFileWholeAndLeavesNoTemporaryFile() throws Exception {
    Path file = dir.resolve("state").resolve("last-accepted.json"); // the directory is created
    LastAcceptedFile.write(file, new LastAccepted(Map.of(WEB, new LastAccepted.ObjectRoutes(List.of(everyField(WEB)), List.of()))));
    LastAcceptedFile.write(file, LastAccepted.NONE);
    assertThat(LastAcceptedFile.load(file)).isEqualTo(new LastAcceptedFile.Loaded(LastAccepted.NONE, null));
    try (var files = Files.list(file.getParent())) {
      assertThat(files).containsExactly(file);
    }
  }
}
