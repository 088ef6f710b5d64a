package dev.keepalive.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;

/**
 * One listener of the relay: accepts client sockets and spreads them over the loops round-robin.
 * Registered on the first loop, whose timers it uses.
 *
 * <p>Thread-safety: confined to the first loop.
 */
final class Acceptor implements RelayLoop.Handler {
  /** Sockets accepted per wake-up at most, so that one listener cannot starve the flows. */
  private static final int BATCH = 64;

  /** After a failed accept (out of file descriptors?), the listener rests this long. */
  private static final long BACKOFF_NANOS = 100_000_000;

  private final ServerSocketChannel listener;
  private final InetSocketAddress target;
  private final List<RelayLoop> loops;
  private int next;

  Acceptor(ServerSocketChannel listener, InetSocketAddress target, List<RelayLoop> loops) {
    this.listener = listener;
    this.target = target;
    this.loops = loops;
  }

  @Override
  public void ready(SelectionKey key, long nowNanos) {
    for (int i = 0; i < BATCH; i++) {
      SocketChannel client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        // e.g. out of file descriptors: the client stays in the backlog; rather than spin on a
        // listener that stays ready, stop accepting for a moment
        RelayLoop.LOG.log(System.Logger.Level.WARNING, "relay: accept failed: " + e);
        key.interestOps(0);
        loops.get(0).schedule(LoopTask.of(t -> resume(key)), nowNanos + BACKOFF_NANOS);
        return;
      }
      if (client == null) {
        return;
      }
      long acceptNanos = System.nanoTime();
      loops.get(next).adopt(client, target, acceptNanos);
      next = (next + 1) % loops.size();
    }
  }

  private static void resume(SelectionKey key) {
    if (key.isValid()) {
      key.interestOps(SelectionKey.OP_ACCEPT);
    }
  }

  @Override
  public void failed(RuntimeException e) {
    RelayLoop.LOG.log(System.Logger.Level.ERROR, "relay: accepting failed", e);
  }
}
