package io.tributary.cli;

import java.io.PrintStream;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The progress options of the long commands ({@code replay}, {@code generate}, {@code record}, {@code bench}). */
final class ProgressOptions {
  @Option(names = {"-q", "--quiet"}, description = "No progress on stderr (the result on stdout is the same).")
  boolean quiet;

  @Option(names = "--progress-interval", paramLabel = "DURATION", defaultValue = "PT5S",
      description = "When stderr is not a terminal, a progress line this often, ISO-8601 (default ${DEFAULT-VALUE}).")
  Duration interval;

  /** OFF with --quiet, a bar on a terminal, lines otherwise. */
  Progress.Mode mode() {
    if (quiet) {
      return Progress.Mode.OFF;
    }
    // System.console() is there only when stdin and stdout are a terminal; TERM=dumb cannot redraw a line
    boolean terminal = System.console() != null && !"dumb".equals(System.getenv("TERM"));
    return terminal ? Progress.Mode.BAR : Progress.Mode.LINES;
  }

  /** A progress report of {@code task} on stderr. */
  Progress start(String task, long total, String unit) {
    return start(task, total, unit, System.err);
  }

  Progress start(String task, long total, String unit, PrintStream err) {
    if (interval.isNegative()) {
      throw new UserError("--progress-interval must not be negative");
    }
    return new Progress(mode(), task, total, unit, err, interval);
  }
}
