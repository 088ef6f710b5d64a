package dev.keepalive.agent;

/** Waiting for this process's open network sockets (see {@code OpenSockets}) to settle. */
final class SocketFds {
  private SocketFds() {}

  /** Open network sockets now, or -1 where /proc is not available. */
  static long count() {
    return dev.keepalive.bench.OpenSockets.count();
  }

  /** Waits up to 5 s for the count to fall back to {@code before}; returns the last count. */
  static long awaitAtMost(long before) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    long now = count();
    while (now > before && System.nanoTime() < deadline) {
      Thread.sleep(10);
      now = count();
    }
    return now;
  }
}
