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
}
