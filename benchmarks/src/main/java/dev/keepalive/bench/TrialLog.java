package dev.keepalive.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.HdrHistogram.HistogramLogWriter;

/**
 * A trial's latency as a time series: one interval per measurement iteration, its histograms summed
 * over the benchmark threads, stamped with the iteration's start and end. Written as the trial's
 * {@code .hlog} ({@link TrialFiles#hlog}): per interval the total latency untagged (what
 * HdrHistogram's {@code HistogramLogProcessor} reads by default) and the other phases tagged. A
 * fork appends its intervals to those the forks before it wrote, and rewrites the {@code .hgrm}
 * files from the sum of all, so that every file covers every fork: the total's count is the {@code
 * requests} counter summed over forks and iterations.
 *
 * <p>Timestamps are absolute (base time 0, seconds since the epoch), so a fork appends its lines to
 * the earlier forks' text unchanged; {@code #[StartTime]} is the first fork's trial start.
 *
 * <p>Thread-safety: trial state (see the package): benchmark threads add their iterations under
 * this object's lock; one thread writes at trial end.
 */
final class TrialLog {

  /**
   * One measurement iteration: the threads' histograms summed, from the first start to the last
   * end.
   */
  private static final class Interval {
    long startMillis;
    long endMillis;
    final PhaseHistograms phases = new PhaseHistograms();
  }

  private final List<Interval> intervals = new ArrayList<>();

  /**
   * Adds one thread's histograms of one measurement iteration.
   *
   * @param index the iteration's index among the measurement iterations, from 0
   */
  synchronized void add(int index, long startMillis, long endMillis, PhaseHistograms phases) {
    while (intervals.size() <= index) {
      Interval i = new Interval();
      i.startMillis = startMillis;
      i.endMillis = endMillis;
      intervals.add(i);
    }
    Interval i = intervals.get(index);
    i.startMillis = Math.min(i.startMillis, startMillis);
    i.endMillis = Math.max(i.endMillis, endMillis);
    i.phases.addAll(phases);
  }

  /** Requests in this fork's intervals (the total phase). */
  synchronized long totalCount() {
    return intervals.stream().mapToLong(i -> i.phases.total.getTotalCount()).sum();
  }

  /**
   * Appends this fork's intervals to the trial's {@code .hlog} in {@code dir} (creating it, with
   * {@code trialStartMillis} as its start time, for the first fork) and rewrites the {@code .hgrm}
   * of every non-empty phase (the total's always) from all the log's intervals, in µs.
   *
   * @param fork this fork's number among the trial's measured forks, from 1
   */
  synchronized void write(TrialFiles files, Path dir, int fork, long trialStartMillis)
      throws IOException {
    Files.createDirectories(dir);
    Path hlog = files.hlog(dir);
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    try (PrintStream ps = new PrintStream(text, false, StandardCharsets.UTF_8)) {
      HistogramLogWriter w = new HistogramLogWriter(ps);
      if (Files.exists(hlog)) {
        ps.print(Files.readString(hlog, StandardCharsets.UTF_8));
      } else {
        w.outputComment(
            "keepalive-bench "
                + files.stem()
                + ": request latency in ns, one interval per measurement iteration of every fork:"
                + " the total (issue to last byte) untagged, the phases "
                + String.join(", ", List.of(PhaseHistograms.PHASES).subList(1, 4))
                + " tagged");
        w.outputLogFormatVersion();
        w.outputStartTime(trialStartMillis);
        w.outputBaseTime(0);
        w.outputLegend();
      }
      w.setBaseTime(0);
      w.outputComment("fork " + fork + ": " + intervals.size() + " measurement iterations");
      for (Interval i : intervals) {
        for (String p : PhaseHistograms.PHASES) {
          Histogram h = i.phases.phase(p).copy();
          h.setTag(p.equals(PhaseHistograms.TOTAL) ? null : p);
          h.setStartTimeStamp(i.startMillis);
          h.setEndTimeStamp(i.endMillis);
          w.outputIntervalHistogram(h);
        }
      }
    }
    replace(hlog, text.toByteArray());
    Map<String, Histogram> sums = sum(hlog);
    for (Map.Entry<String, Histogram> e : sums.entrySet()) {
      String p = e.getKey();
      Histogram h = e.getValue();
      if (h.getTotalCount() == 0 && !p.equals(PhaseHistograms.TOTAL)) {
        continue;
      }
      ByteArrayOutputStream hgrm = new ByteArrayOutputStream();
      try (PrintStream ps = new PrintStream(hgrm, false, StandardCharsets.UTF_8)) {
        ps.println(
            "# keepalive-bench "
                + files.stem()
                + ": "
                + p
                + " latency, Value in µs (microseconds); "
                + fork
                + (fork == 1 ? " fork" : " forks")
                + ", every measurement iteration");
        h.outputPercentileDistribution(ps, 1000.0); // ns → µs
      }
      replace(
          p.equals(PhaseHistograms.TOTAL) ? files.hgrm(dir) : files.hgrm(dir, p),
          hgrm.toByteArray());
    }
  }

  /** The log's intervals summed per phase (untagged = total), in phase order. */
  static Map<String, Histogram> sum(Path hlog) throws IOException {
    Map<String, Histogram> sums = new LinkedHashMap<>();
    for (String p : PhaseHistograms.PHASES) {
      sums.put(p, PhaseHistograms.histogram());
    }
    try (InputStream in = Files.newInputStream(hlog)) {
      HistogramLogReader reader = new HistogramLogReader(in);
      for (EncodableHistogram h = reader.nextIntervalHistogram();
          h != null;
          h = reader.nextIntervalHistogram()) {
        Histogram sum = sums.get(h.getTag() == null ? PhaseHistograms.TOTAL : h.getTag());
        if (sum == null) {
          throw new IOException(hlog + ": unknown phase tag '" + h.getTag() + "'");
        }
        sum.add((Histogram) h);
      }
    }
    return sums;
  }

  /** Writes {@code file} whole or not at all: a fork killed mid-write leaves the earlier forks'. */
  private static void replace(Path file, byte[] content) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (OutputStream os = Files.newOutputStream(tmp)) {
      os.write(content);
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
