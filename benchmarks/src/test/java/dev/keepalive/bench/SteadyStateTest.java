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
}
