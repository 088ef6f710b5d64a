package dev.keepalive.cli;

import java.util.Arrays;

/**
 * Entry point of {@code benchmarks.jar}: the commands of docs/design.md, else plain JMH with every
 * option passed through. Exit codes: 0 success, 1 the work failed, 2 bad usage.
 */
public final class Main {
  static final String USAGE =
      String.join(
          "\n",
          "usage: java -jar benchmarks.jar [command] [options]",
          "  (no command), suite [--quick] [--out DIR] [JMH options]",
          "                          the strategy comparison: table on stdout, files in results/latest/",
          "  overhead [JMH options]  every client against the raw-socket floor, 1 and 64 in flight",
          "  faults [JMH options]    the stale keep-alive race: errors, retries, connections per remedy",
          "  probe [options] URL...  which connection served each request, and what it cost (probe --help)",
          "  report DIR|JSON         tables and charts of a finished run",
          "  compare BASE NEW [--threshold PCT] [--format md|json]   regression verdicts; exit 1 on a regression",
          "  server [options]        the harness server, standalone (server --help)",
          "  help                    this text",
          "  [JMH options]           anything else goes to JMH unchanged: -l, -h (JMH's help), a regex, -p, -f, -i,"
              + " -rf, -prof",
          "Exit codes: 0 success, 1 the work failed (a request failed, a regression), 2 bad usage.");

  private Main() {}

  public static void main(String[] args) throws Exception {
    String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
    String command = args.length == 0 ? "" : args[0];
    switch (command) {
      case "server" -> System.exit(dev.keepalive.server.Main.run(rest, System.out, System.err));
      case "probe" -> System.exit(Probe.run(rest, System.out, System.err));
      case "", "suite" -> System.exit(Suite.run(rest, System.out, System.err));
      case "overhead" -> System.exit(FocusedRun.overhead(rest, System.out, System.err));
      case "faults" -> System.exit(FocusedRun.faults(rest, System.out, System.err));
      case "report" -> System.exit(ReportCommands.report(rest, System.out, System.err));
      case "compare" -> System.exit(ReportCommands.compare(rest, System.out, System.err));
      case "help", "--help" -> System.out.println(USAGE);
      default -> org.openjdk.jmh.Main.main(args);
    }
  }
}
