package dev.keepalive.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Open loop: requests arrive at {@code rate} per second ({@link Arrivals}: constant spacing or
 * Poisson) and are issued at their intended start whatever is still in flight ({@link OpenLoop}),
 * as real traffic does not wait for the client. One operation is one request issued, so JMH's score
 * is the arrival rate the generator achieved; a bounded pool below demand shows as a queue that
 * grows until requests time out ({@code timeoutMs}), not as a slower client.
 *
 * <p>The benchmark thread drives our agent's loop itself; the peers {@code jdk-httpclient}, {@code
 * okhttp} and {@code apache-hc5} are driven through their asynchronous APIs ({@link RateClient}),
 * so their thread counts do not cap the arrivals. {@code raw-socket} has no open-loop form here.
 *
 * <p>Recorded per trial (the measurement iterations; the schedule restarts at each iteration, so
 * JMH's pause between iterations does not count as lateness): latency from the intended start
 * ({@code intended}) and from the issue ({@code total}, with the agent's phases) as HdrHistograms,
 * the lateness of each issue ({@code lateness}), and the totals of {@link RateTotals} in the
 * trial's {@code .rate.json}, next to the usual files of {@link TrialFiles}. Aux counters per
 * iteration: {@code issued}, {@code ok}, {@code errors}, {@code timedOut}, {@code late}, and the
 * measurement's {@code maxInFlight} and {@code maxQueued} so far. The trial fails unless every
 * request ended ok or as a classified error and the client's and the server's connection counts
 * agree; a trial whose generator fell behind says so on stderr and writes no latency into its
 * totals.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
@Threads(1)
public class RateBenchmark {

  /**
   * Workload and target of the trial.
   *
   * <p>Thread-safety: trial state (see the package).
   */
  @State(Scope.Benchmark)
  public static class Target {
    /** A row: our agent's strategies and the peers with an asynchronous API. */
    @Param({
      Strategy.KEEP_ALIVE,
      Strategy.MAX_SOCKETS_4,
      Strategy.MAX_SOCKETS_16,
      Strategy.JDK_HTTPCLIENT,
      Strategy.OKHTTP,
      Strategy.APACHE_HC5,
      Strategy.NO_AGENT
    })
    public String strategy;

    /** Offered load, requests/s. */
    @Param({"1000"})
    public int rate;

    /** {@code constant} spacing or {@code poisson} arrivals. */
    @Param({Arrivals.CONSTANT})
    public String arrivals;

    /** Response body bytes: 13 ({@code /}) or any n ({@code /bytes/n}). */
    @Param({"13"})
    public int payload;

    /** Origins (server listeners) the requests are spread over, round-robin. */
    @Param({"1"})
    public int origins;

    /** Server-side delay per response, ms ({@code /delay/ms}; only with payload 13). */
    @Param({"0"})
    public int serverDelayMs;

    /** Network distance: the round trip time the relay adds, ms; 0 = loopback. */
    @Param({"0"})
    public int rttMs;

    /** Whole-request deadline, ms (queue, connect, response): error class {@code timeout}. */
    @Param({"1000"})
    public int timeoutMs;

    /** {@code process} (the server in its own JVM) or {@code inprocess}. */
    @Param({"process"})
    public String server;

    /** An external {@code http://host:port} instead of the harness server; empty = none. */
    @Param({""})
    public String target;

    Strategy parsed;
    TrialFiles files;
    TrialTarget placed;
    String path;
    long startMillis;

    @Setup(Level.Trial)
    public void start(BenchmarkParams params) {
      if (params.getThreads() != 1) {
        throw new IllegalArgumentException(
            "RateBenchmark runs one generator thread, was -t " + params.getThreads());
      }
      parsed = Strategy.of(strategy);
      files = TrialFiles.of(params);
      Arrivals.parse(arrivals);
      if (origins < 1 || rttMs < 0 || timeoutMs < 0) {
        throw new IllegalArgumentException("origins must be >= 1, rttMs and timeoutMs >= 0");
      }
      path = TrialTarget.path(payload, serverDelayMs);
      FileLimit.require(socketsNeeded(), "rate " + rate + " with " + strategy);
      placed = TrialTarget.start(server, target, origins, rttMs);
      startMillis = System.currentTimeMillis();
    }

    /** Sockets this process may hold at once: the client's, and the server's when in-process. */
    long socketsNeeded() {
      long client =
          FileLimit.forRate(
              rate, serverDelayMs + rttMs, (long) parsed.maxSocketsPerOrigin() * origins);
      return "inprocess".equals(server) ? 2 * client : client;
    }

    @TearDown(Level.Trial)
    public void stop() {
      placed.close();
    }
  }

  /**
   * The generator and its counters; JMH sums EVENTS counters over threads (there is one).
   *
   * <p>Thread-safety: benchmark thread (see the package).
   */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Counters {
    public long issued;
    public long ok;
    public long errors;
    public long timedOut;
    public long late;
    public long maxInFlight;
    public long maxQueued;

    OpenLoop loop;
    private long issuedAtStart;
    private long okAtStart;
    private long errorsAtStart;
    private long timedOutAtStart;
    private long lateAtStart;
    private long socketsBeforeLoad;

    @Setup(Level.Trial)
    public void startLoad(Target t) {
      socketsBeforeLoad = OpenSockets.count();
      loop =
          new OpenLoop(
              RateClient.create(t.parsed, t.timeoutMs),
              OpenLoop.roundRobin(t.placed.uris().stream().map(u -> u.resolve(t.path)).toList()),
              new Arrivals(t.rate, t.arrivals, 1),
              0);
    }

    @Setup(Level.Iteration)
    public void beginIteration(Target t, IterationParams iteration) {
      loop.restart();
      if (iteration.getType() == IterationType.MEASUREMENT) {
        if (!loop.measuring()) {
          t.placed.server().resetStats();
          loop.startMeasuring();
        } else {
          loop.resumeWindow();
        }
      }
      issued = ok = errors = timedOut = late = maxInFlight = maxQueued = 0;
      RateSummary s = loop.summary(t.rate);
      issuedAtStart = s.issued();
      okAtStart = s.ok();
      errorsAtStart = s.errors();
      timedOutAtStart = s.timedOut();
      lateAtStart = s.late();
    }

    @TearDown(Level.Iteration)
    public void endIteration(Target t) {
      loop.pauseWindow();
      RateSummary s = loop.summary(t.rate);
      issued = s.issued() - issuedAtStart;
      ok = s.ok() - okAtStart;
      errors = s.errors() - errorsAtStart;
      timedOut = s.timedOut() - timedOutAtStart;
      late = s.late() - lateAtStart;
      maxInFlight = s.maxInFlight();
      maxQueued = s.maxQueued();
    }

    @TearDown(Level.Trial)
    public void stopLoad(Target t) throws InterruptedException, IOException {
      try {
        loop.stopMeasuring();
        loop.drain(OpenLoop.drainMillis(t.timeoutMs));
        loop.counts.requireComplete(t.strategy);
        loop.measured.requireComplete(t.strategy);
        RateTotals totals = totals(t);
        if (totals.measured().generatorBehind()) {
          System.err.println(
              "keepalive-bench "
                  + t.strategy
                  + " at "
                  + t.rate
                  + "/s: the generator fell behind ("
                  + totals.measured().late()
                  + " of "
                  + totals.measured().issued()
                  + " requests issued late, lateness p99 "
                  + totals.measured().latenessP99Ms()
                  + " ms); no latency reported");
        }
        Long server = totals.serverConnections();
        // the server counts a connection when its first request arrives: past saturation, a
        // socket the client closed on a deadline before its request got there (still
        // connecting, or just connected) is counted by the client only. Fewer there is then a
        // measurement, shown as both counts; more there, or fewer without a timeout, is a bug
        boolean closedOnDeadlines = totals.measured().timedOut() > 0;
        if (server != null
            && totals.clientConnections() >= 0
            && (server > totals.clientConnections()
                || (server < totals.clientConnections() && !closedOnDeadlines))) {
          throw new IllegalStateException(
              t.strategy
                  + ": client opened "
                  + totals.clientConnections()
                  + " connections but the server accepted "
                  + server);
        }
        Path hdr =
            TrialFiles.hdrDir(
                Path.of(System.getProperty(StrategyBenchmark.RESULTS_PROPERTY, "results/latest")));
        loop.phases.write(
            t.files,
            hdr,
            t.startMillis,
            Map.of("intended", loop.intended, "lateness", loop.lateness));
        totals.write(t.files.rateJson(hdr));
      } finally {
        loop.close();
      }
      if (t.parsed.client() == Strategy.Client.AGENT && socketsBeforeLoad >= 0) {
        long after = OpenSockets.count();
        if (after > socketsBeforeLoad) {
          throw new IllegalStateException(
              t.strategy + ": " + (after - socketsBeforeLoad) + " socket(s) still open at the end");
        }
      }
    }

    private RateTotals totals(Target t) {
      TargetServer.Counts s = t.placed.server().stats();
      return new RateTotals(
          t.strategy,
          t.arrivals,
          t.rate,
          t.payload,
          t.origins,
          t.serverDelayMs,
          t.rttMs,
          t.timeoutMs,
          t.placed.server().placement(),
          loop.summary(t.rate),
          loop.connectionsOpenedMeasuring(),
          s == null ? null : s.connectionsAccepted(),
          s == null ? null : s.requests(),
          s == null ? null : s.maxConnectionsOpen());
    }
  }

  @Benchmark
  public void issue(Counters counters) throws InterruptedException {
    counters.loop.issueNext();
  }
}
