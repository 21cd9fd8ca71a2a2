package io.tributary.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import io.tributary.settings.ClusterEndpoints;
import io.tributary.settings.ConsulSettings;
import io.tributary.settings.SettingsException;
import io.tributary.settings.TranslateSettings;
import io.tributary.settings.TributarySettings;
import io.tributary.translate.Backend;
import io.tributary.translate.PathMatch;
import io.tributary.translate.Route;
import io.tributary.translate.ServiceTranslator;
import io.tributary.translate.Translation;
import io.tributary.watch.ObjectKey;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Consul names of labelled Services: placeholders, the services template, the DNS tag split, and config checks. */
class ConsulNamingTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static TributarySettings parse(String hocon) {
    return TributarySettings.from(ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve());
  }

  /** An Ingress route in {@code cluster}/{@code ns} to backend Service {@code svc}. */
  private static Route ingress(String cluster, String ns, String svc, String host, String path) {
    return new Route(new ObjectKey(cluster, "Ingress", ns, "ing"), Instant.EPOCH, host, path, PathMatch.PREFIX,
        new Backend(svc, 80, null), List.of(), List.of(), null, false, false, false);
  }

  /** The route ServiceTranslator gives a Service labelled type=ingress. */
  private static Route labelled(String ns, String name, String annotationsJson) throws Exception {
    ObjectNode svc = (ObjectNode) JSON.readTree("""
        {"apiVersion":"v1","kind":"Service","metadata":{"name":"%s","namespace":"%s","labels":{"type":"ingress"},
         "annotations":%s},"spec":{"ports":[{"port":80}]}}""".formatted(name, ns, annotationsJson));
    TranslateSettings t = parse("tributary.translate.service-domain = \"apps.example.com\"").translate();
    var result = (Translation.Accepted) ServiceTranslator.translate(new ObjectKey("eu-1", "Service", ns, name), svc, t);
    return result.routes().get(0);
  }

  private static ConsulSettings naming(String template, String services, String environment) {
    return ConsulSettings.defaults().withNaming(template, services, environment);
  }

  @ParameterizedTest(name = "{0} | services {1} | env {2} → {3} / tag {4}")
  @CsvSource(nullValues = "-", value = {
    // template,                         services template,           env,     service,           tag
    "'{host}{path}',                     '',                          '',      shop-example-com-api, -",
    "'{service}-{namespace}',            '',                          '',      cart-shop,         -",
    "'{service}-{namespace}.{environment}', '',                       tooling, tooling,           cart-shop",
    "'{host}.{environment}',             '',                          prod,    prod,              shop-example-com",
    "'k8s-{cluster}-{service}',          '',                          '',      k8s-eu-1-cart,     -",
    "'{service}.{namespace}',            '',                          '',      shop,              cart",
    "'{host}{path}',                     '{service}-{namespace}.{environment}', tooling, shop-example-com-api, -"
  })
  void anIngressIsNamedByServiceNameTemplate(String template, String services, String env, String service, String tag) {
    var name = ServiceNames.consulName(ingress("eu-1", "shop", "cart", "shop.example.com", "/api"), naming(template, services, env), "eu-1");
    assertThat(name).isEqualTo(new ServiceNames.ConsulName(service, tag));
  }

  @ParameterizedTest(name = "{0} | services {1} | env {2} → {3} / tag {4}")
  @CsvSource(nullValues = "-", value = {
    // no environment: the Service is named like every route (backwards compatible)
    "'{host}{path}', '',                        '',      webtest1-default-apps-example-com, -",
    // environment set, services template empty: the labelled-Service convention's <service>-<namespace>.<environment>
    "'{host}{path}', '',                        tooling, tooling,                           webtest1-default",
    // an explicit services template wins
    "'{host}{path}', '{service}.{environment}', tooling, tooling,                           webtest1",
    "'{host}{path}', 'svc-{namespace}-{service}', '',    svc-default-webtest1,              -"
  })
  void aLabelledServiceIsNamedByTheServicesTemplate(String template, String services, String env, String service, String tag)
      throws Exception {
    var name = ServiceNames.consulName(labelled("default", "webtest1", "{}"), naming(template, services, env), "eu-1");
    assertThat(name).isEqualTo(new ServiceNames.ConsulName(service, tag));
  }

  @Test
  void publicPrivateAnnotationPairsOnAServiceKeepTheRouteTemplateSoTheirSeveralRoutesDoNotShareOneName() throws Exception {
    ObjectNode svc = (ObjectNode) JSON.readTree("""
        {"apiVersion":"v1","kind":"Service","metadata":{"name":"web","namespace":"shop",
         "annotations":{"publicHosts":"a.example.com,b.example.com"}},"spec":{"ports":[{"port":80}]}}""");
    var routes = ((Translation.Accepted) ServiceTranslator.translate(new ObjectKey("eu-1", "Service", "shop", "web"), svc,
        parse("").translate())).routes();
    var settings = naming("{host}{path}", "", "tooling");
    assertThat(routes).extracting(r -> ServiceNames.consulName(r, settings, "eu-1").service())
        .containsExactly("a-example-com", "b-example-com");
  }

  @Test
  void theConsulServiceNameAnnotationStillWins() throws Exception {
    Route r = labelled("default", "webtest1", "{\"tributary.io/consul-service-name\":\"shop-api\"}");
    Route own = r.withOwnOptions(r.entrypoints(), false, r.dnsHosts(), "shop-api", null, null);
    assertThat(ServiceNames.consulName(own, naming("{host}{path}", "", "tooling"), "eu-1"))
        .isEqualTo(new ServiceNames.ConsulName("shop-api", null));
  }

  @Test
  void eachPartIsADnsLabelAndDotsInValuesAreNotSeparators() {
    var long63 = "s".repeat(70);
    var name = ServiceNames.consulName(ingress("eu-1", "Team_A", long63, "a.b.example.com", "/"),
        naming("{service}-{namespace}.{host}", "", ""), "eu-1");
    assertThat(name.tag()).hasSizeLessThanOrEqualTo(63).matches("[a-z0-9-]+").startsWith("sss");
    assertThat(name.service()).isEqualTo("a-b-example-com");
  }

  @Test
  void labelledServicesShareTheEnvironmentServiceAndAreToldApartByTagAndTraefikName() throws Exception {
    var settings = naming("{host}{path}", "", "tooling");
    Function1 plan = (ns, name) -> ConsulPlanner.plan(List.of(labelled(ns, name, "{}")),
        c -> new ClusterEndpoints(c, List.of("192.0.2.11"), 8080), settings, "tributary",
        "IngressRoute", w -> false, ConsulPlanner.MiddlewareLookup.NONE);
    var a = plan.apply("default", "webtest1").registrations().get(0);
    var b = plan.apply("default", "webtest2").registrations().get(0);
    assertThat(a.service()).isEqualTo("tooling");
    assertThat(b.service()).isEqualTo("tooling");
    assertThat(a.serviceId()).isEqualTo("webtest1-default-tooling-eu-1-192-0-2-11-8080");
    assertThat(a.tags()).contains(
        "webtest1-default",
        "traefik.http.routers.webtest1-default-tooling.rule=Host(`webtest1-default.apps.example.com`)",
        "traefik.http.services.webtest1-default-tooling.loadbalancer.server.port=8080");
    assertThat(b.tags()).contains("webtest2-default").doesNotContain("webtest1-default");
  }

  @Test
  void clusterInTheTemplateNamesEachClustersInstancesAndIsReported() {
    var settings = naming("{service}-{cluster}", "", "");
    var plan = ConsulPlanner.plan(
        List.of(ingress("eu-1", "shop", "cart", "shop.example.com", "/"), ingress("eu-2", "shop", "cart", "shop.example.com", "/")),
        c -> new ClusterEndpoints(c, List.of("192.0.2.11"), 8080), settings, "tributary",
        "IngressRoute", w -> false, ConsulPlanner.MiddlewareLookup.NONE);
    assertThat(plan.registrations()).extracting(ConsulRegistration::service).containsExactly("cart-eu-1", "cart-eu-2");
    assertThat(plan.notes()).anyMatch(n -> n.contains("{cluster}"));
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource(delimiter = '|', value = {
    "consul.service-name-template = \"{service}.{environment}\"                     | uses {environment} but consul.environment is empty",
    "consul.service-name-template-services = \"{service}-{namespace}.{environment}\" | consul.service-name-template-services uses {environment}",
    "consul.service-name-template = \"{svc}-{namespace}\"                            | '{svc}' is not a placeholder",
    "consul.service-name-template = \"{service}.{namespace}.{environment}\", consul.environment = x | more than one dot",
    "consul.service-name-template = \"{service}.\"                                   | empty part around a dot",
    "consul.environment = \"Tooling_1\"                                              | consul.environment: 'Tooling_1' is not a lower-case DNS label",
    "consul.environment = tooling, consul.tag-syntax = v1                           | tag-syntax v1 cannot route groups that share a Consul service"
  })
  void badNamingIsRejectedAtLoadWithAClearReason(String hocon, String reason) {
    assertThatThrownBy(() -> parse("tributary { " + hocon + " }"))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining(reason);
  }

  @Test
  void anEnvironmentAloneTurnsOnLabelledServiceNames() {
    var s = parse("tributary.consul.environment = tooling").consul();
    assertThat(s.environment()).isEqualTo("tooling");
    assertThat(s.servicesTemplate()).isEqualTo(ConsulSettings.SEED_004_TEMPLATE);
    assertThat(parse("").consul().servicesTemplate()).isEqualTo("{host}{path}");
  }

  private interface Function1 {
    ConsulPlan apply(String ns, String name) throws Exception;
  }
}
