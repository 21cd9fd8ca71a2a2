package io.tributary.settings;

import com.typesafe.config.Config;
import java.util.List;
import java.util.Locale;

/**
 * {@code tributary.consul}: how routes become Consul catalog registrations.
 *
 * @param datacenter Consul datacenter the registrations go to
 * @param nodeNameTemplate synthetic node per cluster; {@code {cluster}} is substituted
 * @param serviceNameTemplate Consul service name per route group; {@code {host}}, {@code {path}}
 *     are substituted, then the result is made a valid DNS label
 * @param tagSyntax Traefik tag dialect
 * @param defaultEntrypoints entry points for routes that name none; empty writes no tag
 * @param http how to reach Consul; disabled keeps Consul in memory
 */
public record ConsulSettings(
    String datacenter,
    String nodeNameTemplate,
    String serviceNameTemplate,
    TagSyntax tagSyntax,
    List<String> defaultEntrypoints,
    ConsulHttpSettings http) {

  public ConsulSettings {
    defaultEntrypoints = List.copyOf(defaultEntrypoints);
  }

  /** Settings for planning only: Consul kept in memory. */
  public ConsulSettings(
      String datacenter, String nodeNameTemplate, String serviceNameTemplate, TagSyntax tagSyntax,
      List<String> defaultEntrypoints) {
    this(datacenter, nodeNameTemplate, serviceNameTemplate, tagSyntax, defaultEntrypoints, ConsulHttpSettings.inMemory());
  }

  public static ConsulSettings defaults() {
    return new ConsulSettings("dc1", "tributary-{cluster}", "{host}{path}", TagSyntax.V3, List.of());
  }

  /** The synthetic Consul node that carries {@code cluster}'s instances. */
  public String nodeName(String cluster) {
    return nodeNameTemplate.replace("{cluster}", cluster);
  }

  static ConsulSettings from(Config c, Problems p) {
    String syntax = p.string(c, "tag-syntax");
    TagSyntax tagSyntax = TagSyntax.V3;
    if (syntax != null) {
      try {
        tagSyntax = TagSyntax.valueOf(syntax.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        p.add("consul.tag-syntax: '" + syntax + "' is not one of v1, v2, v3");
      }
    }
    String node = p.string(c, "node-name-template");
    if (node != null && !node.contains("{cluster}")) {
      p.add("consul.node-name-template must contain {cluster}, or clusters would share (and reap) one node");
    }
    List<String> eps = p.stringList(c, "default-entrypoints");
    return new ConsulSettings(
        p.string(c, "datacenter"),
        node,
        p.string(c, "service-name-template"),
        tagSyntax,
        eps == null ? List.of() : eps,
        ConsulHttpSettings.from(c.getConfig("http"), p.under("http")));
  }
}
