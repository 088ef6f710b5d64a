package dev.keepalive.cli;

import java.util.Arrays;

/** Entry point of benchmarks.jar: subcommands, else plain JMH. */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("server")) {
      System.exit(dev.keepalive.server.Main.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
    }
    org.openjdk.jmh.Main.main(args);
  }
}
