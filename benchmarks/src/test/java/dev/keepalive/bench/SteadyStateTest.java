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

  /** A load that completes a request every 10 µs: steady from its first windows on. */
  private static final class FlatLoad implements Load {
    @Override
    public void setRecording(boolean on) {}

    @Override
    public void start() {}

    @Override
    public void completeOne() {
      long until = System.nanoTime() + 10_000;
      while (System.nanoTime() < until) {
        Thread.onSpinWait();
      }
    }

    @Override
    public void drain(long timeoutMillis) {}

    @Override
    public LoadCounts counts() {
      throw new UnsupportedOperationException();
    }

    @Override
    public long clientConnectionsOpened() {
      return 0;
    }

    @Override
    public void close() {}
  }

  @Test
  void aMinimumWarmUpRunsEvenWhenTheRateLooksSteadyAtOnce() throws Exception {
    SteadyState early = SteadyState.warmUp(new FlatLoad()::completeOne, 0, 10_000);
    assertTrue(early.steady() && early.millis() < 4_000, "a flat rate settles at once: " + early);
    SteadyState held = SteadyState.warmUp(new FlatLoad()::completeOne, 3_000, 10_000);
    assertTrue(held.steady(), held.describe());
    assertTrue(held.millis() >= 3_000, "ran its minimum: " + held.describe());
    assertTrue(held.millis() < 8_000, "and stopped once steady after it: " + held.describe());
  }
}
