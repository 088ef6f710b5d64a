package dev.keepalive.cli;

import java.util.Arrays;

/**
 * Entry point of {@code benchmarks.jar}: the subcommands of DESIGN.md, else plain JMH with every
 * option passed through. Exit codes: 0 success, 1 the work failed, 2 bad usage.
 */
public final class Main {
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
      default -> org.openjdk.jmh.Main.main(args);
    }
  }
}
