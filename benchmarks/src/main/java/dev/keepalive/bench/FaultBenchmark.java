package dev.keepalive.bench;

import dev.keepalive.agent.ErrorClass;
import dev.keepalive.net.IdleClose;
import dev.keepalive.net.RelayStats;
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

/**
 * The stale keep-alive race as a benchmark: the server closes connections idle for {@code
 * serverIdleMs}; the client sends bursts of {@code burst} requests separated by pauses just below,
 * at and just above that timeout. On loopback the race window is about one round trip plus timer
 * jitter, so errors are rare per burst; over a real network the window is a whole round trip. One
 * operation is one burst plus its pause. The counters make the trade-off visible: errors by class,
 * the agent's retries, and the connections the server accepted.
 *
 * <p>Rows: {@code keep-alive} (Node-faithful, no retry); {@code free-socket-timeout} (the agent
 * closes free sockets 50 ms before the server would: agentkeepalive's {@code freeSocketTimeout}
 * idea); {@code keep-alive-hint} (the server advertises {@code Keep-Alive: timeout=1}, which Node's
 * rule reads as "do not pool"); {@code retry} (safe retry of idempotent requests); and the peers,
 * which retry by their own rules, silently.
 *
 * <p>Distance and middleboxes ({@link NetworkPath}): with {@code rttMs} the requests cross the
 * relay, and the race window grows from loopback's microseconds to a whole round trip: a request
 * sent less than one RTT before the server's close reaches a closed socket. With {@code
 * middleboxIdleMs} the relay also forgets flows idle that long without telling anyone ({@code
 * silent}, as NAT gateways and load balancers do) and answers the client's next bytes with a reset:
 * set the server's idle timeout longer and pause between the two, and every pooled socket fails on
 * reuse. The {@code free-socket-timeout} row then closes free sockets 50 ms before the middlebox
 * would.
 *
 * <p>Thread-safety: trial state with one benchmark thread (see the package); its load follows the
 * benchmark-thread rule.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 5)
@Fork(1)
@Threads(1)
@State(Scope.Benchmark)
public class FaultBenchmark {

  /** A row of the race table ({@link Strategy.FaultRow}): {@link Strategy#FAULT_ROWS}. */
  @Param({
    Strategy.KEEP_ALIVE,
    Strategy.FREE_SOCKET_TIMEOUT,
    Strategy.KEEP_ALIVE_HINT,
    Strategy.RETRY,
    Strategy.JDK_HTTPCLIENT,
    Strategy.APACHE_HC5,
    Strategy.OKHTTP
  })
  String row;

  /**
   * Idle time between bursts, ms. Undertow closes idle connections later than its nominal timeout
   * (measured here: 224–251 ms for 200 ms, its timer works in steps), so the default pauses sit
   * below, at and above the server's real close.
   */
  @Param({"230", "250", "270"})
  int pauseMs;

  /** The server's idle timeout, ms. */
  @Param({"200"})
  int serverIdleMs;

  /** The round trip time the relay adds, ms; 0 = no relay unless a middlebox is asked for. */
  @Param({"0"})
  int rttMs;

  /** A middlebox's idle time before it silently forgets a flow, ms; 0 = no middlebox. */
  @Param({"0"})
  int middleboxIdleMs;

  /** Requests per burst. */
  @Param({"8"})
  int burst;

  @Param({"process"})
  String server;

  /**
   * Per-iteration counts; JMH sums EVENTS counters over threads (one thread here).
   *
   * <p>Thread-safety: benchmark thread (see the package).
   */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Counts {
    public long requests;
    public long errors;
    public long closedEarly;
    public long reset;
    public long otherErrors;
    public long retries;
    public long serverConnections;
    public long middleboxResets;

    private long okAt;
    private long errorsAt;
    private long closedEarlyAt;
    private long resetAt;
    private long retriesAt;
    private long connectionsAt;
    private long middleboxResetsAt;

    @Setup(Level.Iteration)
    public void begin(FaultBenchmark b) {
      LoadCounts l = b.load.counts;
      okAt = l.ok;
      errorsAt = l.errors;
      closedEarlyAt = BurstLoad.errors(l, ErrorClass.CLOSED_EARLY);
      resetAt = BurstLoad.errors(l, ErrorClass.RESET);
      retriesAt = Math.max(0, b.load.retries());
      connectionsAt = b.target.stats().connectionsAccepted();
      middleboxResetsAt = b.middleboxResets();
    }

    @TearDown(Level.Iteration)
    public void end(FaultBenchmark b) {
      LoadCounts l = b.load.counts;
      requests = l.ok - okAt + l.errors - errorsAt;
      errors = l.errors - errorsAt;
      closedEarly = BurstLoad.errors(l, ErrorClass.CLOSED_EARLY) - closedEarlyAt;
      reset = BurstLoad.errors(l, ErrorClass.RESET) - resetAt;
      otherErrors = errors - closedEarly - reset;
      retries = Math.max(0, b.load.retries()) - retriesAt;
      serverConnections = b.target.stats().connectionsAccepted() - connectionsAt;
      middleboxResets = b.middleboxResets() - middleboxResetsAt;
    }
  }

  private TargetServer target;
  private NetworkPath network;
  private BurstLoad load;

  @Setup(Level.Trial)
  public void setUp() {
    if (rttMs < 0 || middleboxIdleMs < 0) {
      throw new IllegalArgumentException(
          "rttMs and middleboxIdleMs must be >= 0, were " + rttMs + " and " + middleboxIdleMs);
    }
    long firstIdleClose =
        middleboxIdleMs > 0 ? Math.min(serverIdleMs, middleboxIdleMs) : serverIdleMs;
    Strategy.FaultRow r = Strategy.FaultRow.of(row, firstIdleClose);
    target = TargetServer.start(server, "", 1, serverIdleMs, r.keepAliveHintSeconds());
    try {
      network =
          NetworkPath.start(
              server,
              target.uris(),
              new NetworkPath.Spec(rttMs, middleboxIdleMs, IdleClose.SILENT));
    } catch (RuntimeException e) {
      target.close();
      throw e;
    }
    Strategy s = r.strategy();
    load =
        s.client() == Strategy.Client.AGENT
            ? BurstLoad.agent(s.options(), network.uri0())
            : BurstLoad.peer(PeerClient.create(s), network.uri0(), burst);
  }

  /** Client bytes the middlebox answered with a reset (forgotten flows), 0 without a relay. */
  long middleboxResets() {
    RelayStats s = network.stats();
    return s == null ? 0 : s.forgottenFlowResets();
  }

  @Benchmark
  public void burst(Counts counts) throws InterruptedException {
    load.burstThenPause(burst, pauseMs);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    try {
      load.counts.requireComplete(row);
      load.close();
    } finally {
      try {
        network.close();
      } finally {
        target.close();
      }
    }
  }
}
