package io.tributary.translate.rule;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Checks a regular expression the way Traefik will read it: with Go's {@code regexp} (RE2 syntax).
 * Traefik refuses a router whose regexp does not compile, so such a route is rejected here with the
 * reason instead of being published and silently dropped at the edge. RE2 lacks lookaround,
 * backreferences, atomic groups and possessive quantifiers (Java has them); both read the rest
 * alike, apart from group names ({@code (?P<name>)}, underscores) and a '{' that starts no
 * repetition (a literal to Go, an error to Java), which are set aside before Java compiles the
 * pattern. Pure.
 */
public final class GoRegexp {
  /** The matchers whose arguments (all, or the value after the name) are regexps in both rule syntaxes. */
  private static final Set<String> VALUE_REGEXPS = Set.of("HeaderRegexp", "QueryRegexp");

  private static final Pattern NAMED_GROUP = Pattern.compile("\\(\\?P?<[A-Za-z_][A-Za-z0-9_]*>");
  private static final Pattern REPETITION = Pattern.compile("\\{[0-9]+(,[0-9]*)?}");

  private GoRegexp() {}

  /** Why {@code regex} is not a regexp Traefik can use, or null if it is. */
  public static String problem(String regex) {
    String unsupported = unsupported(regex);
    if (unsupported != null) {
      return "uses " + unsupported + ", which Traefik's regular expressions (Go, RE2) do not support";
    }
    try {
      Pattern.compile(javaForm(regex));
      return null;
    } catch (PatternSyntaxException e) {
      return "is not a regular expression: " + e.getDescription();
    }
  }

  /**
   * The problems of the regexps in {@code rule}'s {@code PathRegexp}, {@code HeaderRegexp} and
   * {@code QueryRegexp} matchers, each naming its matcher. ({@code HostRegexp} is left out: in the
   * v2 syntax it is a template such as {@code {sub:[a-z]+}.example.com}, not a regexp.)
   */
  public static List<String> problems(RuleExpr rule) {
    List<String> out = new ArrayList<>();
    collect(rule, out);
    return out;
  }

  private static void collect(RuleExpr e, List<String> out) {
    if (e instanceof RuleExpr.And a) {
      collect(a.left(), out);
      collect(a.right(), out);
    } else if (e instanceof RuleExpr.Or o) {
      collect(o.left(), out);
      collect(o.right(), out);
    } else if (e instanceof RuleExpr.Not n) {
      collect(n.expr(), out);
    } else if (e instanceof RuleExpr.Matcher m) {
      String regex = m.name().equals("PathRegexp") ? m.args().get(0)
          : VALUE_REGEXPS.contains(m.name()) && m.args().size() == 2 ? m.args().get(1) : null;
      String bad = regex == null ? null : problem(regex);
      if (bad != null) {
        out.add(m.name() + ": '" + regex + "' " + bad);
      }
    }
  }

  /** The first construct of {@code regex} RE2 lacks, named, or null. */
  private static String unsupported(String regex) {
    int n = regex.length();
    boolean quantifiable = false; // the previous token can take a quantifier
    for (int i = 0; i < n; i++) {
      char c = regex.charAt(i);
      switch (c) {
        case '\\' -> {
          if (i + 1 < n) {
            char next = regex.charAt(i + 1);
            if (next >= '1' && next <= '9' || next == 'k' && i + 2 < n && regex.charAt(i + 2) == '<') {
              return "a backreference";
            }
            if (next == 'Q') { // quoted to \E: nothing inside is syntax
              int end = regex.indexOf("\\E", i + 2);
              i = end < 0 ? n : end + 1;
              quantifiable = true;
              continue;
            }
          }
          i++;
          quantifiable = true;
        }
        case '[' -> {
          i = classEnd(regex, i);
          quantifiable = true;
        }
        case '(' -> {
          if (regex.startsWith("(?=", i) || regex.startsWith("(?!", i)) {
            return "a lookahead";
          }
          if (regex.startsWith("(?<=", i) || regex.startsWith("(?<!", i)) {
            return "a lookbehind";
          }
          if (regex.startsWith("(?>", i)) {
            return "an atomic group";
          }
          quantifiable = false;
        }
        case '*', '+', '?' -> {
          if (quantifiable && i + 1 < n && regex.charAt(i + 1) == '+') {
            return "a possessive quantifier";
          }
          // a lazy '?' after a quantifier is itself no atom
          quantifiable = false;
          if (i + 1 < n && regex.charAt(i + 1) == '?') {
            i++;
          }
        }
        case '}' -> {
          if (quantifiable && i + 1 < n && regex.charAt(i + 1) == '+' && isCounted(regex, i)) {
            return "a possessive quantifier";
          }
          if (isCounted(regex, i) && countAbove1000(regex, i)) {
            return "a repetition count above 1000";
          }
          quantifiable = !isCounted(regex, i);
        }
        case '|' -> quantifiable = false;
        default -> quantifiable = true;
      }
    }
    return null;
  }

  /** {@code regex} as Java reads what Go reads: group names dropped, a '{' starting no repetition quoted. */
  private static String javaForm(String regex) {
    StringBuilder out = new StringBuilder(regex.length() + 8);
    int n = regex.length();
    for (int i = 0; i < n; i++) {
      char c = regex.charAt(i);
      if (c == '\\' && i + 1 < n) {
        out.append(c).append(regex.charAt(++i));
      } else if (c == '[') {
        int end = Math.min(classEnd(regex, i), n - 1);
        out.append(regex, i, end + 1);
        i = end;
      } else if (c == '(' && NAMED_GROUP.matcher(regex).region(i, n).lookingAt()) {
        out.append('(');
        i = regex.indexOf('>', i); // the name is [A-Za-z0-9_]: its '>' ends it
      } else if (c == '{' && !REPETITION.matcher(regex).region(i, n).lookingAt()) {
        out.append("\\{");
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** The index of the ']' closing the class opened at {@code open} (or the end). */
  private static int classEnd(String regex, int open) {
    int i = open + 1;
    if (i < regex.length() && regex.charAt(i) == '^') {
      i++;
    }
    if (i < regex.length() && regex.charAt(i) == ']') {
      i++; // a leading ']' is a member
    }
    for (; i < regex.length(); i++) {
      char c = regex.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '[' && i + 1 < regex.length() && regex.charAt(i + 1) == ':') {
        int end = regex.indexOf(":]", i + 2);
        i = end < 0 ? i : end + 1; // [:alpha:]
      } else if (c == ']') {
        return i;
      }
    }
    return regex.length();
  }

  /** True if the counted repetition ending at {@code close} has a count Go refuses (above 1000). */
  private static boolean countAbove1000(String regex, int close) {
    for (String count : regex.substring(regex.lastIndexOf('{', close) + 1, close).split(",")) {
      if (count.length() > 4 || !count.isEmpty() && Integer.parseInt(count) > 1000) {
        return true;
      }
    }
    return false;
  }

  /** True if the '}' at {@code close} ends a counted repetition {@code {n}}, {@code {n,}} or {@code {n,m}}. */
  private static boolean isCounted(String regex, int close) {
    int open = regex.lastIndexOf('{', close);
    return open >= 0 && regex.substring(open + 1, close).matches("[0-9]+(,[0-9]*)?");
  }
}
