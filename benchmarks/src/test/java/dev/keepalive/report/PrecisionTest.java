package dev.keepalive.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PrecisionTest {

  @Test
  void threeForksMakeTheIntervalOverForkMeans() {
    // forks that disagree by ±20 % while their iterations agree within 1 %
    Precision p =
        Precision.of(
            List.of(
                List.of(80.0, 80.5, 79.5),
                List.of(100.0, 100.5, 99.5),
                List.of(120.0, 120.5, 119.5)));
    assertEquals(Precision.Unit.FORKS, p.unit());
    assertEquals(100, p.score(), 1e-9);
    // sd of 80, 100, 120 is 20; t(2, 97.5 %) = 4.303; half-width = 4.303 * 20 / sqrt(3)
    assertEquals(4.3027 * 20 / Math.sqrt(3), p.halfWidth(), 0.01);
    assertFalse(p.reached(5));
    assertEquals("±50 %", p.label());
  }

  @Test
  void fewerForksFallBackToIterationsAndSaySo() {
    Precision p = Precision.of(List.of(List.of(99.0, 100.0, 101.0), List.of(100.0, 101.0, 99.0)));
    assertEquals(Precision.Unit.ITERATIONS, p.unit());
    assertEquals(6, p.iterations());
    assertEquals(2, p.forks());
    assertTrue(p.reached(5));
    assertTrue(p.label().endsWith("(it)"), p.label());
  }

  @Test
  void oneSampleHasNoInterval() {
    Precision p = Precision.of(List.of(List.of(5.0)));
    assertTrue(Double.isNaN(p.halfWidth()));
    assertFalse(p.reached(100));
    assertEquals("±?", p.label());
  }

  @Test
  void forksWeighEquallyWhateverTheirIterationCount() {
    Precision p = Precision.of(List.of(List.of(10.0), List.of(20.0, 20.0, 20.0, 20.0)));
    assertEquals(15, p.score(), 1e-9);
  }
}
