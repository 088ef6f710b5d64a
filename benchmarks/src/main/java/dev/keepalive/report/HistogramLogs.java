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
 */
final class HistogramLogs {

  /**
   * The issue → last byte phase: untagged intervals, or (in logs written before the total was
   * untagged) intervals tagged {@code total}.
   */
  static final String TOTAL = "total";

  private HistogramLogs() {}

  /**
   * The sum of the log's histograms tagged {@code tag} (for {@link #TOTAL}: untagged), over every
   * interval of every fork, values in ns; null when the log is absent or has no such histogram.
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
        boolean phase = tag.equals(h.getTag()) || (tag.equals(TOTAL) && h.getTag() == null);
        if (phase && h instanceof Histogram hist) {
          if (sum == null) {
            sum = hist;
          } else {
            sum.add(hist);
          }
        }
      }
    }
    return sum;
  }
}
