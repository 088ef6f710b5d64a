package dev.keepalive.cli;

import dev.keepalive.bench.StrategyBenchmark;
import dev.keepalive.report.RunFolder;
import java.io.IOException;
import java.io.PrintWriter;
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
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * What {@code overhead}, {@code faults} and {@code distance} share: one benchmark with the settings
 * of its annotations (JMH options win), in one or more Runner invocations ({@link #runs}), a
 * progress line per run, its own table on stdout, and {@code env.json}, {@code jmh.json}, {@code
 * jmh.log} and {@code NAME.md} in a folder of the run's own: {@code NAME/} of a new {@code
 * results/runs/<date>-<commit>-<n>/}, or {@code --out DIR} ({@link JmhRun}). The runs are counted
 * and named from the jar's benchmark list, with the user's {@code -p} values, which are checked
 * before anything starts ({@link JmhParams}). Exit 1 when a benchmark produced no result.
 */
abstract class FocusedRun implements Callable<Integer> {

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
   */
  List<Options> runs(Options base, CommandLineOptions user) {
    return List.of(base);
  }

  /**
   * True for a benchmark that writes its trials' histograms ({@code StrategyBenchmark}): they go
   * into the run's folder ({@link StrategyBenchmark#RESULTS_PROPERTY}).
   */
  boolean writesHistograms() {
    return false;
  }

  @Override
  public Integer call() throws Exception {
    CommandLine cli = spec.commandLine();
    CommandLineOptions user = Jmh.parse(jmhArgs, cli);
    folder.check(cli);
    ChainedOptionsBuilder b = new OptionsBuilder().parent(user);
    if (user.getIncludes().isEmpty()) {
      b.include(benchmark());
    }
    List<Options> runs = runs(b.build(), user);
    JmhParams.check(jmhArgs, runs, cli);
    return JmhRun.inNewFolder(folder, spec.name(), cli.getErr(), run -> run(runs, run));
  }

  /** The benchmark into its folder; null when every run produced a result. */
  private String run(List<Options> scenarios, RunFolder run) throws IOException, RunnerException {
    String name = spec.name();
    Path dir = run.dir();
    List<Options> runs = new ArrayList<>();
    int total = 0;
    Map<String, Set<String>> parameters = new TreeMap<>();
    for (Options o : scenarios) {
      if (writesHistograms()) {
        o =
            new OptionsBuilder()
                .parent(o)
                .jvmArgsAppend(
                    "-D" + StrategyBenchmark.RESULTS_PROPERTY + "=" + dir.toAbsolutePath())
                .build();
      }
      runs.add(o);
      Jmh.Selection selection = Jmh.select(o);
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
    Collection<RunResult> results = JmhRun.run(runs, total, dir, out);
    String table = table(dir.resolve("jmh.json"));
    Files.writeString(dir.resolve(name + ".md"), table);
    out.println();
    out.print(table);
    return JmhRun.missing(results.size(), total, dir);
  }

  /** {@code client=raw-socket,keep-alive × inFlight=1,64}: the parameter space that runs. */
  private static String describe(Map<String, Set<String>> parameters) {
    return parameters.entrySet().stream()
        .map(e -> e.getKey() + "=" + String.join(",", e.getValue()))
        .collect(Collectors.joining(" × "));
  }
}
