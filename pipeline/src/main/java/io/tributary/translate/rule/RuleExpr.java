package io.tributary.translate.rule;

import java.util.List;

/** A parsed Traefik router rule: matchers combined with {@code &&}, {@code ||} and {@code !}. */
public sealed interface RuleExpr {

  /** {@code left && right}. */
  record And(RuleExpr left, RuleExpr right) implements RuleExpr {}

  /** {@code left || right}. */
  record Or(RuleExpr left, RuleExpr right) implements RuleExpr {}

  /** {@code !expr}. */
  record Not(RuleExpr expr) implements RuleExpr {}

  /** One matcher in its canonical (Traefik v3) form, e.g. {@code Host(`a.example.com`)}. */
  record Matcher(String name, List<String> args) implements RuleExpr {
    public Matcher {
      args = List.copyOf(args);
    }
  }
}
