package io.tributary.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.tributary.edge.TopicWindow;
import io.tributary.replay.Replay;
import io.tributary.replay.ReplayResult;
import io.tributary.replay.TranscriptWriter;
import io.tributary.settings.KafkaSettings;
import io.tributary.settings.TributarySettings;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.Option;

/** {@code replay --from-kafka TOPIC --since T --until T'}: a window of the edge topic as the event log. */
final class KafkaReplayOptions {
  @Option(names = "--from-kafka", paramLabel = "TOPIC", description = "Replay a window of the edge mode's topic instead of"
      + " a log file: its events with --since <= at < --until, in the order of their time (docs/operations.md, \"Edge mode\").")
  String topic;

  @Option(names = "--since", paramLabel = "T", description = "With --from-kafka: the window's start, an ISO instant (2026-12-07T03:00:00Z).")
  String since;

  @Option(names = "--until", paramLabel = "T", description = "With --from-kafka: the window's end (exclusive), an ISO instant.")
  String until;

  @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT,...", description = "With --from-kafka: the brokers"
      + " (default: tributary.kafka.bootstrap-servers of --config).")
  String bootstrapServers;

  boolean given() {
    return topic != null;
  }

  /** Reads the window and replays it as {@code replay LOG} would replay a file holding it. */
  int replay(Config cfg, TributarySettings settings, ReplayOutput output, boolean table, String command,
      io.tributary.report.HtmlReport.Source source) throws Exception {
    if (since == null || until == null) {
      throw new UserError("--from-kafka needs --since and --until (ISO instants, e.g. 2026-12-07T03:00:00Z)");
    }
    Instant from = instant("--since", since);
    Instant to = instant("--until", until);
    if (!from.isBefore(to)) {
      throw new UserError("--since " + since + " is not before --until " + until);
    }
    Config withServers = bootstrapServers == null ? cfg
        : ConfigFactory.empty().withValue("tributary.kafka.bootstrap-servers", ConfigValueFactory.fromAnyRef(bootstrapServers))
            .withFallback(cfg);
    KafkaSettings kafka = KafkaSettings.from(withServers, true);
    var events = TopicWindow.read(kafka, topic, from, to);
    try (TranscriptWriter transcript = output.openTranscript()) {
      ReplayResult result = Replay.run(topic + " [" + since + ", " + until + ")", events.iterator(), settings, cfg,
          ReplayOutput.observer(transcript));
      output.finish(result, table, System.out, output.report, command, source);
    }
    return 0;
  }

  private static Instant instant(String option, String value) {
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new UserError(option + " '" + value + "' is not an ISO instant (e.g. 2026-12-07T03:00:00Z)");
    }
  }
}
