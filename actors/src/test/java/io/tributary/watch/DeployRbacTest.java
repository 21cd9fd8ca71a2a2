package io.tributary.watch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.tributary.kind.ResourceKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The ClusterRoles in deploy/ let the watchers list and watch every API resource of every kind they watch. */
class DeployRbacTest {
  private static final YAMLMapper YAML = new YAMLMapper();

  @ParameterizedTest
  @ValueSource(strings = {"rbac.yaml", "remote-cluster-rbac.yaml"})
  void everyWatchedResourceMayBeListedAndWatched(String file) throws Exception {
    Set<String> granted = new HashSet<>(); // group/plural
    for (JsonNode doc : YAML.readerFor(JsonNode.class).<JsonNode>readValues(Files.readString(Path.of("..", "deploy", file))).readAll()) {
      if (!doc.path("kind").asText().equals("ClusterRole")) {
        continue;
      }
      for (JsonNode rule : doc.path("rules")) {
        List<String> verbs = YAML.convertValue(rule.path("verbs"), List.class);
        if (verbs.containsAll(List.of("get", "list", "watch"))) {
          rule.path("apiGroups").forEach(g -> rule.path("resources").forEach(r -> granted.add(g.asText() + "/" + r.asText())));
        }
      }
    }
    Set<String> watched = new HashSet<>();
    for (ResourceKind kind : ResourceKind.values()) {
      if (kind.watchedInClusters()) {
        kind.resources().forEach(r -> watched.add(r.group() + "/" + r.plural()));
      }
    }
    assertThat(granted).as(file).containsAll(watched);
    // and nothing the watchers never read
    assertThat(granted).as(file).containsExactlyInAnyOrderElementsOf(watched);
    assertThat(granted).as(file).contains("gateway.networking.k8s.io/gateways", "gateway.networking.k8s.io/httproutes",
        "gateway.networking.k8s.io/referencegrants", "/namespaces");
  }
}
