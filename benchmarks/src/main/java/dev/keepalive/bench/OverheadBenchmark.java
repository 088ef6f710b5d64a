package dev.keepalive.bench;

import dev.keepalive.agent.Agent;
import dev.keepalive.agent.BodyMode;
import dev.keepalive.agent.Request;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * What a client costs on top of the wire: {@code GET /} (13 bytes), keep-alive, every client in one
 * run, against the harness server. With {@code concurrency} 1 the call runs on the benchmark thread
 * itself for every client (ours drives its loop there; the peers block there): one connection, one
 * request in flight, no hand-off. With 64 the loads of {@link StrategyBenchmark} keep 64 in flight.
 * Single-connection figures swing with CPU wake-up latency on a small machine: the ratio to the
 * {@code raw-socket} row of the same run is the stable figure. The trial fails unless the server
 * counted one connection (concurrency 1) or at most 64.
 *
 * <p>Thread-safety: trial state with one benchmark thread (see the package): the client or load it
 * sets up is driven by that thread only.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(1)
@State(Scope.Benchmark)
public class OverheadBenchmark {

  /** Every client and the floor: {@link Strategy#OVERHEAD_ROWS}, whose only copy this is. */
  @Param({
    Strategy.RAW_SOCKET,
    Strategy.KEEP_ALIVE,
    Strategy.JDK_HTTPCLIENT,
    Strategy.APACHE_HC5,
    Strategy.OKHTTP
  })
  String strategy;

  @Param({"1", "64"})
  int concurrency;

  /** {@code process}: the harness server in its own JVM; {@code inprocess}: embedded here. */
  @Param({"process"})
  String server;

  private TargetServer target;
  private URI uri;
  private Agent agent;
  private Request request;
  private PeerClient peer;
  private PeerClient.Caller caller;
  private Load load;

  @Setup(Level.Trial)
  public void setUp() {
    Strategy s = Strategy.of(strategy);
    target = TargetServer.start(server, "", 1);
    List<URI> uris = target.uris();
    uri = uris.get(0);
    target.resetStats();
    if (concurrency > 1) {
      load = Load.of(s, ServerTrust.PLATFORM, uris, "/", concurrency, 0, new PhaseHistograms());
      load.start();
    } else if (s.client() == Strategy.Client.AGENT) {
      agent = Agent.createDriven(s.options());
      request = Request.builder(uri).bodyMode(BodyMode.COUNT).build();
    } else {
      peer = PeerClient.create(s);
      caller = peer.caller();
    }
  }

  @Benchmark
  public long request() throws IOException, InterruptedException {
    if (load != null) {
      load.completeOne();
      return 0;
    }
    if (agent != null) {
      return agent.await(agent.request(request)).bodyLength();
    }
    return caller.get(uri);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException, InterruptedException {
    try {
      if (load != null) {
        load.drain(30_000);
        LoadCounts c = load.counts();
        c.requireComplete(strategy);
        if (c.errors > 0) {
          throw new IllegalStateException(
              strategy + ": issued " + c.issued + ", ok " + c.ok + ", errors " + c.errorsByClass());
        }
        load.close();
      }
      if (agent != null) {
        agent.close();
      }
      if (peer != null) {
        peer.close();
      }
      long connections = target.stats().connectionsAccepted();
      if (connections < 1 || connections > concurrency) {
        throw new IllegalStateException(
            strategy + " used " + connections + " connections for " + concurrency + " in flight");
      }
    } finally {
      target.close();
    }
  }
}
