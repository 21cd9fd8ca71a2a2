package io.tributary.cli;

import io.tributary.eventlog.EventLogException;
import io.tributary.settings.SettingsException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tributary} command line. */
@Command(
    name = "tributary",
    mixinStandardHelpOptions = true,
    version = "tributary 0.1.0",
    description = "Keeps Consul, Traefik and DNS in step with routing objects in many Kubernetes clusters.",
    subcommands = {RunCommand.class, RecordCommand.class, DemoCommand.class, ReplayCommand.class, GenerateCommand.class, AuditCommand.class, BenchConsulCommand.class, BenchDnsCommand.class})
public final class TributaryCli implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Runs the command line; exit 0 on success, 2 for bad input or config, 1 for a failure. */
  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Like {@link #main} without exiting, for tests. */
  public static int execute(String... args) {
    return new CommandLine(new TributaryCli())
        .setExecutionExceptionHandler(TributaryCli::handle)
        .execute(args);
  }

  private static int handle(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    var err = cmd.getErr();
    if (e instanceof SettingsException || e instanceof EventLogException || e instanceof IllegalArgumentException) {
      err.println("error: " + e.getMessage());
      return 2;
    }
    if (e instanceof com.typesafe.config.ConfigException) {
      err.println("error: invalid configuration: " + e.getMessage());
      return 2;
    }
    err.println("error: " + e);
    e.printStackTrace(err);
    return 1;
  }
}
