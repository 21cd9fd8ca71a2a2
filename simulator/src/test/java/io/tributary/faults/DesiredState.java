package io.tributary.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.tributary.consul.ConsulRegistration;
import io.tributary.dns.DnsOwnership;
import io.tributary.dns.DnsRecordSet;
import io.tributary.eventlog.LogEvent;
import io.tributary.eventlog.LogEventType;
import io.tributary.replay.Replay;
import io.tributary.settings.DnsSettings;
import io.tributary.settings.TributarySettings;
import io.tributary.target.Target;
import io.tributary.target.TargetRecord;
import io.tributary.testkit.BindServer;
import io.tributary.testkit.ConsulDouble;
import io.tributary.watch.MockCluster;
import io.tributary.writer.WriteObserver;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * What the targets should hold for the Ingresses the mock API servers hold now: a virtual-time
 * replay of those objects (each ADDED, then every cluster's SYNCED marker) through the production
 * pipeline, with the live service's config. And what the Consul double and BIND do hold, in the
 * same form, so the two compare record by record ({@link RecordDiff}).
 */
final class DesiredState {
  private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

  private DesiredState() {}

  /** The replayed state of {@code clusters}' Ingresses under {@code config} (resolved, Pekko's keys included). */
  static Map<Target, SortedMap<String, TargetRecord>> of(Config config, Map<String, MockCluster> clusters) {
    List<LogEvent> events = new ArrayList<>();
    clusters.forEach((name, cluster) -> {
      List<GenericKubernetesResource> items = new ArrayList<>(
          cluster.client.genericKubernetesResources("networking.k8s.io/v1", "Ingress").inAnyNamespace().list().getItems());
      items.sort(Comparator.comparing((GenericKubernetesResource r) -> r.getMetadata().getNamespace())
          .thenComparing(r -> r.getMetadata().getName()));
      for (GenericKubernetesResource r : items) {
        ObjectNode object = Serialization.jsonMapper().valueToTree(r);
        object.put("apiVersion", "networking.k8s.io/v1").put("kind", "Ingress");
        events.add(LogEvent.watch(AT, name, LogEventType.ADDED, object));
      }
    });
    clusters.keySet().forEach(name -> events.add(LogEvent.synced(AT, name, "Ingress")));
    return Replay.run("desired", events.iterator(), TributarySettings.from(config), config, WriteObserver.NONE).state();
  }

  /** Consul registrations by {@code node/serviceId}: service, address, port, tags, meta. */
  static Map<String, String> consul(SortedMap<String, TargetRecord> records) {
    Map<String, String> out = new TreeMap<>();
    records.values().forEach(r -> {
      var c = (ConsulRegistration) r;
      out.put(c.key(), c.service() + "|" + c.address() + "|" + c.port() + "|" + c.tags() + "|" + new TreeMap<>(c.meta()));
    });
    return out;
  }

  /** What the double holds on {@code nodes}, in {@link #consul(SortedMap)}'s form. */
  static Map<String, String> consul(ConsulDouble consul, List<String> nodes) {
    Map<String, String> out = new TreeMap<>();
    for (String node : nodes) {
      for (JsonNode s : consul.nodeServices(node)) {
        var tags = new ArrayList<String>();
        s.path("Tags").forEach(t -> tags.add(t.asText()));
        var meta = new TreeMap<String, String>();
        s.path("Meta").fields().forEachRemaining(e -> meta.put(e.getKey(), e.getValue().asText()));
        out.put(node + "/" + s.path("ID").asText(),
            s.path("Service").asText() + "|" + s.path("Address").asText() + "|" + s.path("Port").asInt() + "|" + tags + "|" + meta);
      }
    }
    return out;
  }

  /**
   * DNS record sets by {@code name TYPE} (sorted data), each with its companion TXT ({@code
   * _tributary-<type>.<name> TXT}, its strings) as the DNS writer writes it.
   */
  static Map<String, String> dns(SortedMap<String, TargetRecord> records) {
    Map<String, String> out = new TreeMap<>();
    records.values().forEach(r -> {
      var set = (DnsRecordSet) r;
      List<String> data = new ArrayList<>();
      set.values().forEach(v -> data.add(set.type().equals("CNAME") ? v + "." : v));
      data.sort(null);
      out.put(set.name() + " " + set.type(), String.join(", ", data));
      out.put(DnsOwnership.companionName(set.name(), set.type(), DnsSettings.TxtFormat.TRIBUTARY) + " TXT",
          String.join(" | ", DnsOwnership.companionText(set, DnsSettings.TxtFormat.TRIBUTARY)));
    });
    return out;
  }

  /** What {@code zone} holds (by a signed AXFR), in {@link #dns(SortedMap)}'s form; SOA, NS and the NS's address left out. */
  static Map<String, String> dns(BindServer bind, String zone) {
    Map<String, List<String>> sets = new TreeMap<>();
    for (Record r : bind.zone(zone)) {
      String name = r.getName().toString(true).toLowerCase(Locale.ROOT);
      if (r.getType() == Type.SOA || r.getType() == Type.NS || name.equals("ns1." + zone)) {
        continue;
      }
      String data = r instanceof TXTRecord txt ? String.join(" | ", txt.getStrings()) : r.rdataToString();
      sets.computeIfAbsent(name + " " + Type.string(r.getType()), k -> new ArrayList<>()).add(data);
    }
    Map<String, String> out = new TreeMap<>();
    sets.forEach((k, data) -> {
      data.sort(null);
      out.put(k, String.join(k.endsWith(" TXT") ? " || " : ", ", data));
    });
    return out;
  }
}
