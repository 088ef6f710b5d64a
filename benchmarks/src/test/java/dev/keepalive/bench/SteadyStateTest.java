package dev.keepalive.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SteadyStateTest {

  @Test
  void aClimbingRateIsNotSteady() {
    // what one fork of keep-alive at concurrency 16 measured while the JIT compiled
    assertFalse(SteadyState.isSteady(List.of(15e3, 41e3, 60e3, 66e3, 70e3)));
    assertFalse(SteadyState.isSteady(List.of(60e3, 62e3, 66e3, 68e3)), "still climbing");
  }

  @Test
  void aFlatRateAfterTheClimbIsSteady() {
    assertTrue(SteadyState.isSteady(List.of(15e3, 41e3, 79e3, 80e3, 78e3, 79e3, 80e3, 79e3)));
    assertTrue(SteadyState.isSteady(List.of(80e3, 79e3, 80e3, 81e3)));
  }

  @Test
  void tooFewWindowsOrTooMuchSpreadIsNotSteady() {
    assertFalse(SteadyState.isSteady(List.of(80e3, 80e3, 80e3)));
    assertFalse(SteadyState.isSteady(List.of(80e3, 70e3, 80e3, 90e3, 70e3)));
  }

  /**
   * A minimum is honoured however steady the rate looks: a load of one request per 2 ms sleep
   * settles within its first four windows (2 s) on a quiet machine, yet runs its 3 s. Only the
   * lower bound is asserted (on a busy machine the rate may not settle before the 5 s cap).
   */
  @Test
  void aMinimumWarmUpRunsEvenWhenTheRateLooksSteadyAtOnce() throws Exception {
    SteadyState held = SteadyState.warmUp(() -> Thread.sleep(2), 3_000, 5_000);
    assertTrue(held.millis() >= 3_000, "ran its minimum: " + held.describe());
  }
}
