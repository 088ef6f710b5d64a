package dev.keepalive.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keepalive.server.HarnessServer;
import dev.keepalive.server.ServerOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProbeIT {

  private HarnessServer server;
  private String base;

  record Run(int code, String out, String err) {
    JsonNode json() throws Exception {
      return new ObjectMapper().readTree(out);
    }
  }

  @BeforeEach
  void start() {
    server = ServerOptions.builder().listeners(2).start();
    base = server.uri().toString();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  static Run probe(String... args) {
    Cli.Run r = Cli.command("probe", args);
    return new Run(r.code(), r.out(), r.err());
  }

  @Test
  void keepAliveRoundsShareConnectionsAsTheServerSaw() throws Exception {
    Run r =
        probe(
            "--keep-alive",
            "--max-sockets",
            "2",
            "--rounds",
            "4,2",
            "--include-headers",
            base + "delay/5");
    assertEquals(0, r.code(), r.err());
    JsonNode j = r.json();
    assertEquals(6, j.get("requests").asInt());
    assertEquals(6, j.get("ok").asInt());
    assertEquals(0, j.get("errors").asInt());
    assertEquals(2, j.get("connectionsOpened").asInt());
    assertEquals(2, server.stats().connectionsAccepted());
    Set<Integer> ports = new HashSet<>();
    int i = 0;
    for (JsonNode e : j.get("perRequest")) {
      assertEquals(i < 4 ? 0 : 1, e.get("round").asInt());
      assertEquals(i < 4 ? i : i - 4, e.get("index").asInt());
      assertEquals(200, e.get("status").asInt());
      assertEquals(13, e.get("bodyLength").asInt());
      assertEquals(
          "dffd6021bb2bd5b0af676290809ec3a53191dd81c7f70a4b28688a362182986f",
          e.get("bodySha256").asText());
      assertEquals(i >= 4, e.get("reusedSocket").asBoolean(), "round 1 takes pooled sockets");
      String seen = null;
      for (JsonNode h : e.get("headers")) {
        if (h.get(0).asText().equals("X-Client-Port")) {
          seen = h.get(1).asText();
        }
      }
      assertEquals(e.get("localPort").asText(), seen, "localPort is the port the server saw");
      ports.add(e.get("localPort").asInt());
      i++;
    }
    assertEquals(2, ports.size());
    assertEquals(6, j.get("stats").get("requestCount").asInt());
  }

  @Test
  void agentTimeoutZeroMeansNoneAndIsAccepted() throws Exception {
    Run r = probe("--keep-alive", "--timeout-ms", "0", "--rounds", "1,1", base);
    assertEquals(0, r.code(), r.err());
    assertEquals(1, r.json().get("connectionsOpened").asInt());
    assertTrue(r.json().get("perRequest").get(1).get("reusedSocket").asBoolean());
  }

  @Test
  void defaultAgentSendsConnectionClose() throws Exception {
    Run r = probe("--rounds", "3", base + "headers");
    assertEquals(0, r.code());
    assertEquals(3, r.json().get("connectionsOpened").asInt());
    assertEquals(3, server.stats().connectionsAccepted());
  }

  @Test
  void failuresAreClassifiedAndExitOne() throws Exception {
    Run r = probe("--keep-alive", "--rounds", "2", base + "drop", base);
    assertEquals(1, r.code());
    JsonNode j = r.json();
    assertEquals(1, j.get("errors").asInt());
    assertEquals(1, j.get("ok").asInt());
    JsonNode failed = j.get("perRequest").get(0);
    assertTrue(failed.get("status").isNull());
    assertEquals("closed_early", failed.get("error").get("class").asText());
    assertEquals("socket hang up", failed.get("error").get("message").asText());
    assertFalse(failed.get("reusedSocket").asBoolean());
  }

  @Test
  void planRunsRoundsAcrossOrigins(@TempDir Path dir) throws Exception {
    Path plan = dir.resolve("plan.json");
    String a = server.uris().get(0).toString();
    String b = server.uris().get(1).toString();
    Files.writeString(
        plan,
        "{\"rounds\": [{\"urls\": [\""
            + a
            + "\", \""
            + b
            + "\"], \"pauseMs\": 0},"
            + " {\"urls\": [\""
            + b
            + "\"]}]}");
    Run r = probe("--keep-alive", "--plan", plan.toString());
    assertEquals(0, r.code(), r.err());
    JsonNode j = r.json();
    assertEquals(3, j.get("requests").asInt());
    assertEquals(b, j.get("perRequest").get(2).get("url").asText());
    assertTrue(j.get("perRequest").get(2).get("reusedSocket").asBoolean());
    assertEquals(1, server.stats().listeners().get(0).connectionsAccepted());
    assertEquals(1, server.stats().listeners().get(1).connectionsAccepted());
  }

  @Test
  void refusedTargetIsAClassifiedErrorNotAStackTrace() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Run r = probe("http://127.0.0.1:" + port + "/");
    assertEquals(1, r.code());
    assertEquals("refused", r.json().get("perRequest").get(0).get("error").get("class").asText());
    assertEquals("", r.err());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--bogus http://x/                    | unknown flag '--bogus'",
        "--max-sockets 0 http://x/            | --max-sockets must be >= 1, was 0",
        "--max-total-sockets abc http://x/    | --max-total-sockets must be a whole number, was 'abc'",
        "--scheduling filo http://x/          | --scheduling must be lifo or fifo, was 'filo'",
        "--rounds 2,0 http://x/               | --rounds values must be in [1, 100000], was 0 in '2,0'",
        "--pause-ms -1 http://x/              | --pause-ms must be in [0, 600000], was -1",
        "--no-agent --keep-alive http://x/    | --no-agent cannot be combined with agent options",
        "--keep-alive                         | give at least one URL, or --plan FILE",
        "ftp://x/                             | uri must be an absolute http:// or https:// URI with a host, was 'ftp://x/'",
        "--header nocolon http://x/           | --header must be 'Name: value', was 'nocolon'",
        "--plan /nonexistent/plan.json        | --plan /nonexistent/plan.json: cannot read a JSON plan: /nonexistent/plan.json",
      })
  void badUsageExitsTwoWithOneLineNamingIt(String args, String message) {
    Run r = probe(args.trim().split(" +"));
    assertEquals(2, r.code());
    assertEquals("probe: " + message + "\n", r.err());
    assertEquals("", r.out());
  }

  @Test
  void malformedPlanIsRejected(@TempDir Path dir) throws Exception {
    Path plan = dir.resolve("bad.json");
    Files.writeString(plan, "{\"rounds\": [{\"urls\": []}]}");
    Run r = probe("--plan", plan.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("rounds[0].urls must be 1..100000 URL strings"), r.err());
  }
}
