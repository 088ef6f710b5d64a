package dev.keepalive.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * How often a regression run of N paired rounds would call a true slowdown "regressed", estimated
 * from rounds of identical code measured on this machine (an A/A run, e.g. {@code
 * scripts/regression.sh --against HEAD --rounds 20}).
 *
 * <p>Each draw takes N of the A/A rounds at random (with replacement, as a bootstrap does: drawn
 * without replacement from rounds whose mean was divided out, N of M would vary by only (M − N) /
 * (M − 1) of a new run's variance; each round's BASE and NEW kept together, so the drift a round
 * shared stays shared), plants a drop of D % in every row of NEW (throughput × (1 − D); a time-mode
 * score ÷ (1 − D)), and judges the draw exactly as {@code compare --paired} does ({@link
 * Compare#comparePaired}). D = 0 gives the false alarms. The noise is the machine's own, as
 * measured; only the drop is exact, which planted CPU work cannot promise (on rows where the server
 * sets the pace, the client absorbs some of it).
 *
 * <p>Both sides of an A/A run are the same code, so the true ratio is 1 and whatever mean ratio its
 * rounds show is noise ({@link #aaRatios}). It is divided out of NEW before the draws: left in, a
 * chance offset of −8 % over 20 rounds would count as part of every planted drop, and as a false
 * alarm with no drop. What remains is each round's spread around the mean.
 */
public final class DetectionPower {

  /** One cell: N rounds, a drop of D %, over many draws. */
  public record Cell(
      int rounds,
      double dropPercent,
      int draws,
      int runsRegressed,
      int runsWithAnImprovedRow,
      Map<String, Integer> rowsRegressed,
      Map<String, Double> medianDetectable) {

    /** Runs called regressed (exit 1), per 10 runs. */
    public double regressedPer10() {
      return 10.0 * runsRegressed / draws;
    }
  }

  private DetectionPower() {}

  /**
   * @param base the A/A rounds' BASE runs, one map per round
   * @param now the same rounds' NEW runs (identical code), in the same order
   * @param rounds the round counts N to estimate, each in [3, base.size()]
   * @param dropsPercent the planted drops, each in [0, 90]
   * @param draws draws per cell, at least 1
   * @throws IllegalArgumentException naming what does not fit
   */
  public static List<Cell> estimate(
      List<Map<String, Compare.Entry>> base,
      List<Map<String, Compare.Entry>> now,
      List<Integer> rounds,
      List<Double> dropsPercent,
      int draws,
      double thresholdPercent,
      long seed) {
    if (base.size() != now.size()) {
      throw new IllegalArgumentException(
          "the A/A rounds need as many BASE runs as NEW runs; were "
              + base.size()
              + " and "
              + now.size());
    }
    for (int n : rounds) {
      if (n < 3 || n > base.size()) {
        throw new IllegalArgumentException(
            "rounds must be 3.." + base.size() + " (the A/A rounds given), was " + n);
      }
    }
    // every row in every round on both sides: a row's rate is per draw
    for (int i = 0; i < base.size(); i++) {
      for (String key : base.get(0).keySet()) {
        for (List<Map<String, Compare.Entry>> side : List.of(base, now)) {
          if (!side.get(i).containsKey(key)) {
            throw new IllegalArgumentException(
                (side == base ? "BASE" : "NEW")
                    + "'s round "
                    + (i + 1)
                    + " lacks "
                    + base.get(0).get(key).name()
                    + ": power needs every row in every A/A round");
          }
        }
      }
      if (base.get(i).size() != base.get(0).size() || now.get(i).size() != base.get(0).size()) {
        throw new IllegalArgumentException(
            "round "
                + (i + 1)
                + " has rows that round 1 of BASE lacks: power needs the same rows in every A/A"
                + " round");
      }
    }
    for (double d : dropsPercent) {
      if (!(d >= 0 && d <= 90)) {
        throw new IllegalArgumentException("a drop must be 0..90 %, was " + d);
      }
    }
    if (draws < 1) {
      throw new IllegalArgumentException("draws must be at least 1, was " + draws);
    }
    Map<String, Double> centre = new LinkedHashMap<>();
    aaRatios(base, now).forEach((key, ratio) -> centre.put(key, 1 / ratio));
    List<Cell> out = new ArrayList<>();
    for (int n : rounds) {
      for (double d : dropsPercent) {
        // the same seed per cell: every drop sees the same draws, so the columns differ by the drop
        out.add(
            cell(base, now, centre, n, d, draws, thresholdPercent, new SplittableRandom(seed + n)));
      }
    }
    return out;
  }

  private static Cell cell(
      List<Map<String, Compare.Entry>> base,
      List<Map<String, Compare.Entry>> now,
      Map<String, Double> centre,
      int n,
      double dropPercent,
      int draws,
      double thresholdPercent,
      SplittableRandom random) {
    double factor = 1 - dropPercent / 100;
    List<Map<String, Compare.Entry>> dropped = new ArrayList<>();
    now.forEach(run -> dropped.add(slowed(run, centre, factor)));
    int runsRegressed = 0;
    int runsImproved = 0;
    Map<String, Integer> rowsRegressed = new LinkedHashMap<>();
    Map<String, List<Double>> detectable = new LinkedHashMap<>();
    for (int k = 0; k < draws; k++) {
      List<Map<String, Compare.Entry>> b = new ArrayList<>(n);
      List<Map<String, Compare.Entry>> d = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        int j = random.nextInt(base.size());
        b.add(base.get(j));
        d.add(dropped.get(j));
      }
      Compare.Comparison c = Compare.comparePaired(b, null, d, null, thresholdPercent);
      if (c.regressions() > 0) {
        runsRegressed++;
      }
      if (c.count(Compare.Verdict.IMPROVED) > 0) {
        runsImproved++;
      }
      for (Compare.Result r : c.results()) {
        String row = r.now().name();
        rowsRegressed.merge(row, r.verdict() == Compare.Verdict.REGRESSED ? 1 : 0, Integer::sum);
        detectable.computeIfAbsent(row, x -> new ArrayList<>()).add(r.estimate().detectable());
      }
    }
    Map<String, Double> medians = new LinkedHashMap<>();
    detectable.forEach(
        (row, v) ->
            medians.put(
                row, RatioEstimate.median(v.stream().mapToDouble(Double::doubleValue).toArray())));
    return new Cell(n, dropPercent, draws, runsRegressed, runsImproved, rowsRegressed, medians);
  }

  /**
   * Per row key, the A/A rounds' own ratio NEW / BASE: the geometric mean of the ratios of the
   * rounds in which both sides have a positive figure for the row (rows without one are left out).
   */
  public static Map<String, Double> aaRatios(
      List<Map<String, Compare.Entry>> base, List<Map<String, Compare.Entry>> now) {
    Map<String, double[]> sums = new LinkedHashMap<>(); // key -> {sum of log ratios, rounds}
    for (int i = 0; i < Math.min(base.size(), now.size()); i++) {
      for (Map.Entry<String, Compare.Entry> b : base.get(i).entrySet()) {
        Compare.Entry n = now.get(i).get(b.getKey());
        if (n == null) {
          continue;
        }
        double bv = RatioEstimate.roundValue(b.getValue().rawData());
        double nv = RatioEstimate.roundValue(n.rawData());
        if (bv > 0 && nv > 0 && Double.isFinite(bv) && Double.isFinite(nv)) {
          double[] s = sums.computeIfAbsent(b.getKey(), k -> new double[2]);
          s[0] += Math.log(nv / bv);
          s[1]++;
        }
      }
    }
    Map<String, Double> out = new LinkedHashMap<>();
    sums.forEach((key, s) -> out.put(key, Math.exp(s[0] / s[1])));
    return out;
  }

  /** A run with every row slowed by the factor: throughput × f, time-mode scores ÷ f. */
  static Map<String, Compare.Entry> slowed(Map<String, Compare.Entry> run, double factor) {
    return slowed(run, Map.of(), factor);
  }

  /**
   * {@link #slowed(Map, double)}, each row's figures first multiplied by its {@code centre} (1 for
   * a row without one).
   */
  static Map<String, Compare.Entry> slowed(
      Map<String, Compare.Entry> run, Map<String, Double> centre, double factor) {
    Map<String, Compare.Entry> out = new LinkedHashMap<>();
    run.forEach(
        (key, e) -> {
          double m = (e.higherIsBetter() ? factor : 1 / factor) * centre.getOrDefault(key, 1.0);
          List<double[]> raw = new ArrayList<>();
          for (double[] fork : e.rawData()) {
            double[] f = fork.clone();
            for (int i = 0; i < f.length; i++) {
              f[i] *= m;
            }
            raw.add(f);
          }
          out.put(
              key,
              new Compare.Entry(
                  e.key(),
                  e.benchmark(),
                  e.mode(),
                  e.params(),
                  e.score() * m,
                  e.scoreError() * m,
                  e.unit(),
                  raw,
                  e.settings(),
                  e.jdk(),
                  e.name()));
        });
    return out;
  }
}
