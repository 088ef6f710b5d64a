package dev.keepalive.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
 * The strategy matrix: one operation is one completed request, with {@code concurrency} requests
 * kept in flight by one benchmark thread (closed loop). With {@code max-sockets-4} and concurrency
 * 64, 60 requests wait in the agent's queue, and that wait is in the {@code queue} histogram.
 *
 * <p>With {@code rttMs} above 0 the requests cross the relay ({@link NetworkPath}), which adds that
 * round trip time: a new connection then costs at least two round trips before its first response,
 * a reused one at least one.
 *
 * <p>One mode, throughput: latency comes from our own histograms, per request (JMH's sample time
 * measures time per operation, which is not a request's latency once several are in flight; ask for
 * it with {@code -bm thrpt,sample} if you want it anyway).
 *
 * <p>Recorded per trial: throughput (JMH), per-phase HdrHistograms ({@code results/<run>/hdr/}, one
 * interval per measurement iteration, every fork: {@link TrialLog}), and the counters {@code
 * requests}, {@code errors}, {@code connectionsOpened} (client side), {@code serverConnections}
 * (the server's own count) and {@code reusedRequests}. The trial fails loudly unless {@code ok +
 * errors == issued} and the client's and the server's connection counts agree.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
@Threads(1)
public class StrategyBenchmark {

  /**
   * Where results go in the forked JVM: {@code -Dkeepalive.results=DIR} (default results/latest).
   */
  public static final String RESULTS_PROPERTY = "keepalive.results";

  /**
   * Warm-up until the throughput is steady, in the forked JVM: {@code -Dkeepalive.steadyWarmupMs=N}
   * caps it at N ms (absent or 0: off, JMH's warm-up iterations alone). Runs before JMH's warm-up;
   * the forked JVM's output (the run's {@code jmh.log}) says how long it took and whether the rate
   * settled.
   */
  public static final String STEADY_WARMUP_PROPERTY = SteadyState.MAX_MILLIS_PROPERTY;

  /**
   * Workload and target, shared by the trial.
   *
   * <p>Thread-safety: trial state (see the package): benchmark threads add their results under the
   * lock of {@link #merged} at trial end.
   */
  @State(Scope.Benchmark)
  public static class Target {
    /**
     * A row of the tables: see {@link Strategy}. These defaults are {@link Strategy#DEFAULT_ROWS}:
     * the catalogue reads them from here, so this is the only copy of that list.
     */
    @Param({
      Strategy.NO_AGENT,
      Strategy.KEEP_ALIVE,
      Strategy.MAX_SOCKETS_1,
      Strategy.MAX_SOCKETS_4,
      Strategy.MAX_SOCKETS_16,
      Strategy.KEEP_ALIVE_FIFO,
      Strategy.JDK_HTTPCLIENT,
      Strategy.APACHE_HC5,
      Strategy.OKHTTP,
      Strategy.RAW_SOCKET
    })
    public String strategy;

    /** Requests in flight at once. */
    @Param({"1", "16", "64"})
    public int concurrency;

    /** Response body bytes: 13 ({@code /}) or any n ({@code /bytes/n}). */
    @Param({"13", "16384"})
    public int payload;

    /** Origins (server listeners) the requests are spread over, round-robin. */
    @Param({"1"})
    public int origins;

    /** Server-side delay per response, ms ({@code /delay/ms}; only with payload 13). */
    @Param({"0"})
    public int serverDelayMs;

    /**
     * Network distance: the round trip time the relay adds between client and server, ms; 0 = no
     * relay (loopback). The relay runs where the server runs ({@code server}).
     */
    @Param({"0"})
    public int rttMs;

    /**
     * {@code http}, or {@code https}: the harness server serves TLS with a self-signed certificate
     * made at its start, which every client of the trial trusts (hostname verification on). The
     * relay passes TLS through unchanged. Not for {@code raw-socket}, which speaks plain TCP.
     */
    @Param({"http"})
    public String scheme;

    /**
     * {@code process}: the harness server (and the relay, with {@code rttMs}) in its own JVM;
     * {@code inprocess}: embedded here.
     */
    @Param({"process"})
    public String server;

    /**
     * An external {@code http://host:port} (or {@code https://}, with {@code scheme=https}) instead
     * of the harness server; empty = none. When it answers {@code /stats} as the harness server
     * does, its counts are used.
     */
    @Param({""})
    public String target;

    /**
     * Application work between requests: JMH {@code Blackhole.consumeCPU} tokens spent after each
     * completed request, before the next is issued on the same loop or thread, for every client
     * alike; 0 = none.
     */
    @Param({"0"})
    public int work;

    Strategy parsed;
    TrialFiles files;
    TargetServer targetServer;
    NetworkPath network;
    List<URI> uris;
    String path;
    final TrialLog log = new TrialLog();
    BenchmarkParams params;
    long startMillis;
    long trialIssued;
    long trialOk;
    long trialErrors;
    long trialClientConnections;
    boolean clientCounted = true;

    @Setup(Level.Trial)
    public void start(BenchmarkParams params) {
      parsed = Strategy.of(strategy);
      this.params = params;
      files = TrialFiles.of(params);
      if (concurrency < 1
          || origins < 1
          || payload < 0
          || serverDelayMs < 0
          || rttMs < 0
          || work < 0) {
        throw new IllegalArgumentException(
            "concurrency and origins must be >= 1, payload, serverDelayMs, rttMs and work >= 0");
      }
      parsed.requireScheme(scheme);
      path = TrialTarget.path(payload, serverDelayMs);
      TrialTarget placed = TrialTarget.start(server, target, origins, rttMs, scheme);
      targetServer = placed.server();
      network = placed.network();
      uris = network.uris();
      startMillis = System.currentTimeMillis();
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
      try {
        writeResults(TrialFiles.hdrDir(resultsDir()));
      } finally {
        try {
          network.close();
        } finally {
          targetServer.close();
        }
      }
    }

    /**
     * The trial's histograms and its totals from both sides, named by {@link #files}, merged into
     * what the trial's earlier forks wrote. A JMH warmup fork ({@code -wf}) only counts itself:
     * forks run one after another, warmup forks first.
     */
    private void writeResults(Path hdrDir) throws IOException {
      Files.createDirectories(hdrDir);
      Path json = files.trialJson(hdrDir);
      TrialTotals earlier = Files.exists(json) ? TrialTotals.read(json) : null;
      int warmupForksSeen =
          earlier == null || earlier.warmupForks() == null ? 0 : earlier.warmupForks();
      if (warmupForksSeen < params.getWarmupForks()) {
        TrialTotals none =
            new TrialTotals(
                strategy,
                concurrency,
                payload,
                origins,
                rttMs,
                targetServer.placement(),
                0,
                0,
                0,
                0L,
                0L,
                0L,
                null,
                0,
                0,
                scheme,
                null);
        (earlier == null ? none : earlier).withWarmupFork().write(json);
        return;
      }
      TargetServer.Counts s = targetServer.stats();
      Long server = s == null ? null : s.connectionsAccepted();
      Long client = clientCounted ? Long.valueOf(trialClientConnections) : server;
      TrialTotals mine =
          new TrialTotals(
              strategy,
              concurrency,
              payload,
              origins,
              rttMs,
              targetServer.placement(),
              trialIssued,
              trialOk,
              trialErrors,
              client,
              server,
              s == null ? null : s.requests(),
              s == null ? null : s.maxConnectionsOpen(),
              1,
              warmupForksSeen,
              scheme,
              s == null ? null : s.tlsFullHandshakes());
      TrialTotals all = earlier == null ? mine : earlier.merge(mine);
      log.write(files, hdrDir, all.forkCount(), startMillis);
      all.write(json);
    }

    /**
     * The run folder: {@code -Dkeepalive.results=DIR}, which {@code benchmarks.jar} sets to a new
     * run folder for a plain JMH run; without it (JMH's own {@code Main}, a test's {@code Runner})
     * a folder of this JMH run's own, {@code results/runs/<date>-jmh-<pid>}, named after the JMH
     * process that started the forks, so all forks of one run share it and no run writes into
     * another's.
     */
    static Path resultsDir() {
      String given = System.getProperty(RESULTS_PROPERTY);
      if (given != null && !given.isEmpty()) {
        return Path.of(given);
      }
      ProcessHandle host = ProcessHandle.current().parent().orElse(ProcessHandle.current());
      return Path.of(
          "results",
          "runs",
          java.time.LocalDate.now(java.time.ZoneOffset.UTC) + "-jmh-" + host.pid());
    }
  }

  /**
   * The per-thread load and its counters; JMH sums EVENTS counters over threads.
   *
   * <p>Thread-safety: benchmark thread (see the package).
   */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Counters {
    public long requests;
    public long errors;
    public long connectionsOpened;
    public long serverConnections;
    public long reusedRequests;

    Load load;
    PhaseHistograms histograms = new PhaseHistograms();
    private long okAtStart;
    private long errorsAtStart;
    private long reusedAtStart;
    private long clientConnsAtStart;
    private long serverConnsAtStart;
    private long iterationStartMillis;
    private int measurementIndex;

    private long socketsBeforeLoad;

    @Setup(Level.Trial)
    public void startLoad(Target t) throws InterruptedException {
      socketsBeforeLoad = OpenSockets.count();
      load =
          Load.of(
              t.parsed, t.targetServer.trust(), t.uris, t.path, t.concurrency, t.work, histograms);
      // Recording is on in the warm-up too (every iteration starts from empty histograms, and only
      // measurement iterations are kept): the warm-up runs the code the measurement runs.
      load.setRecording(true);
      load.start();
      long steadyMax = SteadyState.maxMillisFromProperty();
      if (steadyMax > 0) {
        // before JMH's own warm-up: goes on until the rate stops climbing (the JIT is done)
        System.out.println(
            "keepalive-bench warm-up: " + SteadyState.warmUp(this::step, steadyMax).describe());
      }
    }

    /** One request, as the measurement runs it (and the warm-up until steady). */
    void step() throws InterruptedException {
      load.completeOne();
    }

    @Setup(Level.Iteration)
    public void beginIteration(Target t, IterationParams iteration) {
      histograms.reset(); // one interval per measurement iteration
      iterationStartMillis = System.currentTimeMillis();
      load.setRecording(true); // in warm-up iterations too: see startLoad
      requests = errors = connectionsOpened = serverConnections = reusedRequests = 0;
      LoadCounts c = load.counts();
      okAtStart = c.ok;
      errorsAtStart = c.errors;
      reusedAtStart = c.reused;
      clientConnsAtStart = load.clientConnectionsOpened();
      TargetServer.Counts s = t.targetServer.stats();
      serverConnsAtStart = s == null ? 0 : s.connectionsAccepted();
    }

    @TearDown(Level.Iteration)
    public void endIteration(Target t, IterationParams iteration) {
      load.setRecording(false); // what completes after the iteration is not in its counters either
      if (iteration.getType() == IterationType.MEASUREMENT) {
        t.log.add(measurementIndex++, iterationStartMillis, System.currentTimeMillis(), histograms);
      }
      LoadCounts c = load.counts();
      requests = c.ok - okAtStart;
      errors = c.errors - errorsAtStart;
      reusedRequests = c.reused - reusedAtStart;
      TargetServer.Counts s = t.targetServer.stats();
      serverConnections = s == null ? 0 : s.connectionsAccepted() - serverConnsAtStart;
      long client = load.clientConnectionsOpened();
      connectionsOpened = client < 0 ? serverConnections : client - clientConnsAtStart;
    }

    @TearDown(Level.Trial)
    public void stopLoad(Target t) throws InterruptedException {
      try {
        load.drain(30_000);
        LoadCounts c = load.counts();
        c.requireComplete(t.strategy);
        TargetServer.Counts s = t.targetServer.stats();
        long client = load.clientConnectionsOpened();
        if (s != null && client >= 0 && client != s.connectionsAccepted()) {
          throw new IllegalStateException(
              t.strategy
                  + ": client opened "
                  + client
                  + " connections but the server accepted "
                  + s.connectionsAccepted());
        }
        if (!c.errorsByClass().isEmpty()) {
          System.err.println(
              "keepalive-bench " + t.strategy + ": errors by class " + c.errorsByClass());
        }
        synchronized (t.log) {
          t.trialIssued += c.issued;
          t.trialOk += c.ok;
          t.trialErrors += c.errors;
          t.trialClientConnections += Math.max(0, client);
          t.clientCounted &= client >= 0;
        }
      } finally {
        load.close();
      }
      // Our agent closes every socket it opened. (Peers are not held to this: JDK 17's HttpClient
      // has no close(), its connections live until the client is garbage-collected.)
      if (t.parsed.client() == Strategy.Client.AGENT && socketsBeforeLoad >= 0) {
        long after = OpenSockets.count();
        if (after > socketsBeforeLoad) {
          throw new IllegalStateException(
              t.strategy
                  + ": "
                  + (after - socketsBeforeLoad)
                  + " socket(s) still open after the agent closed");
        }
      }
    }
  }

  @Benchmark
  public void request(Counters counters) throws InterruptedException {
    counters.step();
  }
}
