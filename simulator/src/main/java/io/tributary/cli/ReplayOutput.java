package io.tributary.cli;

import io.tributary.replay.ReplayReport;
import io.tributary.replay.ReplayResult;
import io.tributary.replay.StateFile;
import io.tributary.replay.TranscriptWriter;
import io.tributary.writer.WriteObserver;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The output options shared by {@code replay} and {@code demo}. */
final class ReplayOutput {
  @Option(names = "--transcript", paramLabel = "FILE", description = "Write every target operation, in order, as JSON Lines.")
  Path transcript;

  @Option(names = "--state", paramLabel = "FILE", description = "Write the final state of every target as one sorted JSON document.")
  Path state;

  @Option(names = "--report", paramLabel = "FILE", description = "Write an HTML report (timelines, lag, flapping,"
      + " rejections; one self-contained file, the same bytes for the same log and config).")
  Path report;

  /** Opens the transcript, and checks the state file's directory: both fail before a replay, not after it. */
  TranscriptWriter openTranscript() throws IOException {
    checkDirectory(state);
    checkDirectory(report);
    return transcript == null ? null : new TranscriptWriter(transcript);
  }

  static void checkDirectory(Path file) throws IOException {
    Path parent = file == null ? null : file.toAbsolutePath().getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      throw new NoSuchFileException(file.toString(), null, "no such directory " + parent);
    }
  }

  static WriteObserver observer(TranscriptWriter t) {
    return t == null ? WriteObserver.NONE : t;
  }

  void finish(ReplayResult result, boolean table, PrintStream out) throws IOException {
    finish(result, table, out, null, null, null);
  }

  /** Writes the state (and, when {@code reportTo} is set, the HTML report), then prints the table and summary. */
  void finish(ReplayResult result, boolean table, PrintStream out, Path reportTo, String command,
      io.tributary.report.HtmlReport.Source config) throws IOException {
    if (state != null) {
      StateFile.write(state, result.state());
    }
    if (reportTo != null) {
      io.tributary.report.HtmlReport.write(reportTo, io.tributary.report.HtmlReport.single(result, command, config));
    }
    if (table) {
      ReplayReport.printRoutingTable(result, out);
    }
    ReplayReport.printSummary(result, out);
    if (transcript != null) {
      out.println("  transcript       " + transcript);
    }
    if (state != null) {
      out.println("  state            " + state);
    }
    if (reportTo != null) {
      out.println("  report           " + reportTo + " (open it in a browser)");
    }
  }
}
