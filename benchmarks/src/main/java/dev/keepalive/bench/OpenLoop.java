package dev.keepalive.bench;

import dev.keepalive.agent.ErrorClass;
import dev.keepalive.agent.Timings;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import org.HdrHistogram.Histogram;

/**
 * The open-loop generator: issues request i at its intended start ({@link Arrivals}) whatever is
 * still in flight, and records each request's latency twice: from its <em>intended</em> start
 * (wrk2's definition, free of coordinated omission: a generator that was held up is charged for it)
 * and from its actual issue. It drives the client between requests ({@link RateClient#waitUntil}),
 * on the calling thread.
 *
 * <p>A request is <em>late</em> when it was issued more than {@link #LATE_NANOS} or one mean
 * interval between arrivals (1 / rate), whichever is longer, after its intended start: the next
 * request was due before this one went out, so the generator (with our agent, the agent's loop on
 * the same thread) did not keep up. Late requests are counted, never hidden, and a measurement with
 * more than {@link #BEHIND_FRACTION} of them late is reported as the generator's failure ({@link
 * RateSummary#generatorBehind()}), not as a latency.
 *
 * <p>Only requests issued while {@link #recording} is on are measured; they are followed to their
 * end even after the measurement (by {@link #drain}), so the slowest requests of a saturated run
 * are not cut off.
 *
 * <p>Thread-safety: benchmark thread (see the package).
 */
final class OpenLoop implements AutoCloseable {

  /** Issued later than this (or one interval, when longer) after its intended start: late. */
  static final long LATE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  /**
   * More than this share of late requests, and the generator fell behind: 5 %. (A machine busy with
   * other work stalls the generator now and then for tens of ms, making a few requests late; their
   * lateness stays in the latency from the intended start. A generator that cannot keep up makes
   * many late.)
   */
  static final double BEHIND_FRACTION = 0.05;

  private static final long SAMPLE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  private static final long DRAIN_STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final RateClient client;
  private final LongFunction<URI> target;
  private final Arrivals arrivals;
  private final int maxOutstanding;
  private final long lateNanos;

  /** Every request of the run, warmup included. */
  final LoadCounts counts = new LoadCounts();

  /** The measured requests only. */
  final LoadCounts measured = new LoadCounts();

  final PhaseHistograms phases = new PhaseHistograms();
  final Histogram intended = PhaseHistograms.histogram();

  /** How late each measured request was issued: issue − intended start, ns (0 when on time). */
  final Histogram lateness = PhaseHistograms.histogram();

  boolean recording;

  private long seq;
  private long nextIntended;
  private long measuredLate;
  private boolean measuring;
  private long windowStartNanos;
  private long windowNanos;
  private int maxInFlight;
  private int maxQueued = -1;
  private int maxOpenSockets = -1;
  private long maxHeapUsed;
  private long nextSample;
  private long connectionsAtStart;
  private long okInWindow;

  /**
   * @param target the URI of request number n (0-based): round-robin over the origins, or a plan
   * @param maxOutstanding 0 for an open loop; else at most this many requests in flight, further
   *     arrivals waiting (and counted late) as a closed-loop tool's connections make them wait: the
   *     coordinated-omission demonstration
   */
  OpenLoop(RateClient client, LongFunction<URI> target, Arrivals arrivals, int maxOutstanding) {
    this.client = client;
    this.target = target;
    this.arrivals = arrivals;
    this.maxOutstanding = maxOutstanding;
    this.lateNanos = Math.max(LATE_NANOS, (long) arrivals.meanGapNanos());
  }

  /** Round-robin over {@code uris}. */
  static LongFunction<URI> roundRobin(List<URI> uris) {
    return n -> uris.get((int) (n % uris.size()));
  }

  /** Starts (or restarts) the schedule now: the next request is due at once. */
  void restart() {
    nextIntended = System.nanoTime();
    arrivals.restartAt(nextIntended);
    nextIntended = arrivals.next();
  }

  /** Starts measuring: the requests issued from now on are recorded. */
  void startMeasuring() {
    recording = true;
    measuring = true;
    windowNanos = 0;
    okInWindow = 0;
    windowStartNanos = nextIntended;
    connectionsAtStart = client.connectionsOpened();
  }

  /** Whether {@link #startMeasuring} was called and {@link #stopMeasuring} not yet. */
  boolean measuring() {
    return measuring;
  }

  /**
   * Leaves the measured window for a while (JMH's pause between iterations): the time until {@link
   * #resumeWindow} does not count.
   */
  void pauseWindow() {
    if (recording) {
      windowNanos += nextIntended - windowStartNanos;
      recording = false;
    }
  }

  /** Back into the measured window, from the next request on (after a {@link #restart}). */
  void resumeWindow() {
    if (measuring && !recording) {
      recording = true;
      windowStartNanos = nextIntended;
    }
  }

  /** Stops measuring; requests in flight are still followed to their end. */
  void stopMeasuring() {
    pauseWindow();
    measuring = false;
  }

  /** Waits for the next intended start, driving the client meanwhile, and issues that request. */
  void issueNext() throws InterruptedException {
    long at = nextIntended;
    while (maxOutstanding > 0 && counts.inFlight() >= maxOutstanding) {
      client.poll(DRAIN_STEP_NANOS);
    }
    while (System.nanoTime() - at < 0) {
      client.waitUntil(at, counts.inFlight() > 0);
    }
    nextIntended = arrivals.next();
    long now = System.nanoTime();
    Request r = new Request(at, now, recording);
    counts.issued++;
    if (recording) {
      measured.issued++;
      PhaseHistograms.add(lateness, now - at);
      if (now - at > lateNanos) {
        measuredLate++;
      }
    }
    client.issue(target.apply(seq++), r);
    int inFlight = (int) counts.inFlight();
    if (recording && inFlight > maxInFlight) {
      maxInFlight = inFlight;
    }
    if (recording && now - nextSample >= 0) {
      sample(now);
    }
  }

  /** Issues every request intended in the next {@code nanos}. */
  void runFor(long nanos) throws InterruptedException {
    long end = nextIntended + nanos;
    while (nextIntended - end < 0) {
      issueNext();
    }
  }

  private void sample(long now) {
    nextSample = now + SAMPLE_NANOS;
    maxQueued = Math.max(maxQueued, client.queued());
    maxOpenSockets = Math.max(maxOpenSockets, client.openSockets());
    Runtime rt = Runtime.getRuntime();
    maxHeapUsed = Math.max(maxHeapUsed, rt.totalMemory() - rt.freeMemory());
  }

  /**
   * Issues nothing more and drives the client until every request has ended, at most {@code
   * timeoutMillis}.
   */
  void drain(long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (counts.inFlight() > 0 && System.nanoTime() - deadline < 0) {
      client.poll(DRAIN_STEP_NANOS);
    }
  }

  /**
   * How long to wait for the requests in flight after the last issue: twice the request timeout and
   * 5 s, at least 30 s (a peer with thousands of calls on its threads, on a busy machine, ends them
   * late), 60 s without a timeout. A request still in flight after that fails the run.
   */
  static long drainMillis(long timeoutMillis) {
    return timeoutMillis > 0 ? Math.max(30_000, 2 * timeoutMillis + 5_000) : 60_000;
  }

  /** Connections the client opened since {@link #startMeasuring}, or -1 when it does not say. */
  long connectionsOpenedMeasuring() {
    long now = client.connectionsOpened();
    return now < 0 ? -1 : now - connectionsAtStart;
  }

  /** Connections the client opened in all, or -1 when it does not say. */
  long connectionsOpened() {
    return client.connectionsOpened();
  }

  /** What the measured requests showed (call after {@link #drain}). */
  RateSummary summary(double offeredRate) {
    long nanos = windowNanos + (recording ? nextIntended - windowStartNanos : 0);
    double seconds = Math.max(1e-9, nanos / 1e9);
    boolean behind = measured.issued > 0 && measuredLate > BEHIND_FRACTION * measured.issued;
    return RateSummary.of(
        offeredRate,
        seconds,
        measured,
        okInWindow,
        measuredLate,
        maxInFlight,
        maxQueued,
        maxOpenSockets,
        maxHeapUsed,
        peakRssBytes(),
        ManagementFactory.getThreadMXBean().getPeakThreadCount(),
        behind,
        lateness,
        intended,
        phases.total);
  }

  /** This process's peak resident set ({@code VmHWM}), or -1 where {@code /proc} does not say. */
  static long peakRssBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  @Override
  public void close() {
    client.close();
  }

  /** One issued request: its intended start and issue, and what happens when it ends. */
  private final class Request implements RateClient.Outcome {
    final long intendedNanos;
    final long issueNanos;
    final boolean measure;

    Request(long intendedNanos, long issueNanos, boolean measure) {
      this.intendedNanos = intendedNanos;
      this.issueNanos = issueNanos;
      this.measure = measure;
    }

    @Override
    public void ended(long endNanos, ErrorClass error, Timings timings) {
      if (error == null) {
        counts.ok++;
        if (recording) {
          okInWindow++; // throughput: responses while the window is open, whichever request
        }
      } else {
        counts.error(error);
      }
      if (!measure) {
        return;
      }
      if (error != null) {
        measured.error(error);
        return;
      }
      measured.ok++;
      PhaseHistograms.add(intended, endNanos - intendedNanos);
      if (timings != null) {
        phases.record(timings);
      } else {
        phases.recordTotalNanos(endNanos - issueNanos);
      }
    }
  }
}
