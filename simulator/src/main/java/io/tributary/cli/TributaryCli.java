package io.tributary.cli;

import com.typesafe.config.ConfigException;
import io.tributary.eventlog.EventLogException;
import io.tributary.settings.SettingsException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.UnmatchedArgumentException;

/** The {@code tributary} command line. */
@Command(
    name = "tributary",
    // inherited, so every subcommand has --help and --version: a help request then skips the
    // required-option check and prints only the usage
    scope = ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    version = "tributary 0.1.0",
    description = "Keeps Consul, Traefik and DNS in step with routing objects in many Kubernetes clusters.",
    subcommands = {RunCommand.class, EdgeCommand.class, RecordCommand.class, DemoCommand.class, ReplayCommand.class, GenerateCommand.class, AuditCommand.class, BenchCommand.class, BenchConsulCommand.class, BenchDnsCommand.class})
public final class TributaryCli implements Runnable {
  private static final String VERBOSE = "--verbose";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = VERBOSE, scope = ScopeType.INHERIT, description = "On an error, also print its stack trace.")
  boolean verbose;

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
    String logFormat = LogFormat.problem();
    if (logFormat != null) {
      System.err.println("error: " + logFormat); // before any command logs a line in a format nobody asked for
      return 2;
    }
    // every error a user can cause is reported here, in one place, as one line
    return new CommandLine(new TributaryCli())
        .setExecutionExceptionHandler(TributaryCli::handleFailure)
        .setParameterExceptionHandler((e, given) -> handleBadArguments(e, given))
        .execute(args);
  }

  /** A command failed: a user's mistake is one line and exit 2; anything else is a bug, with its trace. */
  private static int handleFailure(Exception e, CommandLine cmd, ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    String mistake = userMistake(e);
    if (mistake != null) {
      err.println("error: " + mistake);
      if (verbose(parsed)) {
        e.printStackTrace(err);
      }
      err.flush();
      return 2;
    }
    String memory = outOfMemory(e);
    if (memory != null) {
      err.println("error: " + memory); // not a bug to trace: the heap is too small for the work
      if (verbose(parsed)) {
        e.printStackTrace(err);
      }
      err.flush();
      return 1;
    }
    err.println("error: " + e);
    e.printStackTrace(err);
    err.flush();
    return 1;
  }

  /** The one line for a failure caused by running out of heap (anywhere in its causes), or null. */
  static String outOfMemory(Throwable failure) {
    for (Throwable e = failure; e != null; e = e.getCause()) {
      if (e instanceof OutOfMemoryError) {
        long mib = Runtime.getRuntime().maxMemory() >> 20;
        return "out of memory (heap limit " + mib + " MiB): a replay holds about 6 to 12 KiB per tracked object;"
            + " give the JVM more, e.g. JAVA_OPTS=-Xmx" + Math.max(1, 2 * mib / 1024) + "g ./tributary …";
      }
    }
    return null;
  }

  /** Unknown options, bad values, missing arguments: the problem, picocli's suggestions, and where help is. */
  private static int handleBadArguments(ParameterException e, String[] given) {
    CommandLine cmd = e.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println("error: " + e.getMessage());
    UnmatchedArgumentException.printSuggestions(e, err);
    err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
    // the parse failed, so there is no parse result to ask: look at the words themselves
    int end = List.of(given).indexOf("--");
    if (List.of(given).subList(0, end < 0 ? given.length : end).contains(VERBOSE)) {
      e.printStackTrace(err);
    }
    err.flush();
    return 2;
  }

  /**
   * The one-line report of a failure the user caused and can fix (a missing or unreadable file, a
   * malformed log, an invalid config), or null for a bug. IllegalArgumentException counts as the
   * user's: the settings and client code use it for values taken from the config (kubeconfig,
   * CA file, generator parameters).
   */
  static String userMistake(Throwable failure) {
    Throwable e = failure;
    while ((e instanceof UncheckedIOException || e instanceof CompletionException || e instanceof ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    if (e instanceof UserError || e instanceof SettingsException || e instanceof EventLogException
        || e instanceof IllegalArgumentException) {
      return e.getMessage();
    }
    if (e instanceof ConfigException) {
      return "invalid configuration: " + e.getMessage();
    }
    if (e instanceof FileSystemException f) {
      return describe(f);
    }
    return null;
  }

  /** {@code path: reason}, with the reason worded as the shell words it (the exception often has none). */
  private static String describe(FileSystemException e) {
    String reason = e.getReason() != null ? e.getReason()
        : e instanceof NoSuchFileException ? "no such file or directory"
        : e instanceof AccessDeniedException ? "permission denied"
        : e instanceof FileAlreadyExistsException ? "already exists"
        : e instanceof NotDirectoryException ? "not a directory"
        : e.getClass().getSimpleName();
    if (e.getFile() == null) {
      return reason;
    }
    return e.getFile() + (e.getOtherFile() != null ? " -> " + e.getOtherFile() : "") + ": " + reason;
  }

  /** Whether {@code --verbose} was given, to the top command or any subcommand. */
  private static boolean verbose(ParseResult parsed) {
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption(VERBOSE)) {
        return true;
      }
    }
    return false;
  }
}
