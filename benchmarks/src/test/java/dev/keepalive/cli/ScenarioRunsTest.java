package dev.keepalive.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** What the distance and faults commands would run, without running it. */
class ScenarioRunsTest {

  private static List<Options> runs(FocusedRun command, String include, String... userArgs)
      throws Exception {
    CommandLineOptions user = new CommandLineOptions(userArgs);
    Options base = new OptionsBuilder().parent(user).include(include).build();
    return command.runs(base, user);
  }

  private static int total(List<Options> runs) {
    return runs.stream().mapToInt(o -> Jmh.select(o).runs()).sum();
  }

  @Test
  void distanceGrowsItsIterationsWithTheRoundTrip() throws Exception {
    assertEquals(TimeValue.milliseconds(1000), DistanceCommand.measurementTime(0));
    assertEquals(TimeValue.milliseconds(1000), DistanceCommand.measurementTime(5));
    assertEquals(TimeValue.milliseconds(2700), DistanceCommand.measurementTime(20));
    assertEquals(TimeValue.milliseconds(6700), DistanceCommand.measurementTime(50));
    DistanceCommand d = new DistanceCommand();
    List<Options> runs = runs(d, d.benchmark());
    assertEquals(5, runs.size(), "one run per distance");
    assertEquals(30, total(runs), "3 rows × 2 concurrencies × 5 distances");
    assertEquals(List.of("50"), List.copyOf(runs.get(4).getParameter("rttMs").get()));
    assertEquals(TimeValue.milliseconds(6700), runs.get(4).getMeasurementTime().get());
    List<Options> user = runs(d, d.benchmark(), "-p", "rttMs=0,10", "-r", "2s");
    assertEquals(1, user.size(), "the user's distances in one run");
    assertEquals(12, total(user));
    assertEquals(TimeValue.seconds(2), user.get(0).getMeasurementTime().get());
  }

  @Test
  void faultsRunThreeScenariosUnlessTheUserPicksOne() throws Exception {
    FaultsCommand f = new FaultsCommand();
    List<Options> runs = runs(f, f.benchmark());
    assertEquals(3, runs.size());
    assertEquals(21 + 14 + 14, total(runs), "7 rows × (3 + 2 + 2 pauses)");
    assertEquals(List.of("300"), List.copyOf(runs.get(2).getParameter("middleboxIdleMs").get()));
    assertEquals(FaultsCommand.SCENARIO_MEASUREMENT, runs.get(2).getMeasurementTime().get());
    assertEquals(1, runs(f, f.benchmark(), "-p", "rttMs=20").size());
  }
}
