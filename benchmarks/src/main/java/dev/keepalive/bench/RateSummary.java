package dev.keepalive.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.keepalive.agent.ErrorClass;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * What the measured requests of an open-loop run showed ({@link OpenLoop}); part of a rate trial's
 * totals ({@link RateTotals}), a published schema. Latencies are ms; those from the intended start
 * are tagged {@code intended}, those from the actual issue {@code issue}. When the generator fell
 * behind, the latencies are absent: the run says so instead.
 *
 * <p>Thread-safety: immutable (see the package).
 *
 * @param offeredRate requests/s the schedule asked for
 * @param seconds the measured window: from the first measured request's intended start to the first
 *     unmeasured one's
 * @param issued requests issued in the window
 * @param ok of those, completed with a response
 * @param errors of those, failed (any class)
 * @param errorsByClass errors per class ({@code timeout}: the request timeout passed)
 * @param late requests issued more than {@link OpenLoop#LATE_NANOS} or one mean interval (the
 *     longer) after their intended start
 * @param latenessP99Ms how late the generator issued its requests, p99 (issue − intended start)
 * @param latenessMaxMs how late, at most
 * @param generatorBehind more than {@link OpenLoop#BEHIND_FRACTION} of the requests were late: the
 *     generator could not keep the schedule, and no latency is reported
 * @param issuedRate requests issued per second of the window
 * @param achievedRate responses (ok) that arrived while the window was open, per second of it: the
 *     throughput, which falls below the offered rate when a queue builds
 * @param maxInFlight the most requests in flight at once
 * @param maxQueued the most requests waiting in the client for a connection (sampled every 10 ms);
 *     -1 when the client does not say
 * @param maxOpenSockets the most connections the client had open (sampled); -1 when it does not say
 * @param maxHeapUsedBytes the most heap in use in the client's JVM (sampled)
 * @param peakRssBytes the client process's peak resident set ({@code VmHWM}), or -1 where {@code
 *     /proc} does not say
 * @param peakThreads the most live threads the client's JVM had (the JVM's own included)
 * @param intendedP50Ms latency from the intended start, p50
 * @param intendedP99Ms p99
 * @param intendedP999Ms p99.9
 * @param intendedMaxMs max
 * @param issueP50Ms latency from the actual issue, p50
 * @param issueP99Ms p99
 * @param issueP999Ms p99.9
 * @param issueMaxMs max
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RateSummary(
    double offeredRate,
    double seconds,
    long issued,
    long ok,
    long errors,
    Map<String, Long> errorsByClass,
    long late,
    double latenessP99Ms,
    double latenessMaxMs,
    boolean generatorBehind,
    double issuedRate,
    double achievedRate,
    int maxInFlight,
    int maxQueued,
    int maxOpenSockets,
    long maxHeapUsedBytes,
    long peakRssBytes,
    int peakThreads,
    Double intendedP50Ms,
    Double intendedP99Ms,
    Double intendedP999Ms,
    Double intendedMaxMs,
    Double issueP50Ms,
    Double issueP99Ms,
    Double issueP999Ms,
    Double issueMaxMs) {

  static RateSummary of(
      double offeredRate,
      double seconds,
      LoadCounts measured,
      long okInWindow,
      long late,
      int maxInFlight,
      int maxQueued,
      int maxOpenSockets,
      long maxHeapUsedBytes,
      long peakRssBytes,
      int peakThreads,
      boolean behind,
      Histogram lateness,
      Histogram intended,
      Histogram issue) {
    Map<String, Long> byClass = new TreeMap<>();
    for (Map.Entry<ErrorClass, Long> e : measured.errorsByClass().entrySet()) {
      byClass.put(e.getKey().wireName(), e.getValue());
    }
    boolean latency = !behind && intended.getTotalCount() > 0;
    return new RateSummary(
        offeredRate,
        seconds,
        measured.issued,
        measured.ok,
        measured.errors,
        byClass,
        late,
        ms(lateness, 99),
        lateness.getMaxValue() / 1e6,
        behind,
        measured.issued / seconds,
        okInWindow / seconds,
        maxInFlight,
        maxQueued,
        maxOpenSockets,
        maxHeapUsedBytes,
        peakRssBytes,
        peakThreads,
        latency ? ms(intended, 50) : null,
        latency ? ms(intended, 99) : null,
        latency ? ms(intended, 99.9) : null,
        latency ? intended.getMaxValue() / 1e6 : null,
        latency ? ms(issue, 50) : null,
        latency ? ms(issue, 99) : null,
        latency ? ms(issue, 99.9) : null,
        latency ? issue.getMaxValue() / 1e6 : null);
  }

  private static double ms(Histogram h, double percentile) {
    return h.getValueAtPercentile(percentile) / 1e6;
  }

  /** Requests that timed out. */
  public long timedOut() {
    return errorsByClass.getOrDefault(ErrorClass.TIMEOUT.wireName(), 0L);
  }
}
