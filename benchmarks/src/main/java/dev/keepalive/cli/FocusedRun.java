package dev.keepalive.cli;

import dev.keepalive.report.Environment;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * What {@code overhead}, {@code faults} and {@code distance} share: one benchmark with the settings
 * of its annotations (JMH options win), in one or more Runner invocations ({@link #runs}), a
 * progress line per run, its own table on stdout, and {@code env.json}, {@code jmh.json}, {@code
 * jmh.log} and {@code NAME.md} in {@code results/latest/NAME/} (or {@code --out DIR}). The runs are
 * counted and named from the jar's benchmark list, with the user's {@code -p} values.
 */
abstract class FocusedRun implements Callable<Integer>, OutputFolder.RunCommand {

  @Spec private CommandSpec spec;

  @Mixin private OutputFolder folder;

  @Unmatched private List<String> jmhArgs = new ArrayList<>();

  @Mixin private StandardOptions standard;

  /** The benchmark method, as a JMH include pattern. */
  abstract String benchmark();

  /** What the run shows, in a few words, for the line that announces it. */
  abstract String purpose();

  /** The run's table, from its {@code jmh.json}. */
  abstract String table(Path jmhJson) throws IOException;

  /**
   * The Runner invocations: by default one, the benchmark with the user's options. A command whose
   * scenarios need different settings returns one per scenario; the user's options still win.
   *
   * @param base the user's options with the benchmark included
   * @param user the user's options as given
   * @param dir the output folder
   */
  List<Options> runs(Options base, CommandLineOptions user, Path dir) {
    return List.of(base);
  }

  @Override
  public Path defaultFolder() {
    return SuiteSettings.RESULTS.resolve(spec.name());
  }

  @Override
  public Integer call() throws IOException, RunnerException {
    String name = spec.name();
    CommandLineOptions user = Jmh.parse(jmhArgs, spec.commandLine());
    ChainedOptionsBuilder b = new OptionsBuilder().parent(user);
    if (user.getIncludes().isEmpty()) {
      b.include(benchmark());
    }
    Path dir = folder.folder();
    List<Options> runs = runs(b.build(), user, dir);
    int total = 0;
    Map<String, Set<String>> parameters = new TreeMap<>();
    for (Options run : runs) {
      Jmh.Selection selection = Jmh.select(run);
      total += selection.runs();
      selection
          .parameters()
          .forEach((k, v) -> parameters.computeIfAbsent(k, x -> new TreeSet<>()).addAll(v));
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(
        "keepalive-bench "
            + name
            + ": "
            + purpose()
            + "; "
            + total
            + " benchmarks: "
            + describe(parameters)
            + "; JMH output in "
            + dir.resolve("jmh.log"));
    Files.createDirectories(dir);
    Environment.capture().write(dir.resolve("env.json"));
    Collection<RunResult> results = new ArrayList<>();
    try (OutputStream logFile = Files.newOutputStream(dir.resolve("jmh.log"));
        PrintStream log = new PrintStream(logFile, true, StandardCharsets.UTF_8)) {
      Progress progress =
          new Progress(
              OutputFormatFactory.createFormatInstance(log, VerboseMode.NORMAL),
              out,
              total,
              System.nanoTime());
      for (Options run : runs) {
        results.addAll(new Runner(run, progress).run());
      }
    }
    ResultFormatFactory.getInstance(ResultFormatType.JSON, dir.resolve("jmh.json").toString())
        .writeOut(results);
    String table = table(dir.resolve("jmh.json"));
    Files.writeString(dir.resolve(name + ".md"), table);
    out.println();
    out.print(table);
    return 0;
  }

  /** {@code client=raw-socket,keep-alive × inFlight=1,64}: the parameter space that runs. */
  private static String describe(Map<String, Set<String>> parameters) {
    return parameters.entrySet().stream()
        .map(e -> e.getKey() + "=" + String.join(",", e.getValue()))
        .collect(Collectors.joining(" × "));
  }
}
