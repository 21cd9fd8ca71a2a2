package io.tributary.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A Kubernetes label selector read from JSON and evaluated as the API server evaluates it. */
class LabelSelectorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, String> PROD = Map.of("env", "prod", "team", "shop");
  private static final Map<String, String> NONE = Map.of();

  private static LabelSelector read(String json) {
    List<String> problems = new ArrayList<>();
    LabelSelector s = LabelSelector.read(node(json), "selector", problems);
    assertThat(problems).as("problems of %s", json).isEmpty();
    return s;
  }

  private static List<String> problems(String json) {
    List<String> problems = new ArrayList<>();
    assertThat(LabelSelector.read(node(json), "selector", problems)).isNull();
    return problems;
  }

  private static JsonNode node(String json) {
    try {
      return JSON.readTree(json.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static String expr(String key, String op, String... values) {
    return "{'matchExpressions':[{'key':'" + key + "','operator':'" + op + "'"
        + (values.length == 0 ? "" : ",'values':['" + String.join("','", values) + "']") + "}]}";
  }

  @Test
  void anEmptySelectorSelectsEverything() {
    LabelSelector s = read("{}");
    assertThat(s.selectsEverything()).isTrue();
    assertThat(s.matches(PROD)).isTrue();
    assertThat(s.matches(NONE)).isTrue();
    assertThat(read("{'matchLabels':{},'matchExpressions':[]}").selectsEverything()).isTrue();
  }

  @Test
  void matchLabelsNeedsEveryLabelWithItsValue() {
    LabelSelector s = read("{'matchLabels':{'env':'prod','team':'shop'}}");
    assertThat(s.matches(PROD)).isTrue();
    assertThat(s.matches(Map.of("env", "prod"))).isFalse();
    assertThat(s.matches(Map.of("env", "prod", "team", "cart"))).isFalse();
    assertThat(s.matches(NONE)).isFalse();
    assertThat(s.keys()).containsExactly("env", "team");
  }

  @Test
  void inNeedsTheLabelWithOneOfTheValues() {
    LabelSelector s = read(expr("env", "In", "prod", "staging"));
    assertThat(s.matches(PROD)).isTrue();
    assertThat(s.matches(Map.of("env", "staging"))).isTrue();
    assertThat(s.matches(Map.of("env", "dev"))).isFalse();
    assertThat(s.matches(NONE)).isFalse();
  }

  @Test
  void notInSelectsWhatLacksTheLabelToo() {
    LabelSelector s = read(expr("env", "NotIn", "dev"));
    assertThat(s.matches(PROD)).isTrue();
    assertThat(s.matches(Map.of("env", "dev"))).isFalse();
    assertThat(s.matches(NONE)).isTrue(); // as Kubernetes: no label is not in the set
  }

  @Test
  void existsAndDoesNotExistLookAtTheKeyOnly() {
    assertThat(read(expr("env", "Exists")).matches(PROD)).isTrue();
    assertThat(read(expr("env", "Exists")).matches(Map.of("env", ""))).isTrue();
    assertThat(read(expr("env", "Exists")).matches(NONE)).isFalse();
    assertThat(read(expr("env", "DoesNotExist")).matches(PROD)).isFalse();
    assertThat(read(expr("env", "DoesNotExist")).matches(NONE)).isTrue();
  }

  @Test
  void everyRequirementMustHold() {
    LabelSelector s = read("{'matchLabels':{'team':'shop'},'matchExpressions':[{'key':'env','operator':'In','values':['prod']},"
        + "{'key':'legacy','operator':'DoesNotExist'}]}");
    assertThat(s.matches(PROD)).isTrue();
    assertThat(s.matches(Map.of("env", "prod", "team", "shop", "legacy", "yes"))).isFalse();
    assertThat(s.matches(Map.of("env", "prod"))).isFalse();
    assertThat(s.keys()).containsExactly("env", "legacy", "team");
  }

  @Test
  void prefixedKeysAndEmptyValuesAreLabelsToo() {
    LabelSelector s = read("{'matchLabels':{'kubernetes.io/metadata.name':'shop','example.com/flag':''}}");
    assertThat(s.matches(Map.of("kubernetes.io/metadata.name", "shop", "example.com/flag", ""))).isTrue();
    assertThat(s.matches(Map.of("kubernetes.io/metadata.name", "shop"))).isFalse();
  }

  @Test
  void whatTheApiServerWouldRefuseIsAProblemWithItsPath() {
    assertThat(problems(expr("env", "Equals", "prod")))
        .containsExactly("selector.matchExpressions[0].operator: 'Equals' is not In, NotIn, Exists or DoesNotExist");
    assertThat(problems(expr("env", "In"))).containsExactly("selector.matchExpressions[0]: operator In needs at least one value");
    assertThat(problems(expr("env", "NotIn"))).containsExactly("selector.matchExpressions[0]: operator NotIn needs at least one value");
    assertThat(problems(expr("env", "Exists", "x"))).containsExactly("selector.matchExpressions[0]: operator Exists takes no values");
    assertThat(problems(expr("env", "DoesNotExist", "x")))
        .containsExactly("selector.matchExpressions[0]: operator DoesNotExist takes no values");
    assertThat(problems(expr("", "Exists"))).containsExactly("selector.matchExpressions[0].key: '' is not a valid label key");
    assertThat(problems("{'matchLabels':{'bad key':'x'}}")).containsExactly("selector.matchLabels: 'bad key' is not a valid label key");
    assertThat(problems("{'matchLabels':{'env':'no spaces'}}"))
        .containsExactly("selector.matchLabels[env]: 'no spaces' is not a valid label value");
    assertThat(problems(expr("env", "In", "-x"))).containsExactly("selector.matchExpressions[0].values: '-x' is not a valid label value");
    assertThat(problems("{'matchExpressions':{'key':'env'}}")).containsExactly("selector.matchExpressions is not a list");
    // every problem at once
    assertThat(problems("{'matchLabels':{'env':'no spaces'},'matchExpressions':[{'key':'a','operator':'Has'}]}")).hasSize(2);
  }
}
