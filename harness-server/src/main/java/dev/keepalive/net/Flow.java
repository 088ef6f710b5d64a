package dev.keepalive.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * One relayed connection: the accepted client socket, the socket to the target, and a {@link
 * Direction} each way. It ends when both EOFs are delivered, when a reset crosses it, or when the
 * middlebox's idle timeout fires ({@link IdleClose}).
 *
 * <p>Thread-safety: confined to its loop; every entry point runs on the loop's thread.
 */
final class Flow {

  private enum State {
    OPEN,
    /** {@link IdleClose#SILENT}: nothing is relayed; the client's next bytes get a reset. */
    FORGOTTEN,
    CLOSED
  }

  /** One socket of the flow, as the selector's attachment. */
  private final class Side implements RelayLoop.Handler {
    final SocketChannel channel;
    final boolean isClient;
    SelectionKey key;
    boolean open = true;

    Side(SocketChannel channel, boolean isClient) {
      this.channel = channel;
      this.isClient = isClient;
    }

    @Override
    public void ready(SelectionKey k, long nowNanos) {
      int ops = k.readyOps();
      if (!isClient && (ops & SelectionKey.OP_CONNECT) != 0) {
        finishConnect(nowNanos);
      }
      if (open && (ops & SelectionKey.OP_WRITE) != 0) {
        Direction in = isClient ? toClient : toServer;
        in.writeBlocked = false;
        in.flush(nowNanos);
      }
      if (open && (ops & SelectionKey.OP_READ) != 0) {
        read(this, nowNanos);
      }
      updateInterest();
    }

    @Override
    public void failed(RuntimeException e) {
      RelayLoop.LOG.log(System.Logger.Level.ERROR, "relay flow failed; resetting it", e);
      close(true);
    }
  }

  final RelayLoop loop;
  private final RelayCounters counters;
  private final Side client;
  private final Side upstream;
  private final Direction toServer;
  private final Direction toClient;
  private final long idleCloseNanos;
  private final IdleClose idleClose;
  private final LoopTask idleCheck = LoopTask.of(this::idleCheck);
  private boolean upstreamConnected;
  private boolean clientResetPending;
  private long lastActivityNanos;
  private State state = State.OPEN;

  private Flow(
      RelayLoop loop,
      SocketChannel clientChannel,
      SocketChannel upstreamChannel,
      long acceptNanos) {
    this.loop = loop;
    this.counters = loop.counters;
    this.client = new Side(clientChannel, true);
    this.upstream = new Side(upstreamChannel, false);
    long handshakeDone = acceptNanos + loop.path.rttNanos;
    this.toServer = new Direction(this, true, loop.path, handshakeDone);
    this.toClient = new Direction(this, false, loop.path, handshakeDone);
    this.idleCloseNanos = TimeUnit.MILLISECONDS.toNanos(loop.options.idleCloseMillis());
    this.idleClose = loop.options.idleClose();
    this.lastActivityNanos = acceptNanos;
  }

  /**
   * Starts relaying an accepted client socket: opens the connection to the target and registers
   * both sockets with the loop. When the target refuses, the client is reset once the handshake
   * would have told it (one RTT after the accept, plus the one-way delay).
   */
  static void open(
      RelayLoop loop, SocketChannel clientChannel, InetSocketAddress target, long acceptNanos) {
    assert loop.inLoop();
    RelayCounters counters = loop.counters;
    counters.connectionsAccepted.increment();
    counters.connectionsOpen.increment();
    Flow f;
    try {
      clientChannel.configureBlocking(false);
      clientChannel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      SocketChannel upstreamChannel = SocketChannel.open();
      try {
        upstreamChannel.configureBlocking(false);
        upstreamChannel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        f = new Flow(loop, clientChannel, upstreamChannel, acceptNanos);
        f.client.key = clientChannel.register(loop.selector, 0, f.client);
        f.upstream.key = upstreamChannel.register(loop.selector, 0, f.upstream);
      } catch (IOException e) {
        closeQuietly(upstreamChannel, false);
        throw e;
      }
    } catch (IOException e) {
      // no socket for the target (out of file descriptors?): no flow, reset the client
      counters.upstreamFailures.increment();
      counters.connectionsOpen.decrement();
      RelayLoop.LOG.log(
          System.Logger.Level.WARNING, "relay: cannot open a socket to " + target + ": " + e);
      closeQuietly(clientChannel, true);
      return;
    }
    loop.flows.add(f);
    f.armIdleCheck(acceptNanos);
    try {
      if (f.upstream.channel.connect(target)) {
        f.connected(acceptNanos);
      }
    } catch (IOException e) {
      counters.upstreamFailures.increment();
      logFailure(f.upstream, e);
      f.sideFailed(f.upstream, acceptNanos);
    }
    f.updateInterest();
  }

  boolean isClosed() {
    return state == State.CLOSED;
  }

  /** The destination socket of a direction, or null while the target is not yet connected. */
  SocketChannel destination(Direction d) {
    if (d.toServer) {
      return upstreamConnected && upstream.open ? upstream.channel : null;
    }
    return client.open ? client.channel : null;
  }

  /** Bytes moved at {@code nowNanos}: the flow is not idle. */
  void touched(long nowNanos) {
    lastActivityNanos = nowNanos;
  }

  private void finishConnect(long nowNanos) {
    try {
      if (upstream.channel.finishConnect()) {
        connected(nowNanos);
      }
    } catch (IOException e) {
      counters.upstreamFailures.increment();
      logFailure(upstream, e);
      sideFailed(upstream, nowNanos);
    }
  }

  private void connected(long nowNanos) {
    upstreamConnected = true;
    toServer.flush(nowNanos);
  }

  private void read(Side side, long nowNanos) {
    ByteBuffer buf = loop.readBuffer;
    buf.clear();
    int n;
    try {
      n = side.channel.read(buf);
    } catch (IOException e) {
      logFailure(side, e);
      sideFailed(side, nowNanos); // reset by the peer
      return;
    }
    if (state == State.FORGOTTEN) {
      readForgotten(side, n, nowNanos);
      return;
    }
    Direction out = side.isClient ? toServer : toClient;
    if (n > 0) {
      (side.isClient ? counters.bytesToServer : counters.bytesToClient).add(n);
      lastActivityNanos = nowNanos;
      buf.flip();
      out.enqueue(buf, nowNanos);
    } else if (n < 0) {
      out.end(false, nowNanos);
    }
  }

  /** A forgotten flow relays nothing: server bytes are discarded, client bytes get a reset. */
  private void readForgotten(Side side, int n, long nowNanos) {
    if (n < 0) {
      closeSide(side, false);
    } else if (n > 0 && side.isClient && !clientResetPending) {
      clientResetPending = true;
      counters.forgottenFlowResets.increment();
      // the middlebox sits by the server, as a load balancer does: the reset comes a round trip
      // after the client's bytes left
      loop.schedule(
          LoopTask.of(
              t -> {
                closeSide(client, true);
                closeIfDone();
              }),
          nowNanos + loop.path.rttNanos);
    }
    closeIfDone();
  }

  /**
   * A side's socket failed (reset by its peer, a refused connect, a failed write): close it, forget
   * what was on its way to it, and pass a reset on to the other side after the bytes before it.
   */
  private void sideFailed(Side side, long nowNanos) {
    if (!side.open) {
      return;
    }
    closeSide(side, false);
    (side.isClient ? toClient : toServer).drop();
    Side other = side.isClient ? upstream : client;
    if (state == State.OPEN && other.open) {
      (side.isClient ? toServer : toClient).end(true, nowNanos);
    }
    closeIfDone();
  }

  /** Writing to the destination of {@code d} failed. */
  void failed(Direction d, IOException e, long nowNanos) {
    Side side = d.toServer ? upstream : client;
    logFailure(side, e);
    sideFailed(side, nowNanos);
  }

  /** A peer's reset is part of the game (it is passed on), so only worth a DEBUG line. */
  private static void logFailure(Side side, IOException e) {
    RelayLoop.LOG.log(
        System.Logger.Level.DEBUG,
        () -> "relay: " + (side.isClient ? "client" : "target") + " socket failed: " + e);
  }

  /** A reset reached the destination of a direction: reset it, and the flow is over. */
  void deliverReset() {
    close(true);
  }

  /** An EOF was delivered; when both have been, the flow is over. */
  void eofDelivered() {
    if (toServer.eofDelivered && toClient.eofDelivered) {
      close(false);
    }
  }

  private void armIdleCheck(long nowNanos) {
    if (idleCloseNanos > 0) {
      loop.schedule(idleCheck, nowNanos + idleCloseNanos);
    }
  }

  private void idleCheck(long nowNanos) {
    if (state != State.OPEN) {
      return;
    }
    boolean quiet = toServer.isEmpty() && toClient.isEmpty();
    if (!quiet || nowNanos - lastActivityNanos < idleCloseNanos) {
      long next = quiet ? lastActivityNanos + idleCloseNanos : nowNanos + idleCloseNanos;
      loop.schedule(idleCheck, Math.max(next, nowNanos + 1));
      return;
    }
    counters.idleClosed(idleClose);
    switch (idleClose) {
      case FIN -> close(false);
      case RST -> close(true);
      case SILENT -> {
        state = State.FORGOTTEN;
        toServer.drop();
        toClient.drop();
        updateInterest();
      }
    }
  }

  /** Sets each open socket's interest from the state of the two directions. */
  void updateInterest() {
    if (state == State.CLOSED) {
      return;
    }
    if (client.open) {
      int ops;
      if (state == State.FORGOTTEN) {
        ops = clientResetPending ? 0 : SelectionKey.OP_READ;
      } else {
        ops =
            (toServer.ended || toServer.full() ? 0 : SelectionKey.OP_READ)
                | (toClient.writeBlocked ? SelectionKey.OP_WRITE : 0);
      }
      setInterest(client.key, ops);
    }
    if (upstream.open) {
      int ops;
      if (!upstreamConnected) {
        ops = SelectionKey.OP_CONNECT;
      } else if (state == State.FORGOTTEN) {
        ops = SelectionKey.OP_READ;
      } else {
        ops =
            (toClient.ended || toClient.full() ? 0 : SelectionKey.OP_READ)
                | (toServer.writeBlocked ? SelectionKey.OP_WRITE : 0);
      }
      setInterest(upstream.key, ops);
    }
  }

  private static void setInterest(SelectionKey key, int ops) {
    if (key.interestOps() != ops) {
      key.interestOps(ops);
    }
  }

  private void closeIfDone() {
    if (!client.open && !upstream.open) {
      close(false);
    }
  }

  /** Ends the flow: closes every open socket (with an RST when {@code reset}). Idempotent. */
  void close(boolean reset) {
    if (state == State.CLOSED) {
      return;
    }
    state = State.CLOSED;
    toServer.drop();
    toClient.drop();
    closeSide(client, reset);
    closeSide(upstream, reset);
    loop.flows.remove(this);
    counters.connectionsOpen.decrement();
  }

  private void closeSide(Side side, boolean reset) {
    if (side.open) {
      side.open = false;
      closeQuietly(side.channel, reset);
    }
  }

  /**
   * Closes a socket, with an RST when {@code reset} ({@code SO_LINGER} 0). A failure to close is
   * logged, not thrown: the socket is unusable either way and the flow must still end.
   */
  static void closeQuietly(SocketChannel ch, boolean reset) {
    if (ch == null) {
      return;
    }
    try {
      if (reset && ch.isOpen()) {
        ch.setOption(StandardSocketOptions.SO_LINGER, 0);
      }
    } catch (IOException e) {
      RelayLoop.LOG.log(System.Logger.Level.DEBUG, "relay: SO_LINGER 0 failed: " + e);
    }
    try {
      ch.close();
    } catch (IOException e) {
      RelayLoop.LOG.log(System.Logger.Level.WARNING, "relay: closing a socket failed: " + e);
    }
  }
}
