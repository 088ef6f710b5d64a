package dev.keepalive.bench;

import dev.keepalive.agent.Timings;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/**
 * Latency per request phase, in nanoseconds: {@code queue} (waiting for a socket), {@code connect}
 * (new connections only), {@code response} (time to first byte) and {@code total} (issue → last
 * byte), of one benchmark thread over one measurement iteration; {@link TrialLog} keeps them as the
 * trial's intervals and writes them.
 *
 * <p>Thread-safety: none; one instance per benchmark thread, merged at trial end by one thread.
 */
public final class PhaseHistograms {

  /** The total latency, issue → last byte: untagged in the {@code .hlog}. */
  public static final String TOTAL = "total";

  /**
   * Phase names, in the order they are written; all but the total are tags in the {@code .hlog}.
   */
  public static final String[] PHASES = {TOTAL, "queue", "connect", "response"};

  private static final long HIGHEST_NANOS = 120_000_000_000L;

  final Histogram total = histogram();
  final Histogram queue = histogram();
  final Histogram connect = histogram();
  final Histogram response = histogram();

  static Histogram histogram() {
    return new Histogram(1, HIGHEST_NANOS, 3);
  }

  /** Records one completed request of our agent, from its timings in nanoseconds. */
  void record(Timings t) {
    add(total, t.endNanos());
    add(queue, t.socketNanos());
    add(response, t.responseNanos());
    if (t.newConnection()) {
      add(connect, t.connectingNanos());
    }
  }

  /** Records a request for which only the total is known (peer clients). */
  void recordTotalNanos(long nanos) {
    add(total, nanos);
  }

  static void add(Histogram h, long nanos) {
    h.recordValue(Math.max(1, Math.min(HIGHEST_NANOS, nanos)));
  }

  Histogram phase(String tag) {
    return switch (tag) {
      case "total" -> total;
      case "queue" -> queue;
      case "connect" -> connect;
      case "response" -> response;
      default ->
          throw new IllegalArgumentException(
              "phase must be one of total, queue, connect, response, was " + tag);
    };
  }

  void reset() {
    for (String p : PHASES) {
      phase(p).reset();
    }
  }

  void addAll(PhaseHistograms other) {
    for (String p : PHASES) {
      phase(p).add(other.phase(p));
    }
  }

  /** A copy, for an interval of the log. */
  PhaseHistograms copy() {
    PhaseHistograms c = new PhaseHistograms();
    c.addAll(this);
    return c;
  }

  /**
   * Writes into {@code dir}, named by {@code files}: the total's {@code .hgrm}, a {@code .hgrm} for
   * each other non-empty phase, and the {@code .hlog} with one histogram per phase (the total
   * untagged, the others tagged), values in ns.
   */
  void write(TrialFiles files, Path dir, long startMillis) throws IOException {
    write(files, dir, startMillis, Map.of());
  }

  /**
   * {@link #write(TrialFiles, Path, long)}, plus more histograms of the trial (the open loop's
   * {@code intended} latency, its {@code lateness}): a {@code .hgrm} each and a tag each in the
   * {@code .hlog}, after the phases.
   */
  void write(TrialFiles files, Path dir, long startMillis, Map<String, Histogram> more)
      throws IOException {
    Files.createDirectories(dir);
    Map<String, Histogram> all = new LinkedHashMap<>();
    for (String p : PHASES) {
      all.put(p, phase(p));
    }
    all.putAll(more);
    for (Map.Entry<String, Histogram> e : all.entrySet()) {
      String p = e.getKey();
      Histogram h = e.getValue();
      if (h.getTotalCount() == 0 && !p.equals("total")) {
        continue;
      }
      Path file = p.equals("total") ? files.hgrm(dir) : files.hgrm(dir, p);
      try (OutputStream os = Files.newOutputStream(file);
          PrintStream ps = new PrintStream(os, false, "UTF-8")) {
        h.outputPercentileDistribution(ps, 1000.0); // ns → µs
      }
    }
    try (OutputStream os = Files.newOutputStream(files.hlog(dir));
        PrintStream ps = new PrintStream(os, false, "UTF-8")) {
      HistogramLogWriter w = new HistogramLogWriter(ps);
      w.outputComment(
          "keepalive-bench " + files.stem() + ": per-phase request latency, values in ns");
      w.outputStartTime(startMillis);
      w.setBaseTime(startMillis);
      w.outputLegend();
      for (Map.Entry<String, Histogram> e : all.entrySet()) {
        Histogram h = e.getValue().copy();
        if (!e.getKey().equals("total")) {
          h.setTag(e.getKey()); // the total untagged: what HistogramLogProcessor reads by default
        }
        h.setStartTimeStamp(startMillis);
        h.setEndTimeStamp(System.currentTimeMillis());
        w.outputIntervalHistogram(h);
      }
    }
  }
}
