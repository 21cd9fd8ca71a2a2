package io.tributary.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.settings.TranslateSettings;
import io.tributary.watch.ObjectKey;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Dispatch by kind, and that no object shape can make translation throw. */
class TranslatorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectKey KEY = new ObjectKey("eu-1", "Ingress", "shop", "odd");

  @ParameterizedTest
  @ValueSource(strings = {
    "{\"kind\":\"Ingress\",\"metadata\":{\"name\":\"odd\"},\"spec\":42}",
    "{\"kind\":\"Ingress\",\"metadata\":{\"name\":\"odd\"},\"spec\":{\"rules\":\"not-a-list\"}}",
    "{\"kind\":\"Ingress\",\"metadata\":{\"name\":\"odd\"},\"spec\":{\"rules\":[null,7,{\"host\":[1]}]}}",
    "{\"kind\":\"Ingress\",\"metadata\":{\"name\":\"odd\",\"annotations\":[1,2]},\"spec\":{}}",
    "{\"kind\":\"Ingress\",\"metadata\":{\"name\":\"odd\"},\"spec\":{\"rules\":[{\"host\":\"a.example.com\",\"http\":{\"paths\":[{\"pathType\":\"Prefix\",\"path\":\"/\",\"backend\":{\"service\":{\"name\":\"s\",\"port\":{\"number\":\"eighty\"}}}}]}}]}}",
    "{\"kind\":\"Ingress\",\"metadata\":{\"name\":\"odd\"},\"spec\":{\"tls\":{\"hosts\":\"a\"},\"defaultBackend\":[]}}"
  })
  void oddShapesAreRejectedOrAcceptedButNeverThrow(String json) throws Exception {
    var result = Translator.translate(KEY, (ObjectNode) JSON.readTree(json), TranslateSettings.defaults());
    assertThat(result).isNotNull();
    if (result instanceof Translation.Rejected r) {
      assertThat(r.reason()).isNotBlank();
    }
  }

  @Test
  void kindsWithoutATranslatorAreIgnoredAndAMissingObjectIsRejected() throws Exception {
    var gw = new ObjectKey("eu-1", "GRPCRoute", "shop", "web");
    assertThat(Translator.translate(gw, JSON.createObjectNode(), TranslateSettings.defaults()))
        .isEqualTo(new Translation.Ignored("kind GRPCRoute is not translated"));
    var mw = new ObjectKey("eu-1", "Middleware", "shop", "auth");
    assertThat(Translator.translate(mw, JSON.createObjectNode(), TranslateSettings.defaults()))
        .isEqualTo(new Translation.Accepted(java.util.List.of(), java.util.List.of()));
    var ts = new ObjectKey("eu-1", "TraefikService.traefik.containo.us", "shop", "canary");
    assertThat(Translator.translate(ts, JSON.createObjectNode(), TranslateSettings.defaults()))
        .isEqualTo(new Translation.Accepted(java.util.List.of(), java.util.List.of()));
    assertThat(Translator.translate(KEY, null, TranslateSettings.defaults())).isInstanceOf(Translation.Rejected.class);
  }
}
