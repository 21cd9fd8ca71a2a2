package io.tributary.settings;

import com.typesafe.config.Config;
import java.util.List;
import java.util.Locale;

/**
 * {@code tributary.consul}: how routes become Consul catalog registrations.
 *
 * @param datacenter Consul datacenter the registrations go to
 * @param nodeNameTemplate synthetic node per cluster; {@code {cluster}} is substituted
 * @param serviceNameTemplate Consul service name per route group; placeholders {@link #PLACEHOLDERS}
 *     are substituted, then each dot-separated part is made a valid DNS label (see ServiceNames)
 * @param serviceNameTemplateServices the same for the route of a Service opted in by label (seed
 *     004); empty = {@link #SEED_004_TEMPLATE} when {@code environment} is set, else
 *     {@code serviceNameTemplate}
 * @param environment {@code {environment}} in the templates (the environment part of labelled Services' Consul names); empty =
 *     no template may use it
 * @param tagSyntax Traefik tag dialect
 * @param defaultEntrypoints entry points for routes that name none; empty writes no tag
 * @param http how to reach Consul; disabled keeps Consul in memory. In agent mode it gives the
 *     token, TLS, timeouts and pool of every agent connection (its address is unused)
 * @param registrationMode catalog (synthetic node per cluster, /v1/txn) or agent (each cluster's
 *     Consul agent, /v1/agent/service/*)
 * @param agentAddressTemplate agent mode: the agent of a cluster that names none in {@code
 *     clusters.<c>.consul-agent}; {@code {cluster}} is substituted. Empty = every cluster names one
 * @param mode which changes Consul takes ({@code policy}) and whether it is written ({@code dry-run})
 */
public record ConsulSettings(
    String datacenter,
    String nodeNameTemplate,
    String serviceNameTemplate,
    String serviceNameTemplateServices,
    String environment,
    TagSyntax tagSyntax,
    List<String> defaultEntrypoints,
    ConsulHttpSettings http,
    RegistrationMode registrationMode,
    String agentAddressTemplate,
    TargetMode mode) {

  /** How registrations reach Consul. */
  public enum RegistrationMode {
    /** On synthetic nodes {@code tributary-<cluster>} through the catalog API and /v1/txn. */
    CATALOG,
    /** Through a Consul agent per cluster (an agent on the cluster's nodes), on that agent's node. */
    AGENT
  }

  /** What a service-name template may contain besides literal text and dots. */
  public static final List<String> PLACEHOLDERS =
      List.of("{host}", "{path}", "{service}", "{namespace}", "{cluster}", "{environment}");

  /** The labelled-Service convention's Consul name, answered by Consul DNS as {@code <service>-<namespace>.<environment>.service.consul}. */
  public static final String SEED_004_TEMPLATE = "{service}-{namespace}.{environment}";

  private static final java.util.regex.Pattern LABEL = java.util.regex.Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  public ConsulSettings {
    defaultEntrypoints = List.copyOf(defaultEntrypoints);
    serviceNameTemplateServices = serviceNameTemplateServices == null ? "" : serviceNameTemplateServices;
    environment = environment == null ? "" : environment;
    registrationMode = registrationMode == null ? RegistrationMode.CATALOG : registrationMode;
    agentAddressTemplate = agentAddressTemplate == null ? "" : agentAddressTemplate;
    mode = mode == null ? TargetMode.DEFAULT : mode;
  }

  /** Settings with every change written (the default mode). */
  public ConsulSettings(
      String datacenter, String nodeNameTemplate, String serviceNameTemplate, String serviceNameTemplateServices,
      String environment, TagSyntax tagSyntax, List<String> defaultEntrypoints, ConsulHttpSettings http,
      RegistrationMode registrationMode, String agentAddressTemplate) {
    this(datacenter, nodeNameTemplate, serviceNameTemplate, serviceNameTemplateServices, environment, tagSyntax,
        defaultEntrypoints, http, registrationMode, agentAddressTemplate, TargetMode.DEFAULT);
  }

  /** Settings without agent mode. */
  public ConsulSettings(
      String datacenter, String nodeNameTemplate, String serviceNameTemplate, String serviceNameTemplateServices,
      String environment, TagSyntax tagSyntax, List<String> defaultEntrypoints, ConsulHttpSettings http) {
    this(datacenter, nodeNameTemplate, serviceNameTemplate, serviceNameTemplateServices, environment, tagSyntax,
        defaultEntrypoints, http, RegistrationMode.CATALOG, "");
  }

  /** True when registrations go to a real Consul (catalog with an address, or agents). */
  public boolean isRemote() {
    return http.enabled() || registrationMode == RegistrationMode.AGENT;
  }

  /** This in agent mode, with {@code http}'s token and TLS and the agent address template. */
  public ConsulSettings inAgentMode(ConsulHttpSettings http, String agentAddressTemplate) {
    return new ConsulSettings(datacenter, nodeNameTemplate, serviceNameTemplate, serviceNameTemplateServices, environment,
        tagSyntax, defaultEntrypoints, http, RegistrationMode.AGENT, agentAddressTemplate, mode);
  }

  /** This with another policy or dry run. */
  public ConsulSettings withMode(TargetMode mode) {
    return new ConsulSettings(datacenter, nodeNameTemplate, serviceNameTemplate, serviceNameTemplateServices, environment,
        tagSyntax, defaultEntrypoints, http, registrationMode, agentAddressTemplate, mode);
  }

  /** Settings with the given naming, everything else as {@code http} and the planner defaults. */
  public ConsulSettings(
      String datacenter, String nodeNameTemplate, String serviceNameTemplate, TagSyntax tagSyntax,
      List<String> defaultEntrypoints, ConsulHttpSettings http) {
    this(datacenter, nodeNameTemplate, serviceNameTemplate, "", "", tagSyntax, defaultEntrypoints, http);
  }

  /** This with other name templates and environment (tests, replays). */
  public ConsulSettings withNaming(String template, String servicesTemplate, String environment) {
    return new ConsulSettings(datacenter, nodeNameTemplate, template, servicesTemplate, environment, tagSyntax,
        defaultEntrypoints, http, registrationMode, agentAddressTemplate, mode);
  }

  /** The template for the route of a label-opted-in Service, defaults resolved. */
  public String servicesTemplate() {
    if (!serviceNameTemplateServices.isEmpty()) {
      return serviceNameTemplateServices;
    }
    return environment.isEmpty() ? serviceNameTemplate : SEED_004_TEMPLATE;
  }

  /** Settings for planning only: Consul kept in memory. */
  public ConsulSettings(
      String datacenter, String nodeNameTemplate, String serviceNameTemplate, TagSyntax tagSyntax,
      List<String> defaultEntrypoints) {
    this(datacenter, nodeNameTemplate, serviceNameTemplate, tagSyntax, defaultEntrypoints, ConsulHttpSettings.inMemory());
  }

  /** The planner defaults (Consul in memory). */
  public static ConsulSettings defaults() {
    return new ConsulSettings("dc1", "tributary-{cluster}", "{host}{path}", TagSyntax.V3, List.of());
  }

  /** The synthetic Consul node that carries {@code cluster}'s instances. */
  public String nodeName(String cluster) {
    return nodeNameTemplate.replace("{cluster}", cluster);
  }

  /**
   * A template is literal text, placeholders and at most one dot: Consul DNS reads
   * {@code a.b.service.consul} as tag {@code a} of service {@code b}, and has no form with more labels.
   */
  static void checkTemplate(Config c, String key, String template, String environment, Problems p) {
    String path = "consul." + key;
    if (template == null) {
      return;
    }
    String rest = template;
    for (String ph : PLACEHOLDERS) {
      rest = rest.replace(ph, "x");
    }
    var unknown = java.util.regex.Pattern.compile("\\{[^}]*\\}?").matcher(rest);
    if (unknown.find()) {
      p.add(c, key, path + ": '" + unknown.group() + "' is not a placeholder; use " + String.join(", ", PLACEHOLDERS));
    }
    String[] parts = template.split("\\.", -1);
    if (parts.length > 2) {
      p.add(c, key, path + ": '" + template + "' has more than one dot; Consul DNS answers only <tag>.<service>.service.consul");
    }
    for (String part : parts) {
      if (part.replaceAll("[^A-Za-z0-9{}]", "").isEmpty()) {
        p.add(c, key, path + ": '" + template + "' has an empty part around a dot");
        break;
      }
    }
    if (template.contains("{environment}") && (environment == null || environment.isEmpty())) {
      p.add(c, key, path + " uses {environment} but consul.environment is empty; set consul.environment (the"
          + " environment name of labelled Services, e.g. \"tooling\") or remove {environment} from the template");
    }
  }

  static ConsulSettings from(Config c, Problems p) {
    String syntax = p.string(c, "tag-syntax");
    TagSyntax tagSyntax = TagSyntax.V3;
    if (syntax != null) {
      try {
        tagSyntax = TagSyntax.valueOf(syntax.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        p.add(c, "tag-syntax", "consul.tag-syntax: '" + syntax + "' is not one of v1, v2, v3");
      }
    }
    String node = p.string(c, "node-name-template");
    if (node != null && !node.contains("{cluster}")) {
      p.add(c, "node-name-template", "consul.node-name-template must contain {cluster}, or clusters would share (and reap) one node");
    }
    List<String> eps = p.stringList(c, "default-entrypoints");
    String modeName = p.string(c, "registration-mode");
    RegistrationMode mode = RegistrationMode.CATALOG;
    if (modeName != null) {
      try {
        mode = RegistrationMode.valueOf(modeName.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        p.add(c, "registration-mode", "consul.registration-mode: '" + modeName + "' is not one of catalog, agent");
      }
    }
    String agentTemplate = p.string(c, "agent-address-template");
    if (agentTemplate != null && !agentTemplate.isEmpty()) {
      ConsulHttpSettings.checkAddress(c, "agent-address-template", "consul.agent-address-template", agentTemplate.replace("{cluster}", "c"), p);
    }
    String environment = p.string(c, "environment");
    if (environment != null && !environment.isEmpty() && !LABEL.matcher(environment).matches()) {
      p.add(c, "environment", "consul.environment: '" + environment + "' is not a lower-case DNS label (it becomes part of Consul names)");
    }
    String template = p.string(c, "service-name-template");
    String servicesTemplate = p.string(c, "service-name-template-services");
    checkTemplate(c, "service-name-template", template, environment, p);
    if (servicesTemplate != null && !servicesTemplate.isEmpty()) {
      checkTemplate(c, "service-name-template-services", servicesTemplate, environment, p);
    }
    String resolvedServices = servicesTemplate == null || servicesTemplate.isEmpty()
        ? (environment == null || environment.isEmpty() ? template : SEED_004_TEMPLATE) : servicesTemplate;
    if (tagSyntax == TagSyntax.V1 && ((template != null && template.contains(".")) || (resolvedServices != null && resolvedServices.contains(".")))) {
      // v1 tags define one frontend per Consul service; groups sharing one would overwrite each other
      p.add(c, "tag-syntax", "consul.tag-syntax v1 cannot route groups that share a Consul service (a dotted name template"
          + (resolvedServices != null && resolvedServices.equals(SEED_004_TEMPLATE) ? ", here " + SEED_004_TEMPLATE + " because consul.environment is set" : "")
          + "); use v2 or v3, or an undotted template");
    }
    return new ConsulSettings(
        p.string(c, "datacenter"),
        node,
        template,
        servicesTemplate,
        environment,
        tagSyntax,
        eps == null ? List.of() : eps,
        ConsulHttpSettings.from(p.block(c, "http"), p.under("http")),
        mode,
        agentTemplate == null ? "" : agentTemplate,
        TargetMode.from(c, "consul", p, TargetMode.DEFAULT));
  }
}
