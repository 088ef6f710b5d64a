package dev.keepalive.agent;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import jdk.net.ExtendedSocketOptions;

/**
 * One client socket and the exchange it serves: non-blocking connect, request write, response read
 * into its {@link ResponseParser}, whose parts go to the {@link Exchange}. It owns its state (the
 * current exchange, the idle timer, whether stray bytes made it unusable) and reports what happened
 * to its {@link Listener}, which decides what the pool does next.
 *
 * <p>Thread-safety: confined to the agent's event loop; every entry that changes state asserts it.
 */
final class HttpConnection implements Pool.Socket, EventLoop.Handler {

  /** What a connection reports; called on the loop, never from inside a pool decision. */
  interface Listener {
    /** The TCP connection is established (before the waiting request is written). */
    void onConnected(HttpConnection c);

    void onConnectFailed(HttpConnection c, Throwable e);

    /** The exchange's request is written and its response complete; the connection is idle. */
    void onExchangeDone(HttpConnection c, Exchange ex, boolean keepAlive);

    /**
     * The exchange in progress failed on this connection; the connection is unusable.
     *
     * @param socketError whether the socket itself failed (counted as {@code errorSocketCount})
     */
    void onFailed(
        HttpConnection c, ErrorClass cls, String message, Throwable cause, boolean socketError);

    /** The peer closed the connection with no exchange in progress: remove it quietly. */
    void onPeerClosed(HttpConnection c);

    /** Bytes arrived that belong to no request; {@code idle}: no exchange holds the connection. */
    void onUnsolicitedBytes(HttpConnection c, boolean idle);

    /** A released connection's turn came ({@link #release}): pool it or close it. */
    void onReleased(HttpConnection c, boolean keepAlive);

    /** The idle timer set by {@link #armIdleTimer} fired while the connection was still idle. */
    void onIdleTimeout(HttpConnection c);

    void onCloseFailed(HttpConnection c, IOException e);
  }

  private final Listener listener;
  private final EventLoop loop;
  private final ByteBuffer readBuffer;
  private final String name;
  private final ResponseParser parser;
  private final long createdNanos;
  private final Runnable releaseTask = this::released;
  private final Runnable idleTask = this::idleTimeout;
  private SocketChannel channel;
  private SelectionKey key;
  private int interestOps;
  private long lookupNanos;
  private boolean connected;
  private boolean destroyed;
  private boolean writable = true;
  private boolean dirty;
  private boolean releaseKeepAlive;
  private int localPort;
  private Exchange exchange;
  private ByteBuffer out;
  private EventLoop.Timer idleTimer;

  HttpConnection(
      Listener listener, EventLoop loop, ByteBuffer readBuffer, String name, int maxHeaderBytes) {
    this.listener = listener;
    this.loop = loop;
    this.readBuffer = readBuffer;
    this.name = name;
    this.parser = new ResponseParser(maxHeaderBytes);
    this.createdNanos = System.nanoTime();
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

  boolean destroyed() {
    return destroyed;
  }

  /** Stray bytes arrived: the connection must not carry another request. */
  boolean dirty() {
    return dirty;
  }

  /** The exchange in progress, or null when idle. */
  Exchange exchange() {
    return exchange;
  }

  /** Whether any byte of the current response has arrived. */
  boolean responseStarted() {
    return parser.started();
  }

  /** The last response's keep-alive hint in seconds, or -1 ({@link ResponseParser}). */
  long keepAliveTimeoutSeconds() {
    return parser.keepAliveTimeoutSeconds();
  }

  /**
   * Starts connecting. A failure, even an immediate one, is reported later through {@link
   * Listener#onConnectFailed}, never from inside this call (the pool is mid-decision).
   */
  void connect(String host, int port, AgentOptions options) {
    assert loop.inLoop();
    try {
      channel = SocketChannel.open();
      channel.configureBlocking(false);
      setOptions(options);
      InetSocketAddress address = new InetSocketAddress(host, port);
      lookupNanos = System.nanoTime();
      if (address.isUnresolved()) {
        throw new UnresolvedAddressException();
      }
      key = channel.register(loop.selector(), 0, this);
      if (channel.connect(address)) {
        loop.execute(this::finishConnect);
      } else {
        setInterest(SelectionKey.OP_CONNECT);
      }
    } catch (IOException | RuntimeException e) {
      // RuntimeException: an unresolved host, or a value the JDK refuses (IoFailures says config)
      loop.execute(() -> listener.onConnectFailed(this, e));
    }
  }

  private void setOptions(AgentOptions options) throws IOException {
    try {
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      if (options.keepAlive()) {
        channel.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
        if (channel.supportedOptions().contains(ExtendedSocketOptions.TCP_KEEPIDLE)) {
          channel.setOption(
              ExtendedSocketOptions.TCP_KEEPIDLE, Math.max(1, options.keepAliveMsecs() / 1000));
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("the OS refused a socket option: " + e.getMessage(), e);
    }
  }

  /**
   * Takes {@code ex}: stops the idle timer and writes the request now, or once connected.
   *
   * @param reused whether the socket came from the free pool (Node's {@code reusedSocket})
   */
  void serve(Exchange ex, boolean reused) {
    assert loop.inLoop();
    cancelIdleTimer();
    exchange = ex;
    ex.assigned(this, reused, connected, createdNanos);
    if (connected) {
      write(ex);
    }
  }

  /**
   * Gives the connection back one loop step later (Node's {@code process.nextTick}); queued before
   * the caller hears of the response, so a caller on another thread finds it back in the pool.
   */
  void release(boolean keepAlive) {
    assert loop.inLoop();
    releaseKeepAlive = keepAlive && !dirty;
    loop.execute(releaseTask);
  }

  private void released() {
    if (!destroyed) {
      listener.onReleased(this, releaseKeepAlive && !dirty);
    }
  }

  /** Closes an idle pooled connection after {@code delayNanos} unless it is taken first. */
  void armIdleTimer(long delayNanos) {
    assert loop.inLoop();
    cancelIdleTimer();
    idleTimer = loop.schedule(delayNanos, idleTask);
  }

  private void idleTimeout() {
    idleTimer = null;
    if (!destroyed && exchange == null) {
      listener.onIdleTimeout(this);
    }
  }

  private void cancelIdleTimer() {
    if (idleTimer != null) {
      idleTimer.cancel();
      idleTimer = null;
    }
  }

  /** Detaches the exchange in progress (it failed or is being retried); null if none. */
  Exchange detach() {
    assert loop.inLoop();
    Exchange ex = exchange;
    exchange = null;
    return ex;
  }

  private void finishConnect() {
    if (destroyed) {
      return;
    }
    long connectedNanos;
    try {
      if (!channel.finishConnect()) {
        return;
      }
      connected = true;
      connectedNanos = System.nanoTime();
      localPort = ((InetSocketAddress) channel.getLocalAddress()).getPort();
      setInterest(SelectionKey.OP_READ);
    } catch (IOException e) {
      listener.onConnectFailed(this, e);
      return;
    }
    listener.onConnected(this);
    Exchange ex = exchange;
    if (ex != null && !destroyed) {
      ex.connected(lookupNanos, connectedNanos);
      write(ex);
    }
  }

  /** Writes the exchange's request; the rest is written when the socket can take it. */
  private void write(Exchange ex) {
    parser.begin(ex.request.isHead());
    if (out == null || out.array() != ex.encoded) {
      out = ByteBuffer.wrap(ex.encoded); // the same request sent again reuses its buffer
    } else {
      out.clear();
    }
    flush();
  }

  private void flush() {
    try {
      channel.write(out);
    } catch (IOException e) {
      ioFailed(e);
      return;
    }
    if (out.hasRemaining()) {
      setInterest(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
    } else {
      setInterest(SelectionKey.OP_READ);
      Exchange ex = exchange;
      if (ex.written()) {
        done(ex);
      }
    }
  }

  @Override
  public void onReady(SelectionKey k) {
    int ready = k.readyOps();
    if ((ready & SelectionKey.OP_CONNECT) != 0) {
      finishConnect();
      return;
    }
    if ((ready & SelectionKey.OP_WRITE) != 0 && exchange != null && out.hasRemaining()) {
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
    ByteBuffer buf = readBuffer;
    while (!destroyed) {
      buf.clear();
      int n;
      try {
        n = channel.read(buf);
      } catch (IOException e) {
        ioFailed(e);
        return;
      }
      if (n == -1) {
        writable = false;
        eof();
        return;
      }
      if (n == 0) {
        return;
      }
      buf.flip();
      Exchange ex = exchange;
      if (ex == null || ex.isResponseDone()) {
        dirty = true;
        listener.onUnsolicitedBytes(this, ex == null);
        return;
      }
      ex.firstByte(System.nanoTime());
      try {
        if (parser.feed(buf, ex)) {
          if (buf.hasRemaining()) {
            dirty = true;
          }
          if (ex.responseDone(System.nanoTime())) {
            done(ex);
          }
        }
      } catch (HttpParseException e) {
        listener.onFailed(this, e.errorClass(), e.getMessage(), e, false);
        return;
      }
      if (n < buf.capacity()) {
        return; // drained: wait for the next readiness rather than pay a read that returns 0
      }
    }
  }

  /** Request written and response complete: the connection is idle again. */
  private void done(Exchange ex) {
    exchange = null;
    listener.onExchangeDone(this, ex, ex.shouldKeepAlive && parser.keepAlive() && !dirty);
  }

  private void eof() {
    Exchange ex = exchange;
    if (ex == null || ex.isResponseDone()) {
      listener.onPeerClosed(this); // a pooled (or just released) socket closed by the server
      return;
    }
    if (parser.eof()) {
      // a close-delimited body ended: a response, if the request was written
      if (ex.responseDone(System.nanoTime())) {
        done(ex);
        listener.onPeerClosed(this);
        return;
      }
    }
    String message = parser.started() ? "response ended early (aborted)" : "socket hang up";
    listener.onFailed(this, ErrorClass.CLOSED_EARLY, message, null, false);
  }

  private void ioFailed(IOException e) {
    ErrorClass cls = IoFailures.classifyIo(e);
    String message =
        cls == ErrorClass.RESET
            ? "read ECONNRESET: " + e.getMessage()
            : "socket hang up: " + e.getMessage();
    listener.onFailed(this, cls, message, e, true);
  }

  private void setInterest(int ops) {
    if (ops != interestOps) {
      interestOps = ops;
      key.interestOps(ops);
    }
  }

  /** Closes the socket. Idempotent; the listener does the pool bookkeeping. */
  void close() {
    assert loop.inLoop();
    destroyed = true;
    writable = false;
    cancelIdleTimer();
    if (key != null) {
      key.cancel();
    }
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        listener.onCloseFailed(this, e);
      }
    }
  }

  @Override
  public String toString() {
    return "sock[" + name + " port " + localPort + "]";
  }
}
