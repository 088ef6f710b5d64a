package dev.keepalive.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The probe's arithmetic: how far each CPU's speed varied over the forks' probes. */
class CpuSpeedTest {

  @Test
  void slowestIsAPercentageOfTheFastestPerCpu() {
    List<Double> pct =
        CpuSpeed.slowestPercent(List.of(List.of(100.0, 100.0), List.of(125.0, 101.0)));
    assertEquals(80.0, pct.get(0), 1e-9); // CPU 0: 100 ms at best, 125 at worst
    assertEquals(100.0 * 100 / 101, pct.get(1), 1e-9);
    assertTrue(CpuSpeed.slowestPercent(List.of()).isEmpty());
  }

  @Test
  void theWorkDependsOnEveryStep() {
    // the JIT cannot skip it: a different number of steps gives a different result
    assertNotEquals(CpuSpeed.run(1000), CpuSpeed.run(1001));
    assertEquals(CpuSpeed.run(5000), CpuSpeed.run(5000));
  }
}
