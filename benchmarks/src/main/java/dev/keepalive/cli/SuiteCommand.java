package dev.keepalive.cli;

import dev.keepalive.bench.TrialFiles;
import dev.keepalive.report.Report;
import dev.keepalive.report.RunFolder;
import dev.keepalive.report.SummaryTable;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code suite [--quick] [--out DIR] [JMH options]}: the strategy matrix with short settings
 * ({@link SuiteSettings}), a progress line with an ETA per benchmark, then the summary table on
 * stdout and {@code jmh.json}, {@code env.json}, {@code summary.md}, charts, {@code hdr/} and
 * {@code jmh.log} in a folder of the run's own ({@link JmhRun}). Exit 0 when every benchmark ran
 * and no request failed; 1 otherwise, with the folder marked failed.
 */
@Command(
    name = "suite",
    description = {
      "The strategy comparison: progress with an ETA, then one table per workload on stdout and"
          + " the files in the output folder. What benchmarks.jar runs with no arguments.",
      "JMH options pass through and win over the suite's settings (below).",
      ""
    },
    modelTransformer = SuiteCommand.SettingsHelp.class)
final class SuiteCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Option(names = "--quick", description = "the smoke run for CI: fewer rows, shorter iterations")
  private boolean quick;

  @Mixin private OutputFolder folder;

  @Unmatched private List<String> jmhArgs = new ArrayList<>();

  @Mixin private StandardOptions standard;

  @Override
  public Integer call() throws Exception {
    CommandLine cli = spec.commandLine();
    CommandLineOptions user = Jmh.parse(jmhArgs, cli);
    folder.check(cli);
    SuiteSettings settings = quick ? SuiteSettings.QUICK : SuiteSettings.FULL;
    JmhParams.check(jmhArgs, settings.runs(user, OutputFolder.RESULTS), cli);
    return JmhRun.inNewFolder(folder, "", cli.getErr(), run -> run(settings, user, run));
  }

  /** The suite into its folder; null when every benchmark ran and no request failed. */
  private String run(SuiteSettings settings, CommandLineOptions user, RunFolder run)
      throws IOException, RunnerException {
    Path dir = run.dir();
    List<Options> runs = settings.runs(user, dir);
    int total = runs.stream().mapToInt(o -> Jmh.select(o).runs()).sum();
    PrintWriter out = spec.commandLine().getOut();
    out.println(
        "keepalive-bench suite"
            + (quick ? " --quick" : "")
            + ": "
            + total
            + " benchmarks; "
            + SuiteSettings.describe(runs.get(0)));
    out.println("log: " + dir.resolve("jmh.log") + "; results: " + dir);
    Files.createDirectories(TrialFiles.hdrDir(dir));
    long start = System.nanoTime();
    JmhRun.run(runs, total, dir, out);
    long elapsed = System.nanoTime() - start;
    List<SummaryTable.Row> rows =
        SummaryTable.read(dir.resolve("jmh.json"), TrialFiles.hdrDir(dir));
    String failure = JmhRun.missing(rows.size(), total, dir);
    long errors = rows.stream().mapToLong(SummaryTable.Row::errors).sum();
    if (failure == null && errors > 0) {
      failure = errors + " requests failed; see the errors column and " + dir.resolve("jmh.log");
    }
    if (failure == null) {
      run.succeeded();
    } else {
      run.failed(failure); // before the report, which says so
    }
    Report.Written written = Report.write(dir);
    out.println();
    out.printf(
        Locale.ROOT,
        "%d of %d benchmarks in %d s%n%n",
        rows.size(),
        total,
        TimeUnit.NANOSECONDS.toSeconds(elapsed));
    out.print(written.markdown());
    out.println("(also in " + written.summary() + ", with " + written.charts().size() + " charts)");
    return failure;
  }

  /**
   * The help's footer: the settings and matrices of both suites, printed from their values when the
   * help is shown.
   */
  static final class SettingsHelp implements IModelTransformer {
    @Override
    public CommandSpec transform(CommandSpec spec) {
      spec.usageMessage().sectionMap().put(UsageMessageSpec.SECTION_KEY_FOOTER, help -> footer());
      return spec;
    }

    private static String footer() {
      List<String> lines = new ArrayList<>();
      lines.add("");
      lines.add("Settings, where the command line sets none:");
      for (boolean quick : new boolean[] {false, true}) {
        SuiteSettings settings = quick ? SuiteSettings.QUICK : SuiteSettings.FULL;
        List<Options> runs = settings.runs(noOptions(), OutputFolder.RESULTS);
        int total = runs.stream().mapToInt(o -> Jmh.select(o).runs()).sum();
        lines.add(
            String.format(
                Locale.ROOT,
                "  suite%s: %d benchmarks; %s",
                quick ? " --quick" : "",
                total,
                SuiteSettings.describe(runs.get(0))));
        for (SuiteSettings.Matrix m : settings.matrices()) {
          lines.add("    " + SuiteSettings.describe(m));
        }
      }
      lines.add(
          "A -p strategy= or -p concurrency= of yours replaces the matrices by the first one, with"
              + " your values.");
      return String.join(System.lineSeparator(), lines) + System.lineSeparator();
    }

    private static CommandLineOptions noOptions() {
      try {
        return new CommandLineOptions();
      } catch (CommandLineOptionException e) {
        throw new IllegalStateException("JMH rejects an empty command line", e);
      }
    }
  }
}
