package io.tributary.bench;

import io.tributary.settings.TagSyntax;
import io.tributary.translate.rule.RuleExpr;
import io.tributary.translate.rule.RuleParser;
import io.tributary.translate.rule.RulePrinter;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Parsing Traefik rules (a plain host, a compound matcher) and printing them back as tags. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RuleParsingBenchmark {
  @Param({
    "Host(`shop.example.com`)",
    "Host(`catalog.example.com`, `www.catalog.example.com`) && (PathPrefix(`/api`) || PathPrefix(`/v2`)) && !Method(`DELETE`)"
  })
  public String rule;

  private RuleExpr parsed;

  @Setup
  public void setUp() {
    parsed = RuleParser.parse(rule);
  }

  @Benchmark
  public RuleExpr parse() {
    return RuleParser.parse(rule);
  }

  @Benchmark
  public String print() {
    return RulePrinter.print(parsed, TagSyntax.V2);
  }
}
