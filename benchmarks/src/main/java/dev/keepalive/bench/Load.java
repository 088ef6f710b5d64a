package dev.keepalive.bench;

import java.net.URI;
import java.util.List;

/**
 * Keeps a fixed number of requests in flight and completes them one at a time: one JMH operation is
 * one completed request (closed loop, as wrk and undici's benchmark do).
 *
 * <p>Thread-safety: benchmark thread (see the package): confined to the JMH thread that created it.
 */
interface Load extends AutoCloseable {

  /**
   * The load of a strategy's client: our agent and the {@code raw-socket} floor on the benchmark
   * thread's own loop, the other peers on {@code concurrency} threads of their own. {@code trust}:
   * what they trust over https ({@link ServerTrust#PLATFORM} for http).
   */
  static Load of(
      Strategy s,
      ServerTrust trust,
      List<URI> targets,
      String path,
      int concurrency,
      int work,
      PhaseHistograms histograms) {
    return switch (s.client()) {
      case AGENT -> new AgentLoad(s, trust, targets, path, concurrency, work, histograms);
      case RAW_SOCKET -> new RawSocketLoad(targets, path, concurrency, work, histograms);
      default ->
          new ThreadedLoad(
              PeerClient.create(s, trust), targets, path, concurrency, work, histograms);
    };
  }

  /** Whether completed requests go into the histograms (measurement iterations only). */
  void setRecording(boolean on);

  /** Issues the initial requests, up to the concurrency. */
  void start();

  /**
   * Waits until one request completes (response or classified error), records it, issues the next.
   */
  void completeOne() throws InterruptedException;

  /** Stops issuing and waits for every request in flight, at most {@code timeoutMillis}. */
  void drain(long timeoutMillis) throws InterruptedException;

  LoadCounts counts();

  /** Connections the client itself opened, or -1 when it cannot tell. */
  long clientConnectionsOpened();

  @Override
  void close();
}
