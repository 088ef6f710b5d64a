package dev.keepalive.bench;

import dev.keepalive.agent.Timings;
import org.HdrHistogram.Histogram;

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

  private static void add(Histogram h, long nanos) {
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
}
