package io.tributary.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * How far a long command has got, on stderr (stdout keeps only the command's result): a progress
 * bar ({@code me.tongfei:progressbar}) on a terminal, a plain line every interval otherwise (CI
 * logs, pipes), nothing when quiet. It only reads counters, so it never changes what the command
 * produces.
 */
final class Progress implements AutoCloseable {

  /** Where progress goes. */
  enum Mode { BAR, LINES, OFF }

  private final Mode mode;
  private final String task;
  private final String unit;
  private final long unitSize;
  private final long total; // in raw units; <= 0: unknown
  private final PrintStream out;
  private final long intervalNanos;
  private final long started = System.nanoTime();
  private final ProgressBar bar;
  private long lastLine;
  private long current;
  private String extra = "";
  private boolean closed;
  private boolean completed;

  /**
   * @param total the amount of work in raw units (bytes, events), or 0 when unknown
   * @param unit the unit shown ({@code MB}: raw units are bytes shown in MiB; else the raw unit)
   */
  Progress(Mode mode, String task, long total, String unit, PrintStream out, Duration interval) {
    this(mode, task, task, total, unit, out, interval);
  }

  /** As above, the bar named {@code barTask}: a shorter name leaves the bar room on an 80-column terminal. */
  Progress(Mode mode, String task, String barTask, long total, String unit, PrintStream out, Duration interval) {
    this.mode = mode;
    this.task = task;
    this.unit = unit.equals("MB") && total < (10 << 20) ? "KB" : unit;
    // a small file in MB would read 0.0 of 0.0: KB then
    this.unitSize = unit.equals("MB") ? (total < (10 << 20) ? 1 << 10 : 1 << 20) : 1;
    this.total = total;
    this.out = out;
    this.intervalNanos = interval.toNanos();
    this.lastLine = started;
    if (mode == Mode.BAR) {
      var builder = new ProgressBarBuilder()
          .setTaskName(barTask)
          .setInitialMax(total > 0 ? total : -1)
          .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
          .setUpdateIntervalMillis(200)
          .setConsumer(new ConsoleProgressBarConsumer(out));
      if (unitSize > 1) {
        builder.setUnit(" " + this.unit, unitSize);
      }
      this.bar = builder.build();
    } else {
      this.bar = null;
    }
  }

  /** Progress nobody sees (a command run by another, which reports its own). */
  static Progress off() {
    return new Progress(Mode.OFF, "", 0, "", System.err, Duration.ZERO);
  }

  /** The work has reached {@code done} raw units; {@code what} says more (events, virtual time, rate). */
  synchronized void step(long done, String what) {
    step(done, what, what);
  }

  /** As {@link #step(long, String)}, the bar showing the shorter {@code brief} (an 80-column terminal has little room). */
  synchronized void step(long done, String what, String brief) {
    current = done;
    extra = what;
    if (mode == Mode.BAR) {
      bar.stepTo(done);
      bar.setExtraMessage(" " + brief);
    } else if (mode == Mode.LINES) {
      long now = System.nanoTime();
      if (now - lastLine >= intervalNanos) {
        lastLine = now;
        out.println(line());
      }
    }
  }

  /** Events (or items) per second of wall time since the start. */
  String rate(long items) {
    double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
    return String.format(Locale.ROOT, "%,.0f", items / seconds);
  }

  private String line() {
    var s = new StringBuilder(task).append(": ");
    if (total > 0) {
      s.append(String.format(Locale.ROOT, "%d%% (%s of %s %s)", Math.min(100, 100 * current / total),
          amount(current), amount(total), unit));
    } else {
      s.append(amount(current)).append(' ').append(unit);
    }
    if (!extra.isEmpty()) {
      s.append(", ").append(extra);
    }
    return s.toString();
  }

  private String amount(long raw) {
    return unitSize > 1 ? String.format(Locale.ROOT, "%.1f", raw / (double) unitSize)
        : String.format(Locale.ROOT, "%,d", raw);
  }

  /** The work is complete: what is left of the total (bytes a reader never needed) counts as done. */
  synchronized void done() {
    completed = true;
    if (total > 0) {
      current = total;
      if (bar != null) {
        bar.stepTo(total);
      }
    }
  }

  /** Ends the bar, or prints the last line (LINES), so the result that follows starts on its own line. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (mode == Mode.BAR) {
      if (total > 0) {
        bar.stepTo(total);
      }
      bar.close();
    } else if (mode == Mode.LINES && completed && System.nanoTime() - started >= intervalNanos) {
      // a command that ran past one interval says it finished (a failure says why instead); a short one stays silent
      out.println(line() + ", done");
    }
  }
}
