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
    return start(task, task, total, unit);
  }

  /** A progress report of {@code task} on stderr, its bar named {@code barTask} (shorter: the bar needs the room). */
  Progress start(String task, String barTask, long total, String unit) {
    if (interval.isNegative()) {
      throw new UserError("--progress-interval must not be negative");
    }
    return new Progress(mode(), task, barTask, total, unit, System.err, interval);
  }
}
