package io.tributary.translate;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A Kubernetes label selector ({@code metav1.LabelSelector}): {@code matchLabels} and {@code
 * matchExpressions} with {@code In}, {@code NotIn}, {@code Exists} and {@code DoesNotExist}, all
 * ANDed, evaluated against an object's labels as the API server evaluates it. An empty selector
 * selects everything. Pure and immutable.
 */
public record LabelSelector(Map<String, String> matchLabels, List<Requirement> matchExpressions) {

  /** One {@code matchExpressions} entry. */
  public record Requirement(String key, Operator operator, Set<String> values) {
    public Requirement {
      values = Set.copyOf(values);
    }

    boolean matches(Map<String, String> labels) {
      String value = labels.get(key);
      return switch (operator) {
        case IN -> value != null && values.contains(value);
        case NOT_IN -> value == null || !values.contains(value); // as Kubernetes: an absent label is not in any set
        case EXISTS -> value != null;
        case DOES_NOT_EXIST -> value == null;
      };
    }
  }

  /** The operators of a label selector's {@code matchExpressions}. */
  public enum Operator {
    IN("In"), NOT_IN("NotIn"), EXISTS("Exists"), DOES_NOT_EXIST("DoesNotExist");

    private final String spelled;

    Operator(String spelled) {
      this.spelled = spelled;
    }

    /** As written in a manifest. */
    public String spelled() {
      return spelled;
    }

    /** Whether it takes values (In, NotIn: at least one) or none (Exists, DoesNotExist). */
    boolean takesValues() {
      return this == IN || this == NOT_IN;
    }

    static Operator of(String spelled) {
      for (Operator o : values()) {
        if (o.spelled.equals(spelled)) {
          return o;
        }
      }
      return null;
    }
  }

  // label names and values as Kubernetes validates them (a key may have a DNS-subdomain prefix)
  private static final Pattern NAME = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)");
  private static final Pattern PREFIX = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  public LabelSelector {
    matchLabels = Map.copyOf(matchLabels);
    matchExpressions = List.copyOf(matchExpressions);
  }

  /** The selector that selects everything ({@code {}}). */
  public static final LabelSelector EVERYTHING = new LabelSelector(Map.of(), List.of());

  /**
   * Reads a selector; a shape the API server would refuse (an unknown operator, values with
   * Exists, none with In, a malformed key or value) answers null and adds its reasons to {@code problems}.
   */
  public static LabelSelector read(JsonNode selector, String at, List<String> problems) {
    int before = problems.size();
    Map<String, String> labels = new TreeMap<>();
    JsonNode ml = selector.path("matchLabels");
    if (!ml.isMissingNode() && !ml.isNull() && !ml.isObject()) {
      problems.add(at + ".matchLabels is not a map of labels");
    }
    for (var it = ml.fields(); it.hasNext(); ) {
      var e = it.next();
      String key = e.getKey();
      String value = e.getValue().isValueNode() ? e.getValue().asText() : null;
      checkKey(key, at + ".matchLabels", problems);
      if (value == null || !validValue(value)) {
        problems.add(at + ".matchLabels[" + key + "]: " + (value == null ? "not a label value" : "'" + value + "' is not a valid label value"));
      } else {
        labels.put(key, value);
      }
    }
    List<Requirement> requirements = new ArrayList<>();
    JsonNode me = selector.path("matchExpressions");
    if (!me.isMissingNode() && !me.isNull() && !me.isArray()) {
      problems.add(at + ".matchExpressions is not a list");
    }
    List<JsonNode> expressions = HttpRouteTranslator.items(me);
    for (int i = 0; i < expressions.size(); i++) {
      JsonNode e = expressions.get(i);
      String eat = at + ".matchExpressions[" + i + "]";
      String key = e.path("key").asText("");
      checkKey(key, eat + ".key", problems);
      String spelled = e.path("operator").asText("");
      Operator op = Operator.of(spelled);
      if (op == null) {
        problems.add(eat + ".operator: '" + spelled + "' is not In, NotIn, Exists or DoesNotExist");
        continue;
      }
      Set<String> values = new TreeSet<>();
      for (JsonNode v : HttpRouteTranslator.items(e.path("values"))) {
        if (!v.isValueNode() || !validValue(v.asText())) {
          problems.add(eat + ".values: '" + v.asText(v.toString()) + "' is not a valid label value");
        } else {
          values.add(v.asText());
        }
      }
      if (op.takesValues() && e.path("values").isEmpty()) {
        problems.add(eat + ": operator " + spelled + " needs at least one value");
      } else if (!op.takesValues() && !e.path("values").isEmpty()) {
        problems.add(eat + ": operator " + spelled + " takes no values");
      }
      requirements.add(new Requirement(key, op, values));
    }
    return problems.size() > before ? null : new LabelSelector(labels, requirements);
  }

  private static void checkKey(String key, String at, List<String> problems) {
    int slash = key.lastIndexOf('/');
    String name = slash < 0 ? key : key.substring(slash + 1);
    String prefix = slash < 0 ? null : key.substring(0, slash);
    boolean ok = !name.isEmpty() && name.length() <= 63 && NAME.matcher(name).matches()
        && (prefix == null || (!prefix.isEmpty() && prefix.length() <= 253 && PREFIX.matcher(prefix).matches()));
    if (!ok) {
      problems.add(at + ": '" + key + "' is not a valid label key");
    }
  }

  private static boolean validValue(String value) {
    return value.isEmpty() || (value.length() <= 63 && NAME.matcher(value).matches());
  }

  /** Whether an object with {@code labels} is selected. */
  public boolean matches(Map<String, String> labels) {
    for (var e : matchLabels.entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    return matchExpressions.stream().allMatch(r -> r.matches(labels));
  }

  /** Whether it selects everything (no requirement at all). */
  public boolean selectsEverything() {
    return matchLabels.isEmpty() && matchExpressions.isEmpty();
  }

  /** The label keys it reads, in name order. */
  public Set<String> keys() {
    Set<String> out = new TreeSet<>(matchLabels.keySet());
    matchExpressions.forEach(r -> out.add(r.key()));
    return out;
  }
}
