package dev.keepalive.cli;

import dev.keepalive.bench.CpuPinning;
import dev.keepalive.bench.Strategy;
import dev.keepalive.bench.StrategyBenchmark;
import dev.keepalive.report.Precision;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The suite's settings, stated once: how each row is measured (one fork per round, JMH warm-up
 * iterations, then measurement iterations), how precisely and for how long ({@link Precision}), and
 * the parameter matrices of {@code suite}, {@code suite --quick} and {@code suite --all}. The runs,
 * the line announcing them and the help text are all made from these values; JMH options and the
 * suite's flags on the command line win over each of them.
 *
 * @param minForks forks every row gets before its precision counts
 * @param maxForks forks a row gets at most
 * @param maxErrorPercent the precision a row is measured to: its 95 % interval's half-width as a
 *     percentage of its score
 * @param budget the time the whole suite may take; past it, rows keep the precision they reached
 * @param steadyWarmupMillis the cap of each fork's warm-up until steady ({@code SteadyState})
 */
record SuiteSettings(
    int minForks,
    int maxForks,
    double maxErrorPercent,
    Duration budget,
    long steadyWarmupMillis,
    int warmupIterations,
    TimeValue warmupTime,
    int measurementIterations,
    TimeValue measurementTime,
    Mode mode,
    List<Matrix> matrices) {

  /**
   * One Runner invocation: the cross product of these parameter values ({@code rttMs}: the relay's
   * round trip time, 0 for loopback; {@code scheme}: http or https).
   */
  record Matrix(
      List<String> strategy,
      List<String> concurrency,
      List<String> payload,
      List<String> origins,
      List<String> rttMs,
      List<String> scheme) {

    /** A matrix on loopback. */
    Matrix(
        List<String> strategy,
        List<String> concurrency,
        List<String> payload,
        List<String> origins) {
      this(strategy, concurrency, payload, origins, List.of("0"));
    }

    /** A matrix over plain http. */
    Matrix(
        List<String> strategy,
        List<String> concurrency,
        List<String> payload,
        List<String> origins,
        List<String> rttMs) {
      this(strategy, concurrency, payload, origins, rttMs, List.of(HTTP));
    }

    Map<String, List<String>> parameters() {
      Map<String, List<String>> p = new LinkedHashMap<>();
      p.put("strategy", strategy);
      p.put("concurrency", concurrency);
      p.put("payload", payload);
      p.put("origins", origins);
      p.put("rttMs", rttMs);
      p.put("scheme", scheme);
      return p;
    }
  }

  /** The network distance the suites add to loopback: a nearby region, 10 ms away. */
  static final String DISTANCE_RTT_MS = "10";

  static final String HTTP = "http";
  static final String HTTPS = "https";

  /**
   * {@code suite}, what {@code benchmarks.jar} runs with no arguments: the questions the product
   * answers (reuse against none, the bounds, the peers; near and 10 ms away; over TLS) in about 6
   * minutes (33 rows of about 10 s: JVM and server start, pinned, 7 × 500 ms of JMH warm-up, 4 ×
   * 400 ms measured; with 10 × 500 and 5 × 400 the 33 rows took 409 s). Payloads of 16 KiB and
   * several origins are in {@code --all}. The warm-up is JMH's own iterations, not a warm-up until
   * steady in the trial's setup: a fork the setup had brought to a steady rate measured a fraction
   * of it in its first iteration and climbed back over the next seconds (see {@link #REGRESSION}).
   */
  static final SuiteSettings DEFAULT =
      new SuiteSettings(
          1,
          4,
          5,
          // the JVM's start, the report and the charts take the rest of the 6 minutes (with a
          // budget of 6 min the run took 6 min 2 s: a second round's fork fitted in the budget)
          Duration.ofSeconds(345),
          0,
          7,
          TimeValue.milliseconds(500),
          4,
          TimeValue.milliseconds(400),
          Mode.Throughput,
          List.of(
              new Matrix(
                  List.of(Strategy.NO_AGENT, Strategy.KEEP_ALIVE),
                  List.of("1", "16", "64"),
                  List.of("13"),
                  List.of("1")),
              new Matrix(
                  List.of(Strategy.MAX_SOCKETS_1, Strategy.MAX_SOCKETS_4, Strategy.MAX_SOCKETS_16),
                  List.of("16", "64"),
                  List.of("13"),
                  List.of("1")),
              new Matrix(Strategy.SUITE_PEER_ROWS, List.of("16"), List.of("13"), List.of("1")),
              new Matrix(
                  Strategy.SUITE_DISTANCE_ROWS,
                  List.of("16"),
                  List.of("13"),
                  List.of("1"),
                  List.of(DISTANCE_RTT_MS)),
              // TLS: the handshake rows at c1 (a new connection's cost) and c16, near and far
              new Matrix(
                  Strategy.HANDSHAKE_ROWS,
                  List.of("1", "16"),
                  List.of("13"),
                  List.of("1"),
                  List.of("0", DISTANCE_RTT_MS),
                  List.of(HTTPS))));

  /**
   * {@code suite --all}: the published page's matrix, 50 rows: every row at concurrency 1, 16 and
   * 64; several origins; 10 ms away; the TLS handshake rows. At least 3 forks per row (about 16 s
   * each: JVM and server start, 20 × 500 ms warm-up, 5 × 500 ms measured), up to 12 until ±5 %,
   * within 55 minutes. With the client pinned to its CPU from the start its JIT shares that CPU
   * with the load, and rows reach their rate after 7–14 s of warm-up (measured: keep-alive c64 at
   * about 7 s, no-agent c64 at 10 s). 16 KiB bodies and the other TLS rows: {@code -p}.
   */
  static final SuiteSettings ALL =
      new SuiteSettings(
          3,
          12,
          5,
          Duration.ofMinutes(55),
          0,
          20,
          TimeValue.milliseconds(500),
          5,
          TimeValue.milliseconds(500),
          Mode.Throughput,
          List.of(
              new Matrix(
                  Strategy.DEFAULT_ROWS, List.of("1", "16", "64"), List.of("13"), List.of("1")),
              new Matrix(Strategy.ORIGINS_ROWS, List.of("64"), List.of("13"), List.of("2", "4")),
              new Matrix(
                  Strategy.SUITE_DISTANCE_ROWS,
                  List.of("16"),
                  List.of("13"),
                  List.of("1"),
                  List.of(DISTANCE_RTT_MS)),
              // TLS: the handshake rows near and far, at c1 (the handshake's cost per connection)
              // and c16
              new Matrix(
                  Strategy.HANDSHAKE_ROWS,
                  List.of("1", "16"),
                  List.of("13"),
                  List.of("1"),
                  List.of("0", DISTANCE_RTT_MS),
                  List.of(HTTPS))));

  /** {@code suite --quick}: CI's smoke run and the regression run's measurement. */
  static final SuiteSettings QUICK =
      new SuiteSettings(
          1,
          3,
          5,
          Duration.ofMinutes(3),
          0,
          8,
          TimeValue.milliseconds(500),
          3,
          TimeValue.milliseconds(500),
          Mode.Throughput,
          List.of(
              new Matrix(Strategy.QUICK_ROWS, List.of("1", "16"), List.of("13"), List.of("1")),
              new Matrix(List.of(Strategy.MAX_TOTAL_4), List.of("64"), List.of("13"), List.of("2")),
              new Matrix(
                  List.of(Strategy.NO_AGENT, Strategy.KEEP_ALIVE),
                  List.of("16"),
                  List.of("13"),
                  List.of("1"),
                  List.of(DISTANCE_RTT_MS)),
              new Matrix(
                  Strategy.HANDSHAKE_ROWS,
                  List.of("16"),
                  List.of("13"),
                  List.of("1"),
                  List.of("0"),
                  List.of(HTTPS))));

  /**
   * {@code suite --regression}: what {@code scripts/regression.sh} measures, the rows where our
   * agent's own code sets the pace (reuse alone and at 16 in flight, a bound that queues), each
   * with 3 forks so that a comparison rests on forks, not on the iterations of one JVM. Warm-up: 16
   * JMH iterations of 500 ms, not the warm-up until steady: here a fork that the steady warm-up (in
   * the trial's setup) had brought to 65k req/s measured 10–25k in its first iteration and climbed
   * back over the next seconds, while JMH's own warm-up iterations leave measurement iterations
   * flat (76–78k). About 2 minutes.
   */
  static final SuiteSettings REGRESSION =
      new SuiteSettings(
          3,
          3,
          3,
          Duration.ofMinutes(4),
          0,
          16,
          TimeValue.milliseconds(500),
          5,
          TimeValue.milliseconds(500),
          Mode.Throughput,
          List.of(
              new Matrix(
                  List.of(Strategy.KEEP_ALIVE), List.of("1", "16"), List.of("13"), List.of("1")),
              new Matrix(
                  List.of(Strategy.MAX_SOCKETS_4), List.of("16"), List.of("13"), List.of("1"))));

  /** These settings with the precision flags of a command line (null: keep this setting). */
  SuiteSettings with(Integer minForks, Integer maxForks, Double maxErrorPercent, Duration budget) {
    int min = minForks != null ? minForks : this.minForks;
    int max = maxForks != null ? maxForks : Math.max(this.maxForks, min);
    return new SuiteSettings(
        min,
        max,
        maxErrorPercent != null ? maxErrorPercent : this.maxErrorPercent,
        budget != null ? budget : this.budget,
        steadyWarmupMillis,
        warmupIterations,
        warmupTime,
        measurementIterations,
        measurementTime,
        mode,
        matrices);
  }

  /**
   * The JMH options of each run: the user's options, with these settings where the user set none. A
   * user's {@code -p strategy=} or {@code -p concurrency=} replaces the matrices by the first one,
   * with the user's values.
   */
  List<Options> runs(CommandLineOptions user, Path resultsDir) {
    return runs(user, resultsDir, null);
  }

  /**
   * The same, with the harness server and the relay on {@code pin}'s server CPUs ({@code
   * -Dkeepalive.serverCpus}); null: the scheduler places them.
   */
  List<Options> runs(CommandLineOptions user, Path resultsDir, CpuPinning.Split pin) {
    boolean userRows =
        !user.getParameter("strategy").orElse(List.of()).isEmpty()
            || !user.getParameter("concurrency").orElse(List.of()).isEmpty();
    List<Options> runs = new ArrayList<>();
    for (Matrix m : userRows ? matrices.subList(0, 1) : matrices) {
      ChainedOptionsBuilder b = new OptionsBuilder().parent(user);
      if (user.getIncludes().isEmpty()) {
        b.include(StrategyBenchmark.class.getName() + ".request");
      }
      m.parameters()
          .forEach(
              (name, values) -> {
                if (user.getParameter(name).orElse(List.of()).isEmpty()) {
                  b.param(name, values.toArray(new String[0]));
                }
              });
      if (user.getBenchModes().isEmpty()) {
        b.mode(mode);
      }
      b.forks(1); // one fork per round: the suite decides how many rounds each row gets
      if (!user.getWarmupIterations().hasValue()) {
        b.warmupIterations(warmupIterations);
      }
      if (!user.getWarmupTime().hasValue()) {
        b.warmupTime(warmupTime);
      }
      if (!user.getMeasurementIterations().hasValue()) {
        b.measurementIterations(measurementIterations);
      }
      if (!user.getMeasurementTime().hasValue()) {
        b.measurementTime(measurementTime);
      }
      // the user's -jvmArgsAppend first: this call replaces, not extends, the parent's list
      List<String> jvmArgs = new ArrayList<>(user.getJvmArgsAppend().orElse(List.of()));
      jvmArgs.add("-D" + StrategyBenchmark.RESULTS_PROPERTY + "=" + resultsDir.toAbsolutePath());
      jvmArgs.add("-D" + StrategyBenchmark.STEADY_WARMUP_PROPERTY + "=" + steadyWarmupMillis);
      if (pin != null) {
        jvmArgs.add("-D" + CpuPinning.SERVER_CPUS_PROPERTY + "=" + pin.server());
      }
      b.jvmArgsAppend(jvmArgs.toArray(new String[0]));
      // each fork's result goes to a scratch file (the suite writes every fork to jmh.json and to a
      // -rff of the user's itself)
      b.resultFormat(ResultFormatType.JSON).result(resultsDir.resolve(Rounds.FORK_JSON).toString());
      runs.add(b.build());
    }
    return runs;
  }

  /**
   * {@code forks 1–4 per row until ±5 % (95 % CI) or 6 min; warm-up until steady (≤ 8 s) + 0 × 500
   * ms, measurement 5 × 400 ms, thrpt}: how a run measures.
   */
  String describe(Options o) {
    return String.format(
        Locale.ROOT,
        "forks %d–%d per row until ±%s %% (95 %% CI) or %s; warm-up %s%d ×"
            + " %s, measurement %d × %s, %s",
        minForks,
        maxForks,
        Precision.percent(maxErrorPercent),
        Durations.format(budget),
        steadyWarmupMillis <= 0 ? "" : "until steady (≤ " + steadyWarmupMillis / 1000 + " s) + ",
        o.getWarmupIterations().orElse(-1),
        o.getWarmupTime().orElse(null),
        o.getMeasurementIterations().orElse(-1),
        o.getMeasurementTime().orElse(null),
        modes(o.getBenchModes()));
  }

  private static String modes(Collection<Mode> modes) {
    return modes.stream().map(Mode::shortLabel).collect(Collectors.joining(", "));
  }

  /** {@code strategy=a,b × concurrency=1,16 × ...}: the cross product a matrix runs. */
  static String describe(Matrix m) {
    return m.parameters().entrySet().stream()
        .map(e -> e.getKey() + "=" + String.join(",", e.getValue()))
        .collect(Collectors.joining(" × "));
  }
}
