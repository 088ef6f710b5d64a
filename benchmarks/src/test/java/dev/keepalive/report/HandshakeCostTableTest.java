package dev.keepalive.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keepalive.bench.TrialFiles;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The handshake's cost per new connection, from concurrency-1 rows of one run. */
class HandshakeCostTableTest {

  private static SummaryTable.Row row(
      String strategy, String scheme, int concurrency, double throughput, double error) {
    Map<String, String> p = new HashMap<>();
    p.put("strategy", strategy);
    p.put("concurrency", String.valueOf(concurrency));
    p.put("payload", "13");
    p.put("origins", "1");
    p.put("rttMs", "0");
    p.put("scheme", scheme);
    TrialFiles files =
        TrialFiles.of("dev.keepalive.bench.StrategyBenchmark.request", "thrpt", p::get);
    return new SummaryTable.Row(
        strategy,
        concurrency,
        13,
        1,
        throughput,
        new Precision(throughput, error, Precision.Unit.FORKS, 3, 15),
        Double.NaN,
        Double.NaN,
        Double.NaN,
        0,
        1000,
        0,
        0,
        0,
        0,
        true,
        "harness-server in its own JVM, 127.0.0.1",
        files);
  }

  /**
   * 10,000 req/s = 100 µs per request; 2,000 = 500 µs; 4,000 = 250 µs; 5,000 = 200 µs. No score
   * error: no interval.
   */
  private static final List<SummaryTable.Row> ROWS =
      List.of(
          row("keep-alive", "https", 1, 10_000, Double.NaN),
          row("no-agent", "https", 1, 2_000, Double.NaN),
          row("close-resume", "https", 1, 4_000, Double.NaN),
          row("keep-alive", "http", 1, 10_000, Double.NaN),
          row("no-agent", "http", 1, 5_000, Double.NaN),
          row("keep-alive", "https", 16, 50_000, Double.NaN),
          row("no-agent", "https", 16, 9_000, Double.NaN));

  @Test
  void aNewConnectionsCostIsTheDifferenceInTimePerRequestAtConcurrencyOne() {
    List<HandshakeCostTable.Cost> costs = HandshakeCostTable.costs(ROWS);
    assertEquals(2, costs.size(), "concurrency 16 is not a time per request: " + costs);
    HandshakeCostTable.Cost tls = costs.get(0);
    assertEquals("https", tls.scheme());
    assertEquals(400, tls.full().micros(), 1e-9, "TCP + full handshake");
    assertEquals(150, tls.resumed().micros(), 1e-9, "TCP + resumed handshake");
    HandshakeCostTable.Cost plain = costs.get(1);
    assertEquals(100, plain.full().micros(), 1e-9, "TCP alone");
    assertNull(plain.resumed());
    String md = HandshakeCostTable.markdown(ROWS);
    assertTrue(md.contains("| https | 0 | 13 | 100 | 500 | 250 | 400 | 150 |"), md);
    assertTrue(md.contains("full handshake 300 µs, resumed 50 µs per new connection"), md);
  }

  @Test
  void intervalsCombineTheRowsBoundsAtTheirWorst() {
    SummaryTable.Row ka = row("keep-alive", "https", 1, 10_000, 2_000); // [83.3, 125] µs
    SummaryTable.Row none = row("no-agent", "https", 1, 2_000, 500); // [400, 666.7] µs
    HandshakeCostTable.Cost c = HandshakeCostTable.costs(List.of(ka, none)).get(0);
    assertEquals(400 - 125, c.full().lowMicros(), 1e-6);
    assertEquals(1e6 / 1500 - 1e6 / 12_000, c.full().highMicros(), 1e-6);
    assertTrue(c.full().format().startsWith("400 [275, 583]"), c.full().format());
  }

  @Test
  void aRowWhoseErrorReachesItsScoreLeavesTheIntervalOpen() {
    SummaryTable.Row ka = row("keep-alive", "https", 1, 10_000, 0);
    SummaryTable.Row none = row("no-agent", "https", 1, 100, 150);
    HandshakeCostTable.Cost c = HandshakeCostTable.costs(List.of(ka, none)).get(0);
    assertEquals("9,900 [3,900, ∞]", c.full().format());
    String both = c.full().minus(c.noAgent()).format();
    assertTrue(both.endsWith(" [−∞, ∞]"), both);
  }

  @Test
  void withoutTheRowsThereIsNoSection() {
    assertEquals("", HandshakeCostTable.markdown(List.of(row("keep-alive", "https", 1, 1, 0))));
  }
}
