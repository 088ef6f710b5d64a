package dev.keepalive.cli;

import dev.keepalive.bench.Strategy;
import dev.keepalive.bench.StrategyBenchmark;
import dev.keepalive.report.Environment;
import dev.keepalive.report.Report;
import dev.keepalive.report.SummaryTable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * {@code suite [--quick] [--out DIR] [JMH options]}: the strategy matrix with short settings, a
 * progress line with an ETA per benchmark, then the summary table on stdout and {@code jmh.json},
 * {@code summary.md}, {@code hdr/} and {@code jmh.log} under {@code results/latest/}. JMH options
 * pass through; the suite fills in only what the user did not set. Exit 0 when every trial ran and
 * no request failed, 1 otherwise, 2 on bad usage.
 */
public final class Suite {

  /** One Runner invocation: a cross product of parameters. */
  record Matrix(
      List<String> strategies,
      List<String> concurrency,
      List<String> payload,
      List<String> origins) {}

  static final List<Matrix> FULL =
      List.of(
          new Matrix(
              Strategy.DEFAULT_ROWS,
              List.of("1", "16", "64"),
              List.of("13", "16384"),
              List.of("1")),
          new Matrix(
              List.of("keep-alive", "max-total-4"),
              List.of("64"),
              List.of("13"),
              List.of("2", "4")));
  static final List<Matrix> QUICK =
      List.of(
          new Matrix(
              List.of("no-agent", "keep-alive", "max-sockets-4", "jdk-httpclient", "raw-socket"),
              List.of("1", "16"),
              List.of("13"),
              List.of("1")),
          new Matrix(List.of("max-total-4"), List.of("64"), List.of("13"), List.of("2")));

  private Suite() {}

  public static int run(String[] args, PrintStream out, PrintStream err) {
    boolean quick = false;
    Path dir = Path.of("results", "latest");
    List<String> jmhArgs = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--out" -> {
          if (i + 1 >= args.length) {
            err.println("suite: --out needs a directory");
            return 2;
          }
          dir = Path.of(args[++i]);
        }
        default -> jmhArgs.add(args[i]);
      }
    }
    CommandLineOptions cmd;
    try {
      cmd = new CommandLineOptions(jmhArgs.toArray(new String[0]));
    } catch (CommandLineOptionException e) {
      err.println("suite: " + e.getMessage());
      return 2;
    }
    boolean userParams =
        !cmd.getParameter("strategy").orElse(List.of()).isEmpty()
            || !cmd.getParameter("concurrency").orElse(List.of()).isEmpty();
    List<Matrix> matrices = quick ? QUICK : FULL;
    if (userParams) {
      matrices = List.of(matrices.get(0)); // the user's -p values replace the matrix
    }
    try {
      Files.createDirectories(dir.resolve("hdr"));
      return execute(cmd, matrices, quick, dir, out, err);
    } catch (IOException e) {
      err.println("suite: " + e.getMessage());
      return 1;
    } catch (RunnerException e) {
      err.println("suite: JMH failed: " + e.getMessage());
      return 1;
    }
  }

  private static int execute(
      CommandLineOptions cmd,
      List<Matrix> matrices,
      boolean quick,
      Path dir,
      PrintStream out,
      PrintStream err)
      throws IOException, RunnerException {
    int total = 0;
    for (Matrix m : matrices) {
      total +=
          count(cmd, "strategy", m.strategies())
              * count(cmd, "concurrency", m.concurrency())
              * count(cmd, "payload", m.payload())
              * count(cmd, "origins", m.origins())
              * count(cmd, "server", List.of("process"))
              * count(cmd, "target", List.of(""))
              * count(cmd, "serverDelayMs", List.of("0"))
              * Math.max(1, cmd.getBenchModes().size());
    }
    String settings =
        quick
            ? "1 fork, warmup 1 × 500 ms, measurement 3 × 500 ms, throughput"
            : "1 fork, warmup 1 × 1 s, measurement 3 × 800 ms, throughput";
    out.println(
        "keepalive-bench suite"
            + (quick ? " --quick" : "")
            + ": "
            + total
            + " benchmarks; "
            + settings
            + " (JMH options on the command line override these)");
    out.println("log: " + dir.resolve("jmh.log") + "; results: " + dir);
    Collection<RunResult> results = new ArrayList<>();
    Environment.capture().write(dir.resolve("env.json"));
    long start = System.nanoTime();
    try (OutputStream logFile = Files.newOutputStream(dir.resolve("jmh.log"));
        PrintStream log = new PrintStream(logFile, true, StandardCharsets.UTF_8)) {
      Progress progress =
          new Progress(
              OutputFormatFactory.createFormatInstance(log, VerboseMode.NORMAL), out, total, start);
      for (Matrix m : matrices) {
        ChainedOptionsBuilder b = new OptionsBuilder().parent(cmd);
        if (cmd.getIncludes().isEmpty()) {
          b.include(StrategyBenchmark.class.getName() + ".request");
        }
        fill(b, cmd, "strategy", m.strategies());
        fill(b, cmd, "concurrency", m.concurrency());
        fill(b, cmd, "payload", m.payload());
        fill(b, cmd, "origins", m.origins());
        if (cmd.getBenchModes().isEmpty()) {
          b.mode(Mode.Throughput);
        }
        if (!cmd.getForkCount().hasValue()) {
          b.forks(1);
        }
        if (!cmd.getWarmupIterations().hasValue()) {
          b.warmupIterations(1);
        }
        if (!cmd.getWarmupTime().hasValue()) {
          b.warmupTime(quick ? TimeValue.milliseconds(500) : TimeValue.seconds(1));
        }
        if (!cmd.getMeasurementIterations().hasValue()) {
          b.measurementIterations(3); // JMH gives no error estimate for fewer than 3
        }
        if (!cmd.getMeasurementTime().hasValue()) {
          b.measurementTime(TimeValue.milliseconds(quick ? 500 : 800));
        }
        b.jvmArgsAppend("-D" + StrategyBenchmark.RESULTS_PROPERTY + "=" + dir.toAbsolutePath());
        results.addAll(new Runner(b.build(), progress).run());
      }
    }
    long elapsed = System.nanoTime() - start;
    ResultFormatFactory.getInstance(ResultFormatType.JSON, dir.resolve("jmh.json").toString())
        .writeOut(results);
    Report.Written written = Report.write(dir);
    List<SummaryTable.Row> rows = SummaryTable.read(dir.resolve("jmh.json"), dir.resolve("hdr"));
    out.println();
    out.printf(
        Locale.ROOT,
        "%d of %d benchmarks in %d s%n%n",
        rows.size(),
        total,
        TimeUnit.NANOSECONDS.toSeconds(elapsed));
    out.print(written.markdown());
    out.println("(also in " + written.summary() + ", with " + written.charts().size() + " charts)");
    long errors = rows.stream().mapToLong(SummaryTable.Row::errors).sum();
    if (rows.size() < total) {
      err.println(
          "suite: "
              + (total - rows.size())
              + " of "
              + total
              + " benchmarks produced no result; see "
              + dir.resolve("jmh.log"));
      return 1;
    }
    if (errors > 0) {
      err.println(
          "suite: "
              + errors
              + " requests failed; see the errors column and "
              + dir.resolve("jmh.log"));
      return 1;
    }
    return 0;
  }

  /** How many values a parameter takes: the user's, else the matrix's. */
  private static int count(CommandLineOptions cmd, String name, List<String> matrixValues) {
    Collection<String> user = cmd.getParameter(name).orElse(List.of());
    return user.isEmpty() ? matrixValues.size() : user.size();
  }

  private static void fill(
      ChainedOptionsBuilder b, CommandLineOptions cmd, String name, List<String> values) {
    if (cmd.getParameter(name).orElse(List.of()).isEmpty()) {
      b.param(name, values.toArray(new String[0]));
    }
  }

  /** Progress lines with an ETA on stdout; JMH's own output goes to the log. */
  static final class Progress implements OutputFormat {
    private final OutputFormat log;
    private final PrintStream out;
    private final int total;
    private final long start;
    private int done;

    Progress(OutputFormat log, PrintStream out, int total, long start) {
      this.log = log;
      this.out = out;
      this.total = total;
      this.start = start;
    }

    @Override
    public void startBenchmark(org.openjdk.jmh.infra.BenchmarkParams params) {
      long elapsed = System.nanoTime() - start;
      String eta = done == 0 ? "?" : seconds(elapsed / done * (total - done));
      StringBuilder what = new StringBuilder();
      for (String key :
          List.of("strategy", "row", "concurrency", "payload", "origins", "pauseMs")) {
        String value = params.getParam(key);
        if (value != null) {
          what.append(what.length() == 0 ? "" : " ")
              .append(key.equals("strategy") || key.equals("row") ? value : key + "=" + value);
        }
      }
      out.printf(
          Locale.ROOT,
          "[%d/%d] %s  (elapsed %s, ETA %s)%n",
          done + 1,
          total,
          what,
          seconds(elapsed),
          eta);
      log.startBenchmark(params);
    }

    private static String seconds(long nanos) {
      long s = TimeUnit.NANOSECONDS.toSeconds(nanos);
      return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    @Override
    public void endBenchmark(org.openjdk.jmh.results.BenchmarkResult result) {
      done++;
      if (result == null) {
        out.println("    failed: see jmh.log");
      }
      log.endBenchmark(result);
    }

    @Override
    public void iteration(
        org.openjdk.jmh.infra.BenchmarkParams b, org.openjdk.jmh.infra.IterationParams i, int n) {
      log.iteration(b, i, n);
    }

    @Override
    public void iterationResult(
        org.openjdk.jmh.infra.BenchmarkParams b,
        org.openjdk.jmh.infra.IterationParams i,
        int n,
        org.openjdk.jmh.results.IterationResult r) {
      log.iterationResult(b, i, n, r);
    }

    @Override
    public void startRun() {
      log.startRun();
    }

    @Override
    public void endRun(Collection<RunResult> results) {
      log.endRun(results);
    }

    @Override
    public void print(String s) {
      log.print(s);
    }

    @Override
    public void println(String s) {
      log.println(s);
    }

    @Override
    public void flush() {
      log.flush();
      out.flush();
    }

    @Override
    public void close() {
      log.flush();
    }

    @Override
    public void verbosePrintln(String s) {
      log.verbosePrintln(s);
    }

    @Override
    public void write(int b) {
      log.write(b);
    }

    @Override
    public void write(byte[] b) throws IOException {
      log.write(b);
    }
  }
}
