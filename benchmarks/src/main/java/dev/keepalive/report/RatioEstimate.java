package dev.keepalive.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

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
 * @param ratio median(NEW) / median(BASE) of the values the interval rests on
 * @param confidence the interval's confidence level
 * @param low lower end of the interval of the ratio; NaN without an interval
 * @param high upper end of it; NaN without an interval
 * @param forks whether forks (true) or iterations (false) were the unit of evidence
 * @param baseSamples how many forks or iterations of BASE the estimate rests on
 * @param newSamples how many of NEW
 */
public record RatioEstimate(
    double ratio,
    double confidence,
    double low,
    double high,
    boolean forks,
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
          ratio, confidence, Double.NaN, Double.NaN, byFork, bSamples, nSamples);
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
        bSamples,
        nSamples);
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

  /** "2+3 forks" or "3+3 iterations": what the estimate rests on, BASE first. */
  public String evidence() {
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
