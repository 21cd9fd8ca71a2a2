package io.tributary.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.settings.TagSyntax;
import io.tributary.watch.ObjectKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Middleware objects → their configuration for the VM-side Traefik. */
class MiddlewaresTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectKey KEY = new ObjectKey("eu-1", "Middleware", "shop", "mw");

  private static Middlewares.Definition define(String spec) throws Exception {
    ObjectNode o = (ObjectNode) JSON.readTree(("{'kind':'Middleware','metadata':{'name':'mw','namespace':'shop'},'spec':" + spec + "}")
        .replace('\'', '"'));
    return Middlewares.define(KEY, o);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "stripPrefix       | {'stripPrefix':{'prefixes':['/a','/b'],'forceSlash':false}}         | stripprefix | forceslash=false;prefixes=/a,/b",
      "stripPrefixRegex  | {'stripPrefixRegex':{'regex':['^/api/v[0-9]+']}}                   | stripprefixregex | regex=^/api/v[0-9]+",
      "addPrefix         | {'addPrefix':{'prefix':'/app'}}                                    | addprefix | prefix=/app",
      "ipAllowList       | {'ipAllowList':{'sourceRange':['10.0.0.0/8','192.0.2.7'],'ipStrategy':{'depth':2}}} | ipallowlist | ipstrategy.depth=2;sourcerange=10.0.0.0/8,192.0.2.7",
      "ipWhiteList (old) | {'ipWhiteList':{'sourceRange':['10.0.0.0/8']}}                      | ipallowlist | sourcerange=10.0.0.0/8",
      "headers           | {'headers':{'customRequestHeaders':{'X-Script-Name':'test','X-Empty':''},'stsSeconds':31536000,'frameDeny':true}} | headers | customrequestheaders.X-Empty=;customrequestheaders.X-Script-Name=test;framedeny=true;stsseconds=31536000",
      "redirectScheme    | {'redirectScheme':{'scheme':'https','permanent':true}}              | redirectscheme | permanent=true;scheme=https",
      "rateLimit         | {'rateLimit':{'average':100,'burst':50}}                           | ratelimit | average=100;burst=50",
      "compress (empty)  | {'compress':{}}                                                     | compress | ''"})
  void supportedTypesAreFlattenedIntoOptions(String what, String spec, String type, String options) throws Exception {
    var d = define(spec);
    assertThat(d.unusable()).isNull();
    assertThat(d.name()).isEqualTo("shop-mw");
    assertThat(d.type()).isEqualTo(type);
    var expected = new java.util.TreeMap<String, String>();
    if (!options.isEmpty()) {
      for (String kv : options.split(";")) {
        expected.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
      }
    }
    assertThat(d.options()).isEqualTo(expected);
  }

  @Test
  void theAllowListIsNamedInTheDialectOfTheTags() throws Exception {
    var d = define("{'ipWhiteList':{'sourceRange':['10.0.0.0/8']}}");
    assertThat(d.typeFor(TagSyntax.V3)).isEqualTo("ipallowlist");
    assertThat(d.typeFor(TagSyntax.V2)).isEqualTo("ipwhitelist");
    assertThat(define("{'ipAllowList':{'sourceRange':['10.0.0.0/8']}}").typeFor(TagSyntax.V2)).isEqualTo("ipwhitelist");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "basicAuth    | {'basicAuth':{'secret':'users'}}                       | its users live in a Kubernetes Secret",
      "forwardAuth  | {'forwardAuth':{'address':'http://auth.svc:4181'}}      | cluster-internal service",
      "empty chain  | {'chain':{'middlewares':[]}}                            | chain.middlewares must be a non-empty list",
      "errors       | {'errors':{'status':['500'],'service':{'name':'e'}}}    | Kubernetes Service",
      "unknown type | {'fancyThing':{}}                                       | not known to Tributary",
      "two types    | {'addPrefix':{'prefix':'/a'},'compress':{}}             | exactly one middleware type",
      "a secret     | {'headers':{'sslProxyHeaders':{},'customRequestHeaders':{},'tls':{'caSecret':'x'}}} | refers to Kubernetes Secrets",
      "object list  | {'headers':{'accessControlAllowOriginList':[{'a':1}]}}  | a list of objects"})
  void otherTypesMakeTheMiddlewareUnusableWithAReason(String what, String spec, String reason) throws Exception {
    assertThat(define(spec).unusable()).contains(reason);
  }

  @Test
  void aChainKeepsItsMembersAsReferencesInOrder() throws Exception {
    var d = define("{'chain':{'middlewares':[{'name':'office'},{'name':'hdr','namespace':'web'},{'name':'auth@file'}]}}");
    assertThat(d.unusable()).isNull();
    assertThat(d.isChain()).isTrue();
    assertThat(d.members()).containsExactly("shop-office@kubernetescrd", "web-hdr@kubernetescrd", "auth@file");
  }

  @Test
  void referencesUseTraefiksOwnSpelling() {
    assertThat(Middlewares.reference("shop", "auth")).isEqualTo("shop-auth@kubernetescrd");
    assertThat(Middlewares.isKubernetes("shop-auth@kubernetescrd")).isTrue();
    assertThat(Middlewares.isKubernetes("auth@file")).isFalse();
    assertThat(Middlewares.referenced("shop-auth@kubernetescrd")).isEqualTo("shop-auth");
  }
}
