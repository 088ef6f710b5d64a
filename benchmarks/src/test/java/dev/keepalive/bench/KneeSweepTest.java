package dev.keepalive.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sweep's search, against a model client whose p99 turns up past a known capacity. */
class KneeSweepTest {

  /** A point of a client that holds its p99 at 1 ms up to {@code capacity}, and 500 ms beyond. */
  private static RateTotals point(String strategy, int rate, int capacity) {
    double p99 = rate <= capacity ? 1 : 500;
    RateSummary m =
        new RateSummary(
            rate, 2, 2L * rate, 2L * rate, 0, Map.of(), 0, 0.1, 0.2, false, rate, rate, 4, 0, 4,
            1 << 20, -1, 10, 0.5, p99, p99, p99, 0.5, 1.0, 1.0, 1.0);
    return new RateTotals(
        strategy, "constant", rate, 13, 1, 0, 0, 1000, "in-process", m, 4, 4L, 2L * rate, null);
  }

  @Test
  void doublesUntilTheSloBreaksThenBisectsToWithinTheLastStep() throws Exception {
    List<Integer> tried = new ArrayList<>();
    KneeSweep.Line l =
        KneeSweep.sweep(
            "max-sockets-1",
            (s, rate) -> {
              tried.add(rate);
              return point(s, rate, 700);
            },
            100,
            100_000,
            3,
            10);
    assertEquals(List.of(100, 200, 400, 800, 800, 600, 700, 750, 750), tried);
    assertEquals(700, l.sustainedRate());
    assertFalse(l.reachedMax());
    assertTrue(l.limit().startsWith("p99 500.00 ms"), l.limit());
    assertEquals(
        List.of(100, 200, 400, 600, 700, 750, 800),
        l.points().stream().map(RateTotals::rate).toList());
    assertEquals(List.of(750, 800), l.repeated().stream().map(RateTotals::rate).toList());
  }

  @Test
  void aFailureThatDoesNotRepeatIsNotTheKnee() throws Exception {
    List<Integer> tried = new ArrayList<>();
    KneeSweep.Line l =
        KneeSweep.sweep(
            "keep-alive",
            (s, rate) -> {
              tried.add(rate);
              // one stall: the first run at 200/s misses the SLO, the second does not
              return point(s, rate, tried.size() == 2 ? 100 : 1 << 30);
            },
            100,
            400,
            3,
            10);
    assertEquals(List.of(100, 200, 200, 400), tried);
    assertEquals(400, l.sustainedRate());
    assertEquals(List.of(200), l.repeated().stream().map(RateTotals::rate).toList());
  }

  @Test
  void aStrategyThatHoldsEveryRateReachesTheMaximum() throws Exception {
    KneeSweep.Line l =
        KneeSweep.sweep("keep-alive", (s, r) -> point(s, r, 1 << 30), 100, 1000, 3, 10);
    assertEquals(1000, l.sustainedRate());
    assertTrue(l.reachedMax());
    assertNull(l.limit());
    assertEquals(
        List.of(100, 200, 400, 800, 1000), l.points().stream().map(RateTotals::rate).toList());
  }

  @Test
  void errorsAndAFallingBehindGeneratorAreFailuresWhateverTheLatency() {
    RateTotals ok = point("keep-alive", 100, 1000);
    assertNull(KneeSweep.failure(ok, 10));
    RateSummary m = ok.measured();
    RateSummary timedOut =
        new RateSummary(
            100,
            2,
            200,
            190,
            10,
            Map.of("timeout", 10L),
            0,
            0.1,
            0.2,
            false,
            100,
            95,
            4,
            0,
            4,
            0,
            -1,
            10,
            0.5,
            1.0,
            1.0,
            1.0,
            0.5,
            1.0,
            1.0,
            1.0);
    assertEquals("10 of 200 failed {timeout=10}", KneeSweep.failure(withSummary(ok, timedOut), 10));
    RateSummary behind =
        new RateSummary(
            100, 2, 200, 200, 0, Map.of(), 50, 30, 40, true, 100, 100, 4, 0, 4, 0, -1, 10, null,
            null, null, null, null, null, null, null);
    assertTrue(KneeSweep.failure(withSummary(ok, behind), 10).startsWith("generator behind"));
    assertEquals(m.offeredRate(), 100);
  }

  private static RateTotals withSummary(RateTotals t, RateSummary m) {
    return new RateTotals(
        t.strategy(),
        t.arrivals(),
        t.rate(),
        t.payload(),
        t.origins(),
        t.serverDelayMs(),
        t.rttMs(),
        t.timeoutMs(),
        t.placement(),
        m,
        t.clientConnections(),
        t.serverConnections(),
        t.serverRequests(),
        t.maxConnectionsOpenPerListener());
  }
}
