package dev.keepalive.cli;

import dev.keepalive.bench.ChildProcesses;
import dev.keepalive.net.RelayStartException;
import dev.keepalive.server.ServerStartException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * Entry point of {@code benchmarks.jar} ({@link BenchmarksJar}): parse, run, and turn every failure
 * into one line on stderr and an exit code, here and nowhere else. 0 success (and {@code --help},
 * {@code --version}); 1 the work failed (a command's result, or an exception: one line, and the
 * stack trace only for a bug); 2 bad usage.
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    // JMH's forks, and the servers they start, end with this JVM, even on SIGTERM
    ChildProcesses.dieWithThisJvm();
    System.exit(run(args, System.out, System.err));
  }

  /** Runs one command line and returns its exit code; no arguments run the default suite. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    PrintWriter o = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
    PrintWriter e = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
    CommandLine cli = BenchmarksJar.commandLine().setOut(o).setErr(e);
    cli.setParameterExceptionHandler(
        (ex, unused) -> {
          e.println(ex.getCommandLine().getCommandName() + ": " + BadUsage.oneLine(ex));
          return 2;
        });
    cli.setExecutionExceptionHandler(
        (ex, command, parsed) -> {
          String message = ex.getMessage() == null ? ex.toString() : ex.getMessage();
          e.println(command.getCommandName() + ": " + message.lines().findFirst().orElse(""));
          if (isBug(ex)) {
            ex.printStackTrace(e); // the trace is for the bug report
          }
          return 1;
        });
    try {
      return cli.execute(args.length == 0 ? new String[] {"suite"} : args);
    } finally {
      o.flush();
      e.flush();
    }
  }

  /** Unchecked, and not one of the failures a command expects (a port in use, an I/O error). */
  private static boolean isBug(Exception ex) {
    return ex instanceof RuntimeException
        && !(ex instanceof ServerStartException
            || ex instanceof RelayStartException
            || ex instanceof UncheckedIOException);
  }
}
