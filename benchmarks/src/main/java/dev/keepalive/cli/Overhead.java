package dev.keepalive.cli;

import dev.keepalive.bench.OverheadBenchmark;
import dev.keepalive.report.OverheadTable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * {@code overhead [--out DIR] [JMH options]}: {@link OverheadBenchmark} for every client in one run,
 * then each client's throughput and its ratio to {@code raw-socket}; files under {@code
 * results/latest/overhead/}. Exit 0, 1 when a trial failed, 2 on bad usage.
 */
final class Overhead {
  private Overhead() {}

  static int run(String[] args, PrintStream out, PrintStream err) {
    Path dir = Path.of("results", "latest", "overhead");
    List<String> jmhArgs = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--out") && i + 1 < args.length) {
        dir = Path.of(args[++i]);
      } else {
        jmhArgs.add(args[i]);
      }
    }
    CommandLineOptions cmd;
    try {
      cmd = new CommandLineOptions(jmhArgs.toArray(new String[0]));
    } catch (CommandLineOptionException e) {
      err.println("overhead: " + e.getMessage());
      return 2;
    }
    try {
      Files.createDirectories(dir);
      Collection<RunResult> results;
      try (OutputStream logFile = Files.newOutputStream(dir.resolve("jmh.log"));
          PrintStream log = new PrintStream(logFile, true, StandardCharsets.UTF_8)) {
        ChainedOptionsBuilder b = new OptionsBuilder().parent(cmd);
        if (cmd.getIncludes().isEmpty()) {
          b.include(OverheadBenchmark.class.getName() + ".request");
        }
        int total = 10;
        out.println("keepalive-bench overhead: every client, GET / (13 B), 1 and 64 in flight, harness server in its"
            + " own JVM; JMH output in " + dir.resolve("jmh.log"));
        results = new Runner(b.build(), new Suite.Progress(OutputFormatFactory.createFormatInstance(log,
            VerboseMode.NORMAL), out, total, System.nanoTime())).run();
      }
      ResultFormatFactory.getInstance(ResultFormatType.JSON, dir.resolve("jmh.json").toString()).writeOut(results);
      String table = OverheadTable.markdown(OverheadTable.read(dir.resolve("jmh.json")));
      Files.writeString(dir.resolve("overhead.md"), table);
      out.println();
      out.print(table);
      return 0;
    } catch (IOException e) {
      err.println("overhead: " + e.getMessage());
      return 1;
    } catch (RunnerException e) {
      err.println("overhead: JMH failed: " + e.getMessage());
      return 1;
    }
  }
}
