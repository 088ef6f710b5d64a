package dev.keepalive.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The ratio of medians and its bootstrap interval, on raw data shaped like JMH's. */
class RatioEstimateTest {

  /** jdk-httpclient c16 13B of the published run: two forks whose medians agree by chance. */
  private static final List<double[]> AGREEING_FORKS =
      List.of(
          new double[] {4708.56, 5462.49, 6329.20, 8085.22, 11581.63},
          new double[] {5150.03, 6266.15, 6331.76, 8652.50, 10904.26});

  /** Resampling fork medians alone gave this row 1.000 (1.000–1.000) against itself. */
  @Test
  void twoForksThatAgreeByChanceStillCarryTheirIterationsSpread() {
    RatioEstimate e = RatioEstimate.of(AGREEING_FORKS, AGREEING_FORKS, 1);
    assertEquals(1.0, e.ratio(), 1e-12);
    assertTrue(e.forks());
    assertEquals("2+2 forks", e.evidence());
    assertTrue(e.detectable() > 0.10, "iterations spread 4.7k–11.6k: ±" + e.detectable());
    assertTrue(e.low() < 1 && e.high() > 1, e.toString());
  }

  @Test
  void theSameSeedGivesTheSameIntervalAndAnotherSeedNearlyIt() {
    RatioEstimate a = RatioEstimate.of(AGREEING_FORKS, AGREEING_FORKS, 7);
    assertEquals(a, RatioEstimate.of(AGREEING_FORKS, AGREEING_FORKS, 7));
    RatioEstimate b = RatioEstimate.of(AGREEING_FORKS, AGREEING_FORKS, 8);
    assertEquals(a.low(), b.low(), 0.03);
    assertEquals(a.high(), b.high(), 0.03);
  }

  @Test
  void oneForkASideFallsBackToIterations() {
    List<double[]> base = List.of(new double[] {100, 101, 99, 100, 102});
    List<double[]> now = List.of(new double[] {80, 81, 79, 80, 82});
    RatioEstimate e = RatioEstimate.of(base, now, 1);
    assertFalse(e.forks());
    assertEquals("5+5 iterations", e.evidence());
    assertEquals(0.8, e.ratio(), 1e-12);
    assertTrue(e.low() > 0.77 && e.high() < 0.83, e.toString());
  }

  @Test
  void oneSampleHasNoInterval() {
    RatioEstimate e = RatioEstimate.of(List.of(new double[] {100}), List.of(new double[] {50}), 1);
    assertFalse(e.hasInterval());
    assertEquals(0.5, e.ratio(), 1e-12);
  }

  /**
   * Five rounds on a machine whose speed moved 2× between rounds (as this VM's did), NEW 20 %
   * slower than BASE within each round: the paired estimate sees the 20 %, the forks pooled do not.
   */
  @Test
  void pairedRoundsCancelADriftThatPooledForksCannot() {
    double[] speed = {1.0, 0.55, 0.9, 0.5, 0.8};
    double[] jitter = {1.01, 0.99, 1.02, 0.98, 1.0};
    double[] base = new double[5];
    double[] now = new double[5];
    List<double[]> baseForks = new java.util.ArrayList<>();
    List<double[]> newForks = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      base[i] = 70_000 * speed[i];
      now[i] = 0.8 * base[i] * jitter[i];
      baseForks.add(new double[] {base[i]});
      newForks.add(new double[] {now[i]});
    }
    RatioEstimate paired = RatioEstimate.paired(base, now, 0.95);
    assertTrue(paired.paired() && paired.forks());
    assertEquals("5 rounds, paired", paired.evidence());
    assertEquals(0.8, paired.ratio(), 0.005);
    assertTrue(paired.low() > 0.77 && paired.high() < 0.83, paired.toString());
    RatioEstimate pooled = RatioEstimate.of(baseForks, newForks, 1, 0.95);
    assertTrue(pooled.high() > 1, "pooled, the drift hides the drop: " + pooled);
  }

  /** Student's t over the rounds' log ratios, checked by hand: wider the fewer the rounds. */
  @Test
  void thePairedIntervalIsStudentsTOverTheLogRatios() {
    double[] base = {100, 100};
    double[] now = {90, 110};
    RatioEstimate two = RatioEstimate.paired(base, now, 0.95);
    double a = Math.log(0.9);
    double b = Math.log(1.1);
    double mean = (a + b) / 2;
    double se = Math.abs(a - b) / Math.sqrt(2) / Math.sqrt(2);
    // t(1 degree of freedom) at 97.5 % = 12.706
    assertEquals(Math.exp(mean), two.ratio(), 1e-12);
    assertEquals(Math.exp(mean - 12.7062 * se), two.low(), 1e-3);
    assertEquals(Math.exp(mean + 12.7062 * se), two.high(), 1e-3);
    RatioEstimate six =
        RatioEstimate.paired(
            new double[] {100, 100, 100, 100, 100, 100},
            new double[] {90, 110, 90, 110, 90, 110},
            0.95);
    assertTrue(six.detectable() < two.detectable() / 5, six + " vs " + two);
  }

  @Test
  void oneRoundHasNoIntervalAndBadRoundsAreNamed() {
    RatioEstimate one = RatioEstimate.paired(new double[] {100}, new double[] {50}, 0.95);
    assertFalse(one.hasInterval());
    assertEquals(0.5, one.ratio(), 1e-12);
    assertEquals("1 round, paired", one.evidence());
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () -> RatioEstimate.paired(new double[] {100, 0}, new double[] {50, 60}, 0.95));
    assertTrue(e.getMessage().contains("round 2"), e.getMessage());
    e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () -> RatioEstimate.paired(new double[] {100, 90}, new double[] {50}, 0.95));
    assertTrue(e.getMessage().contains("2 and 1"), e.getMessage());
  }
}
