package dev.keepalive.bench;

import dev.keepalive.agent.Agent;
import dev.keepalive.agent.AgentException;
import dev.keepalive.agent.AgentOptions;
import dev.keepalive.agent.BodyMode;
import dev.keepalive.agent.ErrorClass;
import dev.keepalive.agent.Request;
import dev.keepalive.agent.Response;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Bursts separated by pauses: {@code burst} requests at once, wait for all, then pause. The pause
 * is idle time for the connections — around the server's idle timeout, it is the stale keep-alive
 * race. Our agent's loop keeps running during the pause (as Node's event loop does, so a server FIN
 * is seen when it arrives); the peers' own threads do the same for them.
 *
 * <p>Thread-safety: benchmark thread (see the package); a peer's bursts run on worker threads of
 * their own, which hand each result back through a future (the worker-threads rule).
 */
abstract class BurstLoad implements AutoCloseable {

  final LoadCounts counts = new LoadCounts();

  /** Sends one burst, waits for every request, then pauses. */
  abstract void burstThenPause(int burst, long pauseMillis) throws InterruptedException;

  /** Retries done by the client itself, or -1 when it does not say (the peers retry silently). */
  abstract long retries();

  @Override
  public abstract void close();

  static BurstLoad agent(AgentOptions options, URI uri) {
    return new AgentBursts(options, uri);
  }

  static BurstLoad peer(PeerClient client, URI uri, int burst) {
    return new PeerBursts(client, uri, burst);
  }

  private static final class AgentBursts extends BurstLoad {
    private final Agent agent;
    private final Request request;

    AgentBursts(AgentOptions options, URI uri) {
      agent = Agent.createDriven(options);
      request = Request.builder(uri).bodyMode(BodyMode.COUNT).timeoutMillis(10_000).build();
    }

    @Override
    void burstThenPause(int burst, long pauseMillis) throws InterruptedException {
      List<CompletableFuture<Response>> fs = new ArrayList<>(burst);
      for (int i = 0; i < burst; i++) {
        counts.issued++;
        fs.add(agent.request(request));
      }
      for (CompletableFuture<Response> f : fs) {
        try {
          agent.await(f);
          counts.ok++;
        } catch (AgentException e) {
          counts.error(e.errorClass());
        }
      }
      long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pauseMillis);
      for (long left = end - System.nanoTime(); left > 0; left = end - System.nanoTime()) {
        agent.runOnce(left);
      }
    }

    @Override
    long retries() {
      return agent.stats().retryCount();
    }

    @Override
    public void close() {
      agent.close();
    }
  }

  private static final class PeerBursts extends BurstLoad {
    private final PeerClient client;
    private final URI uri;
    private final ExecutorService threads;
    private final ThreadLocal<PeerClient.Caller> caller;

    PeerBursts(PeerClient client, URI uri, int burst) {
      this.client = client;
      this.uri = uri;
      this.caller = ThreadLocal.withInitial(client::caller);
      this.threads =
          Executors.newFixedThreadPool(
              burst,
              r -> {
                Thread t = new Thread(r, "burst-load");
                t.setDaemon(true);
                return t;
              });
    }

    @Override
    void burstThenPause(int burst, long pauseMillis) throws InterruptedException {
      List<Future<Long>> fs = new ArrayList<>(burst);
      for (int i = 0; i < burst; i++) {
        counts.issued++;
        fs.add(threads.submit(() -> caller.get().get(uri)));
      }
      for (Future<Long> f : fs) {
        try {
          f.get();
          counts.ok++;
        } catch (ExecutionException e) {
          counts.error(PeerClient.classify(e.getCause()));
        }
      }
      Thread.sleep(pauseMillis);
    }

    @Override
    long retries() {
      return -1;
    }

    @Override
    public void close() {
      threads.shutdownNow();
      try {
        client.close();
      } catch (IOException e) {
        System.err.println("keepalive-bench: closing the peer client failed: " + e);
      }
    }
  }

  static long errors(LoadCounts c, ErrorClass cls) {
    return c.errorsByClass().getOrDefault(cls, 0L);
  }
}
