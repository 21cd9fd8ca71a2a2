package io.tributary.cli;

import com.typesafe.config.Config;
import io.tributary.eventlog.EventLogReader;
import io.tributary.replay.Replay;
import io.tributary.replay.ReplayResult;
import io.tributary.replay.TranscriptWriter;
import io.tributary.settings.TributarySettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.zip.GZIPInputStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tributary demo}: replays the bundled three-cluster event log and prints the result. */
@Command(
    name = "demo",
    description =
        "Replay the bundled demo (three clusters, 48 Ingresses, churn, a strangler path, bad objects)"
            + " with " + DemoCommand.CONFIG + " into in-memory Consul/DNS/Traefik, then print the routing table and summary,"
            + " and write its HTML report (--report, else " + DemoCommand.DEFAULT_REPORT + " in the temp directory)."
            + " --export FILE writes the bundled log instead, for `tributary replay`.")
final class DemoCommand implements Callable<Integer> {
  static final String LOG = "demo/demo-events.jsonl.gz";
  static final String CONFIG = "conf/demo.conf";
  static final String DEFAULT_REPORT = "tributary-demo-report.html";

  @Mixin ReplayOutput output;

  @Option(names = "--export", paramLabel = "FILE",
      description = "Write the bundled demo log to FILE (gzip when it ends in .gz, else plain JSON Lines) and stop.")
  Path export;

  @Option(names = "--no-report", description = "Do not write the HTML report.")
  boolean noReport;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (export != null) {
      return export();
    }
    Config cfg = ConfigFiles.loadResource(CONFIG);
    TributarySettings settings = TributarySettings.from(cfg);
    // an SRE trying the tool wants to see the report without asking for it: one fixed file, overwritten
    Path report = noReport ? null
        : output.report != null ? output.report : Path.of(System.getProperty("java.io.tmpdir"), DEFAULT_REPORT);
    try (InputStream in = log();
        EventLogReader reader = EventLogReader.open(in, LOG, false);
        TranscriptWriter transcript = output.openTranscript()) {
      ReplayResult result = Replay.run(LOG, reader, settings, cfg, ReplayOutput.observer(transcript));
      output.finish(result, true, System.out, report,
          "tributary " + String.join(" ", spec.commandLine().getParseResult().originalArgs()),
          report == null ? null : ConfigFiles.sourceResource(CONFIG));
    }
    return 0;
  }

  private int export() throws IOException {
    ReplayOutput.checkDirectory(export);
    boolean gzip = export.getFileName().toString().endsWith(".gz");
    try (InputStream raw = log();
        InputStream in = gzip ? raw : new GZIPInputStream(raw);
        OutputStream out = Files.newOutputStream(export)) {
      in.transferTo(out);
    }
    System.out.println("wrote the demo log to " + export + " (replay it: ./tributary replay " + export
        + " --config " + CONFIG + ")");
    return 0;
  }

  private static InputStream log() {
    InputStream in = DemoCommand.class.getClassLoader().getResourceAsStream(LOG);
    if (in == null) {
      throw new IllegalStateException("the demo log " + LOG + " is missing from the jar; rebuild with 'make build'");
    }
    return in;
  }
}
