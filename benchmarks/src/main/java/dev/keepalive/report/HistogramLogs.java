package dev.keepalive.report;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;

/**
 * Reads a trial's interval log ({@code .hlog}, see {@code TrialFiles}) with HdrHistogram's own
 * {@link HistogramLogReader}: the one way the report gets at latency data. The {@code .hgrm} text
 * next to it is for people; nothing here parses it.
 *
 * <p>Two layouts are read. Since each measurement iteration is its own interval, the total (issue →
 * last byte) is <b>untagged</b>, so that HdrHistogram's {@code HistogramLogProcessor} reads it with
 * its default invocation, and the other phases are tagged with their names. Logs of earlier runs
 * hold one interval per phase, the total tagged {@value #TOTAL}. Either way the phase's intervals
 * (iterations, forks) are summed.
 */
final class HistogramLogs {

  /**
   * The issue → last byte phase: untagged intervals, or (in logs of earlier runs) those tagged
   * {@code total}.
   */
  static final String TOTAL = "total";

  private HistogramLogs() {}

  /**
   * The sum of the log's histograms of phase {@code tag} (for {@link #TOTAL} also the untagged
   * ones), values in ns; null when the log is absent or has no such histogram.
   */
  static Histogram read(Path hlog, String tag) throws IOException {
    if (!Files.exists(hlog)) {
      return null;
    }
    Histogram sum = null;
    try (InputStream in = Files.newInputStream(hlog)) {
      HistogramLogReader reader = new HistogramLogReader(in);
      for (EncodableHistogram h = reader.nextIntervalHistogram();
          h != null;
          h = reader.nextIntervalHistogram()) {
        boolean phase = tag.equals(h.getTag()) || (h.getTag() == null && tag.equals(TOTAL));
        if (phase && h instanceof Histogram hist) {
          if (sum == null) {
            // intervals of forks and iterations may differ in range: let the sum grow
            sum = hist.copy();
            sum.setAutoResize(true);
          } else {
            sum.add(hist);
          }
        }
      }
    }
    return sum;
  }
}
