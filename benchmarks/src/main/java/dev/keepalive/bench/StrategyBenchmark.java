package dev.keepalive.bench;

import java.io.IOException;
import java.net.URI;
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
 * <p>Recorded per trial: throughput (JMH), per-phase HdrHistograms ({@code results/<run>/hdr/}),
 * and the counters {@code requests}, {@code errors}, {@code connectionsOpened} (client side),
 * {@code serverConnections} (the server's own count) and {@code reusedRequests}. The trial fails
 * loudly unless {@code ok + errors == issued} and the client's and the server's connection counts
 * agree.
 */
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
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
     * {@code process}: the harness server (and the relay, with {@code rttMs}) in its own JVM;
     * {@code inprocess}: embedded here.
     */
    @Param({"process"})
    public String server;

    /** An external {@code http://host:port} instead of the harness server; empty = none. */
    @Param({""})
    public String target;

    Strategy parsed;
    TrialFiles files;
    TargetServer targetServer;
    NetworkPath network;
    List<URI> uris;
    String path;
    final PhaseHistograms merged = new PhaseHistograms();
    long startMillis;
    long trialIssued;
    long trialOk;
    long trialErrors;
    long trialClientConnections;

    @Setup(Level.Trial)
    public void start(BenchmarkParams params) {
      parsed = Strategy.of(strategy);
      files = TrialFiles.of(params);
      if (concurrency < 1 || origins < 1 || rttMs < 0) {
        throw new IllegalArgumentException("concurrency and origins must be >= 1, rttMs >= 0");
      }
      path = TrialTarget.path(payload, serverDelayMs);
      TrialTarget placed = TrialTarget.start(server, target, origins, rttMs);
      targetServer = placed.server();
      network = placed.network();
      uris = network.uris();
      startMillis = System.currentTimeMillis();
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
      try {
        Path run = Path.of(System.getProperty(RESULTS_PROPERTY, "results/latest"));
        writeResults(TrialFiles.hdrDir(run));
      } finally {
        try {
          network.close();
        } finally {
          targetServer.close();
        }
      }
    }

    /** The trial's histograms and its totals from both sides, named by {@link #files}. */
    private void writeResults(Path hdrDir) throws IOException {
      merged.write(files, hdrDir, startMillis);
      TargetServer.Counts s = targetServer.stats();
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
              trialClientConnections,
              s == null ? null : s.connectionsAccepted(),
              s == null ? null : s.requests(),
              s == null ? null : s.maxConnectionsOpen())
          .write(files.trialJson(hdrDir));
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
    private boolean measuring;

    private long socketsBeforeLoad;

    @Setup(Level.Trial)
    public void startLoad(Target t) {
      socketsBeforeLoad = OpenSockets.count();
      load =
          t.parsed.client() == Strategy.Client.AGENT
              ? new AgentLoad(t.parsed, t.uris, t.path, t.concurrency, histograms)
              : new ThreadedLoad(
                  PeerClient.create(t.parsed), t.uris, t.path, t.concurrency, histograms);
      load.start();
    }

    @Setup(Level.Iteration)
    public void beginIteration(Target t, IterationParams iteration) {
      boolean measurement = iteration.getType() == IterationType.MEASUREMENT;
      if (measurement && !measuring) {
        histograms.reset(); // latency of measurement iterations only
      }
      measuring = measurement;
      setRecording(measurement);
      requests = errors = connectionsOpened = serverConnections = reusedRequests = 0;
      LoadCounts c = load.counts();
      okAtStart = c.ok;
      errorsAtStart = c.errors;
      reusedAtStart = c.reused;
      clientConnsAtStart = load.clientConnectionsOpened();
      TargetServer.Counts s = t.targetServer.stats();
      serverConnsAtStart = s == null ? 0 : s.connectionsAccepted();
    }

    private void setRecording(boolean on) {
      if (load instanceof AgentLoad a) {
        a.recording = on;
      } else if (load instanceof ThreadedLoad p) {
        p.recording = on;
      }
    }

    @TearDown(Level.Iteration)
    public void endIteration(Target t) {
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
        synchronized (t.merged) {
          t.merged.addAll(histograms);
          t.trialIssued += c.issued;
          t.trialOk += c.ok;
          t.trialErrors += c.errors;
          t.trialClientConnections +=
              client < 0 ? (s == null ? 0 : s.connectionsAccepted()) : client;
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
    counters.load.completeOne();
  }
}
