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

  /** Opens the transcript, and checks the state file's directory: both fail before a replay, not after it. */
  TranscriptWriter openTranscript() throws IOException {
    Path parent = state == null ? null : state.toAbsolutePath().getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      throw new NoSuchFileException(state.toString(), null, "no such directory " + parent);
    }
    return transcript == null ? null : new TranscriptWriter(transcript);
  }

  static WriteObserver observer(TranscriptWriter t) {
    return t == null ? WriteObserver.NONE : t;
  }

  void finish(ReplayResult result, boolean table, PrintStream out) throws IOException {
    if (state != null) {
      StateFile.write(state, result.state());
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
  }
}
