package io.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Progress of the long commands on stderr: plain lines when stderr is not a terminal (as here),
 * a bar on a terminal, nothing with --quiet, and never a change to what the command produces.
 */
class ProgressTest {
  private static final Pattern LINE = Pattern.compile(
      "replay big\\.jsonl\\.gz: (\\d+)% \\(([\\d.]+) of ([\\d.]+) (KB|MB)\\), ([\\d,]+) events, virtual \\+\\S+, [\\d,]+ events/s(, done)?");

  @TempDir Path dir;
  @RegisterExtension final ConsoleCapture console = new ConsoleCapture();
  private final ByteArrayOutputStream out = console.out;
  private final ByteArrayOutputStream err = console.err;

  private String takeOut() {
    String s = out.toString(StandardCharsets.UTF_8);
    out.reset();
    return s;
  }

  private String takeErr() {
    String s = err.toString(StandardCharsets.UTF_8);
    err.reset();
    return s;
  }

  @Test
  void aReplayOfTenToTheFiveEventsPrintsMovingProgressLinesWhenStderrIsNotATerminal() throws Exception {
    Path log = dir.resolve("big.jsonl.gz");
    // 1 000 objects listed, then 165 changes a second for ten minutes: ~10^5 events
    assertThat(TributaryCli.execute("generate", "--out", log.toString(), "--objects", "1000", "--duration", "PT10M",
        "--rate", "165", "--progress-interval", "PT0S")).isZero();
    assertThat(takeErr()).contains("generate big.jsonl.gz: ").contains("events/s");
    long events = Long.parseLong(takeOut().replaceAll("(?s).*wrote (\\d+) events.*", "$1"));
    assertThat(events).isBetween(95_000L, 110_000L);

    // a line every 256 events (interval 0): the test sees the bar move without waiting on the wall clock
    assertThat(TributaryCli.execute("replay", log.toString(), "--progress-interval", "PT0S")).isZero();
    List<String> lines = takeErr().lines().filter(l -> l.startsWith("replay ")).toList();
    assertThat(lines).hasSizeGreaterThan(100);
    long previous = -1;
    int previousPercent = -1;
    for (String line : lines) {
      Matcher m = LINE.matcher(line);
      assertThat(m.matches()).as(line).isTrue();
      long read = Long.parseLong(m.group(5).replace(",", ""));
      int percent = Integer.parseInt(m.group(1));
      assertThat(read).as(line).isGreaterThanOrEqualTo(previous);
      assertThat(percent).as(line).isGreaterThanOrEqualTo(previousPercent);
      previous = read;
      previousPercent = percent;
    }
    String last = lines.get(lines.size() - 1);
    assertThat(last).contains("100% (").endsWith(", done").contains(String.format(java.util.Locale.ROOT, "%,d events", events));
    assertThat(takeOut()).contains("events read      " + events + " over");
  }

  @Test
  void progressNeverChangesTheTranscriptOrStateAndQuietPrintsNone() throws Exception {
    Path log = dir.resolve("small.jsonl.gz");
    assertThat(TributaryCli.execute("generate", "--out", log.toString(), "--objects", "100", "--duration", "PT1M", "-q")).isZero();
    assertThat(takeErr()).isEmpty();
    takeOut();
    assertThat(TributaryCli.execute("replay", log.toString(), "--transcript", dir.resolve("t1").toString(),
        "--state", dir.resolve("s1").toString(), "--progress-interval", "PT0S")).isZero();
    assertThat(takeErr()).contains("replay small.jsonl.gz: 100% (");
    String withProgress = takeOut();
    assertThat(TributaryCli.execute("replay", log.toString(), "--transcript", dir.resolve("t2").toString(),
        "--state", dir.resolve("s2").toString(), "--quiet")).isZero();
    assertThat(takeErr()).isEmpty();
    String quiet = takeOut();
    assertThat(Files.readAllBytes(dir.resolve("t1"))).isEqualTo(Files.readAllBytes(dir.resolve("t2")));
    assertThat(Files.readAllBytes(dir.resolve("s1"))).isEqualTo(Files.readAllBytes(dir.resolve("s2")));
    String wall = "\\(replayed in \\d+ ms\\)";
    assertThat(withProgress.replaceAll(wall, "").replace("t1", "t").replace("s1", "s"))
        .isEqualTo(quiet.replaceAll(wall, "").replace("t2", "t").replace("s2", "s"));
  }

  @Test
  void onAPseudoTerminalAReplayDrawsAMovingBar() throws Exception {
    Path script = Path.of("/usr/bin/script");
    assertThat(script).as("util-linux's script, which gives a command a pseudo-terminal").isExecutable();
    Path log = dir.resolve("pty.jsonl.gz");
    assertThat(TributaryCli.execute("generate", "--out", log.toString(), "--objects", "500", "--duration", "PT2M",
        "--rate", "150", "-q")).isZero();
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
        .filter(e -> !e.endsWith("test-classes")).collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    // stdin, stdout and stderr on the pty: System.console() exists, as in an SRE's shell (80 columns: the bar and its message must fit)
    String command = "stty cols 80 rows 24; exec '" + javaBin + "' -cp '" + classpath + "' io.tributary.cli.TributaryCli replay '"
        + log + "'";
    Path typescript = dir.resolve("typescript");
    Process p = new ProcessBuilder(script.toString(), "-qfec", command, typescript.toString())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
        .redirectInput(ProcessBuilder.Redirect.PIPE).start();
    assertThat(p.waitFor(180, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    String screen = Files.readString(typescript, StandardCharsets.UTF_8);
    // the bar is redrawn in place (carriage returns), its percentage and event count moving up to 100 %
    List<String> frames = java.util.Arrays.stream(screen.split("\r")).filter(f -> f.matches("(?s)replay +\\d+%.*")).toList();
    assertThat(frames.size()).as(screen).isGreaterThanOrEqualTo(3);
    Matcher percent = Pattern.compile("replay +(\\d+)%").matcher("");
    List<Integer> percents = frames.stream().map(f -> percent.reset(f).find() ? Integer.parseInt(percent.group(1)) : -1).toList();
    assertThat(percents).isSorted().contains(100).doesNotContain(-1);
    assertThat(percents.stream().distinct().count()).isGreaterThanOrEqualTo(2);
    assertThat(frames.get(frames.size() - 1)).contains(" KB").containsPattern("[\\d,]+ events \\+\\S+");
    assertThat(screen).contains("Summary of pty.jsonl.gz").doesNotContain("replay pty.jsonl.gz: "); // no plain lines
  }

  @Test
  void onATerminalItIsABarRedrawnInPlace() {
    var bytes = new ByteArrayOutputStream();
    var terminal = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    try (Progress bar = new Progress(Progress.Mode.BAR, "replay x.jsonl", 4L << 20, "MB", terminal, Duration.ofSeconds(5))) {
      for (int i = 1; i <= 4; i++) {
        bar.step((long) i << 20, i * 1000 + " events");
      }
    }
    String drawn = bytes.toString(StandardCharsets.UTF_8);
    assertThat(drawn).contains("\r").contains("replay x.jsonl").contains("100%").contains("4000 events");
  }

  @Test
  void aNegativeIntervalIsAUsersMistake() {
    assertThat(TributaryCli.execute("generate", "--out", dir.resolve("x.jsonl").toString(), "--progress-interval", "-PT1S")).isEqualTo(2);
    assertThat(takeErr()).startsWith("error: --progress-interval must not be negative");
  }
}
