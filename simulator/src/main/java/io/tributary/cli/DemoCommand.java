package io.tributary.cli;

import com.typesafe.config.Config;
import io.tributary.eventlog.EventLogReader;
import io.tributary.replay.Replay;
import io.tributary.replay.ReplayResult;
import io.tributary.replay.TranscriptWriter;
import io.tributary.settings.TributarySettings;
import java.io.InputStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code tributary demo}: replays the bundled three-cluster event log and prints the result. */
@Command(
    name = "demo",
    description =
        "Replay the bundled demo (three clusters, 48 Ingresses, churn, a strangler path, bad objects)"
            + " with " + DemoCommand.CONFIG + " into in-memory Consul/DNS/Traefik, then print the routing table and summary.")
final class DemoCommand implements Callable<Integer> {
  static final String LOG = "demo/demo-events.jsonl.gz";
  static final String CONFIG = "conf/demo.conf";

  @Mixin ReplayOutput output;

  @Override
  public Integer call() throws Exception {
    Config cfg = ConfigFiles.loadResource(CONFIG);
    TributarySettings settings = TributarySettings.from(cfg);
    InputStream in = DemoCommand.class.getClassLoader().getResourceAsStream(LOG);
    if (in == null) {
      throw new IllegalStateException("the demo log " + LOG + " is missing from the jar; rebuild with 'make build'");
    }
    try (EventLogReader reader = EventLogReader.open(in, LOG, false);
        TranscriptWriter transcript = output.openTranscript()) {
      ReplayResult result = Replay.run(LOG, reader, settings, cfg, ReplayOutput.observer(transcript));
      output.finish(result, true, System.out);
    }
    return 0;
  }
}
