package dev.keepalive.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogProcessor;
import org.HdrHistogram.HistogramLogWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our latency logs and HdrHistogram's own tools: the layout with one untagged interval per
 * measurement iteration (the total) and tagged phases is what {@code HistogramLogProcessor} reads
 * with its default invocation, and what the report reads; logs of earlier runs (every phase tagged,
 * one interval each) still read.
 */
class HistogramLogsTest {

  private static final long START_MILLIS = 1_795_228_393_112L;

  @TempDir Path tmp;

  /** Iteration i records {@code counts[i]} totals of (i + 1) ms and as many queue waits of 1 µs. */
  private Path iterationLog(int... counts) throws Exception {
    Path hlog = tmp.resolve("StrategyBenchmark-keep-alive-c16-p13-o1-thrpt.hlog");
    try (OutputStream os = Files.newOutputStream(hlog);
        PrintStream ps = new PrintStream(os, false, StandardCharsets.UTF_8)) {
      HistogramLogWriter w = new HistogramLogWriter(ps);
      w.outputComment("keepalive-bench test: per-phase request latency, values in ns");
      w.outputStartTime(START_MILLIS);
      w.setBaseTime(START_MILLIS);
      w.outputLegend();
      for (int i = 0; i < counts.length; i++) {
        long start = START_MILLIS + i * 1000L;
        Histogram total = new Histogram(1, 120_000_000_000L, 3);
        total.recordValueWithCount((i + 1) * 1_000_000L, counts[i]);
        total.setStartTimeStamp(start);
        total.setEndTimeStamp(start + 1000);
        w.outputIntervalHistogram(total);
        Histogram queue = new Histogram(1, 120_000_000_000L, 3);
        queue.recordValueWithCount(1_000, counts[i]);
        queue.setTag("queue");
        queue.setStartTimeStamp(start);
        queue.setEndTimeStamp(start + 1000);
        w.outputIntervalHistogram(queue);
      }
    }
    return hlog;
  }

  /**
   * Depends on the writer ({@code bench.PhaseHistograms}) writing this layout: with every interval
   * tagged, as runs before it were written, the processor's default invocation throws a
   * NullPointerException.
   */
  @Test
  void hdrHistogramsLogProcessorReadsTheIterationLogWithItsDefaultInvocation() throws Exception {
    Path hlog = iterationLog(100, 200, 300);
    Path out = tmp.resolve("processed");
    new HistogramLogProcessor(new String[] {"-i", hlog.toString(), "-o", out.toString()}).run();

    String hgrm = Files.readString(Path.of(out + ".hgrm"));
    Matcher total = Pattern.compile("Total count\\s*=\\s*(\\d+)]").matcher(hgrm);
    assertTrue(total.find(), hgrm);
    assertEquals(600, Long.parseLong(total.group(1)), "the untagged totals, not the phases");
    Matcher max = Pattern.compile("#\\[Max\\s*=\\s*([0-9.]+),").matcher(hgrm);
    assertTrue(max.find(), hgrm);
    assertEquals(3.0, Double.parseDouble(max.group(1)), 0.01, "ms, the processor's default unit");

    String intervals = Files.readString(out);
    long lines = intervals.lines().filter(l -> l.matches("\\s*[0-9.]+: I:.*")).count();
    assertEquals(3, lines, "one line per measurement iteration:\n" + intervals);
    assertTrue(intervals.contains("StartTime: " + START_MILLIS / 1000 + "."), intervals);
  }

  @Test
  void theReportSumsTheIterationsOfEachPhase() throws Exception {
    Path hlog = iterationLog(100, 200, 300);
    Histogram total = HistogramLogs.read(hlog, HistogramLogs.TOTAL);
    assertEquals(600, total.getTotalCount());
    assertEquals(3_000_000, total.getMaxValue(), 3_000_000 / 1000.0);
    assertEquals(600, HistogramLogs.read(hlog, "queue").getTotalCount());
    assertNull(HistogramLogs.read(hlog, "connect"));
    assertNull(HistogramLogs.read(tmp.resolve("absent.hlog"), HistogramLogs.TOTAL));
  }

  @Test
  void logsOfEarlierRunsStillRead() throws Exception {
    Path golden = ReportTest.golden("quick/hdr/StrategyBenchmark-keep-alive-c16-p13-o1-thrpt.hlog");
    Histogram total = HistogramLogs.read(golden, HistogramLogs.TOTAL);
    assertTrue(total.getTotalCount() > 1000, "total: " + total.getTotalCount());
    Histogram queue = HistogramLogs.read(golden, "queue");
    assertEquals(total.getTotalCount(), queue.getTotalCount(), "one queue wait per request");
  }
}
