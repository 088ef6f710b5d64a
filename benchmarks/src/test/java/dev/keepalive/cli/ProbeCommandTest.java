package dev.keepalive.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keepalive.agent.AgentOptions;
import dev.keepalive.agent.Scheduling;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** The probe's flags map onto AgentOptions.builder(), which alone decides what is valid. */
class ProbeCommandTest {

  private static AgentFlags parse(String... args) {
    ProbeCommand probe = new ProbeCommand();
    CommandLine cli = new CommandLine(probe);
    cli.parseArgs(args);
    return cli.getCommandSpec().mixins().get("agent").userObject() instanceof AgentFlags a
        ? a
        : null;
  }

  @Test
  void agentTimeoutZeroIsAcceptedAsTheBuilderAcceptsIt() {
    AgentOptions o = parse("--keep-alive", "--timeout-ms", "0", "http://x/").options();
    assertEquals(0, o.timeoutMillis());
    assertTrue(o.keepAlive());
    assertEquals(0, parse("--free-socket-timeout-ms", "0", "http://x/").options().timeoutMillis());
  }

  @Test
  void flagsMapOntoTheBuilderAndDefaultsAreNodes() {
    AgentOptions o =
        parse(
                "--max-sockets=4",
                "--max-free-sockets",
                "2",
                "--max-total-sockets",
                "8",
                "--scheduling",
                "fifo",
                "--keep-alive-msecs",
                "500",
                "--retry-on-stale-socket",
                "http://x/")
            .options();
    assertEquals(4, o.maxSockets());
    assertEquals(2, o.maxFreeSockets());
    assertEquals(8, o.maxTotalSockets());
    assertEquals(Scheduling.FIFO, o.scheduling());
    assertEquals(500, o.keepAliveMsecs());
    assertTrue(o.retryOnStaleSocket());
    assertEquals(AgentOptions.defaults().toString(), parse("http://x/").options().toString());
  }

  @Test
  void theBuildersMessageIsReportedUnderTheFlag() {
    ParameterException e =
        assertThrows(
            ParameterException.class, () -> parse("--max-free-sockets", "0", "u").options());
    assertEquals("--max-free-sockets must be >= 1, was 0", e.getMessage());
    Cli.Run r = Cli.run("probe", "--max-sockets", "0", "http://127.0.0.1:1/");
    assertEquals(2, r.code());
    assertEquals("probe: --max-sockets must be >= 1, was 0\n", r.err());
  }

  @Test
  void aProbeAsksForAtMostTheStatedNumberOfRequests(@TempDir Path dir) throws Exception {
    Cli.Run r = Cli.run("probe", "--rounds", "60000,60000", "http://127.0.0.1:1/");
    assertEquals(2, r.code(), r.err());
    assertEquals(
        "probe: --rounds asks for 120000 requests in all; a probe sends at most 100000 (one JSON"
            + " entry each)\n",
        r.err());
    assertEquals("", r.out());
    String urls = String.join(",", Collections.nCopies(50_001, "\"http://127.0.0.1:1/\""));
    Path plan = dir.resolve("plan.json");
    Files.writeString(
        plan, "{\"rounds\": [{\"urls\": [" + urls + "]}, {\"urls\": [" + urls + "]}]}");
    r = Cli.run("probe", "--plan", plan.toString());
    assertEquals(2, r.code(), r.err());
    assertEquals(
        "probe: --plan "
            + plan
            + ": asks for 100002 requests in all; a probe sends at most 100000 (one JSON entry"
            + " each)\n",
        r.err());
    String help = Cli.run("probe", "--help").out();
    assertTrue(help.contains("at most 100000 requests in all"), help);
  }

  @Test
  void aPauseInAPlanIsAWholeNumberOfMilliseconds(@TempDir Path dir) throws Exception {
    Path plan = dir.resolve("plan.json");
    for (String pause : new String[] {"1.5", "20.0", "\"20\"", "-1"}) {
      Files.writeString(
          plan,
          "{\"rounds\": [{\"urls\": [\"http://127.0.0.1:1/\"], \"pauseMs\": " + pause + "}]}");
      Cli.Run r = Cli.run("probe", "--plan", plan.toString());
      assertEquals(2, r.code(), pause + ": " + r.err());
      assertTrue(
          r.err().startsWith("probe: --plan " + plan + ": rounds[0].pauseMs must be"), r.err());
      assertTrue(r.err().endsWith(", was " + pause + "\n"), r.err());
    }
  }
}
