package dev.keepalive.cli;

import dev.keepalive.bench.FaultBenchmark;
import dev.keepalive.bench.OverheadBenchmark;
import dev.keepalive.report.Environment;
import dev.keepalive.report.FaultTable;
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
 * One focused benchmark with its own table: {@code overhead} ({@link OverheadBenchmark}: every
 * client against the raw-socket floor) and {@code faults} ({@link FaultBenchmark}: the stale
 * keep-alive race). {@code NAME [--out DIR] [JMH options]}; files under {@code
 * results/latest/NAME/}. Exit 0, 1 when the run failed, 2 on bad usage.
 */
final class FocusedRun {

  /** What a focused run needs: its benchmark, its announcement, its table. */
  private record Kind(String name, String include, int benchmarks, String announce, Table table) {}

  private interface Table {
    String render(Path jmhJson) throws IOException;
  }

  static final Kind OVERHEAD =
      new Kind(
          "overhead",
          OverheadBenchmark.class.getName() + ".request",
          10,
          "every client, GET / (13 B), 1 and 64 in flight, harness server in its own JVM",
          json -> OverheadTable.markdown(OverheadTable.read(json)));
  static final Kind FAULTS =
      new Kind(
          "faults",
          FaultBenchmark.class.getName() + ".burst",
          21,
          "the stale keep-alive race: bursts of 8, pauses of 230/250/270 ms, server idle timeout 200 ms (real close ≈ 250 ms)",
          json -> FaultTable.markdown(FaultTable.read(json)));

  private FocusedRun() {}

  static int overhead(String[] args, PrintStream out, PrintStream err) {
    return run(OVERHEAD, args, out, err);
  }

  static int faults(String[] args, PrintStream out, PrintStream err) {
    return run(FAULTS, args, out, err);
  }

  private static int run(Kind kind, String[] args, PrintStream out, PrintStream err) {
    Path dir = Path.of("results", "latest", kind.name());
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
      err.println(kind.name() + ": " + e.getMessage());
      return 2;
    }
    try {
      Files.createDirectories(dir);
      Environment.capture().write(dir.resolve("env.json"));
      Collection<RunResult> results;
      try (OutputStream logFile = Files.newOutputStream(dir.resolve("jmh.log"));
          PrintStream log = new PrintStream(logFile, true, StandardCharsets.UTF_8)) {
        ChainedOptionsBuilder b = new OptionsBuilder().parent(cmd);
        if (cmd.getIncludes().isEmpty()) {
          b.include(kind.include());
        }
        out.println(
            "keepalive-bench "
                + kind.name()
                + ": "
                + kind.announce()
                + "; JMH output in "
                + dir.resolve("jmh.log"));
        results =
            new Runner(
                    b.build(),
                    new Suite.Progress(
                        OutputFormatFactory.createFormatInstance(log, VerboseMode.NORMAL),
                        out,
                        kind.benchmarks(),
                        System.nanoTime()))
                .run();
      }
      ResultFormatFactory.getInstance(ResultFormatType.JSON, dir.resolve("jmh.json").toString())
          .writeOut(results);
      String table = kind.table().render(dir.resolve("jmh.json"));
      Files.writeString(dir.resolve(kind.name() + ".md"), table);
      out.println();
      out.print(table);
      return 0;
    } catch (IOException e) {
      err.println(kind.name() + ": " + e.getMessage());
      return 1;
    } catch (RunnerException e) {
      err.println(kind.name() + ": JMH failed: " + e.getMessage());
      return 1;
    }
  }
}
