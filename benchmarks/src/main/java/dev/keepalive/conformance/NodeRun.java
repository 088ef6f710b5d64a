package dev.keepalive.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Every scenario through one real Node binary, in one Node process ({@code scenarios.js}), against
 * a fresh {@link ScenarioServer}. The process runs without proxy variables or {@code NODE_OPTIONS},
 * so the user's environment cannot change how Node connects.
 */
final class NodeRun {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SCRIPT = "scenarios.js";
  private static final long TIMEOUT_MINUTES = 5;

  private NodeRun() {}

  /** One trace per scenario, in order. */
  static List<Trace> run(Path node, List<Scenario> scenarios)
      throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("keepalive-conformance-");
    try (ScenarioServer server = new ScenarioServer()) {
      int[][] ports = server.listenAll(scenarios);
      Path script = dir.resolve(SCRIPT);
      try (InputStream in = NodeRun.class.getResourceAsStream(SCRIPT)) {
        if (in == null) {
          throw new IOException(SCRIPT + " is missing from the class path");
        }
        Files.copy(in, script);
      }
      Path plan = dir.resolve("plan.json");
      Files.writeString(plan, JSON.writeValueAsString(plan(scenarios, ports, server)));
      Path stderr = dir.resolve("stderr.txt");
      ProcessBuilder pb =
          new ProcessBuilder(node.toString(), script.toString(), plan.toString())
              .redirectError(stderr.toFile());
      Map<String, String> env = pb.environment();
      env.keySet()
          .removeIf(
              k ->
                  k.toLowerCase(Locale.ROOT).endsWith("_proxy")
                      || k.equals("NODE_USE_ENV_PROXY")
                      || k.equals("NODE_OPTIONS"));
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IOException(
            node + " did not finish the scenarios in " + TIMEOUT_MINUTES + " min");
      }
      if (p.exitValue() != 0) {
        throw new IOException(
            node + " failed (exit " + p.exitValue() + "): " + Files.readString(stderr));
      }
      server.settle();
      JsonNode results = out.isBlank() ? null : JSON.readTree(out).get("results");
      if (results == null || results.size() != scenarios.size()) {
        throw new IOException(
            node + " did not report every scenario: '" + out + "' " + Files.readString(stderr));
      }
      List<Trace> traces = new ArrayList<>();
      for (int i = 0; i < scenarios.size(); i++) {
        List<Trace.Outcome> outcomes = new ArrayList<>();
        for (JsonNode e : results.get(i)) {
          outcomes.add(
              new Trace.Outcome(
                  e.get("round").asInt(),
                  e.get("index").asInt(),
                  e.get("status").asInt(0),
                  e.get("body").asText(null),
                  e.get("reused").asBoolean(),
                  e.get("error").isNull() ? null : e.get("error").asText()));
        }
        traces.add(Trace.of(outcomes, server.log(i)));
      }
      return traces;
    } finally {
      try (var files = Files.list(dir)) {
        for (Path f : files.toList()) {
          Files.deleteIfExists(f);
        }
      }
      Files.deleteIfExists(dir);
    }
  }

  private static ObjectNode plan(List<Scenario> scenarios, int[][] ports, ScenarioServer server) {
    ObjectNode plan = JSON.createObjectNode();
    ArrayNode list = plan.putArray("scenarios");
    for (int i = 0; i < scenarios.size(); i++) {
      Scenario s = scenarios.get(i);
      ObjectNode o = list.addObject().put("name", s.name);
      if (s.https()) {
        o.put("ca", server.certificatePem());
      }
      switch (s.kind) {
        case GLOBAL -> o.put("agent", "global");
        case NONE -> o.put("agent", false);
        case NEW -> o.set("agent", JSON.valueToTree(s.nodeOptions));
      }
      ArrayNode rounds = o.putArray("rounds");
      for (int r = 0; r < s.rounds.size(); r++) {
        Scenario.Round round = s.rounds.get(r);
        ObjectNode ro = rounds.addObject().put("pauseMs", round.pauseMillis());
        ArrayNode requests = ro.putArray("requests");
        for (int k = 0; k < round.steps().size(); k++) {
          Scenario.Step step = round.steps().get(k);
          ObjectNode q =
              requests.addObject().put("url", ScenarioServer.url(s, ports[i], step, r, k));
          q.put("timeoutMs", step.timeoutMillis()).put("busyMs", step.busyMillis());
          if (step.connection() != null) {
            q.put("connection", step.connection());
          }
        }
      }
    }
    return plan;
  }
}
