package io.tributary.translate.rule;

import io.tributary.settings.TagSyntax;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Prints a rule tree in Traefik v3 (canonical) or v2 syntax, with only the parentheses needed. */
public final class RulePrinter {
  private RulePrinter() {}

  /** The rule in {@code syntax} (v1 has no rule language; v2/v3 only). */
  public static String print(RuleExpr e, TagSyntax syntax) {
    return print(e, syntax, 0);
  }

  // precedence: 0 = or, 1 = and, 2 = unary
  private static String print(RuleExpr e, TagSyntax syntax, int context) {
    if (e instanceof RuleExpr.Or or) {
      return wrap(print(or.left(), syntax, 0) + " || " + print(or.right(), syntax, 0), context > 0);
    }
    if (e instanceof RuleExpr.And and) {
      return wrap(print(and.left(), syntax, 1) + " && " + print(and.right(), syntax, 1), context > 1);
    }
    if (e instanceof RuleExpr.Not not) {
      return "!" + print(not.expr(), syntax, 2);
    }
    return matcher((RuleExpr.Matcher) e, syntax);
  }

  // a Gateway API wildcard hostname: one or more labels in front of the parent (v3 regexp; v2 below)
  private static final String SUFFIX_LABELS = "[a-z0-9-]+(?:\\.[a-z0-9-]+)*";

  /**
   * The matcher of a Gateway API wildcard hostname {@code *.<parent>}, which matches any number of
   * labels in front of {@code parent} (unlike an Ingress wildcard, one label); printed as v2's
   * {@code {subdomain:…}} form in v2 syntax. {@code parent} is a validated hostname.
   */
  public static RuleExpr.Matcher hostSuffix(String parent) {
    return new RuleExpr.Matcher("HostRegexp", List.of("^" + SUFFIX_LABELS + "\\." + parent.replace(".", "\\.") + "$"));
  }

  private static String matcher(RuleExpr.Matcher m, TagSyntax syntax) {
    String name = m.name();
    List<String> args = m.args();
    String suffixPrefix = "^" + SUFFIX_LABELS + "\\.";
    if (syntax == TagSyntax.V2 && name.equals("HostRegexp") && args.size() == 1 && args.get(0).startsWith(suffixPrefix)
        && args.get(0).endsWith("$")) {
      String parent = args.get(0).substring(suffixPrefix.length(), args.get(0).length() - 1).replace("\\.", ".");
      return "HostRegexp(`{subdomain:" + SUFFIX_LABELS + "}." + parent + "`)";
    }
    if (syntax == TagSyntax.V2) {
      if (name.equals("Header")) {
        name = "Headers";
      } else if (name.equals("HeaderRegexp")) {
        name = "HeadersRegexp";
      } else if (name.equals("Query")) {
        args = List.of(args.get(0) + "=" + args.get(1));
      }
    }
    return name + "(" + args.stream().map(a -> "`" + a + "`").collect(Collectors.joining(", ")) + ")";
  }

  private static String wrap(String s, boolean parens) {
    return parens ? "(" + s + ")" : s;
  }

  /** Hostnames a rule can only match: the Host literals not under a negation. */
  public static List<String> hosts(RuleExpr e) {
    List<String> out = new ArrayList<>();
    collect(e, false, out);
    return out.stream().distinct().sorted().toList();
  }

  /** True if the rule can match hosts no Host literal names (HostRegexp, or no host at all). */
  public static boolean hasUnknownHosts(RuleExpr e) {
    if (e instanceof RuleExpr.Or or) {
      return hasUnknownHosts(or.left()) || hasUnknownHosts(or.right());
    }
    if (e instanceof RuleExpr.And and) {
      return hasUnknownHosts(and.left()) && hasUnknownHosts(and.right());
    }
    if (e instanceof RuleExpr.Not) {
      return true;
    }
    return !((RuleExpr.Matcher) e).name().equals("Host");
  }

  /** The first path literal (Path or PathPrefix) of a rule, for naming; "/" if none. */
  public static String firstPath(RuleExpr e) {
    if (e instanceof RuleExpr.Or or) {
      return or(firstPath(or.left()), firstPath(or.right()));
    }
    if (e instanceof RuleExpr.And and) {
      return or(firstPath(and.left()), firstPath(and.right()));
    }
    if (e instanceof RuleExpr.Matcher m && (m.name().equals("Path") || m.name().equals("PathPrefix"))) {
      return m.args().get(0);
    }
    return "/";
  }

  private static String or(String a, String b) {
    return a.equals("/") ? b : a;
  }

  private static void collect(RuleExpr e, boolean negated, List<String> out) {
    if (e instanceof RuleExpr.Or or) {
      collect(or.left(), negated, out);
      collect(or.right(), negated, out);
    } else if (e instanceof RuleExpr.And and) {
      collect(and.left(), negated, out);
      collect(and.right(), negated, out);
    } else if (e instanceof RuleExpr.Not not) {
      collect(not.expr(), !negated, out);
    } else if (e instanceof RuleExpr.Matcher m && !negated && m.name().equals("Host")) {
      out.addAll(m.args());
    }
  }
}
