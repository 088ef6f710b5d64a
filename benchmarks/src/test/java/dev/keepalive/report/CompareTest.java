package dev.keepalive.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression verdicts on golden JMH JSON (real suite and PoolBenchmark output), with NEW derived by
 * scaling the golden scores and setting their confidence intervals.
 */
class CompareTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  /**
   * The golden file with every score scaled by {@code factor} and intervals of ±{@code
   * halfWidthPct}%.
   */
  private Path variant(String golden, String name, double factor, double halfWidthPct)
      throws Exception {
    ArrayNode root = (ArrayNode) JSON.readTree(ReportTest.golden(golden).toFile());
    for (JsonNode e : root) {
      ObjectNode pm = (ObjectNode) e.get("primaryMetric");
      double score = pm.get("score").asDouble() * factor;
      pm.put("score", score);
      ArrayNode ci = pm.putArray("scoreConfidence");
      ci.add(score * (1 - halfWidthPct / 100));
      ci.add(score * (1 + halfWidthPct / 100));
    }
    Path p = tmp.resolve(name);
    Files.writeString(p, JSON.writeValueAsString(root));
    return p;
  }

  private static Compare.Comparison compare(Path base, Path now) throws IOException {
    return Compare.compare(Compare.load(base), Compare.load(now), 10);
  }

  @Test
  void aTwentyPercentThroughputDropIsARegression() throws Exception {
    Compare.Comparison c =
        compare(
            variant("quick/jmh.json", "base.json", 1.0, 1),
            variant("quick/jmh.json", "new.json", 0.8, 1));
    assertEquals(11, c.results().size());
    assertTrue(
        c.results().stream().allMatch(r -> r.verdict() == Compare.Verdict.REGRESSED),
        Compare.markdown(c));
    assertEquals(11, c.regressions());
  }

  @Test
  void aTwentyPercentTimeIncreaseIsARegression() throws Exception {
    Compare.Comparison c =
        compare(
            variant("pool-avgt.json", "base.json", 1.0, 1),
            variant("pool-avgt.json", "new.json", 1.2, 1));
    assertEquals(2, c.results().size());
    assertTrue(
        c.results().stream().allMatch(r -> r.verdict() == Compare.Verdict.REGRESSED),
        Compare.markdown(c));
  }

  @Test
  void speedUpsAreImprovementsInEitherDirection() throws Exception {
    Compare.Comparison thrpt =
        compare(
            variant("quick/jmh.json", "b1.json", 1.0, 1),
            variant("quick/jmh.json", "n1.json", 1.3, 1));
    assertTrue(thrpt.results().stream().allMatch(r -> r.verdict() == Compare.Verdict.IMPROVED));
    Compare.Comparison time =
        compare(
            variant("pool-avgt.json", "b2.json", 1.0, 1),
            variant("pool-avgt.json", "n2.json", 0.7, 1));
    assertTrue(time.results().stream().allMatch(r -> r.verdict() == Compare.Verdict.IMPROVED));
    assertEquals(0, time.regressions());
  }

  @Test
  void overlappingIntervalsAreUnchangedEvenBeyondTheThreshold() throws Exception {
    Compare.Comparison c =
        compare(
            variant("quick/jmh.json", "base.json", 1.0, 30),
            variant("quick/jmh.json", "new.json", 0.8, 30));
    assertTrue(
        c.results().stream().allMatch(r -> r.verdict() == Compare.Verdict.UNCHANGED),
        Compare.markdown(c));
  }

  @Test
  void changesWithinTheThresholdAreUnchanged() throws Exception {
    Compare.Comparison c =
        compare(
            variant("quick/jmh.json", "base.json", 1.0, 0.1),
            variant("quick/jmh.json", "new.json", 0.95, 0.1));
    assertTrue(c.results().stream().allMatch(r -> r.verdict() == Compare.Verdict.UNCHANGED));
  }

  @Test
  void entriesOnOneSideOnlyAreListedNotErrors() throws Exception {
    Map<String, Compare.Entry> quick = Compare.load(ReportTest.golden("quick/jmh.json"));
    Map<String, Compare.Entry> both = new java.util.LinkedHashMap<>(quick);
    both.putAll(Compare.load(ReportTest.golden("pool-avgt.json")));
    Compare.Comparison c = Compare.compare(quick, both, 10);
    assertEquals(11, c.results().size());
    assertEquals(0, c.onlyInBase().size());
    assertEquals(2, c.onlyInNew().size());
    assertTrue(Compare.markdown(c).contains("Only in NEW"));
    assertEquals(2, Compare.compare(both, quick, 10).onlyInBase().size());
  }

  @Test
  void nothingInCommonIsNotAPass() throws Exception {
    Map<String, Compare.Entry> base = Compare.load(ReportTest.golden("quick/jmh.json"));
    Map<String, Compare.Entry> now = Compare.load(ReportTest.golden("pool-avgt.json"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Compare.compare(base, now, 10));
    assertEquals(
        "nothing to compare: none of NEW's 2 entries matches one of BASE's 11 (entries match by"
            + " benchmark, mode and parameters)",
        e.getMessage());
  }

  @Test
  void anEmptyRunOrAScoreThatIsNotANumberIsRejected() throws Exception {
    Path empty = tmp.resolve("empty.json");
    Files.writeString(empty, "[]");
    IOException e = assertThrows(IOException.class, () -> Compare.load(empty));
    assertEquals(empty + " holds no results (an empty array): nothing to compare", e.getMessage());
    for (String score : new String[] {"\"NaN\"", "\"Infinity\"", "\"fast\"", "-1", "null"}) {
      ArrayNode root = (ArrayNode) JSON.readTree(ReportTest.golden("quick/jmh.json").toFile());
      ((ObjectNode) root.get(3).get("primaryMetric")).set("score", JSON.readTree(score));
      Path nan = tmp.resolve("nan.json");
      Files.writeString(nan, JSON.writeValueAsString(root));
      e = assertThrows(IOException.class, () -> Compare.load(nan), score);
      assertTrue(
          e.getMessage().startsWith(nan + ": StrategyBenchmark.request concurrency="), score);
      assertTrue(
          e.getMessage().endsWith(" has score " + score + ", not a number >= 0"), e.getMessage());
    }
  }

  @Test
  void notJmhJsonIsRejectedWithOneLine() throws Exception {
    Path bad = tmp.resolve("bad.json");
    Files.writeString(bad, "[{\"foo\": 1}]");
    IOException e = assertThrows(IOException.class, () -> Compare.load(bad));
    assertTrue(e.getMessage().contains("is not JMH JSON"), e.getMessage());
    Files.writeString(bad, "{{{");
    e = assertThrows(IOException.class, () -> Compare.load(bad));
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
  }

  @Test
  void customFormatSplitsByDirection() throws Exception {
    Map<String, Compare.Entry> now = Compare.load(ReportTest.golden("quick/jmh.json"));
    now.putAll(Compare.load(ReportTest.golden("pool-avgt.json")));
    Compare.writeCustomFormat(now, tmp, false);
    JsonNode bigger = JSON.readTree(tmp.resolve("customBiggerIsBetter.json").toFile());
    JsonNode smaller = JSON.readTree(tmp.resolve("customSmallerIsBetter.json").toFile());
    assertEquals(11, bigger.size());
    assertEquals(2, smaller.size());
    assertEquals("ops/s", bigger.get(0).get("unit").asText());
    assertTrue(bigger.get(0).has("name") && bigger.get(0).has("value"));
  }

  @Test
  void aBaselineFromBeforeTheRelayStillMatchesLoopbackEntries() throws Exception {
    Path base = variant("quick/jmh.json", "base.json", 1.0, 1);
    ArrayNode now = (ArrayNode) JSON.readTree(base.toFile());
    for (JsonNode e : now) {
      ((ObjectNode) e.get("params")).put("rttMs", "0");
    }
    ObjectNode distant = now.get(0).deepCopy();
    ((ObjectNode) distant.get("params")).put("rttMs", "10");
    now.add(distant);
    Path p = tmp.resolve("now.json");
    Files.writeString(p, JSON.writeValueAsString(now));
    Compare.Comparison c = compare(base, p);
    assertEquals(11, c.results().size(), "rttMs=0 is what the baseline measured");
    assertTrue(
        c.results().stream().allMatch(r -> r.verdict() == Compare.Verdict.UNCHANGED),
        Compare.markdown(c));
    assertEquals(1, c.onlyInNew().size(), "RTT 10 ms has no baseline");
  }
}
