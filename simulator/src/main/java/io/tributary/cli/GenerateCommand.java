package io.tributary.cli;

import io.tributary.replay.DemoScenario;
import io.tributary.replay.SyntheticScenario;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tributary generate}: writes a synthetic (seeded) or the demo event log. */
@Command(
    name = "generate",
    description =
        "Write an event log: the demo scenario (--demo) or a seeded synthetic one with clusters,"
            + " churn, flapping and malformed objects. The same options always give the same log.")
final class GenerateCommand implements Callable<Integer> {
  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Output file (.gz compresses).")
  Path out;

  @Option(names = "--demo", description = "Write the demo scenario instead of a synthetic one.")
  boolean demo;

  @Option(names = "--seed", defaultValue = "1", description = "Random seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--clusters", defaultValue = "3", description = "Clusters (default ${DEFAULT-VALUE}).")
  int clusters;

  @Option(names = "--namespaces", defaultValue = "8", description = "Namespaces per cluster (default ${DEFAULT-VALUE}).")
  int namespaces;

  @Option(names = "--objects", defaultValue = "200", description = "Ingresses in all (default ${DEFAULT-VALUE}).")
  int objects;

  @Option(names = "--duration", defaultValue = "PT5M", description = "Virtual duration, ISO-8601 (default ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(names = "--rate", defaultValue = "20", description = "Changes per second after the initial list (default ${DEFAULT-VALUE}).")
  double rate;

  @Override
  public Integer call() throws Exception {
    if (demo) {
      DemoScenario.write(out);
      System.out.println("wrote the demo scenario to " + out);
      return 0;
    }
    var d = SyntheticScenario.Params.defaults();
    var params =
        new SyntheticScenario.Params(
            seed, clusters, namespaces, objects, duration, rate, d.deleteShare(), d.flapShare(), d.malformedShare(), d.start());
    long n = SyntheticScenario.write(params, out);
    System.out.println("wrote " + n + " events to " + out);
    return 0;
  }
}
