package dev.keepalive.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keepalive.bench.CpuSpeed;
import dev.keepalive.report.Precision;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.WorkloadParams;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Measuring each row to a precision the user asked for, within a time budget (BenchmarkDotNet's
 * {@code MaxRelativeError}, which JMH lacks). The unit of evidence is the fork ({@link Precision}):
 * the suite runs in rounds, each round one fork of every row that still needs one, in a new random
 * order (randomized interleaved trials: drift of the machine spreads over all rows instead of
 * biasing the ones measured last). A row stops when it has {@code minForks} forks and its 95 %
 * interval is within {@code maxErrorPercent} of its score, when it has {@code maxForks}, or when
 * its next fork would not fit in what is left of the budget. The first round runs every row
 * whatever the budget, so that no row is missing.
 *
 * <p>Writes {@code jmh.json} (every fork of a row in one entry) after each round, JMH's output to
 * {@code jmh.log}, and {@code precision.json}: the settings, the seed of the order, and per row its
 * forks, the precision reached and why it stopped.
 */
final class Rounds {

  /** The name of the file that records how precisely each row was measured. */
  static final String PRECISION_JSON = "precision.json";

  /** Where each fork's own JMH result goes before it joins {@code jmh.json}; deleted at the end. */
  static final String FORK_JSON = "jmh-fork.json";

  /** Why a row stopped getting forks. */
  enum Stop {
    /** Its interval reached the target. */
    PRECISION,
    /** It had the most forks allowed. */
    MAX_FORKS,
    /** Its next fork would not fit in the budget. */
    BUDGET,
    /** A fork produced no result (see jmh.log). */
    FAILED
  }

  /** One row: one benchmark, mode and set of parameter values, and its forks so far. */
  static final class Row {
    final Options options;
    final String label;
    final List<BenchmarkResult> forks = new ArrayList<>();

    /** Per fork, what {@link CpuSpeed#probe} measured just before it (empty when not probed). */
    final List<List<Double>> probes = new ArrayList<>();

    long nanos;
    BenchmarkParams params;
    Stop stop;

    Row(Options options, String label) {
      this.options = options;
      this.label = label;
    }

    Precision precision() {
      List<List<Double>> raw = new ArrayList<>();
      for (BenchmarkResult f : forks) {
        List<Double> its = new ArrayList<>();
        for (IterationResult i : f.getIterationResults()) {
          its.add(i.getPrimaryResult().getScore());
        }
        raw.add(its);
      }
      return Precision.of(raw);
    }

    long nanosPerFork() {
      return forks.isEmpty() ? 0 : nanos / forks.size();
    }
  }

  /** What the rounds did. */
  record Outcome(List<Row> rows, int rounds, long nanos, List<RunResult> results) {}

  private Rounds() {}

  /**
   * Every row the options select: one per benchmark, mode and combination of parameter values, as
   * JMH's Runner would expand them, each with one value per parameter.
   */
  static List<Row> expand(Options o) {
    Collection<BenchmarkListEntry> entries = Jmh.entries(o);
    List<Row> rows = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (BenchmarkListEntry e : entries) {
      for (Mode mode : Jmh.modes(e, o)) {
        if (!seen.add(e.getUsername() + " " + mode)) {
          continue; // the jar lists a benchmark once per mode of its annotation
        }
        List<Map.Entry<String, List<String>>> params = new ArrayList<>();
        for (Map.Entry<String, String[]> p : e.getParams().orElse(Map.of()).entrySet()) {
          List<String> values =
              new ArrayList<>(o.getParameter(p.getKey()).orElse(List.of(p.getValue())));
          params.add(Map.entry(p.getKey(), values));
        }
        for (List<String> combination : crossProduct(params, 0)) {
          ChainedOptionsBuilder b = new OptionsBuilder().parent(o).mode(mode);
          for (BenchmarkListEntry other : entries) {
            if (!other.getUsername().equals(e.getUsername())) {
              b.exclude("^" + Pattern.quote(other.getUsername()) + "$");
            }
          }
          StringBuilder label = new StringBuilder();
          for (int i = 0; i < params.size(); i++) {
            String name = params.get(i).getKey();
            b.param(name, combination.get(i));
            label.append(label.length() == 0 ? "" : " ").append(name).append('=');
            label.append(combination.get(i));
          }
          rows.add(new Row(b.build(), label.toString()));
        }
      }
    }
    return rows;
  }

  private static List<List<String>> crossProduct(
      List<Map.Entry<String, List<String>>> params, int from) {
    if (from == params.size()) {
      List<List<String>> one = new ArrayList<>();
      one.add(new ArrayList<>());
      return one;
    }
    List<List<String>> out = new ArrayList<>();
    for (String v : params.get(from).getValue()) {
      for (List<String> rest : crossProduct(params, from + 1)) {
        List<String> c = new ArrayList<>();
        c.add(v);
        c.addAll(rest);
        out.add(c);
      }
    }
    return out;
  }

  /** Runs the rounds; JMH's output to {@code dir/jmh.log}, one progress line per fork. */
  static Outcome run(
      List<Row> rows,
      SuiteSettings s,
      String pinning,
      List<Integer> probeCpus,
      Path dir,
      PrintWriter out,
      long seed)
      throws IOException, RunnerException {
    long start = System.nanoTime();
    long budget = s.budget().toNanos();
    Random order = new Random(seed);
    int round = 0;
    try (OutputStream logFile = Files.newOutputStream(dir.resolve("jmh.log"));
        PrintStream log = new PrintStream(logFile, true, StandardCharsets.UTF_8)) {
      OutputFormat logFormat = OutputFormatFactory.createFormatInstance(log, VerboseMode.NORMAL);
      while (true) {
        List<Row> todo = new ArrayList<>();
        for (Row r : rows) {
          if (round == 0 || needsFork(r, s, budget - (System.nanoTime() - start))) {
            todo.add(r);
          }
        }
        if (todo.isEmpty()) {
          break;
        }
        round++;
        Collections.shuffle(todo, order);
        Progress progress =
            new Progress(logFormat, out, todo.size(), System.nanoTime(), "round " + round + " ");
        for (Row r : todo) {
          long left = budget - (System.nanoTime() - start);
          if (round > 1 && r.nanosPerFork() > left) {
            r.stop = Stop.BUDGET; // an earlier fork of this round took the time it needed
            continue;
          }
          List<Double> probe = probeCpus.isEmpty() ? List.of() : CpuSpeed.probe(probeCpus);
          long t0 = System.nanoTime();
          Collection<RunResult> got = new Runner(r.options, progress).run();
          r.nanos += System.nanoTime() - t0;
          if (got.isEmpty()) {
            r.stop = Stop.FAILED;
            continue;
          }
          for (RunResult rr : got) {
            r.params = rr.getParams();
            for (BenchmarkResult f : rr.getBenchmarkResults()) {
              r.forks.add(f);
              r.probes.add(probe);
            }
          }
        }
        writeJson(rows, dir);
        writePrecision(rows, s, pinning, probeCpus, seed, round, System.nanoTime() - start, dir);
      }
    }
    Files.deleteIfExists(dir.resolve(FORK_JSON));
    for (Row r : rows) {
      if (r.stop == null) {
        r.stop = stopOf(r, s);
      }
    }
    long nanos = System.nanoTime() - start;
    writePrecision(rows, s, pinning, probeCpus, seed, round, nanos, dir);
    return new Outcome(rows, round, nanos, merged(rows));
  }

  /** Whether a row that has run gets another fork, with {@code left} of the budget. */
  private static boolean needsFork(Row r, SuiteSettings s, long left) {
    if (r.stop != null) {
      return false;
    }
    Stop stop = stopOf(r, s);
    if (stop != null) {
      r.stop = stop;
      return false;
    }
    if (r.nanosPerFork() > left) {
      r.stop = Stop.BUDGET;
      return false;
    }
    return true;
  }

  private static Stop stopOf(Row r, SuiteSettings s) {
    if (r.forks.size() >= s.minForks() && r.precision().reached(s.maxErrorPercent())) {
      return Stop.PRECISION;
    }
    return r.forks.size() >= s.maxForks() ? Stop.MAX_FORKS : null;
  }

  /** One JMH result per row holding all its forks; its parameters say how many. */
  static List<RunResult> merged(List<Row> rows) {
    List<RunResult> out = new ArrayList<>();
    for (Row r : rows) {
      if (!r.forks.isEmpty()) {
        out.add(new RunResult(withForks(r.params, r.forks.size()), r.forks));
      }
    }
    return out;
  }

  private static BenchmarkParams withForks(BenchmarkParams p, int forks) {
    WorkloadParams w = new WorkloadParams();
    int order = 0;
    for (String key : p.getParamsKeys()) {
      w.put(key, p.getParam(key), order++);
    }
    return new BenchmarkParams(
        p.getBenchmark(),
        p.generatedBenchmark(),
        p.shouldSynchIterations(),
        p.getThreads(),
        p.getThreadGroups(),
        p.getThreadGroupLabels(),
        forks,
        p.getWarmupForks(),
        p.getWarmup(),
        p.getMeasurement(),
        p.getMode(),
        w,
        p.getTimeUnit(),
        p.getOpsPerInvocation(),
        p.getJvm(),
        p.getJvmArgs(),
        p.getJdkVersion(),
        p.getVmName(),
        p.getVmVersion(),
        p.getJmhVersion(),
        p.getTimeout());
  }

  private static void writeJson(List<Row> rows, Path dir) {
    ResultFormatFactory.getInstance(ResultFormatType.JSON, dir.resolve("jmh.json").toString())
        .writeOut(merged(rows));
  }

  private static void writePrecision(
      List<Row> rows,
      SuiteSettings s,
      String pinning,
      List<Integer> probeCpus,
      long seed,
      int rounds,
      long nanos,
      Path dir)
      throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = json.createObjectNode();
    root.put("maxErrorPercent", s.maxErrorPercent());
    root.put("confidence", Precision.CONFIDENCE);
    root.put("minForks", s.minForks());
    root.put("maxForks", s.maxForks());
    root.put("budgetSeconds", s.budget().toSeconds());
    root.put("steadyWarmupMaxMillis", s.steadyWarmupMillis());
    root.put("pinning", pinning);
    if (!probeCpus.isEmpty()) {
      List<List<Double>> all = new ArrayList<>();
      rows.forEach(r -> r.probes.stream().filter(p -> !p.isEmpty()).forEach(all::add));
      ObjectNode probe = root.putObject("cpuProbe");
      probe.put(
          "what",
          "milliseconds a fixed probe ("
              + CpuSpeed.ITERATIONS
              + " steps of a small interpreter) took on each CPU before each fork");
      probeCpus.forEach(probe.putArray("cpus")::add);
      CpuSpeed.slowestPercent(all).forEach(probe.putArray("slowestPercent")::add);
    }
    root.put("seed", seed);
    root.put("rounds", rounds);
    root.put("elapsedSeconds", Math.round(nanos / 1e9));
    ArrayNode list = root.putArray("rows");
    for (Row r : rows) {
      Precision p = r.precision();
      ObjectNode o = list.addObject();
      o.put("row", r.label);
      o.put("forks", r.forks.size());
      o.put("seconds", Math.round(r.nanos / 1e9));
      o.put("score", p.score());
      o.put("halfWidth", p.halfWidth());
      o.put("relativePercent", p.relativePercent());
      o.put("unit", p.unit().name().toLowerCase(Locale.ROOT));
      o.put("stop", r.stop == null ? null : r.stop.name().toLowerCase(Locale.ROOT));
      if (!probeCpus.isEmpty()) {
        ArrayNode probes = o.putArray("cpuProbeMillis");
        for (List<Double> fork : r.probes) {
          ArrayNode one = probes.addArray();
          fork.forEach(ms -> one.add(Math.round(ms * 10) / 10.0));
        }
      }
    }
    json.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(PRECISION_JSON).toFile(), root);
  }
}
