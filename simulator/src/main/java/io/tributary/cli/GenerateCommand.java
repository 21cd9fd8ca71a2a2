package io.tributary.cli;

import io.tributary.replay.DemoScenario;
import io.tributary.replay.SyntheticScenario;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

  /** The shapes of synthetic log {@code --shape} chooses. */
  enum Shape { churn, flapping, noop }

  @Option(names = "--shape", defaultValue = "churn", description = "churn (default): updates, deletes, flapping and malformed"
      + " objects at --rate; flapping: --flappers objects toggled every --period, --toggles times, ending where they began,"
      + " every other object changed once; noop: only resourceVersion bumps at --rate.")
  Shape shape;

  @Option(names = "--flappers", defaultValue = "10", description = "Flapping objects of --shape flapping (default ${DEFAULT-VALUE}).")
  int flappers;

  @Option(names = "--toggles", defaultValue = "60", description = "Toggles per flapping object, rounded up to even (default ${DEFAULT-VALUE}).")
  int toggles;

  @Option(names = "--period", defaultValue = "PT1S", description = "Time between a flapping object's toggles (default ${DEFAULT-VALUE}).")
  Duration period;

  @Mixin ProgressOptions progress;

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
    var events = switch (shape) {
      case churn -> SyntheticScenario.events(params);
      case noop -> SyntheticScenario.noOp(params);
      case flapping -> SyntheticScenario.flapping(params, flappers, toggles, period);
    };
    // the events the log is about to hold: the initial list, then the churn (or the flappers' toggles)
    long expected = switch (shape) {
      case flapping -> objects + (long) flappers * (toggles + 1) + clusters;
      default -> objects + (long) Math.ceil(rate * duration.toMillis() / 1000.0) + clusters;
    };
    long n;
    try (Progress bar = progress.start("generate " + out.getFileName(), "generate", expected, "events")) {
      var source = events;
      long[] count = {0};
      n = SyntheticScenario.write(new java.util.Iterator<>() {
        @Override
        public boolean hasNext() {
          return source.hasNext();
        }

        @Override
        public io.tributary.eventlog.LogEvent next() {
          var e = source.next();
          if (++count[0] % 1024 == 0) {
            bar.step(Math.min(count[0], expected), String.format(java.util.Locale.ROOT, "%,d events, %s events/s", count[0],
                bar.rate(count[0])));
          }
          return e;
        }
      }, out);
      bar.step(Math.max(n, expected) == n ? n : expected, String.format(java.util.Locale.ROOT, "%,d events", n));
      bar.done();
    }
    System.out.println("wrote " + n + " events to " + out);
    return 0;
  }
}
