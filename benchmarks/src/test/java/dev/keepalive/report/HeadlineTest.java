package dev.keepalive.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keepalive.bench.TrialFiles;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeadlineTest {

  private static SummaryTable.Row row(String strategy, double throughput, double halfPercent) {
    TrialFiles files =
        TrialFiles.of(
            "StrategyBenchmark",
            "thrpt",
            Map.of("strategy", strategy, "concurrency", "16", "payload", "13")::get);
    double d = throughput * halfPercent / 100 / 4.303 * Math.sqrt(3);
    Precision p =
        Precision.of(
            List.of(List.of(throughput - d), List.of(throughput), List.of(throughput + d)));
    long conns = strategy.equals("no-agent") ? 1000 : 0;
    return new SummaryTable.Row(
        strategy,
        16,
        13,
        1,
        throughput,
        p,
        100,
        900,
        1000,
        500,
        1000,
        0,
        conns,
        conns,
        0,
        true,
        "harness-server in its own JVM, 127.0.0.1",
        files);
  }

  @Test
  void statesReuseAndEachBoundWithIntervals() {
    List<Headline.Block> blocks =
        Headline.of(
            List.of(
                row("no-agent", 10_000, 4),
                row("keep-alive", 60_000, 3),
                row("max-sockets-4", 30_000, 3),
                row("max-sockets-16", 59_000, 3)));
    assertEquals(1, blocks.size());
    Headline.Block b = blocks.get(0);
    assertEquals("concurrency 16, payload 13 B", b.workload());
    String reuse = b.lines().get(0);
    assertTrue(reuse.startsWith("reuse: keep-alive 6.00× (95 % CI 5.7"), reuse);
    assertTrue(
        reuse.contains("connections per 1k requests 0.0 vs 1,000.0 (the server's count)"), reuse);
    String bounds = b.lines().get(1);
    assertTrue(bounds.contains("max-sockets-4 0.50× (95 % CI 0.48–0.52×)"), bounds);
    assertTrue(bounds.contains("max-sockets-16 0.98× (95 % CI 0.9"), bounds);
    assertTrue(bounds.contains("no measurable difference"), bounds);
    for (String line : b.text(118).split("\n")) {
      assertTrue(line.length() <= 118, line);
    }
  }

  @Test
  void aWorkloadWithoutKeepAliveHasNoBlock() {
    assertTrue(Headline.of(List.of(row("no-agent", 10, 1))).isEmpty());
  }
}
