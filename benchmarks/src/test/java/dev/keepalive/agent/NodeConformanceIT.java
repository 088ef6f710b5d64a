package dev.keepalive.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keepalive.server.HarnessServer;
import dev.keepalive.server.ServerOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Differential test: the same request pattern through Node's real {@code http.Agent} and through
 * ours, against the same server; which requests shared a connection (as the server saw it) and
 * which were {@code reusedSocket} must agree. Skipped, with a message, where {@code node} is
 * absent.
 */
class NodeConformanceIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static String nodeVersion;
  private HarnessServer server;

  @BeforeAll
  static void findNode() {
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      nodeVersion = p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
    } catch (IOException | InterruptedException e) {
      nodeVersion = null;
    }
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  /**
   * One scenario: agent options as Node spells them, rounds of URL paths (listener index, path).
   */
  private void assertSameAsNode(
      ServerOptions.Builder serverConfig,
      ObjectNode nodeAgent,
      AgentOptions ours,
      List<List<String>> rounds,
      long pauseMillis)
      throws Exception {
    assumeTrue(nodeVersion != null, "node is not on PATH: Node conformance skipped");
    server = serverConfig.start();
    List<List<String>> urls = new ArrayList<>();
    for (List<String> round : rounds) {
      List<String> u = new ArrayList<>();
      for (String spec : round) {
        int listener = spec.startsWith("1:") ? 1 : 0;
        String path = spec.startsWith("1:") ? spec.substring(2) : spec;
        u.add(server.uris().get(listener).resolve(path).toString());
      }
      urls.add(u);
    }
    List<String> node = sharing(runNode(nodeAgent, urls, pauseMillis));
    server.resetStats();
    List<String> java = sharing(runOurs(ours, urls, pauseMillis));
    assertEquals(
        node, java, "connection sharing and reusedSocket, Node " + nodeVersion + " vs ours");
  }

  private JsonNode runNode(ObjectNode agent, List<List<String>> urls, long pause) throws Exception {
    ObjectNode spec = JSON.createObjectNode();
    spec.set("agent", agent == null ? JSON.getNodeFactory().booleanNode(false) : agent);
    ArrayNode rounds = spec.putArray("rounds");
    for (List<String> u : urls) {
      ObjectNode r = rounds.addObject();
      u.forEach(r.putArray("urls")::add);
      r.put("pauseMs", pause);
    }
    Path script = Path.of(getClass().getResource("/node/agent-probe.js").toURI());
    Process p =
        new ProcessBuilder("node", script.toString(), JSON.writeValueAsString(spec))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(true, p.waitFor(60, TimeUnit.SECONDS), "node finished");
    assertEquals(0, p.exitValue(), "node exit code; output: " + out);
    return JSON.readTree(out);
  }

  private JsonNode runOurs(AgentOptions options, List<List<String>> urls, long pause)
      throws Exception {
    ArrayNode out = JSON.createArrayNode();
    try (Agent agent = Agent.create(options)) {
      for (int r = 0; r < urls.size(); r++) {
        List<Request> requests = new ArrayList<>();
        for (String u : urls.get(r)) {
          requests.add(Request.builder(URI.create(u)).build());
        }
        List<CompletableFuture<Response>> fs = agent.requestAll(requests); // one tick, as Node
        for (int i = 0; i < fs.size(); i++) {
          ObjectNode e = out.addObject();
          e.put("round", r).put("index", i);
          try {
            Response resp = fs.get(i).get(30, TimeUnit.SECONDS);
            e.put("port", Integer.parseInt(resp.header("X-Client-Port")));
            e.put("reusedSocket", resp.reusedSocket());
            e.putNull("error");
          } catch (ExecutionException ex) {
            AgentException a = (AgentException) ex.getCause();
            e.putNull("port");
            e.put("reusedSocket", a.reusedSocket());
            e.put("error", a.getMessage());
          }
        }
        Thread.sleep(pause);
      }
    }
    return out;
  }

  /** Ports renamed A, B, C... in order of first appearance, plus "r" for reusedSocket. */
  private static List<String> sharing(JsonNode entries) {
    Map<Integer, String> names = new HashMap<>();
    List<String> out = new ArrayList<>();
    for (JsonNode e : entries) {
      String conn =
          e.get("port").isNull()
              ? "error"
              : names.computeIfAbsent(
                  e.get("port").asInt(), k -> String.valueOf((char) ('A' + names.size())));
      out.add(e.get("round").asInt() + ":" + conn + (e.get("reusedSocket").asBoolean() ? "r" : ""));
    }
    return out;
  }

  private static ObjectNode node(Object... kv) {
    ObjectNode n = JSON.createObjectNode();
    for (int i = 0; i < kv.length; i += 2) {
      n.putPOJO((String) kv[i], kv[i + 1]);
    }
    return n;
  }

  private static AgentOptions.Builder ka() {
    return AgentOptions.builder().keepAlive(true);
  }

  @Test
  void serialKeepAlive() throws Exception {
    assertSameAsNode(
        ServerOptions.builder(),
        node("keepAlive", true),
        ka().build(),
        List.of(List.of("/"), List.of("/"), List.of("/"), List.of("/")),
        20);
  }

  @Test
  void defaultAgentNeverReuses() throws Exception {
    assertSameAsNode(
        ServerOptions.builder(),
        JSON.createObjectNode(),
        AgentOptions.defaults(),
        List.of(List.of("/", "/", "/"), List.of("/")),
        20);
  }

  @Test
  void maxSocketsQueueThenLifo() throws Exception {
    assertSameAsNode(
        ServerOptions.builder(),
        node("keepAlive", true, "maxSockets", 2),
        ka().maxSockets(2).build(),
        List.of(List.of("/delay/10", "/delay/80", "/delay/10", "/delay/10"), List.of("/", "/")),
        20);
  }

  @Test
  void maxSocketsQueueThenFifo() throws Exception {
    assertSameAsNode(
        ServerOptions.builder(),
        node("keepAlive", true, "maxSockets", 2, "scheduling", "fifo"),
        ka().maxSockets(2).scheduling(Scheduling.FIFO).build(),
        List.of(List.of("/delay/10", "/delay/80", "/delay/10", "/delay/10"), List.of("/", "/")),
        20);
  }

  @Test
  void maxFreeSocketsOne() throws Exception {
    assertSameAsNode(
        ServerOptions.builder(),
        node("keepAlive", true, "maxFreeSockets", 1),
        ka().maxFreeSockets(1).build(),
        List.of(List.of("/delay/10", "/delay/40", "/delay/70"), List.of("/")),
        20);
  }

  @Test
  void maxTotalSocketsAcrossTwoOriginsWithOvershoot() throws Exception {
    assertSameAsNode(
        ServerOptions.builder().listeners(2),
        node("keepAlive", true, "maxTotalSockets", 2),
        ka().maxTotalSockets(2).build(),
        List.of(List.of("/delay/10", "/delay/60", "1:/delay/10"), List.of("/", "1:/")),
        20);
  }

  @Test
  void boundedAgentWithoutKeepAliveServesItsQueueThenCloses() throws Exception {
    assertSameAsNode(
        ServerOptions.builder(),
        node("maxSockets", 1),
        AgentOptions.builder().maxSockets(1).build(),
        List.of(List.of("/", "/", "/"), List.of("/")),
        20);
  }

  @Test
  void connectionCloseResponses() throws Exception {
    assertSameAsNode(
        ServerOptions.builder(),
        node("keepAlive", true),
        ka().build(),
        List.of(List.of("/close"), List.of("/"), List.of("/")),
        20);
  }

  @Test
  void keepAliveHintOfOneSecond() throws Exception {
    assertSameAsNode(
        ServerOptions.builder().keepAliveHintSeconds(1),
        node("keepAlive", true),
        ka().build(),
        List.of(List.of("/"), List.of("/")),
        20);
  }

  @Test
  void serverIdleClose() throws Exception {
    assertSameAsNode(
        ServerOptions.builder().idleTimeoutMillis(100),
        node("keepAlive", true),
        ka().build(),
        List.of(List.of("/"), List.of("/"), List.of("/")),
        300);
  }

  @Test
  void agentTimeoutOnFreeSockets() throws Exception {
    assertSameAsNode(
        ServerOptions.builder().idleTimeoutMillis(0),
        node("keepAlive", true, "timeout", 100),
        ka().timeoutMillis(100).build(),
        List.of(List.of("/"), List.of("/", "/"), List.of("/")),
        250);
  }
}
