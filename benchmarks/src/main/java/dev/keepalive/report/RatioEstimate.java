package dev.keepalive.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * The ratio NEW / BASE of one benchmark's medians, with a bootstrap confidence interval, from JMH's
 * raw data ({@code primaryMetric.rawData}: one array of iteration scores per fork).
 *
 * <p>The unit of evidence is the fork when each side has at least {@value #MIN_FORKS} forks: a
 * fork's value is the median of its iterations, and the forks are resampled. Iterations of one fork
 * share its JIT decisions, its heap layout and the machine's mood of those seconds, so they are not
 * independent; treating them as if they were makes intervals too narrow. With fewer forks (one per
 * side, as {@code suite --quick} runs) the iterations are resampled instead and the result says
 * that its evidence is weaker ({@link #forks()} is false).
 *
 * <p>The interval is the percentile bootstrap of the ratio of medians, {@value #RESAMPLES}
 * resamples per side, from a random generator seeded by the row, so a comparison of the same two
 * files gives the same intervals every time.
 *
 * <p>{@link #paired} is for runs measured in interleaved rounds, BASE and NEW side by side in each
 * round: the rounds, not the forks, are the unit of evidence, and each round's ratio is taken
 * within the round, so that a machine that runs slower for minutes slows both sides of a round
 * alike and drops out of the ratio.
 *
 * @param ratio median(NEW) / median(BASE) of the values the interval rests on
 * @param confidence the interval's confidence level
 * @param low lower end of the interval of the ratio; NaN without an interval
 * @param high upper end of it; NaN without an interval
 * @param forks whether forks or rounds (true) or iterations (false) were the unit of evidence
 * @param paired whether the samples are rounds of BASE and NEW measured side by side ({@link
 *     #paired})
 * @param baseSamples how many forks, rounds or iterations of BASE the estimate rests on
 * @param newSamples how many of NEW
 */
public record RatioEstimate(
    double ratio,
    double confidence,
    double low,
    double high,
    boolean forks,
    boolean paired,
    int baseSamples,
    int newSamples) {

  /** Forks per side from which forks, not iterations, are the unit of evidence. */
  public static final int MIN_FORKS = 2;

  /** The confidence level of one row's interval when nothing else is asked for. */
  public static final double CONFIDENCE = 0.95;

  /** Bootstrap resamples. */
  public static final int RESAMPLES = 10_000;

  /**
   * Estimates the ratio from both sides' raw data.
   *
   * @param base BASE's iteration scores, one array per fork
   * @param now NEW's iteration scores, one array per fork
   * @param seed the random generator's seed: the same seed, the same interval
   */
  public static RatioEstimate of(List<double[]> base, List<double[]> now, long seed) {
    return of(base, now, seed, CONFIDENCE);
  }

  /**
   * Estimates the ratio with an interval of the given confidence level.
   *
   * @param confidence in (0, 1), e.g. 0.95
   */
  public static RatioEstimate of(
      List<double[]> base, List<double[]> now, long seed, double confidence) {
    boolean byFork = forkCount(base) >= MIN_FORKS && forkCount(now) >= MIN_FORKS;
    List<double[]> b = byFork ? nonEmpty(base) : List.of(iterations(base));
    List<double[]> n = byFork ? nonEmpty(now) : List.of(iterations(now));
    double ratio = value(n) / value(b);
    int bSamples = byFork ? b.size() : b.get(0).length;
    int nSamples = byFork ? n.size() : n.get(0).length;
    if (bSamples < 2 || nSamples < 2) {
      return new RatioEstimate(
          ratio, confidence, Double.NaN, Double.NaN, byFork, false, bSamples, nSamples);
    }
    SplittableRandom random = new SplittableRandom(seed);
    double[] ratios = new double[RESAMPLES];
    for (int i = 0; i < RESAMPLES; i++) {
      ratios[i] = resampledValue(n, random) / resampledValue(b, random);
    }
    Arrays.sort(ratios);
    double tail = (1 - confidence) / 2;
    return new RatioEstimate(
        ratio,
        confidence,
        quantile(ratios, tail),
        quantile(ratios, 1 - tail),
        byFork,
        false,
        bSamples,
        nSamples);
  }

  /**
   * Estimates the ratio from rounds measured side by side: in round {@code i}, BASE gave {@code
   * base[i]} and NEW gave {@code now[i]} (each, e.g., the median of one fork's iterations). The
   * ratio is the geometric mean of the rounds' ratios, {@code exp(mean(ln(now[i] / base[i])))}, and
   * its interval is Student's t interval of that mean log ratio, not a bootstrap: with the 3 to 10
   * rounds a regression run affords, a bootstrap of so few values gives intervals that are too
   * narrow, t's are exact for normal log ratios and wider the fewer the rounds.
   *
   * @param confidence in (0, 1), e.g. 0.95
   * @throws IllegalArgumentException when the arrays differ in length or hold a value that is not a
   *     positive number
   */
  public static RatioEstimate paired(double[] base, double[] now, double confidence) {
    if (base.length != now.length || base.length == 0) {
      throw new IllegalArgumentException(
          "paired rounds need as many BASE values as NEW values, at least one; were "
              + base.length
              + " and "
              + now.length);
    }
    int n = base.length;
    double[] logs = new double[n];
    for (int i = 0; i < n; i++) {
      if (!(base[i] > 0 && now[i] > 0 && Double.isFinite(base[i]) && Double.isFinite(now[i]))) {
        throw new IllegalArgumentException(
            "round " + (i + 1) + " has " + base[i] + " and " + now[i] + ": no ratio of those");
      }
      logs[i] = Math.log(now[i] / base[i]);
    }
    double mean = Arrays.stream(logs).average().orElseThrow();
    if (n < 2) {
      return new RatioEstimate(
          Math.exp(mean), confidence, Double.NaN, Double.NaN, true, true, n, n);
    }
    double ss = 0;
    for (double l : logs) {
      ss += (l - mean) * (l - mean);
    }
    double se = Math.sqrt(ss / (n - 1) / n);
    double t = new TDistribution(n - 1).inverseCumulativeProbability(1 - (1 - confidence) / 2);
    return new RatioEstimate(
        Math.exp(mean),
        confidence,
        Math.exp(mean - t * se),
        Math.exp(mean + t * se),
        true,
        true,
        n,
        n);
  }

  /**
   * A side's value in one round: the median of its forks' medians (each fork's median of its
   * iterations); NaN when it has no iteration.
   */
  public static double roundValue(List<double[]> forks) {
    List<double[]> f = nonEmpty(forks);
    return f.isEmpty() ? Double.NaN : value(f);
  }

  /** The median of the forks' medians (one "fork" holding every iteration without forks). */
  private static double value(List<double[]> forks) {
    return median(forks.stream().mapToDouble(f -> median(f.clone())).toArray());
  }

  /** {@link #value} of a two-level resample: forks with replacement, then their iterations. */
  private static double resampledValue(List<double[]> forks, SplittableRandom random) {
    double[] medians = new double[forks.size()];
    for (int k = 0; k < medians.length; k++) {
      double[] fork = forks.get(forks.size() == 1 ? 0 : random.nextInt(forks.size()));
      double[] its = new double[fork.length];
      for (int i = 0; i < its.length; i++) {
        its[i] = fork[random.nextInt(fork.length)];
      }
      medians[k] = median(its);
    }
    return median(medians);
  }

  /** Whether there is an interval (each side has at least two values to resample). */
  public boolean hasInterval() {
    return !Double.isNaN(low);
  }

  /**
   * The smallest change this estimate could have told from noise, as a fraction: half the width of
   * its interval; NaN without one.
   */
  public double detectable() {
    return (high - low) / 2;
  }

  /**
   * "2+3 forks", "3+3 iterations" or "5 rounds, paired": what the estimate rests on, BASE first.
   */
  public String evidence() {
    if (paired) {
      return baseSamples + " round" + (baseSamples == 1 ? "" : "s") + ", paired";
    }
    return baseSamples + "+" + newSamples + (forks ? " forks" : " iterations");
  }

  private static int forkCount(List<double[]> forks) {
    return (int) forks.stream().filter(f -> f.length > 0).count();
  }

  private static List<double[]> nonEmpty(List<double[]> forks) {
    return forks.stream().filter(f -> f.length > 0).toList();
  }

  private static double[] iterations(List<double[]> forks) {
    List<Double> all = new ArrayList<>();
    forks.forEach(f -> Arrays.stream(f).forEach(all::add));
    return all.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** The median; sorts {@code values} in place. */
  static double median(double[] values) {
    if (values.length == 0) {
      return Double.NaN;
    }
    Arrays.sort(values);
    int mid = values.length / 2;
    return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
  }

  /** Linear interpolation between the closest ranks of sorted values. */
  private static double quantile(double[] sorted, double p) {
    double rank = p * (sorted.length - 1);
    int lo = (int) Math.floor(rank);
    int hi = Math.min(sorted.length - 1, lo + 1);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
  }
}
