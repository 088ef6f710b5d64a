package dev.keepalive.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;

/**
 * One listener of the relay: accepts client sockets and spreads them over the loops round-robin.
 * Registered on the first loop.
 *
 * <p>Thread-safety: confined to the first loop.
 */
final class Acceptor implements RelayLoop.Handler {
  /** Sockets accepted per wake-up at most, so that one listener cannot starve the flows. */
  private static final int BATCH = 64;

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
        // e.g. out of file descriptors: the client stays in the backlog until the next wake-up
        RelayLoop.LOG.log(System.Logger.Level.WARNING, "relay: accept failed: " + e);
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

  @Override
  public void failed(RuntimeException e) {
    RelayLoop.LOG.log(System.Logger.Level.ERROR, "relay: accepting failed", e);
  }
}
