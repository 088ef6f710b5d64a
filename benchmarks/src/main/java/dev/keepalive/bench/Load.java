package dev.keepalive.bench;

/**
 * Keeps a fixed number of requests in flight and completes them one at a time: one JMH operation is
 * one completed request (closed loop, as wrk and undici's benchmark do).
 *
 * <p>Thread-safety: benchmark thread (see the package): confined to the JMH thread that created it.
 */
interface Load extends AutoCloseable {

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
