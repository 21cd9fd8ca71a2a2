package io.tributary.cli;

import com.typesafe.config.Config;
import io.tributary.eventlog.EventLogException;
import io.tributary.eventlog.EventLogReader;
import io.tributary.replay.Replay;
import io.tributary.replay.ReplayResult;
import io.tributary.replay.TranscriptWriter;
import io.tributary.settings.TributarySettings;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tributary replay LOG}: runs a recorded event log through the pipeline in virtual time. */
@Command(
    name = "replay",
    description =
        "Replay an event log (JSON Lines, plain or gzip) through the full pipeline into in-memory"
            + " targets, in virtual time, and print a summary. Same log + config = same transcript and state.")
final class ReplayCommand implements Callable<Integer> {
  @Parameters(index = "0", arity = "0..1", paramLabel = "LOG", description = "The event log to replay (or --from-kafka).")
  Path log;

  @Option(names = "--config", paramLabel = "FILE", description = "HOCON config; clusters it does not name get a default endpoint.")
  Path config;

  @Option(names = "--skip-bad-lines", description = "Skip malformed lines (reported) instead of stopping at the first.")
  boolean skipBadLines;

  @Option(names = "--table", description = "Also print the resulting routing table.")
  boolean table;

  @Mixin ReplayOutput output;

  @Mixin KafkaReplayOptions fromKafka;

  @Override
  public Integer call() throws Exception {
    Config cfg = ConfigFiles.load(config);
    TributarySettings settings = TributarySettings.from(cfg);
    if (fromKafka.given() != (log == null)) {
      throw new UserError(log == null ? "give an event log to replay, or --from-kafka TOPIC" : "give an event log or --from-kafka, not both");
    }
    if (fromKafka.given()) {
      return fromKafka.replay(cfg, settings, output, table);
    }
    try (EventLogReader reader = EventLogReader.open(log, skipBadLines);
        TranscriptWriter transcript = output.openTranscript()) {
      ReplayResult result =
          Replay.run(log.getFileName().toString(), reader, settings, cfg, ReplayOutput.observer(transcript));
      output.finish(result, table, System.out);
      if (reader.skippedCount() > 0) {
        System.out.printf("  skipped lines    %d%n", reader.skippedCount());
        reader.skipped().forEach(b -> System.out.println("    " + b.file() + ":" + b.line() + ": " + b.reason()));
      }
    } catch (EventLogException e) {
      // only reached without --skip-bad-lines: say how to get past the line
      throw new UserError(e.getMessage() + " (--skip-bad-lines skips such lines and lists them)");
    }
    return 0;
  }
}
