package dev.keepalive.cli;

import dev.keepalive.bench.Strategy;
import dev.keepalive.bench.StrategyBenchmark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The suite's settings, stated once: JMH settings and the parameter matrices of {@code suite} and
 * {@code suite --quick}. The runs, the line announcing them and the help text are all made from
 * these values; JMH options on the command line win over each of them.
 */
record SuiteSettings(
    int forks,
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

  /** The TLS rows other than the handshake rows: measured once, at c16 on loopback. */
  private static final List<String> TLS_OTHER_ROWS =
      Strategy.TLS_ROWS.stream().filter(r -> !Strategy.HANDSHAKE_ROWS.contains(r)).toList();

  static final SuiteSettings FULL =
      new SuiteSettings(
          1,
          1,
          TimeValue.seconds(1),
          3, // JMH gives no error estimate for fewer than 3
          TimeValue.milliseconds(800),
          Mode.Throughput,
          List.of(
              new Matrix(
                  Strategy.DEFAULT_ROWS,
                  List.of("1", "16", "64"),
                  List.of("13", "16384"),
                  List.of("1")),
              new Matrix(Strategy.ORIGINS_ROWS, List.of("64"), List.of("13"), List.of("2", "4")),
              new Matrix(
                  Strategy.SUITE_DISTANCE_ROWS,
                  List.of("16"),
                  List.of("13"),
                  List.of("1"),
                  List.of(DISTANCE_RTT_MS)),
              // TLS: the handshake rows near and far, at c1 (the handshake's cost per connection)
              // and c16; the other TLS rows once
              new Matrix(
                  Strategy.HANDSHAKE_ROWS,
                  List.of("1", "16"),
                  List.of("13"),
                  List.of("1"),
                  List.of("0", DISTANCE_RTT_MS),
                  List.of(HTTPS)),
              new Matrix(
                  TLS_OTHER_ROWS,
                  List.of("16"),
                  List.of("13"),
                  List.of("1"),
                  List.of("0"),
                  List.of(HTTPS))));

  static final SuiteSettings QUICK =
      new SuiteSettings(
          1,
          1,
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
   * The JMH options of each run: the user's options, with these settings where the user set none. A
   * user's {@code -p strategy=} or {@code -p concurrency=} replaces the matrices by the first one,
   * with the user's values.
   */
  List<Options> runs(CommandLineOptions user, Path resultsDir) {
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
      if (!user.getForkCount().hasValue()) {
        b.forks(forks);
      }
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
      b.jvmArgsAppend(
          "-D" + StrategyBenchmark.RESULTS_PROPERTY + "=" + resultsDir.toAbsolutePath());
      runs.add(b.build());
    }
    return runs;
  }

  /** {@code 1 fork, warmup 1 × 1 s, measurement 3 × 800 ms, thrpt}: how a run measures. */
  static String describe(Options o) {
    int forks = o.getForkCount().orElse(-1);
    return String.format(
        Locale.ROOT,
        "%d fork%s, warmup %d × %s, measurement %d × %s, %s",
        forks,
        forks == 1 ? "" : "s",
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
