package io.tributary.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.tributary.settings.TributarySettings;
import io.tributary.target.Target;
import io.tributary.target.TargetRecord;
import io.tributary.translate.TranslatedEvent;
import io.tributary.translate.Translator;
import io.tributary.watch.EventType;
import io.tributary.watch.WatchEvent;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Traefik's own test manifests (kept verbatim in {@code manifests/traefik/}, see its README)
 * through translation and planning: their routes are registered exactly as a route to one Service
 * would be while their TraefikServices are there, and held back naming the TraefikService when not.
 */
class TraefikManifestsTest {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final TributarySettings SETTINGS = PlanFixtures.settings("""
      tributary.translate.allow-cross-namespace = true
      tributary.clusters.eu-1.endpoints { addresses = ["192.0.2.11"], port = 8080 }
      """);

  static List<ObjectNode> manifest(String file) {
    try (InputStream in = TraefikManifestsTest.class.getResourceAsStream("/manifests/traefik/" + file)) {
      List<ObjectNode> objects = new ArrayList<>();
      for (JsonNode doc : YAML.readerFor(JsonNode.class).<JsonNode>readValues(in).readAll()) {
        if (doc instanceof ObjectNode o && !o.isEmpty()) {
          objects.add(o);
        }
      }
      return objects;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static boolean isTraefikService(ObjectNode o) {
    return o.path("kind").asText().equals("TraefikService");
  }

  /** What the writers are told, and each unit's last notes, once every object is planned and the cluster has listed. */
  private record Planned(Map<String, TargetRecord> consul, Map<String, List<String>> notes) {}

  private static Planned plan(List<ObjectNode> objects, TributarySettings settings) {
    Map<String, List<String>> notes = new LinkedHashMap<>();
    var state = new RoutingState(settings, new PipelineListener() {
      @Override
      public void unitNotes(String unit, List<String> n) {
        notes.put(unit, n);
      }
    });
    for (ObjectNode o : objects) {
      state.apply(Translator.translated(WatchEvent.of("eu-1", EventType.ADDED, o), settings));
    }
    for (String kind : Translator.KINDS) {
      state.apply(new TranslatedEvent(WatchEvent.synced("eu-1", kind), null));
    }
    return new Planned(new TreeMap<>(state.told(Target.CONSUL)), notes);
  }

  /** The same objects with every IngressRoute route sent to its first service alone, as a plain Service. */
  private static List<ObjectNode> toOneService(List<ObjectNode> objects) {
    List<ObjectNode> out = new ArrayList<>();
    for (ObjectNode o : objects) {
      ObjectNode copy = o.deepCopy();
      if (o.path("kind").asText().equals("IngressRoute")) {
        for (JsonNode route : copy.path("spec").path("routes")) {
          ObjectNode first = ((ObjectNode) route.path("services").get(0)).deepCopy();
          first.remove(List.of("kind", "weight"));
          ((ArrayNode) route.path("services")).removeAll().add(first);
        }
      }
      if (!isTraefikService(o)) {
        out.add(copy);
      }
    }
    return out;
  }

  private static List<ObjectNode> without(List<ObjectNode> objects, Predicate<ObjectNode> which) {
    return objects.stream().filter(which.negate()).toList();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "with_mirroring2.yml             | consul:Host(`foo.com`) && PathPrefix(`/foo`) | split in cluster eu-1: default-mirror1 = mirroring default-wrr1 [weighted whoami4:8080 100%], mirrors default-wrr2 [weighted whoami5:8080 100%] 30%",
      "with_services_lb1.yml           | consul:Host(`foo.com`) && PathPrefix(`/foo`) | split in cluster eu-1: weighted default-wrr1 [weighted whoami4:80 50%, whoami5:8080 50%] 50%, default-wrr2 [weighted whoami6:80 50%, whoami7:8080 50%] 50%",
      "with_service_cross_provider.yml | consul:Host(`mirror.example.com`)             | split in cluster eu-1: foo-mirror-cp = mirroring external-main@file, mirrors external-mirror@file 50%",
      "with_service_cross_provider.yml | consul:Host(`weighted.example.com`)           | split in cluster eu-1: bar-weighted-cp = weighted external-a@file 50%, external-b@file 50%",
      "with_two_services_weight.yml    | consul:Host(`foo.com`) && PathPrefix(`/foo`) | split in cluster eu-1: weighted whoami:80 100%, whoami2:8080 0%"})
  void withTheirTraefikServicesTheRoutesAreRegisteredAsToOneServiceWithTheSplitNoted(String file, String unit, String split) {
    var objects = manifest(file);
    var planned = plan(objects, SETTINGS);
    assertThat(planned.consul()).isNotEmpty();
    // the VM side gets exactly what a route to one Service gets: the split happens in the cluster
    assertThat(planned.consul()).isEqualTo(plan(toOneService(objects), SETTINGS).consul());
    assertThat(planned.notes().get(unit)).containsExactly(split);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "with_mirroring2.yml             | TraefikService default-mirror1, which does not exist in cluster eu-1",
      "with_services_lb1.yml           | TraefikService default-wrr1, which does not exist in cluster eu-1",
      "with_service_cross_provider.yml | TraefikService foo-mirror-cp, which does not exist in cluster eu-1"})
  void withoutTheirTraefikServicesTheRoutesAreHeldBackNamingTheOneMissing(String file, String missing) {
    var planned = plan(without(manifest(file), TraefikManifestsTest::isTraefikService), SETTINGS);
    assertThat(planned.consul()).isEmpty();
    assertThat(planned.notes().values()).anySatisfy(n -> assertThat(n).singleElement().asString()
        .startsWith("held back in cluster eu-1: ").contains("can have its " + missing));
  }

  @Test
  void aMissingNestedMemberIsNamedThroughTheTraefikServiceTheRouteNames() {
    var planned = plan(without(manifest("with_mirroring2.yml"), o -> o.path("metadata").path("name").asText().equals("wrr2")), SETTINGS);
    assertThat(planned.consul()).isEmpty();
    assertThat(planned.notes().get("consul:Host(`foo.com`) && PathPrefix(`/foo`)")).singleElement().asString()
        .contains("can have its TraefikService default-mirror1 of cluster eu-1, which cannot be used:"
            + " its service TraefikService default-wrr2, which does not exist in cluster eu-1");
  }

  @Test
  void theTraefikServicesArriveAfterTheirRoutesAndReleaseThem() {
    var objects = manifest("with_services_lb1.yml");
    List<ObjectNode> routesFirst = new ArrayList<>(without(objects, TraefikManifestsTest::isTraefikService));
    routesFirst.addAll(objects.stream().filter(TraefikManifestsTest::isTraefikService).toList());
    assertThat(plan(routesFirst, SETTINGS).consul()).isEqualTo(plan(objects, SETTINGS).consul()).isNotEmpty();
  }

  @Test
  void routesToTraefikServicesOfOtherNamespacesNeedAllowCrossNamespace() {
    var strict = PlanFixtures.settings("tributary.clusters.eu-1.endpoints { addresses = [\"192.0.2.11\"], port = 8080 }");
    assertThat(plan(manifest("with_service_cross_provider.yml"), strict).consul()).isEmpty();
  }
}
