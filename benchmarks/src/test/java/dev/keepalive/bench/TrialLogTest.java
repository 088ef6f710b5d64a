package dev.keepalive.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogProcessor;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trial's files cover every fork: two forks simulated by two trial writers on the same folder, as
 * JMH's forks run one after another.
 */
class TrialLogTest {

  @TempDir Path hdr;

  static final TrialFiles FILES =
      TrialFiles.parse("StrategyBenchmark-keep-alive-c16-p13-o1-thrpt.hgrm");

  /** A fork's log: iteration i holds {@code perIteration[i]} requests of 100 µs + i µs. */
  private static TrialLog fork(long startMillis, long... perIteration) {
    TrialLog log = new TrialLog();
    for (int i = 0; i < perIteration.length; i++) {
      PhaseHistograms h = new PhaseHistograms();
      for (long n = 0; n < perIteration[i]; n++) {
        h.recordTotalNanos(100_000 + i * 1000L);
      }
      h.queue.recordValue(5_000);
      log.add(i, startMillis + i * 1000L, startMillis + i * 1000L + 900, h);
    }
    return log;
  }

  private static long hgrmTotalCount(Path hgrm) throws Exception {
    Matcher m = Pattern.compile("Total count\\s*=\\s*([0-9]+)").matcher(Files.readString(hgrm));
    assertTrue(m.find(), hgrm + " has HdrHistogram's total count line");
    return Long.parseLong(m.group(1));
  }

  @Test
  void everyForksRequestsAreInTheHgrmAndEveryIterationIsAnIntervalOfTheLog() throws Exception {
    long t0 = 1_800_000_000_000L;
    fork(t0 + 10, 100, 200).write(FILES, hdr, 1, t0);
    fork(t0 + 60_000, 300, 400, 500).write(FILES, hdr, 2, t0 + 59_000);

    assertEquals(1500, hgrmTotalCount(FILES.hgrm(hdr)), "both forks, not the last one only");
    assertTrue(
        Files.readString(FILES.hgrm(hdr)).startsWith("# keepalive-bench "), "a stated header");
    assertTrue(Files.readString(FILES.hgrm(hdr)).lines().findFirst().orElseThrow().contains("µs"));
    assertEquals(5, hgrmTotalCount(FILES.hgrm(hdr, "queue")), "one queue value per iteration");

    List<Long> counts = new ArrayList<>();
    List<Long> starts = new ArrayList<>();
    List<Long> ends = new ArrayList<>();
    List<String> tags = new ArrayList<>();
    try (InputStream in = Files.newInputStream(FILES.hlog(hdr))) {
      HistogramLogReader reader = new HistogramLogReader(in);
      for (EncodableHistogram h = reader.nextIntervalHistogram();
          h != null;
          h = reader.nextIntervalHistogram()) {
        tags.add(h.getTag());
        if (h.getTag() == null) {
          counts.add(((Histogram) h).getTotalCount());
          starts.add(h.getStartTimeStamp());
          ends.add(h.getEndTimeStamp());
        }
      }
      assertEquals(t0 / 1000.0, reader.getStartTimeSec(), 0.001, "the first fork's start");
    }
    assertEquals(List.of(100L, 200L, 300L, 400L, 500L), counts, "one interval per iteration");
    assertEquals(
        List.of(t0 + 10, t0 + 1010, t0 + 60_000, t0 + 61_000, t0 + 62_000),
        starts,
        "each interval starts when its iteration started");
    assertEquals(t0 + 10 + 900, ends.get(0), "and ends when it ended");
    assertEquals(List.of("queue", "connect", "response"), tags.subList(1, 4));
    assertNull(tags.get(0), "the total is untagged");

    Map<String, Histogram> sums = TrialLog.sum(FILES.hlog(hdr));
    assertEquals(1500, sums.get(PhaseHistograms.TOTAL).getTotalCount());
  }

  @Test
  void hdrHistogramsOwnLogProcessorReadsTheLogWithItsDefaultInvocation() throws Exception {
    long t0 = System.currentTimeMillis();
    fork(t0, 100, 200, 300).write(FILES, hdr, 1, t0);
    Path out = hdr.resolve("processed");
    HistogramLogProcessor processor =
        new HistogramLogProcessor(
            new String[] {"-i", FILES.hlog(hdr).toString(), "-o", out.toString()});
    processor.run(); // threw a NullPointerException when every interval was tagged
    Path hgrm = hdr.resolve("processed.hgrm");
    assertEquals(600, hgrmTotalCount(hgrm), "the total of every interval");
    List<String> intervals =
        Files.readAllLines(out).stream().filter(l -> l.matches("\\s*[0-9].*")).toList();
    assertEquals(3, intervals.size(), "one line per iteration: " + intervals);
  }

  @Test
  void trialTotalsSumOverForksAndUnknownCountsStayUnknown() throws Exception {
    TrialTotals a =
        new TrialTotals(
            "okhttp",
            16,
            13,
            1,
            0,
            "external",
            10,
            9,
            1,
            null,
            null,
            null,
            null,
            1,
            0,
            "http",
            null);
    TrialTotals b =
        new TrialTotals(
            "okhttp",
            16,
            13,
            1,
            0,
            "external",
            20,
            20,
            0,
            null,
            null,
            null,
            null,
            1,
            0,
            "http",
            null);
    TrialTotals both = a.merge(b);
    assertEquals(30, both.issued());
    assertEquals(both.issued(), both.ok() + both.errors());
    assertEquals(2, both.forkCount());
    Path json = hdr.resolve("t.trial.json");
    both.write(json);
    String text = Files.readString(json);
    assertTrue(text.contains("\"clientConnections\":\"unknown\""), text);
    assertTrue(text.contains("\"serverConnections\":\"unknown\""), text);
    TrialTotals back = TrialTotals.read(json);
    assertNull(back.clientConnections(), "unknown reads back as unknown, not 0");
    assertEquals(both, back);

    TrialTotals counted =
        new TrialTotals(
                "keep-alive",
                16,
                13,
                1,
                0,
                "own JVM",
                5,
                5,
                0,
                4L,
                4L,
                5L,
                List.of(4L),
                1,
                0,
                "http",
                null)
            .merge(
                new TrialTotals(
                    "keep-alive",
                    16,
                    13,
                    1,
                    0,
                    "own JVM",
                    7,
                    7,
                    0,
                    3L,
                    3L,
                    7L,
                    List.of(3L),
                    1,
                    0,
                    "http",
                    null));
    assertEquals(7L, counted.clientConnections());
    assertEquals(List.of(4L), counted.maxConnectionsOpenPerListener());
    assertThrows(IllegalStateException.class, () -> a.merge(counted), "another trial's file");
  }
}
