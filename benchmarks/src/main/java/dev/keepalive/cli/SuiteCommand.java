package dev.keepalive.cli;

import dev.keepalive.bench.TrialFiles;
import dev.keepalive.report.Environment;
import dev.keepalive.report.Report;
import dev.keepalive.report.SummaryTable;
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
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.VerboseMode;
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
 * {@code jmh.log} in the output folder. Exit 0 when every benchmark ran and no request failed.
 */
@Command(
    name = "suite",
    description = {
      "The strategy comparison: progress with an ETA, then one table per workload on stdout and"
          + " the files in the output folder. What benchmarks.jar runs with no arguments.",
      "JMH options pass through and win over the suite's settings (below).",
      ""
    },
    defaultValueProvider = OutputFolder.Default.class,
    modelTransformer = SuiteCommand.SettingsHelp.class)
final class SuiteCommand implements Callable<Integer>, OutputFolder.RunCommand {

  @Spec private CommandSpec spec;

  @Option(names = "--quick", description = "the smoke run for CI: fewer rows, shorter iterations")
  private boolean quick;

  @Mixin private OutputFolder folder;

  @Unmatched private List<String> jmhArgs = new ArrayList<>();

  @Mixin private StandardOptions standard;

  @Override
  public Path defaultFolder() {
    return SuiteSettings.RESULTS;
  }

  @Override
  public Integer call() throws IOException, RunnerException, CommandFailedException {
    CommandLineOptions user = Jmh.parse(jmhArgs, spec.commandLine());
    Path dir = folder.folder();
    List<Options> runs = (quick ? SuiteSettings.QUICK : SuiteSettings.FULL).runs(user, dir);
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
    Environment.capture().write(dir.resolve("env.json"));
    Collection<RunResult> results = new ArrayList<>();
    long start = System.nanoTime();
    try (OutputStream logFile = Files.newOutputStream(dir.resolve("jmh.log"));
        PrintStream log = new PrintStream(logFile, true, StandardCharsets.UTF_8)) {
      Progress progress =
          new Progress(
              OutputFormatFactory.createFormatInstance(log, VerboseMode.NORMAL), out, total, start);
      for (Options run : runs) {
        results.addAll(new Runner(run, progress).run());
      }
    }
    long elapsed = System.nanoTime() - start;
    ResultFormatFactory.getInstance(ResultFormatType.JSON, dir.resolve("jmh.json").toString())
        .writeOut(results);
    Report.Written written = Report.write(dir);
    List<SummaryTable.Row> rows =
        SummaryTable.read(dir.resolve("jmh.json"), TrialFiles.hdrDir(dir));
    out.println();
    out.printf(
        Locale.ROOT,
        "%d of %d benchmarks in %d s%n%n",
        rows.size(),
        total,
        TimeUnit.NANOSECONDS.toSeconds(elapsed));
    out.print(written.markdown());
    out.println("(also in " + written.summary() + ", with " + written.charts().size() + " charts)");
    if (rows.size() < total) {
      throw new CommandFailedException(
          (total - rows.size())
              + " of "
              + total
              + " benchmarks produced no result; see "
              + dir.resolve("jmh.log"));
    }
    long errors = rows.stream().mapToLong(SummaryTable.Row::errors).sum();
    if (errors > 0) {
      throw new CommandFailedException(
          errors + " requests failed; see the errors column and " + dir.resolve("jmh.log"));
    }
    return 0;
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
        List<Options> runs = settings.runs(noOptions(), SuiteSettings.RESULTS);
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
