package dev.keepalive.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keepalive.bench.TrialFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What reuse is worth vs distance: the headline, the table and the charts from strategy rows. */
class DistanceTableTest {

  /** A row of concurrency 16, payload 13 at {@code rttMs}, as SummaryTable reads it. */
  private static SummaryTable.Row row(
      String strategy, int rttMs, double throughput, double p50Micros, double p99Micros) {
    TrialFiles files =
        TrialFiles.of(
            "dev.keepalive.bench.StrategyBenchmark.request",
            TrialFiles.THROUGHPUT,
            Map.of(
                    "strategy",
                    strategy,
                    "concurrency",
                    "16",
                    "payload",
                    "13",
                    "rttMs",
                    String.valueOf(rttMs))
                ::get);
    return new SummaryTable.Row(
        strategy,
        16,
        13,
        1,
        throughput,
        Precision.of(List.of(List.of(throughput - 10, throughput + 10))),
        p50Micros,
        p99Micros,
        p99Micros,
        500,
        1000,
        0,
        0,
        0,
        0,
        true,
        "harness-server in its own JVM, 127.0.0.1",
        files);
  }

  private static List<SummaryTable.Row> sweep() {
    List<SummaryTable.Row> rows = new ArrayList<>();
    rows.add(row("no-agent", 0, 10_000, 800, 2_000));
    rows.add(row("keep-alive", 0, 20_000, 400, 1_500));
    rows.add(row("no-agent", 10, 800, 20_500, 24_000));
    rows.add(row("keep-alive", 10, 1_600, 10_300, 12_000));
    rows.add(row("max-sockets-4", 10, 400, 40_000, 45_000));
    return rows;
  }

  @Test
  void theHeadlineStatesReusesValueAtEachDistance() {
    assertEquals(
        "- **What reuse is worth** (keep-alive vs no-agent, concurrency 16, payload 13 B):"
            + " loopback: 2.0× the throughput, p50 400 µs vs 800 µs;"
            + " RTT 10 ms: 2.0× the throughput, p50 10.3 ms vs 20.5 ms.\n",
        DistanceTable.headline(sweep()));
    assertEquals("", DistanceTable.headline(List.of(row("keep-alive", 0, 1, 1, 1))));
  }

  @Test
  void theTableComparesEveryRowWithNoAgentAtTheSameDistance() {
    String md = DistanceTable.markdown(sweep());
    assertTrue(
        md.startsWith("### What reuse is worth vs distance: concurrency 16, payload 13 B\n"), md);
    assertTrue(md.contains("| 10 | keep-alive | 1,600 | 2.00× | 10.3 ms | 12.0 ms | 500 |"), md);
    assertTrue(md.contains("| 10 | max-sockets-4 | 400 | 0.50× | 40.0 ms | 45.0 ms | 500 |"), md);
    assertTrue(md.contains("| 0 | no-agent | 10,000 | 1.00× | 800 µs | 2.0 ms | 500 |"), md);
    assertEquals("", DistanceTable.markdown(sweep().subList(0, 2)), "one distance: no sweep");
  }

  @Test
  void theChartsAreDrawnPerWorkload() throws Exception {
    Map<String, byte[]> charts = DistanceTable.render(sweep());
    assertEquals(
        List.of("distance-c16-p13-o1-throughput.png", "distance-c16-p13-o1-latency.png"),
        List.copyOf(charts.keySet()));
    for (byte[] png : charts.values()) {
      assertTrue(png.length > 1000, "a chart, " + png.length + " bytes");
    }
  }
}
