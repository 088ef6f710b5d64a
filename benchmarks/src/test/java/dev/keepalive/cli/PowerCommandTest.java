package dev.keepalive.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code power}: its tables, its JSON and its refusals. */
class PowerCommandTest {

  @TempDir Path tmp;

  private final ObjectMapper json = new ObjectMapper();

  private static Cli.Run power(String... args) {
    return Cli.command("power", args);
  }

  /** The quick golden run with every figure × factor, in a run folder of its own. */
  private String run(String name, double factor) throws Exception {
    JsonNode root =
        json.readTree(Path.of(getClass().getResource("/golden/quick/jmh.json").toURI()).toFile());
    for (JsonNode e : root) {
      ObjectNode pm = (ObjectNode) e.get("primaryMetric");
      pm.put("score", pm.get("score").asDouble() * factor);
      for (JsonNode fork : pm.get("rawData")) {
        ArrayNode its = (ArrayNode) fork;
        for (int i = 0; i < its.size(); i++) {
          its.set(i, its.get(i).asDouble() * factor);
        }
      }
    }
    Path dir = Files.createDirectories(tmp.resolve(name));
    Path p = dir.resolve("jmh.json");
    Files.writeString(p, json.writeValueAsString(root));
    return p.toString();
  }

  /**
   * Six A/A rounds on a machine whose speed moved 2× between them; both sides the same code, NEW 10
   * % lower in every round by chance (an offset power divides out).
   */
  private List<String> aa() throws Exception {
    double[] speed = {1.0, 0.5, 0.8, 0.6, 0.95, 0.7};
    List<String> base = new ArrayList<>();
    List<String> now = new ArrayList<>();
    for (int i = 0; i < speed.length; i++) {
      base.add(run("b" + i, speed[i]));
      now.add(run("n" + i, speed[i] * 0.9));
    }
    return List.of(String.join(",", base), String.join(",", now));
  }

  @Test
  void printsHowOftenEachDropWouldBeCalled() throws Exception {
    List<String> aa = aa();
    Cli.Run r = power(aa.get(0), aa.get(1), "--rounds", "3,4", "--drops", "5,25", "--draws", "200");
    assertEquals(0, r.code(), r.err());
    assertTrue(
        r.out().startsWith("From 6 paired A/A rounds (the same code on both sides), 11 rows"),
        r.out());
    // a 25 % drop stands out of rounds that agree; 5 % is within the 10 % threshold: unchanged
    assertTrue(
        r.out().contains("| rounds | no change (false alarms) | drop 5 % | drop 25 % |"), r.out());
    assertTrue(r.out().contains("| 3 | 0.0 | 0.0 | 10.0 |"), r.out());
    assertTrue(r.out().contains("| 4 | 0.0 | 0.0 | 10.0 |"), r.out());
    assertTrue(r.out().contains("| keep-alive c1 13B |"), r.out());
    assertTrue(r.out().contains("divided out of NEW before the draws:\n"), r.out());
    assertTrue(r.out().contains("keep-alive c1 13B 0.900"), r.out());
    assertTrue(r.out().contains("| 4 | 0.0 / 10.0 (±0 %) |"), r.out());
    assertTrue(r.out().contains("With N above half the 6 rounds given"), r.out());

    r = power(aa.get(0), aa.get(1), "--draws", "100", "--format", "json");
    assertEquals(0, r.code(), r.err());
    JsonNode root = json.readTree(r.out());
    assertEquals(6, root.get("aaRounds").asInt());
    assertEquals(0.9, root.get("aaRatios").get("keep-alive c1 13B").asDouble(), 1e-9);
    // the default round counts that fit 6 rounds (3, 4, 5, 6) × no change, 10 % and 25 %
    assertEquals(12, root.get("cells").size());
    JsonNode last = root.get("cells").get(11);
    assertEquals(6, last.get("rounds").asInt());
    assertEquals(25.0, last.get("dropPercent").asDouble());
    assertEquals(10.0, last.get("runsCalledRegressedPer10").asDouble());
  }

  @Test
  void helpNamesTheDefaultsAndOneListSyntax() {
    Cli.Run r = power("--help");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("--rounds=N[,N...]"), r.out());
    assertTrue(!r.out().contains("[,N[,N...]...]"), r.out());
    assertTrue(r.out().contains("plants a drop\nof D % in every row"), r.out());
    assertTrue(r.out().contains("(100..100000, default 2000)"), r.out());
  }

  @Test
  void badUsageExitsTwoNamingTheOption() throws Exception {
    List<String> aa = aa();
    Cli.Run r = power(aa.get(0), aa.get(1), "--rounds", "7");
    assertEquals(2, r.code(), r.out());
    assertTrue(
        r.err().contains("--rounds: each must be 3..6 (the A/A rounds given), was 7"), r.err());
    r = power(aa.get(0), aa.get(1), "--rounds", "2");
    assertEquals(2, r.code(), r.out());
    assertTrue(r.err().contains("--rounds: each must be 3..6"), r.err());
    r = power(aa.get(0), aa.get(1), "--drops", "0");
    assertEquals(2, r.code(), r.out());
    assertTrue(r.err().contains("--drops: each must be in (0, 90] percent, was 0.0"), r.err());
    r = power(aa.get(0), aa.get(1), "--draws", "5");
    assertEquals(2, r.code(), r.out());
    assertTrue(r.err().contains("--draws must be 100..100000, was 5"), r.err());
    String two = String.join(",", List.of(aa.get(0).split(",")).subList(0, 2));
    r = power(two, two);
    assertEquals(2, r.code(), r.out());
    assertTrue(r.err().contains("one per A/A round, 3 or more; were 2 and 2"), r.err());
    r = power(aa.get(0), tmp.resolve("missing.json") + ",x,y,z,u,v");
    assertEquals(2, r.code(), r.out());
    assertTrue(r.err().contains("missing.json"), r.err());
  }
}
