package dev.keepalive.bench;

import dev.keepalive.agent.AgentOptions;
import dev.keepalive.agent.Pool;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The pool's own cost, no I/O: one acquire (a pool hit, or a queue hand-off) plus one release, as
 * the agent drives them per request. Target: ≤ 100 ns per acquire + release. The fake sockets and
 * requests live here, with the benchmark, not in the agent.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class PoolBenchmark {

  static final class Sock implements Pool.Socket {
    final String name;

    Sock(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public boolean writable() {
      return true;
    }
  }

  static final class Req implements Pool.Waiter {
    final String name;

    Req(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }
  }

  /** Records the pool's decisions into a blackhole so none of them is dead code. */
  static final class SinkIo implements Pool.Io<Sock, Req> {
    final Blackhole bh;
    final java.util.List<Sock> created = new java.util.ArrayList<>();

    SinkIo(Blackhole bh) {
      this.bh = bh;
    }

    @Override
    public Sock createSocket(Req r) {
      Sock s = new Sock(r.name);
      created.add(s);
      return s;
    }

    @Override
    public void assign(Sock s, Req r, boolean reused) {
      bh.consume(s);
      bh.consume(reused);
    }

    @Override
    public void destroy(Sock s) {
      throw new AssertionError("nothing is destroyed in this benchmark");
    }

    @Override
    public boolean keepSocketAlive(Sock s) {
      return true;
    }
  }

  /** Free sockets pooled for the origin before the measured loop. */
  @Param({"1", "16"})
  int freeSockets;

  private final Req req = new Req("127.0.0.1:8080:");
  private Pool<Sock, Req> hitPool;
  private Sock lastFreed;
  private Pool<Sock, Req> queuePool;
  private Sock busy;

  @Setup(Level.Trial)
  public void setUp(Blackhole bh) {
    SinkIo hitIo = new SinkIo(bh);
    hitPool = new Pool<>(AgentOptions.builder().keepAlive(true).build(), hitIo);
    for (int i = 0; i < freeSockets; i++) {
      hitPool.addRequest(req);
    }
    for (Sock s : hitIo.created) {
      hitPool.onFree(s);
    }
    lastFreed = hitIo.created.get(freeSockets - 1);

    SinkIo queueIo = new SinkIo(bh);
    queuePool = new Pool<>(AgentOptions.builder().keepAlive(true).maxSockets(1).build(), queueIo);
    queuePool.addRequest(req); // the one socket is now in use
    busy = queueIo.created.get(0);
  }

  /** A request takes the most recently freed socket (LIFO) and gives it back. */
  @Benchmark
  public void poolHitAndRelease() {
    hitPool.addRequest(req);
    hitPool.onFree(lastFreed);
  }

  /** A request waits in the queue and the busy socket is handed to it when freed. */
  @Benchmark
  public void queueHandOff() {
    queuePool.addRequest(req);
    queuePool.onFree(busy);
  }
}
