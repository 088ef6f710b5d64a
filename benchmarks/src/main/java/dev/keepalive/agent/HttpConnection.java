package dev.keepalive.agent;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;
import jdk.net.ExtendedSocketOptions;

/**
 * One client socket: non-blocking connect, request write, response read into its {@link
 * ResponseParser}. The agent decides what it serves; this class moves the bytes and reports what
 * happened ({@code Agent.onConnected}, {@code onResponseDone}, {@code onConnectionError}, ...).
 *
 * <p>Thread-safety: confined to the agent's event loop (asserted where state changes).
 */
final class HttpConnection implements Pool.Socket, EventLoop.Handler {

  private final Agent agent;
  private final String name;
  final ResponseParser parser;
  private SocketChannel channel;
  private SelectionKey key;
  private int interestOps;

  final long createdNanos;
  long lookupNanos;
  long connectedNanos;
  boolean connected;
  boolean destroyed;
  private boolean writable = true;
  private int localPort;

  Exchange exchange;
  private ByteBuffer pendingWrite;

  /** Bytes arrived that belong to no request: the connection must not carry another one. */
  boolean dirty;

  EventLoop.Timer idleTimer;

  HttpConnection(Agent agent, String name, ResponseParser parser, long createdNanos) {
    this.agent = agent;
    this.name = name;
    this.parser = parser;
    this.createdNanos = createdNanos;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean writable() {
    return writable && !destroyed;
  }

  int localPort() {
    return localPort;
  }

  /**
   * Starts connecting. A failure, even an immediate one, is reported later through {@code
   * Agent.onConnectFailed}, never from inside this call (the pool is mid-decision).
   */
  void connect(String host, int port, AgentOptions options) {
    try {
      channel = SocketChannel.open();
      channel.configureBlocking(false);
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      if (options.keepAlive()) {
        channel.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
        if (channel.supportedOptions().contains(ExtendedSocketOptions.TCP_KEEPIDLE)) {
          channel.setOption(
              ExtendedSocketOptions.TCP_KEEPIDLE, Math.max(1, options.keepAliveMsecs() / 1000));
        }
      }
      InetSocketAddress address = new InetSocketAddress(host, port);
      lookupNanos = System.nanoTime();
      if (address.isUnresolved()) {
        throw new UnresolvedAddressException();
      }
      key = channel.register(agent.loop().selector(), 0, this);
      if (channel.connect(address)) {
        agent.loop().execute(this::finishConnect);
      } else {
        setInterest(SelectionKey.OP_CONNECT);
      }
    } catch (IOException | UnresolvedAddressException e) {
      agent.loop().execute(() -> agent.onConnectFailed(this, e));
    }
  }

  private void finishConnect() {
    if (destroyed) {
      return;
    }
    try {
      if (!channel.finishConnect()) {
        return;
      }
      connected = true;
      connectedNanos = System.nanoTime();
      localPort = ((InetSocketAddress) channel.getLocalAddress()).getPort();
      setInterest(SelectionKey.OP_READ);
    } catch (IOException e) {
      agent.onConnectFailed(this, e);
      return;
    }
    agent.onConnected(this);
  }

  /** Writes the exchange's request; the rest is written when the socket can take it. */
  void write(Exchange ex) {
    assert agent.loop().inLoop();
    parser.begin(ex.request.isHead());
    pendingWrite = ByteBuffer.wrap(ex.encoded);
    flush();
  }

  private void flush() {
    try {
      channel.write(pendingWrite);
    } catch (IOException e) {
      agent.onConnectionError(this, e);
      return;
    }
    if (pendingWrite.hasRemaining()) {
      setInterest(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
    } else {
      pendingWrite = null;
      setInterest(SelectionKey.OP_READ);
      agent.onRequestWritten(this);
    }
  }

  @Override
  public void onReady(SelectionKey k) {
    int ready = k.readyOps();
    if ((ready & SelectionKey.OP_CONNECT) != 0) {
      finishConnect();
      return;
    }
    if ((ready & SelectionKey.OP_WRITE) != 0 && pendingWrite != null) {
      flush();
      if (destroyed) {
        return;
      }
    }
    if ((ready & SelectionKey.OP_READ) != 0) {
      read();
    }
  }

  private void read() {
    ByteBuffer buf = agent.readBuffer();
    while (!destroyed) {
      buf.clear();
      int n;
      try {
        n = channel.read(buf);
      } catch (IOException e) {
        agent.onConnectionError(this, e);
        return;
      }
      if (n == -1) {
        writable = false;
        agent.onEof(this);
        return;
      }
      if (n == 0) {
        return;
      }
      buf.flip();
      Exchange ex = exchange;
      if (ex == null || ex.responseDone) {
        dirty = true;
        agent.onUnsolicitedBytes(this, n);
        return;
      }
      if (ex.responseNanos == 0) {
        ex.responseNanos = System.nanoTime();
      }
      try {
        if (parser.feed(buf, ex)) {
          if (buf.hasRemaining()) {
            dirty = true;
          }
          agent.onResponseDone(this);
        }
      } catch (HttpParseException e) {
        agent.onParseError(this, e);
        return;
      }
      if (n < buf.capacity()) {
        return; // drained: wait for the next readiness rather than pay a read that returns 0
      }
    }
  }

  private void setInterest(int ops) {
    if (ops != interestOps) {
      interestOps = ops;
      key.interestOps(ops);
    }
  }

  /** Closes the socket. Idempotent; the agent does the pool bookkeeping. */
  void close() {
    destroyed = true;
    writable = false;
    if (idleTimer != null) {
      idleTimer.cancel();
      idleTimer = null;
    }
    if (key != null) {
      key.cancel();
    }
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        agent.onCloseFailed(this, e);
      }
    }
  }

  /** The error class of an I/O failure on an established connection. */
  static ErrorClass classifyIo(IOException e) {
    String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    if (m.contains("reset")) {
      return ErrorClass.RESET;
    }
    return ErrorClass.CLOSED_EARLY; // broken pipe, connection aborted, ...
  }

  /** The error class of a failure to connect. */
  static ErrorClass classifyConnect(Throwable e) {
    String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    if (e instanceof BindException || m.contains("cannot assign requested address")) {
      return ErrorClass.PORTS_EXHAUSTED;
    }
    if (e instanceof ConnectException
        || e instanceof NoRouteToHostException
        || e instanceof UnresolvedAddressException
        || m.contains("refused")
        || m.contains("unreachable")) {
      return ErrorClass.REFUSED;
    }
    if (m.contains("too many open files")) {
      return ErrorClass.PORTS_EXHAUSTED;
    }
    return ErrorClass.REFUSED;
  }

  @Override
  public String toString() {
    return "sock[" + name + " port " + localPort + "]";
  }
}
