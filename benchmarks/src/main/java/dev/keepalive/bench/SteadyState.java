package dev.keepalive.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Warm-up until the throughput stops climbing, instead of a fixed warm-up that may end while the
 * JIT is still compiling (one fork of keep-alive at concurrency 16 measured 24k, 51k, 65k req/s in
 * its first three 1 s iterations). Runs the load in windows of {@link #WINDOW_MILLIS} and stops
 * when the last {@link #WINDOWS} windows' rates lie within {@link #SPREAD} of their mean and their
 * mean is not above the mean of the (up to as many) windows before them by more than {@link
 * #SPREAD} / 2 (no trend), or when {@code maxMillis} is spent; the result says which.
 *
 * <p>Thread-safety: benchmark thread (see the package).
 *
 * @param millis how long the warm-up ran
 * @param steady whether the rate settled before the limit
 * @param rates the windows' rates, requests/s, in order
 */
record SteadyState(long millis, boolean steady, List<Double> rates) {

  /** Length of one window. */
  static final long WINDOW_MILLIS = 500;

  /** Windows that must agree. */
  static final int WINDOWS = 3;

  /** Their allowed spread, (max − min) / mean. */
  static final double SPREAD = 0.10;

  /**
   * The system property that turns the steady-state warm-up on in a forked JVM and caps it, ms
   * ({@code -Dkeepalive.steadyWarmupMs=15000}); absent or 0: off, JMH's warm-up alone.
   */
  static final String MAX_MILLIS_PROPERTY = "keepalive.steadyWarmupMs";

  /** The cap from {@link #MAX_MILLIS_PROPERTY}, 0 when off. */
  static long maxMillisFromProperty() {
    String property = MAX_MILLIS_PROPERTY;
    String v = System.getProperty(property, "0").trim();
    try {
      long ms = Long.parseLong(v);
      if (ms < 0) {
        throw new NumberFormatException();
      }
      return ms;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          property + " must be a whole number of ms >= 0, was '" + v + "'");
    }
  }

  /** One request of the load, as the measurement runs it. */
  interface Step {
    void run() throws InterruptedException;
  }

  /** Runs {@code step} (the measurement's own) until steady or {@code maxMillis} has passed. */
  static SteadyState warmUp(Step step, long maxMillis) throws InterruptedException {
    long start = System.nanoTime();
    long end = start + maxMillis * 1_000_000;
    List<Double> rates = new ArrayList<>();
    while (System.nanoTime() < end) {
      long windowStart = System.nanoTime();
      long windowEnd = Math.min(end, windowStart + WINDOW_MILLIS * 1_000_000);
      long done = 0;
      while (System.nanoTime() < windowEnd) {
        step.run();
        done++;
      }
      rates.add(done * 1e9 / (System.nanoTime() - windowStart));
      if (isSteady(rates)) {
        return new SteadyState((System.nanoTime() - start) / 1_000_000, true, rates);
      }
    }
    return new SteadyState((System.nanoTime() - start) / 1_000_000, false, rates);
  }

  /** The stopping rule, on the window rates so far. */
  static boolean isSteady(List<Double> rates) {
    int n = rates.size();
    if (n < WINDOWS + 1) {
      return false; // the last windows must have an earlier one to show no trend against
    }
    List<Double> last = rates.subList(n - WINDOWS, n);
    List<Double> before = rates.subList(Math.max(0, n - 2 * WINDOWS), n - WINDOWS);
    double mean = mean(last);
    double spread = (max(last) - min(last)) / mean;
    return spread <= SPREAD && mean <= mean(before) * (1 + SPREAD / 2);
  }

  /** One line for the log: {@code steady after 3.5 s (req/s per 500 ms: 15k 41k …)}. */
  String describe() {
    return String.format(
        Locale.ROOT,
        "%s after %.1f s (req/s per %d ms window: %s)",
        steady ? "steady" : "not steady (limit reached)",
        millis / 1000.0,
        WINDOW_MILLIS,
        rates.stream()
            .map(r -> String.format(Locale.ROOT, "%.0f", r))
            .collect(Collectors.joining(" ")));
  }

  private static double mean(List<Double> xs) {
    return xs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }

  private static double max(List<Double> xs) {
    return xs.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
  }

  private static double min(List<Double> xs) {
    return xs.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
  }
}
