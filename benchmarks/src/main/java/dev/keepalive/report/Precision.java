package dev.keepalive.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * How precisely a score is known: the 95 % confidence interval of its mean, from the raw samples of
 * a benchmark (JMH's {@code rawData}: one list of iteration scores per fork).
 *
 * <p>The unit of evidence is the fork. On a busy machine forks of one benchmark differ by 20–30 %
 * while the iterations inside one fork agree within a few percent, so an interval over iterations
 * understates what a rerun would show. With at least {@link #MIN_FORKS_FOR_FORK_UNIT} forks the
 * interval is a Student-t interval over the fork means; with fewer it falls back to the iterations
 * of all forks and says so ({@link Unit#ITERATIONS}), and tables mark it.
 *
 * <p>Thread-safety: immutable.
 *
 * @param score the mean of the fork means (forks weigh equally, whatever their iteration count)
 * @param halfWidth the 95 % interval's half-width, in the score's unit; NaN with fewer than two
 *     samples of the unit
 * @param unit what the interval's samples are
 * @param forks how many forks
 * @param iterations how many measurement iterations, over all forks
 */
public record Precision(double score, double halfWidth, Unit unit, int forks, int iterations) {

  /** What the interval rests on. */
  public enum Unit {
    /** Fork means: what a rerun on this machine would show. */
    FORKS,
    /** Iterations of fewer than three forks: within-fork noise only, an understatement. */
    ITERATIONS
  }

  /** Forks needed before the interval is taken over forks. */
  public static final int MIN_FORKS_FOR_FORK_UNIT = 3;

  /** The confidence level of every interval this class gives. */
  public static final double CONFIDENCE = 0.95;

  /**
   * The precision of one benchmark's score.
   *
   * @param forks each fork's iteration scores, in order; empty forks are skipped
   */
  public static Precision of(List<List<Double>> forks) {
    List<Double> forkMeans = new ArrayList<>();
    List<Double> all = new ArrayList<>();
    for (List<Double> f : forks) {
      if (!f.isEmpty()) {
        forkMeans.add(mean(f));
        all.addAll(f);
      }
    }
    double score = forkMeans.isEmpty() ? Double.NaN : mean(forkMeans);
    if (forkMeans.size() >= MIN_FORKS_FOR_FORK_UNIT) {
      return new Precision(score, halfWidth(forkMeans), Unit.FORKS, forkMeans.size(), all.size());
    }
    return new Precision(score, halfWidth(all), Unit.ITERATIONS, forkMeans.size(), all.size());
  }

  /** From a JMH JSON entry's {@code primaryMetric}: its {@code rawData}. */
  public static Precision of(JsonNode primaryMetric) {
    return of(rawData(primaryMetric));
  }

  /** A JMH JSON metric's {@code rawData}: iteration scores per fork; empty when absent. */
  public static List<List<Double>> rawData(JsonNode metric) {
    List<List<Double>> forks = new ArrayList<>();
    for (JsonNode fork : metric.path("rawData")) {
      List<Double> iterations = new ArrayList<>();
      fork.forEach(v -> iterations.add(v.asDouble()));
      forks.add(iterations);
    }
    return forks;
  }

  /** The half-width relative to the score, %; NaN when either is unknown or the score is 0. */
  public double relativePercent() {
    return score == 0 ? Double.NaN : halfWidth / Math.abs(score) * 100;
  }

  /** Whether the half-width is at most {@code maxErrorPercent} of the score. */
  public boolean reached(double maxErrorPercent) {
    double r = relativePercent();
    return !Double.isNaN(r) && r <= maxErrorPercent;
  }

  /**
   * {@code ±2.1 %}, {@code ±2.1 % (it)} when the interval is over iterations, {@code ±?} when there
   * is none.
   */
  public String label() {
    double r = relativePercent();
    if (Double.isNaN(r)) {
      return "±?";
    }
    return String.format(Locale.ROOT, r < 10 ? "±%.1f %%" : "±%.0f %%", r)
        + (unit == Unit.ITERATIONS ? " (it)" : "");
  }

  /** {@code 5}, {@code 2.5}: a percentage as the command line and the tables write it. */
  public static String percent(double p) {
    return new DecimalFormat("0.#", DecimalFormatSymbols.getInstance(Locale.ROOT)).format(p);
  }

  /** The Student-t 95 % half-width of the mean of {@code xs}; NaN for fewer than two. */
  static double halfWidth(List<Double> xs) {
    int n = xs.size();
    if (n < 2) {
      return Double.NaN;
    }
    double m = mean(xs);
    double ss = 0;
    for (double x : xs) {
      ss += (x - m) * (x - m);
    }
    double sd = Math.sqrt(ss / (n - 1));
    double t = new TDistribution(n - 1).inverseCumulativeProbability(1 - (1 - CONFIDENCE) / 2);
    return t * sd / Math.sqrt(n);
  }

  static double mean(List<Double> xs) {
    double s = 0;
    for (double x : xs) {
      s += x;
    }
    return s / xs.size();
  }
}
