package dev.keepalive.cli;

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
 * What {@code overhead} and {@code faults} share: one benchmark with the settings of its
 * annotations (JMH options win), a progress line per run, its own table on stdout, and {@code
 * env.json}, {@code jmh.json}, {@code jmh.log} and {@code NAME.md} in a folder of the run's own:
 * {@code NAME/} of a new {@code results/runs/<date>-<commit>-<n>/}, or {@code --out DIR} ({@link
 * JmhRun}). The runs are counted and named from the jar's benchmark list, with the user's {@code
 * -p} values, which are checked before anything starts ({@link JmhParams}). Exit 1 when a benchmark
 * produced no result.
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

  @Override
  public Integer call() throws Exception {
    CommandLine cli = spec.commandLine();
    CommandLineOptions user = Jmh.parse(jmhArgs, cli);
    folder.check(cli);
    ChainedOptionsBuilder b = new OptionsBuilder().parent(user);
    if (user.getIncludes().isEmpty()) {
      b.include(benchmark());
    }
    Options options = b.build();
    JmhParams.check(jmhArgs, List.of(options), cli);
    return JmhRun.inNewFolder(folder, spec.name(), cli.getErr(), run -> run(options, run));
  }

  /** The benchmark into its folder; null when every run produced a result. */
  private String run(Options options, RunFolder run) throws IOException, RunnerException {
    String name = spec.name();
    Jmh.Selection selection = Jmh.select(options);
    Path dir = run.dir();
    PrintWriter out = spec.commandLine().getOut();
    out.println(
        "keepalive-bench "
            + name
            + ": "
            + purpose()
            + "; "
            + selection.runs()
            + " benchmarks: "
            + describe(selection.parameters())
            + "; JMH output in "
            + dir.resolve("jmh.log"));
    Collection<RunResult> results = JmhRun.run(List.of(options), selection.runs(), dir, out);
    String table = table(dir.resolve("jmh.json"));
    Files.writeString(dir.resolve(name + ".md"), table);
    out.println();
    out.print(table);
    return JmhRun.missing(results.size(), selection.runs(), dir);
  }

  /** {@code client=raw-socket,keep-alive × inFlight=1,64}: the parameter space that runs. */
  private static String describe(Map<String, Set<String>> parameters) {
    return parameters.entrySet().stream()
        .map(e -> e.getKey() + "=" + String.join(",", e.getValue()))
        .collect(Collectors.joining(" × "));
  }
}
