package dev.keepalive.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One point of an open-loop sweep without JMH ({@code knee}): a fresh client of the strategy, the
 * generator at one rate against a target that is already running, a warmup and a measurement on one
 * continuous schedule (so a backlog built in the warmup is still there, as in steady state), then
 * every request followed to its end.
 *
 * <p>Thread-safety: benchmark thread (see the package): runs on the calling thread.
 */
public final class RatePoint {

  /**
   * What every point of a sweep shares.
   *
   * @param payload response body bytes
   * @param serverDelayMs server-side delay per response, ms
   * @param rttMs the relay's round trip time, ms (0: direct)
   * @param timeoutMs the whole-request deadline, ms; 0 = none
   * @param arrivals {@code constant} or {@code poisson}
   * @param warmupMillis issued before the measurement, not recorded
   * @param measureMillis the measured window
   */
  public record Workload(
      int payload,
      int serverDelayMs,
      int rttMs,
      long timeoutMs,
      String arrivals,
      long warmupMillis,
      long measureMillis) {}

  private RatePoint() {}

  /**
   * Runs one point.
   *
   * @param hdrDir where the point's histograms and totals go ({@link TrialFiles}, benchmark {@code
   *     Knee}, mode {@code open}); null writes nothing
   * @throws IllegalStateException when a request got lost, or the file limit is too low
   */
  public static RateTotals run(
      TrialTarget target, String strategy, int rate, Workload w, Path hdrDir)
      throws InterruptedException, IOException {
    Strategy s = Strategy.of(strategy);
    int origins = target.uris().size();
    FileLimit.require(
        FileLimit.forRate(
            rate, w.serverDelayMs() + w.rttMs(), (long) s.maxSocketsPerOrigin() * origins),
        "rate " + rate + " with " + strategy);
    String path = TrialTarget.path(w.payload(), w.serverDelayMs());
    long startMillis = System.currentTimeMillis();
    try (OpenLoop loop =
        new OpenLoop(
            RateClient.create(s, w.timeoutMs()),
            OpenLoop.roundRobin(target.uris().stream().map(u -> u.resolve(path)).toList()),
            new Arrivals(rate, w.arrivals(), 1),
            0)) {
      loop.restart();
      loop.runFor(TimeUnit.MILLISECONDS.toNanos(w.warmupMillis()));
      target.server().resetStats();
      loop.startMeasuring();
      loop.runFor(TimeUnit.MILLISECONDS.toNanos(w.measureMillis()));
      loop.stopMeasuring();
      loop.drain(OpenLoop.drainMillis(w.timeoutMs()));
      loop.counts.requireComplete(strategy);
      loop.measured.requireComplete(strategy);
      TargetServer.Counts c = target.server().stats();
      RateTotals totals =
          new RateTotals(
              strategy,
              w.arrivals(),
              rate,
              w.payload(),
              origins,
              w.serverDelayMs(),
              w.rttMs(),
              w.timeoutMs(),
              target.server().placement(),
              loop.summary(rate),
              loop.connectionsOpenedMeasuring(),
              c == null ? null : c.connectionsAccepted(),
              c == null ? null : c.requests(),
              c == null ? null : c.maxConnectionsOpen());
      if (hdrDir != null) {
        TrialFiles files =
            new TrialFiles(
                "Knee",
                strategy,
                0,
                w.payload(),
                origins,
                w.rttMs(),
                w.serverDelayMs(),
                0,
                "http",
                "open",
                rate,
                Arrivals.POISSON.equals(w.arrivals()));
        loop.phases.write(
            files,
            hdrDir,
            startMillis,
            Map.of("intended", loop.intended, "lateness", loop.lateness));
        totals.write(files.rateJson(hdrDir));
      }
      return totals;
    }
  }
}
