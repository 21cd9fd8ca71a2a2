package io.tributary.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.translate.ServiceRef.Kind;
import io.tributary.watch.ObjectKey;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** TraefikService objects → weighted or mirroring definitions, or unusable with the reason. */
class TraefikServicesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectKey KEY = new ObjectKey("eu-1", "TraefikService", "shop", "canary");

  private static TraefikServices.Definition define(String group, String spec, boolean allowCrossNamespace) throws Exception {
    ObjectNode o = (ObjectNode) JSON.readTree(("{'apiVersion':'" + group + "/v1alpha1','kind':'TraefikService',"
        + "'metadata':{'name':'canary','namespace':'shop'},'spec':" + spec + "}").replace('\'', '"'));
    return TraefikServices.define(KEY, o, allowCrossNamespace);
  }

  private static TraefikServices.Definition define(String spec) throws Exception {
    return define("traefik.io", spec, false);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"traefik.io", "traefik.containo.us"})
  void aWeightedServiceKeepsItsMembersInOrderInEitherApiGroup(String group) throws Exception {
    var d = define(group, "{'weighted':{'services':[{'name':'shop-v1','port':80,'weight':3},"
        + "{'name':'shop-v2','port':'http','kind':'Service','weight':1},{'name':'next','kind':'TraefikService'}],"
        + "'sticky':{'cookie':{'name':'lb'}}}}", false);
    assertThat(d).isEqualTo(new TraefikServices.Weighted("shop-canary", List.of(
        new ServiceRef(Kind.SERVICE, "shop", "shop-v1", "80", 3),
        new ServiceRef(Kind.SERVICE, "shop", "shop-v2", "http", 1),
        new ServiceRef(Kind.TRAEFIK_SERVICE, "shop", "next", "", null))));
    // a weight left out is Traefik's default; sticky sessions stay the cluster's business
    assertThat(d.services().get(2).weightOrDefault()).isEqualTo(1);
    assertThat(d.services().get(2).traefikName()).isEqualTo("shop-next");
  }

  @Test
  void aMirroringKeepsItsMainServiceMirrorsAndBodyOptions() throws Exception {
    var d = define("{'mirroring':{'name':'shop-v1','port':80,'mirrorBody':false,'maxBodySize':1024,"
        + "'mirrors':[{'name':'shop-v2','port':80,'percent':10},{'name':'shadow','kind':'TraefikService'}]}}");
    assertThat(d).isEqualTo(new TraefikServices.Mirroring("shop-canary", new ServiceRef(Kind.SERVICE, "shop", "shop-v1", "80", null),
        List.of(new TraefikServices.Mirror(new ServiceRef(Kind.SERVICE, "shop", "shop-v2", "80", null), 10),
            new TraefikServices.Mirror(new ServiceRef(Kind.TRAEFIK_SERVICE, "shop", "shadow", "", null), 0)),
        false, 1024));
    assertThat(d.services()).extracting(ServiceRef::name).containsExactly("shop-v1", "shop-v2", "shadow");
    var defaults = (TraefikServices.Mirroring) define("{'mirroring':{'name':'main','kind':'TraefikService'}}");
    assertThat(defaults.mirrorBody()).isTrue();
    assertThat(defaults.maxBodySize()).isEqualTo(-1);
    assertThat(defaults.mirrors()).isEmpty();
  }

  @Test
  void nestedTraefikServicesAndOtherProvidersAreReferencesForTheResolver() throws Exception {
    var d = define("{'weighted':{'services':[{'name':'inner','kind':'TraefikService','namespace':'shop'},"
        + "{'name':'api@internal','kind':'TraefikService'},{'name':'wrr@file','kind':'TraefikService','namespace':'other'}]}}");
    assertThat(d.services()).extracting(ServiceRef::namesTraefikService).containsExactly(true, false, false);
    // another provider's service is named as written (Traefik ignores its namespace)
    assertThat(d.services()).extracting(s -> s.shown("shop")).containsExactly("shop-inner", "api@internal", "wrr@file");
  }

  @Test
  void typesTraefikServesButTributaryDoesNotResolveHoldNothingBack() throws Exception {
    assertThat(define("{'highestRandomWeight':{'services':[{'name':'a','port':80}]}}"))
        .isEqualTo(new TraefikServices.Unresolved("shop-canary", "highestRandomWeight"));
    assertThat(define("{'failover':{'service':'a','fallback':'b'}}")).isInstanceOf(TraefikServices.Unresolved.class);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "neither            | {}                                                                   | spec must hold exactly one of weighted and mirroring (the types Tributary resolves), found []",
      "both               | {'weighted':{'services':[{'name':'a','port':80}]},'mirroring':{'name':'a','port':80}} | found [weighted, mirroring]",
      "an unknown type    | {'roundRobin':{'services':[{'name':'a','port':80}]}}                 | found [roundRobin]",
      "no services        | {'weighted':{'services':[]}}                                          | weighted.services must be a non-empty list",
      "member no name     | {'weighted':{'services':[{'name':'a','port':80},{'port':80}]}}        | weighted.services[1].name is required",
      "main no name       | {'mirroring':{'port':80}}                                             | mirroring.name is required",
      "negative weight    | {'weighted':{'services':[{'name':'a','port':80,'weight':-1}]}}        | weighted.services[0].weight: must be an integer >= 0, found -1",
      "fractional weight  | {'weighted':{'services':[{'name':'a','port':80,'weight':1.5}]}}       | weighted.services[0].weight: must be an integer >= 0, found 1.5",
      "percent over 100   | {'mirroring':{'name':'a','port':80,'mirrors':[{'name':'b','port':80,'percent':101}]}} | mirroring.mirrors[0].percent: 101 is outside 0..100",
      "percent below 0    | {'mirroring':{'name':'a','port':80,'mirrors':[{'name':'b','port':80,'percent':-5}]}}  | mirroring.mirrors[0].percent: -5 is outside 0..100",
      "service no port    | {'weighted':{'services':[{'name':'a','kind':'Service'}]}}             | weighted.services[0].port: a Kubernetes Service needs a port",
      "mirror no port     | {'mirroring':{'name':'a','port':80,'mirrors':[{'name':'b'}]}}          | mirroring.mirrors[0].port: a Kubernetes Service needs a port",
      "unknown kind       | {'weighted':{'services':[{'name':'a','kind':'Ingress','port':80}]}}   | weighted.services[0].kind: 'Ingress' is not Service or TraefikService",
      "other namespace    | {'weighted':{'services':[{'name':'a','namespace':'web','port':80}]}}  | weighted.services[0].namespace: 'web' is another namespace; allowed only with translate.allow-cross-namespace",
      "other ns, mirror   | {'mirroring':{'name':'a','port':80,'mirrors':[{'name':'m','kind':'TraefikService','namespace':'web'}]}} | mirroring.mirrors[0].namespace: 'web' is another namespace"})
  void otherObjectsAreUnusableWithTheReason(String what, String spec, String reason) throws Exception {
    var d = define(spec);
    assertThat(d).isInstanceOf(TraefikServices.Unusable.class);
    assertThat(d.name()).isEqualTo("shop-canary");
    assertThat(((TraefikServices.Unusable) d).reason()).contains(reason);
    assertThat(d.services()).isEmpty();
  }

  @Test
  void anotherNamespaceIsFineWithAllowCrossNamespace() throws Exception {
    var d = define("traefik.io", "{'weighted':{'services':[{'name':'a','namespace':'web','port':80}]}}", true);
    assertThat(d).isInstanceOf(TraefikServices.Weighted.class);
    assertThat(d.services().get(0).shown("shop")).isEqualTo("web/a:80");
  }

  @Test
  void theNameIsTraefiksOwnAndKindsAreReadAsTraefikReadsThem() {
    assertThat(TraefikServices.nameOf(new ObjectKey("eu-1", "TraefikService.traefik.containo.us", "shop", "wrr"))).isEqualTo("shop-wrr");
    assertThat(Kind.of("")).contains(Kind.SERVICE);
    assertThat(Kind.of("Service")).contains(Kind.SERVICE);
    assertThat(Kind.of("TraefikService")).contains(Kind.TRAEFIK_SERVICE);
    assertThat(Kind.of("traefikservice")).isEmpty();
  }

  /**
   * Found by the fuzzer (FuzzReplayTest): {@code mirrors} as an object was read as a list — an
   * object's size() counts its fields and its get(i) is null — and the NullPointerException, thrown
   * while planning rather than translating, failed the whole routing stream.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"{'value':{'name':'shadow','port':80}}", "'shadow'", "3", "true"})
  void mirrorsThatAreNotAListMakeTheServiceUnusableWithTheReason(String mirrors) throws Exception {
    var d = define("{'mirroring':{'name':'shop-v1','port':80,'mirrors':" + mirrors + "}}");
    assertThat(d).isInstanceOf(TraefikServices.Unusable.class);
    assertThat(((TraefikServices.Unusable) d).reason()).startsWith("mirroring.mirrors must be a list, found ");
    assertThat(define("{'mirroring':{'name':'shop-v1','port':80,'mirrors':null}}")).isInstanceOf(TraefikServices.Mirroring.class);
  }
}
