package dev.keepalive.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keepalive.report.Precision;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The command line of benchmarks.jar as a user meets it: help, version, bad usage, mistyped
 * commands, and what passes to JMH. Nothing here runs a benchmark.
 */
class CommandLineTest {

  private static final String VERSION_LINE =
      "keepalive-bench \\S+, (commit [0-9a-f]{7,}(-dirty)?|unknown commit)\\R";

  @ParameterizedTest
  @ValueSource(
      strings = {
        "suite",
        "overhead",
        "faults",
        "distance",
        "knee",
        "probe",
        "report",
        "compare",
        "conformance",
        "server",
        "relay",
        "help"
      })
  void everyCommandAnswersHelpWithItsUsageAndExitsZero(String command) {
    Cli.Run r = Cli.run(command, "--help");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("usage: benchmarks.jar " + command), r.out());
    assertTrue(r.out().contains("--version"), r.out());
    assertTrue(r.out().contains("Exit codes:"), r.out());
    assertEquals("", r.err());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "suite",
        "overhead",
        "faults",
        "distance",
        "knee",
        "probe",
        "report",
        "compare",
        "conformance",
        "server",
        "relay",
        "help"
      })
  void everyCommandAnswersVersionWithTheVersionAndCommit(String command) {
    Cli.Run r = Cli.run(command, "--version");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().matches(VERSION_LINE), r.out());
  }

  @Test
  void topLevelHelpListsTheCommandsAndHowJmhIsReached() {
    for (String[] args : List.of(new String[] {"--help"}, new String[] {"help"})) {
      Cli.Run r = Cli.run(args);
      assertEquals(0, r.code(), r.err());
      for (String command :
          List.of(
              "suite", "overhead", "faults", "distance", "probe", "compare", "server", "relay")) {
        assertTrue(r.out().contains("\n  " + command + " "), command + " in\n" + r.out());
      }
      assertTrue(r.out().contains("Anything else is JMH's command line"), r.out());
      assertTrue(r.out().contains("did you mean"), r.out());
    }
    Cli.Run version = Cli.run("--version");
    assertEquals(0, version.code());
    assertTrue(version.out().matches(VERSION_LINE), version.out());
  }

  @Test
  void helpOfOneCommandIsItsUsage() {
    Cli.Run r = Cli.run("help", "probe");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("usage: benchmarks.jar probe"), r.out());
    Cli.Run typo = Cli.run("help", "prob");
    assertEquals(2, typo.code());
    assertEquals("help: 'prob' is not a command; did you mean 'probe'?\n", typo.err());
  }

  @Test
  void suiteHelpPrintsTheSettingsFromTheirValues() {
    String help = Cli.run("suite", "--help").out();
    SuiteSettings s = SuiteSettings.DEFAULT;
    assertTrue(
        help.contains(
            "forks "
                + s.minForks()
                + "–"
                + s.maxForks()
                + " per row until ±"
                + Precision.percent(s.maxErrorPercent())
                + " % (95 % CI) or "
                + Durations.format(s.budget())),
        help);
    assertTrue(
        help.contains("measurement " + s.measurementIterations() + " × " + s.measurementTime()),
        help);
    assertTrue(help.contains("suite --quick: 16 rows;"), help);
    assertTrue(help.contains(SuiteSettings.describe(SuiteSettings.QUICK.matrices().get(1))), help);
    assertTrue(
        help.contains(
            "suite --regression: 3 rows; forks 3–3 per row until ±3 % (95 % CI) or 4 min; warm-up 16 × 500 ms"),
        help);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "probe --max-socket 2 http://x/      | probe: unknown flag '--max-socket'; did you mean '--max-sockets'?",
        "probe --max-sockets 0 http://x/     | probe: --max-sockets must be >= 1, was 0",
        "probe --max-sockets=0 http://x/     | probe: --max-sockets must be >= 1, was 0",
        "probe --keep-alive-msecs x http://x/ | probe: --keep-alive-msecs must be a whole number, was 'x'",
        "probe --max-sockets 1 --max-sockets 2 http://x/ | probe: --max-sockets may be given only once",
        "probe --request-timeout-ms -1 http://x/ | probe: --request-timeout-ms must be >= 0 (0 = none), was -1",
        "probe --method a(b http://x/        | probe: --method must be an HTTP token, was 'a(b'",
        "probe --pause-ms                    | probe: --pause-ms needs a value",
        "probe --node-version 18 http://x/   | probe: --node-version must be 20, 22, 24 or 26, was '18'",
        "probe --node-version 20 --agent-keep-alive-timeout-buffer-ms 5 http://x/ | probe: --agent-keep-alive-timeout-buffer-ms is an option of Node 22 and later; Node 20 hard-codes 1000 ms",
        "probe --agent-keep-alive-timeout-buffer-ms -5 http://x/ | probe: --agent-keep-alive-timeout-buffer-ms must be >= 0, was -5",
        "probe --no-agent --global-agent http://x/ | probe: --no-agent cannot be combined with agent options",
        "conformance --scenario zzz          | conformance: --scenario matches no scenario, was 'zzz'",
        "conformance --scenario (            | conformance: --scenario must be a regular expression, was '('",
        "conformance --node /nonexistent     | conformance: --node must be an executable file, was '/nonexistent'",
        "conformance --bogus                 | conformance: unknown flag '--bogus'",
        "compare a b --format xml            | compare: --format must be md or json, was 'xml'",
        "compare a b --threshold x           | compare: --threshold must be a percentage in [0, 1000], was 'x'",
        "compare a b c                       | compare: unexpected argument 'c'",
        "compare a                           | compare: missing NEW",
        "report                              | report: missing RUN",
        "report --publish run                | report: --publish needs RUN and the README to regenerate",
        "server --port 70000                 | server: --port must be in [0, 65535], was 70000",
        "server --listeners 0                | server: --listeners must be in [1, 64], was 0",
        "server --bogus                      | server: unknown flag '--bogus'",
        "report --bogus run                  | report: unknown flag '--bogus'",
        "help --bogus                        | help: unknown flag '--bogus'",
        "suite --out                         | suite: --out needs a directory",
        "overhead --bogus                    | overhead: bogus is not a recognized option",
        "faults -f many                      | faults: Cannot parse argument 'many' of option f",
        "distance --bogus                    | distance: bogus is not a recognized option",
        "relay --to 127.0.0.1:9 --rtt-ms -1  | relay: --rtt-ms must be in [0, 60000], was -1",
        "relay --to 127.0.0.1:9 --rtt-ms ten | relay: --rtt-ms must be a whole number, was 'ten'",
        "relay --to 127.0.0.1:9 --idle-close drop | relay: --idle-close must be fin, rst or silent, was 'drop'",
        "relay --to 127.0.0.1:9 --jitter-ms 70000 | relay: --jitter-ms must be in [0, 60000], was 70000",
        "relay --to localhost                | relay: --to must be HOST:PORT with a port in [1, 65535], was 'localhost'",
        "relay --to 127.0.0.1:9 --rtt-msec 5 | relay: unknown flag '--rtt-msec'; did you mean '--rtt-ms'?",
        "relay --rtt-ms 5                    | relay: --to needs a value",
        "knee --from 0                       | knee: --from must be in [1, 1000000], was 0",
        "knee --from 500 --max-rate 100      | knee: --max-rate must be in [500, 1000000], was 100",
        "knee --slo-p99-ms -1                | knee: --slo-p99-ms must be in (0, 600000] ms, was -1.0",
        "knee --arrivals bursty              | knee: --arrivals must be constant or poisson, was 'bursty'",
        "knee --strategies raw-socket        | knee: --strategies raw-socket has no open-loop form here (our agent's rows, jdk-httpclient, okhttp and apache-hc5 have)",
        "knee --strategies keep-alvie        | knee: --strategies must be one of no-agent, close-resume, keep-alive, keep-alive-fifo, max-sockets-N, max-total-N, jdk-httpclient, apache-hc5, apache-hc5-fifo, apache-hc5-max-sockets-N, apache-hc5-max-total-N, okhttp, raw-socket, was 'keep-alvie'",
      })
  void badUsageExitsTwoWithOneLineNamingTheFlag(String args, String message) {
    Cli.Run r = Cli.run(args.trim().split(" +"));
    assertEquals(2, r.code(), r.err());
    assertEquals(message + "\n", r.err());
    assertEquals("", r.out());
  }

  @ParameterizedTest
  @CsvSource({"sute, suite", "prob, probe", "compar, compare", "reprot, report", "fautls, faults"})
  void aMistypedCommandGetsDidYouMeanAndExitsTwo(String typo, String meant) {
    Cli.Run r = Cli.run(typo, "--quick");
    assertEquals(2, r.code(), r.err());
    assertEquals(
        "benchmarks.jar: '" + typo + "' is not a command; did you mean '" + meant + "'?\n",
        r.err());
    assertEquals("", r.out());
  }

  @Test
  void aWordThatMatchesABenchmarkIsJmhsRegexEvenNearACommand() {
    assertTrue(Jmh.anyMatch("Fault"));
    assertEquals(2, Typos.distance("Fault", "faults"));
    assertEquals(
        Optional.empty(), Typos.mistypedCommand("Fault", List.of("faults"), Jmh::anyMatch));
    assertEquals(
        Optional.empty(),
        Typos.mistypedCommand("StrategyBenchmark", List.of("suite", "probe"), Jmh::anyMatch));
    assertEquals(Optional.empty(), Typos.mistypedCommand("-prof", List.of("probe"), Jmh::anyMatch));
    assertEquals(
        Optional.of("suite"), Typos.mistypedCommand("suit", List.of("suite"), Jmh::anyMatch));
    assertFalse(Jmh.anyMatch("sute"));
  }

  @Test
  void aRegexThatMatchesNothingIsBadUsageWithoutStartingJmh() {
    Cli.Run r = Cli.run("NoSuchBenchmarkAnywhere", "-f", "1");
    assertEquals(2, r.code(), r.err());
    assertEquals(
        "benchmarks.jar: no benchmark matches NoSuchBenchmarkAnywhere (-l lists the benchmarks,"
            + " --help the commands)\n",
        r.err());
  }

  @Test
  void aBadJmhOptionIsBadUsage() {
    Cli.Run r = Cli.run("-f", "many");
    assertEquals(2, r.code());
    assertTrue(r.err().startsWith("benchmarks.jar: "), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
  }

  @Test
  void jmhListingPassesThroughToJmh() {
    PrintStream stdout = System.out;
    ByteArrayOutputStream jmhOut = new ByteArrayOutputStream();
    Cli.Run r;
    try {
      System.setOut(new PrintStream(jmhOut, true, StandardCharsets.UTF_8));
      r = Cli.run("-l", "StrategyBenchmark");
    } finally {
      System.setOut(stdout);
    }
    assertEquals(0, r.code(), r.err());
    String listed = jmhOut.toString(StandardCharsets.UTF_8);
    assertTrue(listed.contains("Benchmarks:"), listed);
    assertTrue(listed.contains("dev.keepalive.bench.StrategyBenchmark.request"), listed);
    assertFalse(listed.contains("OverheadBenchmark"), listed);
  }

  @Test
  void benchmarkCountsComeFromTheBenchmarkListAndTheUsersParameters() throws Exception {
    var options =
        new org.openjdk.jmh.runner.options.OptionsBuilder()
            .include(dev.keepalive.bench.FaultBenchmark.class.getName() + ".burst")
            .build();
    Jmh.Selection all = Jmh.select(options);
    assertEquals(7 * 3, all.runs());
    assertEquals(List.of("230", "250", "270"), List.copyOf(all.parameters().get("pauseMs")));
    var narrowed =
        new org.openjdk.jmh.runner.options.OptionsBuilder()
            .include(dev.keepalive.bench.FaultBenchmark.class.getName() + ".burst")
            .param("pauseMs", "250")
            .build();
    assertEquals(7, Jmh.select(narrowed).runs());
  }
}
