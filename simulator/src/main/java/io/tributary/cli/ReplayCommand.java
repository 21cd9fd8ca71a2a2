package io.tributary.cli;

import com.typesafe.config.Config;
import io.tributary.eventlog.EventLogException;
import io.tributary.eventlog.EventLogReader;
import io.tributary.replay.Replay;
import io.tributary.replay.ReplayReport;
import io.tributary.replay.ReplayResult;
import io.tributary.replay.TranscriptWriter;
import io.tributary.report.HtmlReport;
import io.tributary.settings.TributarySettings;
import io.tributary.writer.WriteObserver;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tributary replay LOG}: runs a recorded event log through the pipeline in virtual time. */
@Command(
    name = "replay",
    description =
        "Replay an event log (JSON Lines, plain or gzip) through the full pipeline into in-memory"
            + " targets, in virtual time, and print a summary. Same log + config = same transcript and state."
            + " --compare A B replays it under two configs and sets them side by side (--report: as HTML).")
final class ReplayCommand implements Callable<Integer> {
  @Parameters(index = "0", arity = "0..1", paramLabel = "LOG", description = "The event log to replay (or --from-kafka).")
  Path log;

  @Option(names = "--config", paramLabel = "FILE", description = "HOCON config; clusters it does not name get a default endpoint.")
  Path config;

  @Option(names = "--compare", arity = "2", paramLabel = "CONFIG",
      description = "Replay LOG under config A and config B and compare writes, lag and flapping.")
  List<Path> compare;

  @Option(names = "--skip-bad-lines", description = "Skip malformed lines (reported) instead of stopping at the first.")
  boolean skipBadLines;

  @Option(names = "--table", description = "Also print the resulting routing table.")
  boolean table;

  @Mixin ReplayOutput output;

  @Mixin ProgressOptions progress;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin KafkaReplayOptions fromKafka;


  @Override
  public Integer call() throws Exception {
    if (fromKafka.given() != (log == null)) {
      throw new UserError(log == null ? "give an event log to replay, or --from-kafka TOPIC" : "give an event log or --from-kafka, not both");
    }
    if (compare != null) {
      if (fromKafka.given()) {
        throw new UserError("--compare replays an event log file, not --from-kafka");
      }
      return compareConfigs();
    }
    Config cfg = ConfigFiles.load(config);
    TributarySettings settings = TributarySettings.from(cfg);
    HtmlReport.Source source = output.report == null ? null : ConfigFiles.source(config);
    if (fromKafka.given()) {
      return fromKafka.replay(cfg, settings, output, table, command(), source);
    }
    try (TranscriptWriter transcript = output.openTranscript()) {
      Replayed replayed = replay(cfg, settings, ReplayOutput.observer(transcript), "replay");
      output.finish(replayed.result(), table, System.out, output.report, command(), source);
      replayed.printSkipped();
    }
    return 0;
  }

  /** Both configs over the same log: the two summaries, and the side-by-side report. */
  private int compareConfigs() throws Exception {
    if (config != null) {
      throw new UserError("--compare names both configs; --config cannot be given with it");
    }
    if (output.transcript != null || output.state != null) {
      throw new UserError("--transcript and --state are of one replay; replay each config on its own for them");
    }
    ReplayOutput.checkDirectory(output.report);
    Path a = compare.get(0);
    Path b = compare.get(1);
    Config cfgA = ConfigFiles.load(a);
    Config cfgB = ConfigFiles.load(b);
    TributarySettings settingsA = TributarySettings.from(cfgA);
    TributarySettings settingsB = TributarySettings.from(cfgB);
    Replayed first = replay(cfgA, settingsA, WriteObserver.NONE, "replay A");
    Replayed second = replay(cfgB, settingsB, WriteObserver.NONE, "replay B");
    System.out.println("Config A: " + a);
    ReplayReport.printSummary(first.result(), System.out);
    System.out.println();
    System.out.println("Config B: " + b);
    ReplayReport.printSummary(second.result(), System.out);
    first.printSkipped();
    if (output.report != null) {
      HtmlReport.write(output.report, HtmlReport.compare(first.result(), ConfigFiles.source(a), second.result(),
          ConfigFiles.source(b), command()));
      System.out.println();
      System.out.println("  report           " + output.report + " (open it in a browser)");
    }
    return 0;
  }

  /** A finished replay and the reader's skipped lines. */
  private record Replayed(ReplayResult result, EventLogReader reader) {
    void printSkipped() {
      if (reader.skippedCount() > 0) {
        System.out.printf("  skipped lines    %d%n", reader.skippedCount());
        reader.skipped().forEach(b -> System.out.println("    " + b.file() + ":" + b.line() + ": " + b.reason()));
      }
    }
  }

  private Replayed replay(Config cfg, TributarySettings settings, WriteObserver observer, String task) throws IOException {
    if (Files.isDirectory(log)) {
      throw new FileSystemException(log.toString(), null, "is a directory, not an event log");
    }
    long size = Files.size(log);
    // progress in bytes of the file as read (the reader decodes ahead of the replay by at most ~1 000 events)
    CountingInput counted = new CountingInput(Files.newInputStream(log));
    try (EventLogReader reader = EventLogReader.open(counted, log.toString(), skipBadLines);
        Progress bar = progress.start(task + " " + log.getFileName(), task, size, "MB")) {
      Instant[] first = new Instant[1];
      ReplayResult result = Replay.run(log.getFileName().toString(), reader, settings, cfg, observer,
          (events, at) -> {
            if (first[0] == null) {
              first[0] = at;
            }
            String virtual = io.tributary.report.SvgCharts.duration(Duration.between(first[0], at).toMillis() / 1000.0);
            String rate = bar.rate(events);
            bar.step(counted.count(),
                String.format(java.util.Locale.ROOT, "%,d events, virtual +%s, %s events/s", events, virtual, rate),
                String.format(java.util.Locale.ROOT, "%,d events +%s", events, virtual));
          });
      bar.done();
      return new Replayed(result, reader);
    } catch (EventLogException e) {
      // only reached without --skip-bad-lines: say how to get past the line
      throw new UserError(e.getMessage() + " (--skip-bad-lines skips such lines and lists them)");
    }
  }

  private String command() {
    return "tributary " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
  }

  /** Counts the bytes read through it, for progress read on another thread. */
  private static final class CountingInput extends FilterInputStream {
    private volatile long count;

    CountingInput(InputStream in) {
      super(in);
    }

    long count() {
      return count;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      int n = super.read(buf, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      count += skipped;
      return skipped;
    }
  }
}
