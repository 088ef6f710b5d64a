package dev.keepalive.cli;

import dev.keepalive.bench.Strategy;
import dev.keepalive.bench.StrategyBenchmark;
import dev.keepalive.report.DistanceTable;
import dev.keepalive.report.Report;
import dev.keepalive.report.SummaryTable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine.Command;

/**
 * {@code distance [--out DIR] [JMH options]}: what reuse is worth against network distance. The
 * strategy benchmark through the relay at each RTT of {@link #RTTS_MS}, one Runner per RTT, with
 * measurement iterations long enough that the slowest point (no-agent at concurrency 1: a new
 * connection, two round trips, per request) still completes {@link #MIN_REQUESTS} requests. The
 * table and charts come from {@link DistanceTable}; {@code summary.md} has every table.
 */
@Command(
    name = "distance",
    description = {
      "What reuse is worth vs network distance: no-agent, keep-alive and max-sockets-4 at"
          + " concurrency 1 and 16, through the relay at RTT 0, 1, 5, 20 and 50 ms; the throughput"
          + " ratio to no-agent and p50/p99 against RTT, as a table and charts. Iterations grow"
          + " with the RTT so that every point rests on at least 200 requests (about 6 minutes).",
      "JMH options pass through and win over these settings; -p rttMs=... runs those distances"
          + " in one run with the benchmark's own iteration time.",
      ""
    })
final class DistanceCommand extends FocusedRun {

  /** The distances swept, ms of round trip time added (0: loopback, no relay). */
  static final List<Integer> RTTS_MS = List.of(0, 1, 5, 20, 50);

  /** Requests the slowest point completes in its measurement iterations, at least. */
  static final int MIN_REQUESTS = 200;

  static final int MEASUREMENT_ITERATIONS = 3;

  @Override
  String benchmark() {
    return StrategyBenchmark.class.getName() + ".request";
  }

  @Override
  String purpose() {
    return "what reuse is worth vs distance (RTT " + RTTS_MS + " ms)";
  }

  /**
   * One measurement iteration at {@code rttMs}: long enough for {@link #MIN_REQUESTS} requests of
   * two round trips each over {@link #MEASUREMENT_ITERATIONS} iterations, at least 1 s.
   */
  static TimeValue measurementTime(int rttMs) {
    long millis = (long) Math.ceil(MIN_REQUESTS * 2.0 * rttMs / MEASUREMENT_ITERATIONS / 100) * 100;
    return TimeValue.milliseconds(Math.max(1000, millis));
  }

  @Override
  List<Options> runs(Options base, CommandLineOptions user) {
    boolean userDistances = user.getParameter("rttMs").hasValue();
    List<Options> runs = new ArrayList<>();
    for (int rtt : userDistances ? List.of(-1) : RTTS_MS) {
      ChainedOptionsBuilder b = new OptionsBuilder().parent(base);
      param(b, user, "strategy", Strategy.DISTANCE_SWEEP_ROWS);
      param(b, user, "concurrency", List.of("1", "16"));
      param(b, user, "payload", List.of("13"));
      param(b, user, "origins", List.of("1"));
      if (!userDistances) {
        b.param("rttMs", String.valueOf(rtt));
        if (!user.getMeasurementTime().hasValue()) {
          b.measurementTime(measurementTime(rtt));
        }
      }
      if (user.getBenchModes().isEmpty()) {
        b.mode(Mode.Throughput);
      }
      if (!user.getForkCount().hasValue()) {
        b.forks(1);
      }
      if (!user.getWarmupIterations().hasValue()) {
        b.warmupIterations(1);
      }
      if (!user.getWarmupTime().hasValue()) {
        b.warmupTime(TimeValue.seconds(1));
      }
      if (!user.getMeasurementIterations().hasValue()) {
        b.measurementIterations(MEASUREMENT_ITERATIONS);
      }
      runs.add(b.build());
    }
    return runs;
  }

  @Override
  boolean writesHistograms() {
    return true;
  }

  private static void param(
      ChainedOptionsBuilder b, CommandLineOptions user, String name, List<String> values) {
    if (user.getParameter(name).orElse(List.of()).isEmpty()) {
      b.param(name, values.toArray(new String[0]));
    }
  }

  /** The headline and the distance table; {@code summary.md} and the charts go next to them. */
  @Override
  String table(Path jmhJson) throws IOException {
    Path dir = jmhJson.toAbsolutePath().getParent();
    Report.Written written = Report.write(dir);
    List<SummaryTable.Row> rows = SummaryTable.read(jmhJson, dir.resolve("hdr"));
    return DistanceTable.headline(rows)
        + "\n"
        + DistanceTable.markdown(rows)
        + "Charts and every table: "
        + written.summary()
        + "\n";
  }
}
