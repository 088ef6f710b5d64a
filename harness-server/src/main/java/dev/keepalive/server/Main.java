package dev.keepalive.server;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.OverwrittenOptionException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Standalone harness server: {@code java -jar harness-server.jar [flags]} ({@link ServerCommand}).
 * Every failure becomes an exit code here: 2 for bad usage (the problem in one line, then the
 * synopsis); 1 and one line when a port cannot be bound.
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the server until the JVM is asked to stop; returns the exit code on failure. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    PrintWriter o = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
    PrintWriter e = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
    CommandLine cli = new CommandLine(new ServerCommand()).setOut(o).setErr(e);
    cli.setParameterExceptionHandler(
        (ex, unused) -> {
          e.println("server: " + oneLine(ex));
          e.print(ex.getCommandLine().getHelp().fullSynopsis());
          return 2;
        });
    cli.setExecutionExceptionHandler(
        (ex, unused, parsed) -> {
          if (!(ex instanceof ServerStartException)) {
            throw ex;
          }
          e.println("server: " + ex.getMessage());
          return 1;
        });
    try {
      return cli.execute(args);
    } finally {
      o.flush();
      e.flush();
    }
  }

  /**
   * Parses the flags onto {@link ServerOptions#builder()}; null for {@code --help} or {@code
   * --version}.
   *
   * @throws ParameterException for an unknown flag or a value picocli or the builder rejects
   */
  public static ServerOptions parse(String[] args) {
    ServerCommand command = new ServerCommand();
    ParseResult parsed = new CommandLine(command).parseArgs(args);
    return parsed.isUsageHelpRequested() || parsed.isVersionHelpRequested()
        ? null
        : command.options();
  }

  /** The problem in one line that names the flag and the value. */
  static String oneLine(ParameterException ex) {
    ArgSpec arg = ex.getArgSpec();
    String flag = arg instanceof OptionSpec o ? o.longestName() : null;
    if (ex instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
      String what = u.getUnmatched().get(0);
      return (what.startsWith("-") ? "unknown flag '" : "unexpected argument '") + what + "'";
    }
    if (ex instanceof MissingParameterException m
        && m.getMissing().get(0) instanceof OptionSpec o) {
      return o.longestName() + " needs a value";
    }
    if (ex instanceof OverwrittenOptionException w && w.getOverwritten() instanceof OptionSpec o) {
      return o.longestName() + " may be given only once";
    }
    if (flag != null && ex.getValue() != null && isWholeNumber(arg.type())) {
      return flag + " must be a whole number, was '" + ex.getValue() + "'";
    }
    return ex.getMessage();
  }

  private static boolean isWholeNumber(Class<?> type) {
    return type == int.class || type == long.class || type == Integer.class || type == Long.class;
  }
}
