package dev.keepalive.net;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * The relay in a JVM of its own: {@code java -cp benchmarks.jar dev.keepalive.net.RelayMain
 * [flags]} ({@link RelayCommand}; the benchmarks start it this way, users run {@code benchmarks.jar
 * relay}). Every failure becomes an exit code here: 2 for bad usage (the problem in one line naming
 * the flag, then the synopsis), 1 and one line when a port cannot be bound.
 */
public final class RelayMain {

  private RelayMain() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the relay until the JVM is asked to stop; returns the exit code on failure. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    PrintWriter o = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
    PrintWriter e = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
    CommandLine cli = new CommandLine(new RelayCommand()).setOut(o).setErr(e);
    cli.setParameterExceptionHandler(
        (ex, unused) -> {
          e.println("relay: " + ex.getMessage());
          e.print(ex.getCommandLine().getHelp().fullSynopsis());
          return 2;
        });
    cli.setExecutionExceptionHandler(
        (ex, unused, parsed) -> {
          if (!(ex instanceof RelayStartException)) {
            throw ex;
          }
          e.println("relay: " + ex.getMessage());
          return 1;
        });
    try {
      return cli.execute(args);
    } finally {
      o.flush();
      e.flush();
    }
  }
}
