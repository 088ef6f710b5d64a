package dev.keepalive.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keepalive.bench.CpuPinning;
import dev.keepalive.bench.TrialFiles;
import dev.keepalive.report.Precision;
import dev.keepalive.report.Report;
import dev.keepalive.report.RunFolder;
import dev.keepalive.report.SummaryTable;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
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
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code suite [--quick | --regression | --all] [--out DIR] [JMH options]}: the strategy matrix
 * with short settings ({@link SuiteSettings}), a progress line with an ETA per benchmark, then the
 * summary table on stdout and {@code jmh.json}, {@code env.json}, {@code summary.md}, charts,
 * {@code hdr/} and {@code jmh.log} in a folder of the run's own ({@link JmhRun}). Exit 0 when every
 * benchmark ran and no request failed; 1 otherwise, with the folder marked failed.
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

  @Option(
      names = "--all",
      description = "every row at every concurrency and payload: the published page's matrix")
  private boolean all;

  @Option(
      names = "--regression",
      description =
          "the regression run's rows (scripts/regression.sh): 3 rows of our agent, 3 forks"
              + " each")
  private boolean regression;

  @Option(
      names = "--max-error",
      paramLabel = "PCT",
      description =
          "measure each row until its 95 %% confidence interval's half-width is at most PCT %% of"
              + " its score (0 < PCT <= 100)")
  private Double maxError;

  @Option(
      names = "--budget",
      paramLabel = "TIME",
      converter = Durations.class,
      description =
          "time the whole suite may take, e.g. 6m or 1h30m (10s..24h); rows keep the precision"
              + " they reached by then")
  private Duration budget;

  @Option(
      names = "--min-forks",
      paramLabel = "N",
      description =
          "forks each row gets before its precision counts (1..100); with 3 or more the interval is"
              + " over forks, not iterations")
  private Integer minForks;

  @Option(
      names = "--max-forks",
      paramLabel = "N",
      description = "forks a row gets at most (1..100, >= --min-forks)")
  private Integer maxForks;

  @Option(
      names = "--no-pin",
      description =
          "leave the client and the server to the scheduler; by default (2 or more CPUs, taskset"
              + " on PATH) the benchmark runs on the lower half of the CPUs and the harness server"
              + " and relay on the upper half")
  private boolean noPin;

  @Mixin private OutputFolder folder;

  @Unmatched private List<String> jmhArgs = new ArrayList<>();

  @Mixin private StandardOptions standard;

  @Override
  public Integer call() throws Exception {
    CommandLine cli = spec.commandLine();
    CommandLineOptions user = Jmh.parse(jmhArgs, cli);
    folder.check(cli);
    SuiteSettings settings = settings(cli, user);
    JmhParams.check(jmhArgs, settings.runs(user, OutputFolder.RESULTS), cli);
    return JmhRun.inNewFolder(folder, "", cli.getErr(), run -> run(settings, user, run));
  }

  /** The matrix asked for, with the precision flags; bad values are usage errors (exit 2). */
  private SuiteSettings settings(CommandLine cli, CommandLineOptions user) {
    if ((quick ? 1 : 0) + (all ? 1 : 0) + (regression ? 1 : 0) > 1) {
      throw new ParameterException(cli, "--quick, --all and --regression exclude each other");
    }
    if (user.getForkCount().hasValue()) {
      throw new ParameterException(
          cli,
          "-f "
              + user.getForkCount().get()
              + ": the suite runs one fork per row and round; ask for forks with --min-forks N"
              + " and --max-forks N (1..100), or for a precision with --max-error PCT");
    }
    if (maxError != null && !(maxError > 0 && maxError <= 100)) {
      throw new ParameterException(cli, "--max-error must be > 0 and <= 100, was " + maxError);
    }
    if (budget != null
        && (budget.compareTo(Duration.ofSeconds(10)) < 0
            || budget.compareTo(Duration.ofHours(24)) > 0)) {
      throw new ParameterException(
          cli, "--budget must be between 10s and 24h, was " + Durations.format(budget));
    }
    for (Object[] f : new Object[][] {{"--min-forks", minForks}, {"--max-forks", maxForks}}) {
      Integer v = (Integer) f[1];
      if (v != null && (v < 1 || v > 100)) {
        throw new ParameterException(cli, f[0] + " must be between 1 and 100, was " + v);
      }
    }
    SuiteSettings base =
        quick
            ? SuiteSettings.QUICK
            : all
                ? SuiteSettings.ALL
                : regression ? SuiteSettings.REGRESSION : SuiteSettings.DEFAULT;
    SuiteSettings s = base.with(minForks, maxForks, maxError, budget);
    if (s.maxForks() < s.minForks()) {
      throw new ParameterException(
          cli, "--max-forks must be >= --min-forks (" + s.minForks() + "), was " + s.maxForks());
    }
    return s;
  }

  private String name() {
    return quick
        ? "suite --quick"
        : all ? "suite --all" : regression ? "suite --regression" : "suite";
  }

  /** The suite into its folder; null when every benchmark ran and no request failed. */
  private String run(SuiteSettings settings, CommandLineOptions user, RunFolder run)
      throws IOException, RunnerException {
    Path dir = run.dir();
    List<Rounds.Row> rows = new ArrayList<>();
    boolean taskset = CpuPinning.tasksetAvailable();
    CpuPinning.Split pin = taskset && !noPin ? CpuPinning.halves() : null;
    // every CPU this JVM may use, read before this thread is pinned: each is probed before a fork
    List<Integer> probeCpus =
        taskset ? CpuPinning.allowedCpus(ProcessHandle.current().pid()) : List.of();
    for (Options o : settings.runs(user, dir, pin)) {
      rows.addAll(Rounds.expand(o));
    }
    int total = rows.size();
    PrintWriter out = spec.commandLine().getOut();
    String pinning = pinning(pin, taskset);
    out.println(
        "keepalive-bench "
            + name()
            + ": "
            + total
            + " rows; "
            + settings.describe(rows.get(0).options)
            + "; "
            + pinning);
    out.println("log: " + dir.resolve("jmh.log") + "; results: " + dir);
    Files.createDirectories(TrialFiles.hdrDir(dir));
    long seed = System.currentTimeMillis();
    Rounds.Outcome outcome;
    // this thread starts the JMH forks, which inherit its mask; the rest of this JVM keeps its own
    try (CpuPinning.AutoCloseableIo pinned =
        pin == null ? () -> {} : CpuPinning.pinCurrentThread(pin.client())) {
      outcome = Rounds.run(rows, settings, pinning, probeCpus, dir, out, seed);
    }
    userResultFile(user, outcome);
    List<SummaryTable.Row> table =
        SummaryTable.read(dir.resolve("jmh.json"), TrialFiles.hdrDir(dir));
    String failure = JmhRun.missing(table.size(), total, dir);
    long errors = table.stream().mapToLong(SummaryTable.Row::errors).sum();
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
        "%d of %d rows in %d s, %d round(s); %s%n%n",
        table.size(),
        total,
        TimeUnit.NANOSECONDS.toSeconds(outcome.nanos()),
        outcome.rounds(),
        reached(outcome, settings)
            + Report.cpuSpeed(
                new ObjectMapper()
                    .readTree(dir.resolve(Rounds.PRECISION_JSON).toFile())
                    .path("cpuProbe")));
    out.print(Report.terminal(dir));
    out.println("(tables and charts also in " + written.summary() + ")");
    return failure;
  }

  /** {@code client on CPU 0, server on CPU 1}, or why nothing is pinned. */
  private String pinning(CpuPinning.Split pin, boolean taskset) {
    if (pin != null) {
      return pin.toString();
    }
    if (noPin) {
      return "not pinned (--no-pin)";
    }
    return taskset ? "not pinned (fewer than 2 CPUs)" : "not pinned (taskset not found)";
  }

  /** {@code 28 of 31 rows within ±5 %; 3 stopped by the budget}. */
  private static String reached(Rounds.Outcome o, SuiteSettings s) {
    long within = o.rows().stream().filter(r -> r.stop == Rounds.Stop.PRECISION).count();
    StringBuilder sb =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "%d of %d rows within ±%s %% (95 %% CI)",
                within,
                o.rows().size(),
                Precision.percent(s.maxErrorPercent())));
    for (Rounds.Stop stop : List.of(Rounds.Stop.MAX_FORKS, Rounds.Stop.BUDGET)) {
      long n = o.rows().stream().filter(r -> r.stop == stop).count();
      if (n > 0) {
        sb.append("; ")
            .append(n)
            .append(stop == Rounds.Stop.BUDGET ? " stopped by the budget" : " at --max-forks");
      }
    }
    return sb.toString();
  }

  /** A {@code -rf}/{@code -rff} of the user's: every row, every fork, in that format. */
  private static void userResultFile(CommandLineOptions user, Rounds.Outcome o) {
    if (user.getResultFormat().hasValue() || user.getResult().hasValue()) {
      ResultFormatType type = user.getResultFormat().orElse(ResultFormatType.CSV);
      String file =
          user.getResult().orElse("jmh-result." + type.toString().toLowerCase(Locale.ROOT));
      ResultFormatFactory.getInstance(type, file).writeOut(o.results());
    }
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
      Map<String, SuiteSettings> all = new LinkedHashMap<>();
      all.put("", SuiteSettings.DEFAULT);
      all.put(" --quick", SuiteSettings.QUICK);
      all.put(" --regression", SuiteSettings.REGRESSION);
      all.put(" --all", SuiteSettings.ALL);
      for (Map.Entry<String, SuiteSettings> e : all.entrySet()) {
        String name = e.getKey();
        SuiteSettings settings = e.getValue();
        List<Options> runs = settings.runs(noOptions(), OutputFolder.RESULTS);
        int total = runs.stream().mapToInt(o -> Jmh.select(o).runs()).sum();
        lines.add(
            String.format(
                Locale.ROOT,
                "  suite%s: %d rows; %s",
                name,
                total,
                settings.describe(runs.get(0))));
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
