package io.tributary.translate.rule;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses Traefik router rules in both the v2 and the v3 syntax into one canonical tree: v2's
 * multi-argument matchers ({@code Host(`a`, `b`)}) become {@code ||} chains, {@code Headers} becomes
 * {@code Header}, v2's {@code Query(`k=v`)} becomes {@code Query(`k`, `v`)}, hostnames are lower-cased.
 * Pure; grammar: {@code or := and ('||' and)*; and := unary ('&&' unary)*; unary := '!' unary |
 * '(' or ')' | Name '(' string (',' string)* ')'}, strings in backticks or double quotes.
 */
public final class RuleParser {
  /** Canonical names of the matchers Tributary understands, by every accepted spelling. */
  private static final Map<String, String> NAMES = Map.ofEntries(
      Map.entry("Host", "Host"), Map.entry("HostRegexp", "HostRegexp"), Map.entry("HostSNI", "HostSNI"),
      Map.entry("HostSNIRegexp", "HostSNIRegexp"), Map.entry("Path", "Path"), Map.entry("PathPrefix", "PathPrefix"),
      Map.entry("PathRegexp", "PathRegexp"), Map.entry("Header", "Header"), Map.entry("Headers", "Header"),
      Map.entry("HeaderRegexp", "HeaderRegexp"), Map.entry("HeadersRegexp", "HeaderRegexp"), Map.entry("Method", "Method"),
      Map.entry("Query", "Query"), Map.entry("QueryRegexp", "QueryRegexp"), Map.entry("ClientIP", "ClientIP"));
  // matchers whose arguments are alternatives in v2 (Host(`a`, `b`) = Host(`a`) || Host(`b`))
  private static final List<String> ALTERNATIVES = List.of("Host", "HostSNI", "Path", "PathPrefix", "Method", "ClientIP", "HostRegexp", "PathRegexp");

  /**
   * Most matchers one rule may hold. Every consumer of the tree (printing, host collection, the
   * records' own equals) recurses once per operator, and a left-deep chain of n matchers is n deep:
   * unbounded, a rule of a few thousand {@code &&} overflows the stack, an Error no stage survives.
   * Real rules hold a handful; 256 is far beyond them and far below any stack.
   */
  static final int MAX_MATCHERS = 256;
  /** Deepest nesting of parentheses and negations, which the parser itself recurses through. */
  static final int MAX_NESTING = 32;

  private final String src;
  private int pos;
  private int matchers;
  private int nesting;

  private RuleParser(String src) {
    this.src = src;
  }

  /** The canonical tree of {@code rule}, or a {@link RuleSyntaxException} naming the column. */
  public static RuleExpr parse(String rule) {
    if (rule == null || rule.isBlank()) {
      throw new RuleSyntaxException("empty rule", 1);
    }
    var p = new RuleParser(rule);
    RuleExpr e = p.or();
    p.skipSpace();
    if (p.pos < rule.length()) {
      throw p.error("unexpected '" + rule.charAt(p.pos) + "'");
    }
    return e;
  }

  private RuleExpr or() {
    RuleExpr left = and();
    while (consume("||")) {
      left = new RuleExpr.Or(left, and());
    }
    return left;
  }

  private RuleExpr and() {
    RuleExpr left = unary();
    while (consume("&&")) {
      left = new RuleExpr.And(left, unary());
    }
    return left;
  }

  private RuleExpr unary() {
    skipSpace();
    if (consume("!")) {
      nest();
      RuleExpr negated = new RuleExpr.Not(unary());
      nesting--;
      return negated;
    }
    if (consume("(")) {
      nest();
      RuleExpr inner = or();
      if (!consume(")")) {
        throw error("missing ')'");
      }
      nesting--;
      return inner;
    }
    return matcher();
  }

  private void nest() {
    if (++nesting > MAX_NESTING) {
      throw error("parentheses and negations nest more than " + MAX_NESTING + " deep");
    }
  }

  /** Counts one more matcher of the tree (a v2 matcher of n arguments makes n). */
  private RuleExpr.Matcher counted(RuleExpr.Matcher m, int at) {
    if (++matchers > MAX_MATCHERS) {
      pos = at;
      throw error("more than " + MAX_MATCHERS + " matchers in one rule");
    }
    return m;
  }

  private RuleExpr matcher() {
    skipSpace();
    int start = pos;
    while (pos < src.length() && Character.isLetter(src.charAt(pos))) {
      pos++;
    }
    if (start == pos) {
      throw error(pos < src.length() ? "expected a matcher, found '" + src.charAt(pos) + "'" : "expected a matcher, found the end");
    }
    String written = src.substring(start, pos);
    String name = NAMES.get(written);
    if (name == null) {
      pos = start;
      throw error("unknown matcher '" + written + "' (known: " + new java.util.TreeSet<>(NAMES.keySet()) + ")");
    }
    if (!consume("(")) {
      throw error("expected '(' after " + written);
    }
    List<String> args = new ArrayList<>();
    skipSpace();
    if (!peek(")")) {
      do {
        args.add(string());
      } while (consume(","));
    }
    if (!consume(")")) {
      throw error("expected ',' or ')' in " + written + "(...)");
    }
    return canonical(name, args, start);
  }

  private RuleExpr canonical(String name, List<String> args, int at) {
    if (args.isEmpty()) {
      pos = at;
      throw error(name + " needs an argument");
    }
    if (name.startsWith("Host") && !name.contains("Regexp")) {
      args = args.stream().map(a -> a.toLowerCase(Locale.ROOT)).toList();
    }
    switch (name) {
      case "Header", "HeaderRegexp" -> {
        if (args.size() != 2) {
          pos = at;
          throw error(name + " takes a name and a value");
        }
        return counted(new RuleExpr.Matcher(name, args), at);
      }
      case "Query", "QueryRegexp" -> {
        if (args.size() == 2 && !args.get(0).contains("=")) {
          return counted(new RuleExpr.Matcher(name, args), at); // v3: Query(`key`, `value`)
        }
        // v2: Query(`k=v`, `k2=v2`) — every pair must match
        RuleExpr all = null;
        for (String a : args) {
          int eq = a.indexOf('=');
          RuleExpr m = counted(
              new RuleExpr.Matcher(name, eq < 0 ? List.of(a, "") : List.of(a.substring(0, eq), a.substring(eq + 1))), at);
          all = all == null ? m : new RuleExpr.And(all, m);
        }
        return all;
      }
      default -> {
        if (args.size() > 1 && !ALTERNATIVES.contains(name)) {
          pos = at;
          throw error(name + " takes one argument");
        }
        RuleExpr any = null;
        for (String a : args) {
          RuleExpr m = counted(new RuleExpr.Matcher(name, List.of(a)), at);
          any = any == null ? m : new RuleExpr.Or(any, m);
        }
        return any;
      }
    }
  }

  private String string() {
    skipSpace();
    if (pos >= src.length() || (src.charAt(pos) != '`' && src.charAt(pos) != '"')) {
      throw error("expected a string in backticks or double quotes");
    }
    char quote = src.charAt(pos);
    int start = ++pos;
    while (pos < src.length() && src.charAt(pos) != quote) {
      pos++;
    }
    if (pos >= src.length()) {
      pos = start - 1;
      throw error("unterminated string");
    }
    return src.substring(start, pos++);
  }

  private boolean consume(String token) {
    skipSpace();
    if (src.startsWith(token, pos)) {
      pos += token.length();
      return true;
    }
    return false;
  }

  private boolean peek(String token) {
    skipSpace();
    return src.startsWith(token, pos);
  }

  private void skipSpace() {
    while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) {
      pos++;
    }
  }

  private RuleSyntaxException error(String message) {
    return new RuleSyntaxException(message, pos + 1);
  }
}
