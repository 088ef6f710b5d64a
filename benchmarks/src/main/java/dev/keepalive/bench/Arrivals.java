package dev.keepalive.bench;

import java.util.SplittableRandom;

/**
 * When each request of an open-loop load is meant to start: {@code constant} spacing (wrk2's
 * schedule: request i at i / rate) or {@code poisson} arrivals (exponential gaps of mean 1 / rate,
 * as independent users produce). A request's intended start comes from this schedule alone, never
 * from what is still in flight.
 *
 * <p>Thread-safety: benchmark thread (see the package).
 */
final class Arrivals {

  /** The {@code arrivals} parameter's values. */
  static final String CONSTANT = "constant";

  static final String POISSON = "poisson";

  /** Highest rate accepted, requests/s: one request per microsecond. */
  static final int MAX_RATE = 1_000_000;

  private final boolean poisson;
  private final double meanGapNanos;
  private final SplittableRandom random;
  private double offsetNanos;
  private long originNanos;

  /**
   * @param rate requests per second, in [1, {@link #MAX_RATE}]
   * @param arrivals {@link #CONSTANT} or {@link #POISSON}
   * @param seed the random seed of Poisson gaps (a run is repeatable)
   * @throws IllegalArgumentException naming the parameter, the value and the allowed range
   */
  Arrivals(int rate, String arrivals, long seed) {
    if (rate < 1 || rate > MAX_RATE) {
      throw new IllegalArgumentException(
          "rate must be in [1, " + MAX_RATE + "] requests/s, was " + rate);
    }
    poisson = parse(arrivals);
    meanGapNanos = 1e9 / rate;
    random = new SplittableRandom(seed);
  }

  /**
   * @return true for {@link #POISSON}
   * @throws IllegalArgumentException naming the value
   */
  static boolean parse(String arrivals) {
    return switch (String.valueOf(arrivals)) {
      case CONSTANT -> false;
      case POISSON -> true;
      default ->
          throw new IllegalArgumentException(
              "arrivals must be " + CONSTANT + " or " + POISSON + ", was '" + arrivals + "'");
    };
  }

  /** Starts the schedule over: the next request is intended at {@code originNanos}. */
  void restartAt(long originNanos) {
    this.originNanos = originNanos;
    this.offsetNanos = 0;
  }

  /** The intended start of the next request ({@link System#nanoTime()} scale), and advances. */
  long next() {
    long at = originNanos + (long) offsetNanos;
    offsetNanos += poisson ? -Math.log(1 - random.nextDouble()) * meanGapNanos : meanGapNanos;
    return at;
  }

  /** The mean gap between intended starts, ns. */
  double meanGapNanos() {
    return meanGapNanos;
  }
}
