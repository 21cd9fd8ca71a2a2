package io.tributary.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.tributary.consul.ConsulRegistration;
import io.tributary.dns.DnsRecordSet;
import io.tributary.kind.ResourceKind;
import io.tributary.settings.TributarySettings;
import io.tributary.target.Target;
import io.tributary.target.TargetRecord;
import io.tributary.translate.TranslatedEvent;
import io.tributary.translate.Translator;
import io.tributary.watch.EventType;
import io.tributary.watch.ObjectKey;
import io.tributary.watch.WatchEvent;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Print what the fixtures plan to (exploration). */
class GatewayApiManifestsTest {
  private static final YAMLMapper YAML = new YAMLMapper();
  static final TributarySettings SETTINGS = PlanFixtures.settings("""
      tributary.translate.gateway-classes = [example, acme-lb, shared-gateway-class]
      tributary.clusters.eu-1.endpoints { addresses = ["192.0.2.11"], port = 8080 }
      """);

  static List<ObjectNode> manifest(String file) {
    try (InputStream in = GatewayApiManifestsTest.class.getResourceAsStream("/manifests/gateway-api/" + file)) {
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

  record Planned(Map<String, TargetRecord> consul, Map<String, TargetRecord> dns, Map<String, List<String>> notes,
      Map<ObjectKey, String> reports) {}

  static Planned plan(List<ObjectNode> objects, TributarySettings settings) {
    Map<String, List<String>> notes = new LinkedHashMap<>();
    Map<ObjectKey, String> reports = new TreeMap<>();
    var state = new RoutingState(settings, new PipelineListener() {
      @Override
      public void unitNotes(String unit, List<String> n) {
        notes.put(unit, n);
      }

      @Override
      public void accepted(ObjectKey key, int routes, List<String> warnings) {
        reports.put(key, "accepted " + routes + (warnings.isEmpty() ? "" : " " + warnings));
      }

      @Override
      public void ignored(ObjectKey key, String reason) {
        reports.put(key, "ignored: " + reason);
      }

      @Override
      public void rejected(ObjectKey key, String reason) {
        reports.put(key, "rejected: " + reason);
      }
    });
    for (ObjectNode o : objects) {
      state.apply(Translator.translated(WatchEvent.of("eu-1", EventType.ADDED, o), settings));
    }
    for (String kind : ResourceKind.syncKindNames()) {
      state.apply(new TranslatedEvent(WatchEvent.synced("eu-1", kind), null));
    }
    return new Planned(new TreeMap<>(state.told(Target.CONSUL)), new TreeMap<>(state.told(Target.DNS)), notes, reports);
  }

  @Test
  void explore() {
    for (String f : List.of("simple-gateway.yaml", "http-routing.yaml", "traffic-splitting.yaml", "http-header-modifier.yaml",
        "cross-namespace-routing.yaml", "listener-hostnames.yaml")) {
      Planned p = plan(manifest(f), SETTINGS);
      System.out.println("=== " + f);
      p.reports().forEach((k, v) -> System.out.println("  " + k + " " + v));
      p.consul().forEach((k, v) -> System.out.println("  C " + k + " -> " + v));
      p.dns().forEach((k, v) -> System.out.println("  D " + k + " -> " + v));
      p.notes().forEach((k, v) -> { if (!v.isEmpty()) System.out.println("  N " + k + " " + v); });
    }
  }
}
