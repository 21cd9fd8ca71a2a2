package io.tributary.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.translate.IngressRouteTranslator;
import io.tributary.translate.IngressTranslator;
import io.tributary.translate.Translation;
import io.tributary.watch.ObjectKey;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** Translation of one realistic Ingress and one IngressRoute into routes. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TranslationBenchmark {
  private final ObjectKey ingressKey = new ObjectKey("eu-1", "Ingress", "shop", "shop-1");
  private final ObjectNode ingress = Objects.ingress(1, 10);
  private final ObjectKey routeKey = new ObjectKey("eu-1", "IngressRoute", "catalog", "catalog-1");
  private final ObjectNode ingressRoute = Objects.ingressRoute(1);

  @Benchmark
  public Translation ingress() {
    return IngressTranslator.translate(ingressKey, ingress, Objects.SETTINGS.translate());
  }

  @Benchmark
  public Translation ingressRoute() {
    return IngressRouteTranslator.translate(routeKey, ingressRoute, Objects.SETTINGS.translate());
  }
}
