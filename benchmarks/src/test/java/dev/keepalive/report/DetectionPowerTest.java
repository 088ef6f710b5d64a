package dev.keepalive.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** What {@link DetectionPower} estimates from A/A rounds, on rounds whose noise is known. */
class DetectionPowerTest {

  private static final String[] ROWS = {"keep-alive c1 13B", "keep-alive c16 13B", "ms4 c16 13B"};

  /** One run: each row one fork of 5 iterations at {@code value} × (1 ± noise). */
  private static Map<String, Compare.Entry> run(double value, double logNoise, Random random) {
    Map<String, Compare.Entry> out = new LinkedHashMap<>();
    for (String row : ROWS) {
      double v = value * Math.exp(random.nextGaussian() * logNoise);
      double[] fork = {v, v, v, v, v};
      out.put(row, entry(row, "thrpt", v, fork));
    }
    return out;
  }

  private static Compare.Entry entry(String row, String mode, double score, double[] fork) {
    return new Compare.Entry(
        "b|" + mode + "|" + row,
        "b",
        mode,
        Map.of(),
        score,
        0,
        "ops/s",
        List.of(fork),
        "settings",
        "17",
        row);
  }

  /** A/A rounds: each round's speed shared by both sides, each side's own noise on top. */
  private static List<List<Map<String, Compare.Entry>>> aa(
      int rounds, double drift, double logNoise, long seed) {
    Random random = new Random(seed);
    List<Map<String, Compare.Entry>> base = new ArrayList<>();
    List<Map<String, Compare.Entry>> now = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      double speed = 50_000 * Math.exp((random.nextDouble() - 0.5) * drift);
      base.add(run(speed, logNoise, random));
      now.add(run(speed, logNoise, random));
    }
    return List.of(base, now);
  }

  private static DetectionPower.Cell cell(List<DetectionPower.Cell> cells, int n, double drop) {
    return cells.stream()
        .filter(c -> c.rounds() == n && c.dropPercent() == drop)
        .findFirst()
        .orElseThrow();
  }

  /**
   * The machine's speed moves 2× between rounds, but both sides of a round share it: a 25 % drop is
   * called in every draw of 4 rounds and no change never is. Drawing BASE and NEW from different
   * rounds would lose both.
   */
  @Test
  void roundsStayPairedSoDriftBetweenRoundsDropsOut() {
    var aa = aa(12, Math.log(2), 0.01, 1);
    List<DetectionPower.Cell> cells =
        DetectionPower.estimate(aa.get(0), aa.get(1), List.of(4), List.of(0.0, 25.0), 500, 10, 7);
    assertEquals(0, cell(cells, 4, 0).runsRegressed());
    assertEquals(0, cell(cells, 4, 0).runsWithAnImprovedRow());
    assertEquals(500, cell(cells, 4, 25).runsRegressed());
    assertEquals(10.0, cell(cells, 4, 25).regressedPer10());
    for (String row : ROWS) {
      assertEquals(500, cell(cells, 4, 25).rowsRegressed().get(row));
      assertTrue(cell(cells, 4, 0).medianDetectable().get(row) < 0.05);
    }
  }

  /**
   * Noise within a round as wide as the drop: with 3 rounds a 25 % drop is seldom called, with 12
   * mostly; the smallest detectable change narrows as rounds are added.
   */
  @Test
  void noiseWithinARoundHidesADropThatMoreRoundsReveal() {
    var aa = aa(40, 0, 0.25, 2);
    List<DetectionPower.Cell> cells =
        DetectionPower.estimate(
            aa.get(0), aa.get(1), List.of(3, 12), List.of(0.0, 25.0), 1000, 10, 3);
    double few = cell(cells, 3, 25).regressedPer10();
    double many = cell(cells, 12, 25).regressedPer10();
    assertTrue(few < 4, "3 rounds: " + few);
    assertTrue(many > 7, "12 rounds: " + many);
    assertTrue(cell(cells, 12, 0).regressedPer10() < 1, "false alarms");
    for (String row : ROWS) {
      double d3 = cell(cells, 3, 0).medianDetectable().get(row);
      double d12 = cell(cells, 12, 0).medianDetectable().get(row);
      assertTrue(d12 < d3 / 2, row + ": " + d3 + " -> " + d12);
    }
  }

  /**
   * A/A rounds whose NEW happened to measure 20 % below BASE on average: that offset is noise (the
   * same code on both sides), so it is divided out. Left in, every draw with no drop would be a
   * false alarm, and a 10 % drop would look like 28 %.
   */
  @Test
  void theAaRoundsOwnOffsetIsNoiseAndDividedOut() {
    var aa = aa(12, Math.log(2), 0.01, 4);
    List<Map<String, Compare.Entry>> low = new ArrayList<>();
    aa.get(1).forEach(run -> low.add(DetectionPower.slowed(run, 0.8)));
    Map<String, Double> own = DetectionPower.aaRatios(aa.get(0), low);
    assertEquals(3, own.size());
    own.values().forEach(r -> assertEquals(0.8, r, 0.01));
    List<DetectionPower.Cell> cells =
        DetectionPower.estimate(aa.get(0), low, List.of(4), List.of(0.0, 5.0, 25.0), 300, 10, 5);
    assertEquals(0, cell(cells, 4, 0).runsRegressed());
    assertEquals(0, cell(cells, 4, 5).runsRegressed(), "5 % is within the threshold");
    assertEquals(300, cell(cells, 4, 25).runsRegressed());
  }

  @Test
  void aDropSlowsThroughputAndLengthensTime() {
    Map<String, Compare.Entry> run = new LinkedHashMap<>();
    run.put("t", entry("t", "thrpt", 100, new double[] {100, 80}));
    run.put("a", entry("a", "avgt", 3, new double[] {3, 6}));
    Map<String, Compare.Entry> s = DetectionPower.slowed(run, 0.75);
    assertEquals(75, s.get("t").score(), 1e-9);
    assertEquals(60, s.get("t").rawData().get(0)[1], 1e-9);
    assertEquals(4, s.get("a").score(), 1e-9);
    assertEquals(8, s.get("a").rawData().get(0)[1], 1e-9);
    assertEquals(80, run.get("t").rawData().get(0)[1], "the A/A data stay as measured");
  }

  @Test
  void badInputIsNamed() {
    var aa = aa(5, 0, 0.1, 3);
    var b = aa.get(0);
    var n = aa.get(1);
    List<Double> drops = List.of(0.0, 25.0);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> DetectionPower.estimate(b, n, List.of(6), drops, 100, 10, 1));
    assertEquals("rounds must be 3..5 (the A/A rounds given), was 6", e.getMessage());
    List<Map<String, Compare.Entry>> lacking = new ArrayList<>(n);
    lacking.set(2, new LinkedHashMap<>(n.get(2)));
    lacking.get(2).remove(ROWS[1]);
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> DetectionPower.estimate(b, lacking, List.of(3), drops, 100, 10, 1));
    assertEquals(
        "NEW's round 3 lacks keep-alive c16 13B: power needs every row in every A/A round",
        e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> DetectionPower.estimate(b, n.subList(0, 4), List.of(3), drops, 100, 10, 1));
    assertTrue(e.getMessage().contains("were 5 and 4"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> DetectionPower.estimate(b, n, List.of(3), List.of(95.0), 100, 10, 1));
    assertEquals("a drop must be 0..90 %, was 95.0", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> DetectionPower.estimate(b, n, List.of(3), drops, 0, 10, 1));
    assertEquals("draws must be at least 1, was 0", e.getMessage());
  }
}
