package dev.keepalive.cli;

import dev.keepalive.bench.FaultBenchmark;
import dev.keepalive.report.FaultTable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine.Command;

/**
 * {@code faults [--out DIR] [JMH options]}: the stale keep-alive race and its remedies, in three
 * scenarios ({@link #SCENARIOS}): on loopback, at a distance, and behind a middlebox.
 */
@Command(
    name = "faults",
    description = {
      "The stale keep-alive race (FaultBenchmark): bursts separated by pauses around the first"
          + " idle close on the path; per 1,000 requests, the errors by class, the retries and the"
          + " connections of each remedy. Three scenarios: on loopback (pauses around the server's"
          + " real idle close), at RTT 10 ms (the race window becomes a round trip), and behind a"
          + " middlebox that silently forgets flows idle 300 ms in front of a server that keeps"
          + " them 5 s.",
      "JMH options pass through and win over the benchmark's own settings; a -p for rttMs,"
          + " middleboxIdleMs, serverIdleMs or pauseMs runs that one scenario instead.",
      ""
    })
final class FaultsCommand extends FocusedRun {

  /** The parameters of each scenario beyond the loopback race (the benchmark's defaults). */
  static final List<Map<String, List<String>>> SCENARIOS =
      List.of(
          Map.of(),
          Map.of("rttMs", List.of("10"), "pauseMs", List.of("230", "250")),
          Map.of(
              "rttMs",
              List.of("10"),
              "middleboxIdleMs",
              List.of("300"),
              "serverIdleMs",
              List.of("5000"),
              "pauseMs",
              List.of("200", "400")));

  /** Measurement time of the scenarios beyond the first, where the user sets none. */
  static final TimeValue SCENARIO_MEASUREMENT = TimeValue.seconds(3);

  private static final List<String> SCENARIO_PARAMETERS =
      List.of("rttMs", "middleboxIdleMs", "serverIdleMs", "pauseMs");

  @Override
  String benchmark() {
    return FaultBenchmark.class.getName() + ".burst";
  }

  @Override
  String purpose() {
    return "the stale keep-alive race on loopback, at RTT 10 ms and behind a middlebox";
  }

  @Override
  String table(Path jmhJson) throws IOException {
    return FaultTable.markdown(FaultTable.read(jmhJson));
  }

  @Override
  List<Options> runs(Options base, CommandLineOptions user) {
    if (SCENARIO_PARAMETERS.stream().anyMatch(p -> user.getParameter(p).hasValue())) {
      return List.of(base);
    }
    return SCENARIOS.stream()
        .map(
            s -> {
              if (s.isEmpty()) {
                return base;
              }
              ChainedOptionsBuilder b = new OptionsBuilder().parent(base);
              s.forEach((name, values) -> b.param(name, values.toArray(new String[0])));
              if (!user.getMeasurementTime().hasValue()) {
                b.measurementTime(SCENARIO_MEASUREMENT);
              }
              return (Options) b.build();
            })
        .toList();
  }
}
