package dev.keepalive.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression verdicts on golden JMH JSON (real suite and PoolBenchmark output), with the raw data
 * of both sides drawn around the golden scores: a known factor, forks × iterations, and a known
 * noise.
 */
class CompareTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  /**
   * The golden file with each entry's raw data replaced by {@code forks} × {@code iterations}
   * values around its score × {@code factor}, with Gaussian noise of {@code noisePct} % (from
   * {@code seed}), and JMH's score interval set to ±{@code intervalPct} %.
   */
  private Path variant(
      String golden,
      String name,
      double factor,
      int forks,
      int iterations,
      double noisePct,
      double intervalPct,
      long seed)
      throws Exception {
    ArrayNode root = (ArrayNode) JSON.readTree(ReportTest.golden(golden).toFile());
    Random random = new Random(seed);
    for (JsonNode e : root) {
      ObjectNode pm = (ObjectNode) e.get("primaryMetric");
      double score = pm.get("score").asDouble() * factor;
      ArrayNode raw = pm.putArray("rawData");
      double sum = 0;
      for (int f = 0; f < forks; f++) {
        ArrayNode fork = raw.addArray();
        for (int i = 0; i < iterations; i++) {
          double v = score * (1 + random.nextGaussian() * noisePct / 100);
          fork.add(v);
          sum += v;
        }
      }
      pm.put("score", sum / (forks * iterations));
      ArrayNode ci = pm.putArray("scoreConfidence");
      ci.add(score * (1 - intervalPct / 100));
      ci.add(score * (1 + intervalPct / 100));
      ((ObjectNode) e).put("forks", forks).put("measurementIterations", iterations);
    }
    Path p = tmp.resolve(name);
    Files.writeString(p, JSON.writeValueAsString(root));
    return p;
  }

  private Path quick(String name, double factor, double noisePct, long seed) throws Exception {
    return variant("quick/jmh.json", name, factor, 3, 5, noisePct, 2, seed);
  }

  private static Compare.Comparison compare(Path base, Path now) throws IOException {
    return Compare.compare(Compare.load(base), Compare.load(now), 10);
  }

  private static void assertAll(Compare.Comparison c, Compare.Verdict v) {
    assertTrue(
        c.results().stream().allMatch(r -> r.verdict() == v),
        v + " expected:\n" + CompareTable.markdown(c));
  }

  /** The interval-overlap rule called this "unchanged": JMH's intervals were ±60 % wide. */
  @Test
  void aSeventyTwoPercentDropIsARegressionWhateverJmhsIntervalsSay() throws Exception {
    Path base = variant("quick/jmh.json", "base.json", 1.0, 3, 5, 5, 60, 1);
    Path now = variant("quick/jmh.json", "new.json", 0.28, 3, 5, 5, 60, 2);
    Compare.Comparison c = compare(base, now);
    assertEquals(11, c.results().size());
    assertAll(c, Compare.Verdict.REGRESSED);
    assertEquals(11, c.regressions());
    Compare.Result r = c.results().get(0);
    assertTrue(r.estimate().forks(), "3 forks a side: the fork is the unit");
    assertTrue(r.estimate().high() < 0.9 && r.estimate().low() > 0.2, r.toString());
  }

  @Test
  void aTwentyPercentTimeIncreaseIsARegression() throws Exception {
    Compare.Comparison c =
        compare(
            variant("pool-avgt.json", "base.json", 1.0, 3, 5, 2, 1, 1),
            variant("pool-avgt.json", "new.json", 1.2, 3, 5, 2, 1, 2));
    assertEquals(2, c.results().size());
    assertAll(c, Compare.Verdict.REGRESSED);
  }

  @Test
  void speedUpsAreImprovementsInEitherDirection() throws Exception {
    assertAll(
        compare(quick("b1.json", 1.0, 2, 1), quick("n1.json", 1.3, 2, 2)),
        Compare.Verdict.IMPROVED);
    Compare.Comparison time =
        compare(
            variant("pool-avgt.json", "b2.json", 1.0, 3, 5, 2, 1, 1),
            variant("pool-avgt.json", "n2.json", 0.7, 3, 5, 2, 1, 2));
    assertAll(time, Compare.Verdict.IMPROVED);
    assertEquals(0, time.regressions());
  }

  @Test
  void aSmallChangeMeasuredPreciselyIsUnchanged() throws Exception {
    assertAll(
        compare(quick("base.json", 1.0, 0.5, 1), quick("new.json", 0.97, 0.5, 2)),
        Compare.Verdict.UNCHANGED);
  }

  /** Overlapping intervals called this "unchanged": the data allow a 15 % drop or none. */
  @Test
  void noisyDataThatAllowALargeChangeAreInconclusiveNotUnchanged() throws Exception {
    Compare.Comparison c =
        compare(
            variant("quick/jmh.json", "base.json", 1.0, 2, 3, 25, 40, 1),
            variant("quick/jmh.json", "new.json", 0.9, 2, 3, 25, 40, 2));
    assertEquals(0, c.count(Compare.Verdict.UNCHANGED), CompareTable.markdown(c));
    assertEquals(0, c.regressions(), CompareTable.markdown(c));
    assertTrue(c.count(Compare.Verdict.INCONCLUSIVE) >= 9, CompareTable.markdown(c));
  }

  @Test
  void identicalBuildsAreNotCalledRegressed() throws Exception {
    for (long seed = 1; seed <= 10; seed++) {
      Compare.Comparison c =
          compare(quick("base.json", 1.0, 5, seed), quick("new.json", 1.0, 5, seed + 100));
      assertEquals(0, c.regressions(), CompareTable.markdown(c));
      assertEquals(0, c.count(Compare.Verdict.IMPROVED), CompareTable.markdown(c));
    }
  }

  @Test
  void theSameFilesGiveTheSameIntervals() throws Exception {
    Path base = quick("base.json", 1.0, 5, 1);
    Path now = quick("new.json", 0.9, 5, 2);
    assertEquals(CompareTable.json(compare(base, now)), CompareTable.json(compare(base, now)));
  }

  @Test
  void oneForkASideRestsOnIterationsAndSaysItIsWeaker() throws Exception {
    Compare.Comparison c =
        compare(
            variant("quick/jmh.json", "base.json", 1.0, 1, 5, 2, 1, 1),
            variant("quick/jmh.json", "new.json", 0.5, 1, 5, 2, 1, 2));
    assertAll(c, Compare.Verdict.REGRESSED);
    Compare.Result r = c.results().get(0);
    assertFalse(r.estimate().forks());
    assertEquals("5+5 iterations", r.estimate().evidence());
    String md = CompareTable.markdown(c);
    assertTrue(md.contains("Rows whose evidence is iterations had fewer than 2 forks"), md);
  }

  @Test
  void aRowWithOneSampleASideHasNoIntervalAndIsInconclusive() throws Exception {
    Compare.Comparison c =
        compare(
            variant("quick/jmh.json", "base.json", 1.0, 1, 1, 0, 1, 1),
            variant("quick/jmh.json", "new.json", 0.5, 1, 1, 0, 1, 2));
    assertAll(c, Compare.Verdict.INCONCLUSIVE);
    String md = CompareTable.markdown(c);
    assertTrue(md.contains("0.500 (no interval)"), md);
    assertTrue(md.contains("A row without an interval has one sample on a side"), md);
    assertFalse(
        md.contains("Rows whose evidence is iterations"), "no interval rests on them: " + md);
  }

  @Test
  void eachRowSaysTheSmallestChangeItCouldDetect() throws Exception {
    Compare.Comparison precise = compare(quick("b.json", 1.0, 1, 1), quick("n.json", 1.0, 1, 2));
    Compare.Comparison noisy = compare(quick("b2.json", 1.0, 10, 1), quick("n2.json", 1.0, 10, 2));
    double small = precise.results().get(0).estimate().detectable();
    double large = noisy.results().get(0).estimate().detectable();
    assertTrue(small > 0 && small < 0.03, "±" + small);
    assertTrue(large > 3 * small, small + " vs " + large);
    String md = CompareTable.markdown(precise);
    assertTrue(md.contains("| detectable |"), md);
    assertTrue(md.matches("(?s).*\\| keep-alive c16 13B \\| ops/s \\|.*\\| ±[0-9.]+ % \\|.*"), md);
  }

  @Test
  void shortNamesNameTheWorkload() throws Exception {
    Map<String, Compare.Entry> quick = Compare.load(ReportTest.golden("quick/jmh.json"));
    List<String> names = quick.values().stream().map(Compare.Entry::name).toList();
    assertTrue(names.contains("keep-alive c16 13B"), names.toString());
    assertTrue(names.contains("max-total-4 c64 13B o2"), names.toString());
    Map<String, Compare.Entry> pool = Compare.load(ReportTest.golden("pool-avgt.json"));
    assertEquals(
        List.of("PoolBenchmark.poolHitAndRelease [avgt]", "PoolBenchmark.queueHandOff [avgt]"),
        pool.values().stream().map(Compare.Entry::name).toList());
  }

  @Test
  void differentMachinesOrSettingsAreSaidAtTheTop() throws Exception {
    Environment here =
        new Environment("2026-12-01T00:00:00Z", "AMD EPYC", 2, 4096, "Linux", "JDK 17", "a");
    Environment there =
        new Environment("2026-12-01T00:00:00Z", "Intel Xeon", 8, 4096, "Linux", "JDK 21", "b");
    Path base = quick("base.json", 1.0, 2, 1);
    Path now = variant("quick/jmh.json", "new.json", 1.0, 2, 4, 2, 1, 2);
    Compare.Comparison c = Compare.compare(Compare.load(base), here, Compare.load(now), there, 10);
    String md = CompareTable.markdown(c);
    assertTrue(md.indexOf("differ in setup") < md.indexOf("| row |"), md);
    assertTrue(md.contains("- CPU differ: BASE AMD EPYC, NEW Intel Xeon."), md);
    assertTrue(md.contains("- cores differ: BASE 2, NEW 8."), md);
    assertTrue(md.contains("- JDK differ: BASE JDK 17, NEW JDK 21."), md);
    assertTrue(
        md.contains(
            "- JMH settings differ: BASE 5 × 500 ms, warmup 1 × 500 ms, 1 thread, NEW 4 × 500 ms,"
                + " warmup 1 × 500 ms, 1 thread."),
        md);
    Path moreForks = variant("quick/jmh.json", "forks.json", 1.0, 5, 5, 2, 1, 3);
    Compare.Comparison same =
        Compare.compare(Compare.load(base), here, Compare.load(moreForks), here, 10);
    assertEquals(List.of(), same.setupDifferences(), "more forks are more evidence, not a change");
    assertFalse(CompareTable.markdown(same).contains("differ in setup"));
    assertEquals(
        List.of("NEW has no env.json: whether the machines differ is unknown."),
        Compare.compare(Compare.load(base), here, Compare.load(base), null, 10).setupDifferences());
  }

  @Test
  void rowsOnOneSideOnlyAreOneLineNotErrors() throws Exception {
    Map<String, Compare.Entry> quick = Compare.load(ReportTest.golden("quick/jmh.json"));
    Map<String, Compare.Entry> both = new java.util.LinkedHashMap<>(quick);
    both.putAll(Compare.load(ReportTest.golden("pool-avgt.json")));
    Compare.Comparison c = Compare.compare(quick, both, 10);
    assertEquals(11, c.results().size());
    assertEquals(0, c.onlyInBase().size());
    assertEquals(2, c.onlyInNew().size());
    assertTrue(
        CompareTable.markdown(c)
            .contains(
                "Only in NEW, not compared (2): PoolBenchmark.poolHitAndRelease [avgt],"
                    + " PoolBenchmark.queueHandOff [avgt].\n"),
        CompareTable.markdown(c));
    Compare.Entry first = quick.values().iterator().next();
    Compare.Comparison fewer = Compare.compare(quick, Map.of(first.key(), first), 10);
    String md = CompareTable.markdown(fewer);
    assertTrue(md.contains("Only in BASE, not compared (10): "), md);
    assertTrue(md.contains(" and 4 more.\n"), md);
    assertEquals(1, md.lines().filter(l -> l.startsWith("Only in")).count(), md);
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
      assertEquals(
          nan + ": jdk-httpclient c1 13B has score " + score + ", not a number >= 0",
          e.getMessage());
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
  void aBaselineFromBeforeTheRelayStillMatchesLoopbackEntries() throws Exception {
    Path base = quick("base.json", 1.0, 1, 1);
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
    assertAll(c, Compare.Verdict.UNCHANGED);
    assertEquals(1, c.onlyInNew().size(), "RTT 10 ms has no baseline");
    assertEquals("no-agent c1 13B r10", c.onlyInNew().get(0).name());
  }

  /**
   * Five interleaved rounds on a machine whose speed moved 2× from round to round: NEW 20 % slower
   * within each round is regressed on every row when the rounds are paired, and the same files
   * merged unpaired establish it on none; identical builds in the same rounds are unchanged.
   */
  @Test
  void pairedRoundsSeeThroughDriftThatMergedForksDoNot() throws Exception {
    double[] speed = {1.0, 0.55, 0.9, 0.5, 0.8};
    List<Map<String, Compare.Entry>> base = new java.util.ArrayList<>();
    List<Map<String, Compare.Entry>> slower = new java.util.ArrayList<>();
    List<Map<String, Compare.Entry>> same = new java.util.ArrayList<>();
    for (int i = 0; i < speed.length; i++) {
      base.add(load(variant("quick/jmh.json", "b" + i, speed[i], 1, 5, 1, 2, 10 + i)));
      slower.add(load(variant("quick/jmh.json", "n" + i, speed[i] * 0.8, 1, 5, 1, 2, 20 + i)));
      same.add(load(variant("quick/jmh.json", "s" + i, speed[i], 1, 5, 1, 2, 30 + i)));
    }
    Compare.Comparison paired = Compare.comparePaired(base, null, slower, null, 10);
    assertAll(paired, Compare.Verdict.REGRESSED);
    Compare.Result r = paired.results().get(0);
    assertEquals("5 rounds, paired", r.estimate().evidence());
    assertEquals(0.8, r.ratio(), 0.02);
    assertTrue(CompareTable.markdown(paired).contains("geometric mean of its rounds' ratios"));
    assertTrue(CompareTable.json(paired).contains("\"evidence\" : \"paired rounds\""));

    Compare.Comparison merged = Compare.compare(Compare.merge(base), Compare.merge(slower), 10);
    assertEquals(0, merged.regressions(), CompareTable.markdown(merged));
    assertEquals("5+5 forks", merged.results().get(0).estimate().evidence());

    assertAll(Compare.comparePaired(base, null, same, null, 10), Compare.Verdict.UNCHANGED);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Compare.comparePaired(base, null, same.subList(0, 4), null, 10));
    assertTrue(e.getMessage().contains("5 and 4"), e.getMessage());
  }

  /**
   * A row missing from one round, or with no figure there, rests on the other rounds; a row never
   * in the same round on both sides falls back to the merged forks, and the table says so.
   */
  @Test
  void aRowMissingFromARoundRestsOnTheOthers() throws Exception {
    List<Map<String, Compare.Entry>> base = new java.util.ArrayList<>();
    List<Map<String, Compare.Entry>> now = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      base.add(load(variant("quick/jmh.json", "b" + i, 1, 1, 5, 1, 2, 40 + i)));
      now.add(load(variant("quick/jmh.json", "n" + i, 1, 1, 5, 1, 2, 50 + i)));
    }
    String first = base.get(0).keySet().iterator().next();
    now.set(1, new java.util.LinkedHashMap<>(now.get(1)));
    now.get(1).remove(first);
    // the last key: in BASE's round 0 only, in NEW's round 2 only
    String last = new java.util.ArrayList<>(base.get(0).keySet()).get(base.get(0).size() - 1);
    for (int i = 0; i < 3; i++) {
      if (i != 0) {
        base.set(i, new java.util.LinkedHashMap<>(base.get(i)));
        base.get(i).remove(last);
      }
      if (i != 2) {
        now.set(i, new java.util.LinkedHashMap<>(now.get(i)));
        now.get(i).remove(last);
      }
    }
    Compare.Comparison c = Compare.comparePaired(base, null, now, null, 10);
    Map<String, RatioEstimate> byKey = new java.util.HashMap<>();
    c.results().forEach(r -> byKey.put(r.base().key(), r.estimate()));
    assertEquals("2 rounds, paired", byKey.get(first).evidence());
    assertEquals("3 rounds, paired", byKey.get(c.results().get(1).base().key()).evidence());
    assertEquals("5+5 iterations", byKey.get(last).evidence());
    assertTrue(
        CompareTable.markdown(c).contains("were never measured in the same round on both sides"),
        CompareTable.markdown(c));
  }

  /** Merged runs keep every fork and JMH's score over all of them. */
  @Test
  void mergedRunsKeepEveryForkAndTheirMean() throws Exception {
    Map<String, Compare.Entry> a = load(variant("quick/jmh.json", "a", 1.0, 2, 5, 1, 2, 1));
    Map<String, Compare.Entry> b = load(variant("quick/jmh.json", "b", 2.0, 3, 5, 1, 2, 2));
    Map<String, Compare.Entry> m = Compare.merge(List.of(a, b));
    for (Compare.Entry e : m.values()) {
      Compare.Entry ea = a.get(e.key());
      Compare.Entry eb = b.get(e.key());
      assertEquals(5, e.rawData().size());
      assertEquals((ea.score() * 2 + eb.score() * 3) / 5, e.score(), 1e-6 * e.score());
    }
  }

  private static Map<String, Compare.Entry> load(Path p) throws IOException {
    return Compare.load(p);
  }
}
